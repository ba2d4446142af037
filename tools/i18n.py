"""Maintain the gettext catalogues: ``python tools/i18n.py extract|compile|check``.

extract  collects every ``_``/``N_``/``ngettext``/``pgettext`` string from ``shopdesk/`` into the template
         and merges it into each language's ``.po`` (new entries empty, vanished ones dropped);
compile  writes the ``.mo`` files the app loads (committed, so a user needs no build step);
check    lists untranslated, fuzzy or placeholder-mismatched entries and exits 1 if there are any.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "shopdesk"
TRANSLATIONS = ROOT / "resources" / "translations"
DOMAIN = "shopdesk"
LANGUAGES = ("zh_CN",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
_PLACEHOLDER = re.compile(r"\{[a-z_0-9]*[^{}]*\}")


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract() -> Catalog:
    """A template catalogue of every translatable string in the package."""
    template = Catalog(project="ShopDesk", domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        template.add(
            message, None, [(f"shopdesk/{filename}", lineno)], auto_comments=comments, context=context
        )
    return template


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def write_catalog(catalog: Catalog, language: str) -> None:
    catalog.fuzzy = False
    catalog.project = "ShopDesk"
    catalog.copyright_holder = "ShopDesk developers"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "ShopDesk developers"
    catalog.language_team = "Simplified Chinese"
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=False, include_lineno=False)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text or ""))


def problems(language: str) -> list[str]:
    """What is missing or wrong in ``language``'s catalogue compared with the source."""
    template = extract()
    catalog = read_catalog(language)
    found: list[str] = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        label = message.id if isinstance(message.id, str) else message.id[0]
        if entry is None:
            found.append(f"missing: {label!r}")
            continue
        strings = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        if entry.fuzzy:
            found.append(f"fuzzy: {label!r}")
        if not all(strings):
            found.append(f"untranslated: {label!r}")
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        wanted = set().union(*(placeholders(text) for text in ids))
        for text in strings:
            if placeholders(text) != wanted:
                found.append(f"placeholders differ: {label!r} -> {text!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "extract":
        template = extract()
        for language in LANGUAGES:
            catalog = read_catalog(language)
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            write_catalog(catalog, language)
        print(f"{len(template)} messages")
        return 0
    if command == "compile":
        for language in LANGUAGES:
            mo_path(language).write_bytes(compiled(read_catalog(language)))
        return 0
    if command == "check":
        failed = False
        for language in LANGUAGES:
            for line in problems(language):
                failed = True
                print(f"{language}: {line}")
        return 1 if failed else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
