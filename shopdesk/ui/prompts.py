"""Yes/no questions for the few actions that cannot simply be undone (tests replace ``confirm``)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from shopdesk.i18n import _


def confirm(parent: QWidget | None, text: str, informative: str, action: str) -> bool:
    """Ask before acting; ``action`` is the verb on the button that goes ahead (Cancel is the default)."""
    box = QMessageBox(parent)
    box.setWindowTitle(_("ShopDesk"))
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(text)
    box.setInformativeText(informative)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go
