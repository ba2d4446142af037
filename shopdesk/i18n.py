"""One translation system for services, CLI and UI: gettext ``_``, ``N_`` and ``ngettext``.

English is the source language. ``setup_i18n`` picks Simplified Chinese on a Chinese system and
English elsewhere, unless a language is given (``--lang``). Qt-free: the UI adds Qt's own
``qtbase`` catalogue for standard buttons on top of this.
"""

from __future__ import annotations

import contextlib
import gettext as _gettext
import locale
import os

from shopdesk.resources import resource_path

DOMAIN = "shopdesk"
SUPPORTED = ("zh_CN", "en")

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "en"


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (for declarations at import time)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose wording depends on a count."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a short message that needs a context to be unambiguous."""
    return _translation.pgettext(context, message)


def system_language() -> str:
    """``zh_CN`` when the system's language is Chinese, ``en`` otherwise."""
    candidates = [os.environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    with contextlib.suppress(ValueError):
        candidates.append(locale.getlocale()[0] or "")
    if os.name == "nt":
        try:
            import ctypes

            lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
            candidates.insert(0, locale.windows_locale.get(lcid, ""))
        except (AttributeError, OSError):
            pass
    for value in candidates:
        if value and value.split(":")[0].lower().startswith("zh"):
            return "zh_CN"
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "en"
    return "en"


def normalise_language(lang: str | None) -> str:
    """Map user input such as ``zh``, ``zh-CN`` or ``en_US`` to a supported language."""
    if not lang:
        return system_language()
    lowered = lang.replace("-", "_").lower()
    if lowered.startswith("zh"):
        return "zh_CN"
    return "en"


def setup_i18n(lang: str | None = None) -> str:
    """Install the catalogue for ``lang`` (or the system's language) and return the language used."""
    global _translation, _language
    _language = normalise_language(lang)
    if _language == "en":
        _translation = _gettext.NullTranslations()
    else:
        _translation = _gettext.translation(
            DOMAIN, localedir=str(resource_path("translations")), languages=[_language], fallback=True
        )
    return _language


def current_language() -> str:
    """The language installed by ``setup_i18n`` (``zh_CN`` or ``en``)."""
    return _language
