"""Managing the message templates (话术): a list on the left, the chosen one's editor on the right.

Placeholders are inserted with buttons so nobody has to remember the braces; they are written in the
shopkeeper's language ({姓名} in Chinese, {name} in English), and both forms are filled in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopdesk.domain.followups import KIND_LABELS, TaskKind
from shopdesk.errors import ValidationError
from shopdesk.i18n import _, current_language
from shopdesk.services.message_templates import (
    PLACEHOLDER_LABELS,
    PLACEHOLDERS,
    TemplateView,
    delete_template,
    ensure_default_templates,
    list_templates,
    save_template,
)
from shopdesk.ui import prompts
from shopdesk.ui.dialogs.base import titled_layout
from shopdesk.ui.errors import report_error
from shopdesk.ui.events import FOLLOWUPS
from shopdesk.ui.icons import icon
from shopdesk.ui.style import char_width
from shopdesk.ui.tasks import BaseTaskRunner
from shopdesk.ui.widgets.form import Form

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PLACEHOLDER_COLUMNS = 4


def placeholder_token(key: str) -> str:
    """``{姓名}`` in Chinese, ``{name}`` in English: what a button inserts."""
    return "{" + (PLACEHOLDERS[key] if current_language() == "zh_CN" else key) + "}"


class MessageTemplatesDialog(QDialog):
    """Every template; pick one to edit it, 新建 for another, 删除 to remove the one shown."""

    def __init__(self, parent: QWidget | None, runner: BaseTaskRunner) -> None:
        super().__init__(parent)
        self.runner = runner
        layout, _heading, _subtitle = titled_layout(
            self,
            _("Message templates"),
            _(
                "Copy message on the follow-up list fills the template for the task's reason with the "
                "member's name, points, coupon and last purchase."
            ),
        )
        unit = self.fontMetrics().height()
        char = char_width(self)

        body = QHBoxLayout()
        body.setSpacing(unit)
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setMinimumWidth(char * 30)
        self.list.currentItemChanged.connect(self._current_changed)
        left.addWidget(self.list, 1)
        self.new_button = QPushButton(icon("add"), _("New"))
        self.new_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_template)
        left.addWidget(self.new_button)
        body.addLayout(left)

        right = QVBoxLayout()
        self.form = Form(self)
        self.name = QLineEdit(maxLength=40)
        self.form.add_row("name", _("Template name"), self.name, required=True)
        self.kind = QComboBox()
        for kind in TaskKind:
            self.kind.addItem(_(KIND_LABELS[kind]), kind.value)
        self.form.add_row("kind", _("Used for"), self.kind)
        self.body = QPlainTextEdit()
        self.body.setTabChangesFocus(True)
        self.body.setMinimumSize(char * 60, unit * 8)
        self.form.add_row("body", _("Message"), self.body, required=True)
        right.addWidget(self.form)
        insert = QLabel(_("Insert:"))
        insert.setObjectName("fieldHint")
        right.addWidget(insert)
        grid = QGridLayout()
        self.placeholder_buttons: dict[str, QPushButton] = {}
        for position, key in enumerate(PLACEHOLDERS):
            button = QPushButton(_(PLACEHOLDER_LABELS[key]))
            button.setAutoDefault(False)
            button.setToolTip(placeholder_token(key))
            button.clicked.connect(lambda _checked=False, k=key: self.insert_placeholder(k))
            grid.addWidget(button, position // PLACEHOLDER_COLUMNS, position % PLACEHOLDER_COLUMNS)
            self.placeholder_buttons[key] = button
        right.addLayout(grid)
        actions = QHBoxLayout()
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(self.delete_current)
        actions.addWidget(self.delete_button)
        actions.addStretch()
        self.save_button = QPushButton(_("Save"))
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_current)
        actions.addWidget(self.save_button)
        right.addLayout(actions)
        right.addStretch()
        body.addLayout(right, 1)
        layout.addLayout(body, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.list, self.name)
        QWidget.setTabOrder(self.name, self.kind)
        QWidget.setTabOrder(self.kind, self.body)
        self.editing_id: int | None = None
        ensure_default_templates()
        self.reload()

    # Loading ----------------------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        self.templates = list_templates()
        self.list.blockSignals(True)
        self.list.clear()
        labels = {kind.value: _(KIND_LABELS[kind]) for kind in TaskKind}
        for template in self.templates:
            item = QListWidgetItem(template.name)
            item.setToolTip(labels.get(template.kind, ""))
            item.setData(ID_ROLE, template.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [t.id for t in self.templates]
        row = ids.index(select_id) if select_id in ids else (0 if ids else -1)
        if row >= 0:
            self.list.setCurrentRow(row)
            self._show(self.templates[row])
        else:
            self.new_template()

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is None:
            return
        template = next((t for t in self.templates if t.id == current.data(ID_ROLE)), None)
        if template is not None:
            self._show(template)

    def _show(self, template: TemplateView) -> None:
        self.form.clear_errors()
        self.editing_id = template.id
        self.name.setText(template.name)
        index = self.kind.findData(template.kind)
        self.kind.setCurrentIndex(max(index, 0))
        self.body.setPlainText(template.body)
        self.body.moveCursor(QTextCursor.MoveOperation.End)  # a placeholder button adds at the end
        self.delete_button.setEnabled(True)

    # Actions ----------------------------------------------------------------------------------------

    def new_template(self) -> None:
        self.form.clear_errors()
        self.list.clearSelection()
        self.editing_id = None
        self.name.setText(_("New template"))
        self.body.setPlainText("")
        self.delete_button.setEnabled(False)
        self.name.setFocus()
        self.name.selectAll()

    def insert_placeholder(self, key: str) -> None:
        self.body.insertPlainText(placeholder_token(key))
        self.body.setFocus()

    def save_current(self) -> None:
        self.form.clear_errors()
        try:
            template_id = save_template(
                self.editing_id, self.name.text(), self.kind.currentData(), self.body.toPlainText()
            )
        except ValidationError as error:
            self.form.show_validation_error(error)
            return
        except Exception as exc:  # storage errors are reported by kind
            report_error(self, exc)
            return
        self.runner.events.announce({FOLLOWUPS}, self)
        self.reload(template_id)

    def delete_current(self) -> None:
        if self.editing_id is None:
            return
        if not prompts.confirm(
            self,
            _("Delete the template “{name}”?").format(name=self.name.text()),
            _("Follow-ups of this kind use another template, or none."),
            _("Delete"),
        ):
            return
        try:
            delete_template(self.editing_id)
        except Exception as exc:
            report_error(self, exc)
            return
        self.runner.events.announce({FOLLOWUPS}, self)
        self.reload()

    @classmethod
    def ask(cls, parent: QWidget | None, runner: BaseTaskRunner) -> None:
        dialog = cls(parent, runner)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
