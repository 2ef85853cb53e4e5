"""wol's catalogues are complete and current: every message in the code has a translation in each shipped
language, no catalogue keeps a message the code no longer says, and each translation fills the same blanks."""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from wol.i18n import CATALOGUES, DOMAIN, shipped_locales, translator

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = [lang for lang in shipped_locales() if lang != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted() -> dict:
    """msgid (a string, or (singular, plural)) → where the code says it, as Babel's extraction finds it."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {}
    for path, line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, options_map):
        found.setdefault(message, []).append(f"{path}:{line}")
    return found


@pytest.fixture(scope="module")
def messages():
    found = extracted()
    assert len(found) > 100, "the extraction found almost nothing: is babel.cfg right?"
    return found


def test_every_message_the_code_translates_is_extracted(messages):
    """A message Babel cannot see (inside an f-string, say) would never be translated: none may hide."""
    hidden = []
    for path in sorted((ROOT / "wol").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("gettext", "ngettext") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                msgid = node.args[0].value if node.func.attr == "gettext" else (
                    node.args[0].value, node.args[1].value)
                if msgid not in messages:
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value!r}")
    assert not hidden, "messages Babel's extraction misses (take them out of the f-string):\n" + "\n".join(hidden)


def catalogue(lang):
    with open(CATALOGUES / lang / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as handle:
        return read_po(handle, locale=lang)


def test_english_french_and_german_ship():
    assert {"en", "fr", "de"} <= set(shipped_locales())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_code_is_translated(lang, messages):
    cat = catalogue(lang)
    missing = []
    for msgid, where in messages.items():
        entry = cat.get(msgid)
        forms = entry.string if entry is not None else None
        forms = forms if isinstance(forms, tuple) else (forms,)
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(f"{where[0]}: {msgid!r}")
    assert not missing, f"{lang}: {len(missing)} message(s) without a translation:\n" + "\n".join(missing[:20])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_keeps_a_message_the_code_no_longer_says(lang, messages):
    stale = [m.id for m in catalogue(lang) if m.id and m.id not in messages]
    assert not stale, f"{lang}: stale entries (run the update in docs/translations.md): {stale[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_follow_the_language(lang):
    cat = catalogue(lang)
    assert cat.num_plurals == get_plural(lang).num_plurals and cat.plural_expr == get_plural(lang).plural_expr
    for m in cat:
        if m.id and isinstance(m.id, tuple):
            assert len(m.string) == cat.num_plurals, f"{lang}: {m.id[0]!r} has {len(m.string)} forms"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_fill_the_same_blanks(lang):
    for m in catalogue(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for form in (m.string if isinstance(m.string, tuple) else (m.string,)):
            have = set(PLACEHOLDER.findall(form))
            assert have <= wanted, f"{lang}: {ids[0]!r} → unknown blank {sorted(have - wanted)}"
            assert wanted - {"n"} <= have, f"{lang}: {ids[0]!r} → leaves out {sorted(wanted - {'n'} - have)}"
            form % {name: "x" for name in wanted}  # a stray % fails here


def test_plurals_are_right_in_french_and_german():
    fr, de, en = translator("fr"), translator("de"), translator("en")
    waits = ("%(n)s question waits for an answer", "%(n)s questions wait for an answer")
    assert fr.ngettext(*waits, 0) == "0 question attend une réponse"
    assert fr.ngettext(*waits, 1) == "1 question attend une réponse"
    assert fr.ngettext(*waits, 2) == "2 questions attendent une réponse"
    assert de.ngettext(*waits, 0) == "0 Fragen warten auf eine Antwort"
    assert de.ngettext(*waits, 1) == "1 Frage wartet auf eine Antwort"
    assert en.ngettext(*waits, 1) == "1 question waits for an answer"


def test_dates_and_numbers_follow_the_locale():
    from datetime import date
    day = date(2026, 3, 17)
    assert translator("en").date(day) == "17 March 2026"
    assert translator("fr").date(day) == "17 mars 2026"
    assert translator("de").date(day) == "17. März 2026"
    assert translator("de").decimal(0.5) == "0,50"
    assert translator("fr").number(12345) == "12\u202f345"


def test_a_language_without_a_catalogue_reads_english_and_a_right_to_left_one_says_so():
    assert translator("pt_BR").gettext("Health of the network") == "Health of the network"
    assert translator("ar").direction == "rtl" and translator("fr").direction == "ltr"
