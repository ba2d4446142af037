"""The Qt side of ``shopdesk bench``: a Qt application for the model metrics, painting rows as a view does,
and the bare PySide6 window the start-up metric compares the app with. Kept here so that only
``shopdesk.ui`` imports Qt; the bench loads this module inside the GUI metrics."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

BARE_QT_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1200, 760)
window.show()
QTimer.singleShot(0, app.quit)
code = app.exec()
"""
_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole)
_app: QCoreApplication | None = None


def ensure_qt_core() -> None:
    """Make sure a Qt application object exists (models may need one for signals)."""
    global _app
    if QCoreApplication.instance() is None:
        _app = QCoreApplication([])  # kept alive for the run


def paint_rows(model: object, first: int, last: int) -> int:
    """Ask the model for every cell of rows ``first``..``last`` as a painting view would; return cells."""
    cells = 0
    columns = model.columnCount()  # type: ignore[attr-defined]
    for row in range(first, last + 1):
        for column in range(columns):
            index = model.index(row, column)  # type: ignore[attr-defined]
            for role in _ROLES:
                model.data(index, role)  # type: ignore[attr-defined]
            cells += 1
    return cells
