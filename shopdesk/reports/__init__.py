"""Printable documents as data, rendered to HTML (for Qt printing), PDF and spreadsheet rows; no Qt.

Each document is built from plain values the services return (``followup_sheet.build_sheet`` takes the
day's tasks), so the GUI's print preview, the ``shopdesk followups`` command and the tests print the same
sheet. reportlab and the spreadsheet writers load only when a file is written.
"""
