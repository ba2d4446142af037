"""The first-run wizard: a tea shop answers four pages and finds its categories and templates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from shopdesk.domain.shop_types import SHOP_TYPE_PRESETS
from shopdesk.services import catalog, message_templates, points, settings, tiers
from shopdesk.services.setup import apply_shop_setup
from shopdesk.ui.dialogs import first_run
from shopdesk.ui.dialogs.first_run import FirstRunAnswer, FirstRunWizard, Start


@pytest.fixture
def wizard(qtbot, shop, runner) -> FirstRunWizard:
    dialog = FirstRunWizard(None, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _choose(qtbot, button) -> None:
    """Click a radio button on its indicator (the middle of a stretched button is empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(4, button.height() // 2))


def _next(qtbot, wizard: FirstRunWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_walking_the_wizard_for_a_tea_shop_sets_it_up(qtbot, wizard, runner, events) -> None:
    assert wizard.currentPage() is wizard.name_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # a name first
    wizard.name_page.name_edit.setText("清心茶舍")  # Chinese through setText (keyClicks aborts on it)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    _next(qtbot, wizard)

    assert wizard.currentPage() is wizard.type_page
    _choose(qtbot, wizard.type_page.buttons["tea"])
    assert "Green tea" in wizard.type_page.preview.text()
    _next(qtbot, wizard)

    assert wizard.currentPage() is wizard.points_page
    _choose(qtbot, wizard.points_page.group.button(1))  # 2 points per ¥1
    _next(qtbot, wizard)

    assert wizard.currentPage() is wizard.start_page
    with qtbot.waitSignal(events.changes_applied) as announced:
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    assert "settings" in announced.args[0]
    assert wizard.answer is not None and wizard.answer.start is Start.EMPTY
    assert not wizard.isVisible()
    assert settings.get_setting(settings.SHOP_NAME) == "清心茶舍"
    assert settings.get_setting(settings.SHOP_TYPE) == "tea"
    categories = {c.name: c.repurchase_days for c in catalog.list_categories()}
    assert set(categories) == {c.name for c in SHOP_TYPE_PRESETS["tea"].categories}
    assert categories["Green tea"] == 30
    assert {t.kind for t in message_templates.list_templates()}
    assert len(tiers.list_tiers()) == 4
    assert points.points_rules().points_per_yuan == 2


def test_later_leaves_the_shop_untouched(qtbot, wizard) -> None:
    wizard.name_page.name_edit.setText("Shop")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert wizard.answer is None
    assert settings.get_setting(settings.SHOP_NAME) is None
    assert catalog.list_categories() == []


def test_a_refused_name_brings_the_first_page_back_with_the_reason(qtbot, wizard) -> None:
    wizard.name_page.name_edit.setText("   ")  # only spaces: the page lets it through, the service not
    wizard.next()
    wizard.next()
    wizard.next()
    wizard.accept()
    assert wizard.currentPage() is wizard.name_page
    assert wizard.name_page.error_label.isVisibleTo(wizard)
    assert wizard.answer is None


def test_the_page_wants_a_real_name(wizard) -> None:
    wizard.name_page.name_edit.setText("   ")
    assert not wizard.name_page.isComplete()


@pytest.mark.parametrize(
    ("start", "called"), [(Start.IMPORT, "import"), (Start.DEMO, "demo"), (Start.EMPTY, None)]
)
def test_offer_runs_the_chosen_way_to_begin(shop, monkeypatch, start: Start, called: str | None) -> None:
    calls: list[str] = []

    class Window:
        runner = None

        def import_data(self) -> None:
            calls.append("import")

        def open_demo(self) -> None:
            calls.append("demo")

    answer = FirstRunAnswer(apply_shop_setup("Shop", "tea"), start)
    settings.set_setting(settings.SHOP_NAME, None)  # as new again, so the wizard is offered
    monkeypatch.setattr(FirstRunWizard, "ask", classmethod(lambda cls, parent, runner: answer))
    assert first_run.offer_first_run(Window()) is answer  # type: ignore[arg-type]
    assert calls == ([called] if called else [])


def test_no_wizard_for_a_shop_that_has_a_name(shop, monkeypatch) -> None:
    apply_shop_setup("Shop", "bakery")
    monkeypatch.setattr(FirstRunWizard, "ask", classmethod(lambda cls, parent, runner: pytest.fail("asked")))
    assert first_run.offer_first_run(object()) is None  # type: ignore[arg-type]
