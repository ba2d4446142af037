"""Printing the documents ``shopdesk.reports`` builds: their HTML in a ``QTextDocument``, print preview first.

A document is printed on a ``Paper``: a sheet (A4, A5) or a thermal roll (58 mm, 80 mm) whose page is made
as long as the content, so a receipt comes out in one piece instead of being cut into A4-sized pages.
Everything goes through ``print_preview`` (the shopkeeper sees the page before paper is used); tests
replace it, or use ``write_pdf`` to print the same page into a file.

Keep a Python reference to the ``QPrinter`` for as long as a preview uses it: a temporary printer handed
straight to ``QPrintPreviewDialog`` is freed under it and the app crashes (ARCHITECTURE.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from shopdesk.i18n import _

# QTextDocument lays text out at 96 dots per inch when it prints (Qt's default DPI); a roll's length is
# measured at the same resolution so the page fits what is printed on it.
LAYOUT_DPI = 96
MM_PER_INCH = 25.4
ROLL_SLACK_MM = 8  # blank paper after the last line, where the printer's cutter sits


@dataclass(frozen=True, slots=True)
class Paper:
    """A page to print on; ``height_mm`` None is a roll, cut after the content."""

    width_mm: float
    height_mm: float | None
    margin_mm: float

    @property
    def is_roll(self) -> bool:
        return self.height_mm is None

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - 2 * self.margin_mm


A4 = Paper(210, 297, 15)
A5 = Paper(148, 210, 10)
ROLL_58 = Paper(58, None, 3)  # 48 mm printed on a 58 mm roll, as most 58 mm printers do
ROLL_80 = Paper(80, None, 4)


def _px(mm: float) -> float:
    return mm / MM_PER_INCH * LAYOUT_DPI


def _mm(px: float) -> float:
    return px / LAYOUT_DPI * MM_PER_INCH


def document_for(html: str, paper: Paper) -> QTextDocument:
    """The HTML as a document paginated for ``paper``'s printable area (a roll: one page, as long as the
    content).

    A document with a page size prints at that size scaled to the printer's page; without one Qt would add
    its own 2 cm margins and page numbers, which a 48 mm receipt has no room for.
    """
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setHtml(html)
    width = _px(paper.text_width_mm)
    if paper.height_mm is None:
        document.setTextWidth(width)
        height = document.size().height() + _px(ROLL_SLACK_MM)
    else:
        height = _px(paper.height_mm - 2 * paper.margin_mm)
    document.setPageSize(QSizeF(width, height))
    return document


def page_layout(paper: Paper, document: QTextDocument) -> QPageLayout:
    """The page for ``paper``; a roll's is as long as ``document`` (made by ``document_for``) needs."""
    height = paper.height_mm
    if height is None:
        height = _mm(document.pageSize().height()) + 2 * paper.margin_mm
    size = QPageSize(
        QSizeF(paper.width_mm, height), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch
    )
    margins = QMarginsF(paper.margin_mm, paper.margin_mm, paper.margin_mm, paper.margin_mm)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)


def _printer_for(paper: Paper, document: QTextDocument) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(paper, document))
    return printer


def print_preview(parent: QWidget | None, html: str, *, paper: Paper = A4, title: str = "") -> bool:
    """Show ``html`` on ``paper`` in Qt's print preview; True when it was sent to the printer."""
    document = document_for(html, paper)
    printer = _printer_for(paper, document)  # referenced until the preview is closed
    if title:
        printer.setDocName(title)
    preview = QPrintPreviewDialog(printer, parent)
    preview.setWindowTitle(title or _("Print preview"))
    preview.paintRequested.connect(document.print_)
    try:
        return preview.exec() == QDialog.DialogCode.Accepted
    finally:
        preview.deleteLater()


def write_pdf(html: str, path: str | os.PathLike[str], *, paper: Paper = A4) -> None:
    """Print ``html`` on ``paper`` into a PDF file (what the preview would send to a printer)."""
    document = document_for(html, paper)
    printer = _printer_for(paper, document)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(os.fspath(path))
    document.print_(printer)
