"""Help → User guide (F1): the Chinese user guide from ``resources/help``, rendered from its Markdown.

The same file is linked from ``docs/``, so the guide in the repository and the one in the app never drift.
A language without its own guide falls back to the Chinese one (the shop's own language).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from shopdesk.i18n import _, current_language
from shopdesk.resources import resource_path
from shopdesk.ui.style import char_width

FALLBACK_LANGUAGE = "zh-CN"


def guide_path(language: str | None = None) -> Path:
    """The guide for ``language`` (``zh_CN`` → ``user-guide.zh-CN.md``), else the Chinese one."""
    tag = (language or current_language()).replace("_", "-")
    own = resource_path("help", f"user-guide.{tag}.md")
    return own if own.is_file() else resource_path("help", f"user-guide.{FALLBACK_LANGUAGE}.md")


def guide_text(language: str | None = None) -> str:
    """The guide's Markdown, or a short note when the file is missing from a broken install."""
    try:
        return guide_path(language).read_text(encoding="utf-8")
    except OSError:
        return _("The user guide is missing from this installation. Reinstall ShopDesk to get it back.")


class HelpDialog(QDialog):
    """A non-modal reader, so the guide can stay open beside the window while the owner follows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(_("ShopDesk user guide"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(True)
        unit = self.fontMetrics().height()
        self.browser.document().setDocumentMargin(unit)
        self.browser.setMarkdown(guide_text())
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(char_width(self) * 100, unit * 40)

    @classmethod
    def show_for(cls, parent: QWidget | None) -> HelpDialog:
        """Show the guide (one window per parent: F1 again brings the open one to the front)."""
        existing = parent.findChild(cls, "helpDialog") if parent is not None else None
        dialog = existing if isinstance(existing, cls) else cls(parent)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog
