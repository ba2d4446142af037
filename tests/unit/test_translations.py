"""The Chinese catalogue is complete, its placeholders match, and the committed .mo matches the .po."""

from __future__ import annotations

import gettext
import importlib.util
import sys
from pathlib import Path

import pytest

from shopdesk.i18n import _, setup_i18n

ROOT = Path(__file__).resolve().parents[2]


def _load_tool():
    spec = importlib.util.spec_from_file_location("shopdesk_i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


i18n_tool = _load_tool()


@pytest.mark.parametrize("language", i18n_tool.LANGUAGES)
def test_every_source_string_is_translated(language: str) -> None:
    assert i18n_tool.problems(language) == []


@pytest.mark.parametrize("language", i18n_tool.LANGUAGES)
def test_committed_mo_matches_po(language: str) -> None:
    with i18n_tool.mo_path(language).open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    expected = i18n_tool.read_catalog(language)
    for message in expected:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (tuple, list)):
            assert committed.ngettext(message.id[0], message.id[1], 1) == message.string[0]
        elif message.context:
            assert committed.pgettext(message.context, message.id) == message.string
        else:
            assert committed.gettext(message.id) == message.string, message.id
    assert len(committed._catalog) >= len([m for m in expected if m.id]), "run: python tools/i18n.py compile"


def test_chinese_is_used_when_asked() -> None:
    setup_i18n("zh_CN")
    assert _("Name is required.") != "Name is required."
    setup_i18n("en")
    assert _("Name is required.") == "Name is required."
