"""Excel and CSV in and out: members, purchases and the points ledger, with no Qt.

Layers inside the package, lowest first:
- ``readers`` (files to raw cells), ``headers`` (column names to fields), ``coerce`` (cells to values),
  ``writers`` (rows to styled .xlsx or .csv): no database, no services;
- ``member_import``, ``purchase_import``, ``member_export``, ``purchase_export``, ``points_export``,
  ``template``, ``report``: the operations the GUI and the CLI call, each in one transaction;
- ``commands``: the ``import`` and ``export`` subcommands of the ``shopdesk`` CLI.

Nothing here imports openpyxl, xlsxwriter or python-calamine at module level: they load when a file is
read or written, so the app starts without them.
"""
