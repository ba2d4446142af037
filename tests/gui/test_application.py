"""Starting the app: run_gui shows the window and quits on request; a bad database is explained."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from shopdesk.ui import application
from shopdesk.ui.application import run_gui


@pytest.fixture
def isolated_app(tmp_path, monkeypatch, qapp):
    """run_gui touches process-wide things: the log file, sys.excepthook, Qt's translators."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logger = logging.getLogger("shopdesk")
    handlers = list(logger.handlers)
    yield qapp
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    application._install_qt_translator(qapp, "en")


def test_run_gui_shows_the_window_and_quits_after_show(isolated_app, tmp_path):
    target = str(tmp_path / "shop.db")
    assert run_gui(target, language="en", quit_after_show=True) == 0
    assert (tmp_path / "shop.db").exists()
    assert isolated_app.applicationName() == "ShopDesk"
    assert isolated_app.organizationName() == "ShopDesk"
    assert (tmp_path / "xdg" / "ShopDesk" / "logs" / "shopdesk.log").exists()


def test_a_database_that_cannot_be_opened_is_explained(isolated_app, tmp_path, messages):
    assert run_gui(str(tmp_path), language="en") == 1  # a folder, not a shop file
    [message] = messages
    assert message.kind == "storage"
    assert message.informative  # what to do about it


def test_chinese_installs_qts_own_translations_for_standard_buttons(isolated_app):
    application._install_qt_translator(isolated_app, "zh_CN")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "保存"
    application._install_qt_translator(isolated_app, "en")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    assert box.button(QDialogButtonBox.StandardButton.Save).text() == "Save"


def test_starting_the_gui_does_not_import_heavy_libraries():
    import subprocess

    code = (
        "import sys; import shopdesk.ui.application, shopdesk.ui.main_window;"
        "print(','.join(m for m in ('matplotlib', 'openpyxl', 'pypinyin', 'numpy') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
    assert QApplication.instance() is not None


def test_a_bug_during_a_smoke_run_is_reported_and_fails_the_run(
    isolated_app, tmp_path, messages, monkeypatch
):
    from importlib import import_module

    from shopdesk.ui.screens import registry

    def broken(self) -> None:
        raise RuntimeError("bug in a slot")

    first = registry.SCREENS[0]  # the page shown when the window opens
    monkeypatch.setattr(getattr(import_module(first.module), first.class_name), "activated", broken)
    assert run_gui(str(tmp_path / "shop.db"), language="en", quit_after_show=True) == 1
    assert [message.kind for message in messages] == ["crash"]
    assert "RuntimeError: bug in a slot" in messages[0].details


def test_unattended_messages_go_to_stderr_instead_of_a_modal_box(capsys, monkeypatch):
    from shopdesk.errors import StorageError
    from shopdesk.ui import errors

    monkeypatch.undo()  # the real ``present``, not the test recorder
    errors.set_unattended(True)
    try:
        errors.report_error(None, StorageError("The disk is full.", "Free some space."))
    finally:
        errors.set_unattended(False)
    assert "The disk is full. Free some space." in capsys.readouterr().err


def test_the_daily_jobs_run_again_a_minute_after_midnight(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWidget

    from shopdesk.ui.application import _run_again_after_midnight

    window = QWidget()
    qtbot.addWidget(window)
    _run_again_after_midnight(window, runner=None)
    timers = [timer for timer in window.findChildren(QTimer) if timer.isSingleShot() and timer.isActive()]
    assert len(timers) == 1
    assert 0 < timers[0].remainingTime() <= 24 * 3600 * 1000 + 60_000
