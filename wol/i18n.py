"""wol's own words in the company's language: gettext catalogues read with Babel, dates and numbers per locale.

`translator(locale)` gives an immutable `Translator` (safe to share between `wol serve`'s threads). English
is the source language: its messages are the msgids. Other languages are `wol/locale/<lang>/LC_MESSAGES/
wol.po`, compiled in memory the first time they are used (no `.mo` is committed or generated on disk).
Sentences are whole messages with named placeholders (`%(name)s`), never concatenated; plurals use the
catalogue's own plural rule (French "0 réponse", "2 réponses"). How to add a message or a language:
docs/translations.md.
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

CATALOGUES = Path(__file__).resolve().parent / "locale"
DOMAIN = "wol"
SOURCE = "en"


def N_(message: str) -> str:
    """Marks a message kept in a constant for extraction; translate it where it is shown (`t.gettext(X)`)."""
    return message


def shipped_locales() -> list[str]:
    """The languages wol speaks: English and every catalogue in the package."""
    return [SOURCE] + sorted(p.parent.parent.name for p in CATALOGUES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


@lru_cache(maxsize=65_536)
def _long_date(moment: date, locale: Locale) -> str:
    """Babel's long date, once per date and locale (listings show the same dates again and again)."""
    return _babel_date(moment, format="long", locale=locale)


@lru_cache(maxsize=65_536)
def _whole_number(value: int, locale: Locale) -> str:
    return format_decimal(value, locale=locale)


@dataclass(frozen=True)
class Translator:
    """Messages, dates and numbers for one locale."""

    locale: str  # the requested locale, e.g. "fr" or "pt_BR" (a language wol has no catalogue for reads English)
    catalogue: _gettext.NullTranslations
    babel: Locale

    @property
    def direction(self) -> str:
        """`rtl` or `ltr`, for the `dir` attribute."""
        return self.babel.character_order == "right-to-left" and "rtl" or "ltr"

    def gettext(self, message: str, **values) -> str:
        """The message in this locale with its `%(name)s` filled in (a literal percent sign is `%%`)."""
        return self.catalogue.gettext(message) % values

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        """The form for `n`; `%(n)s` in the message is `n` written in the locale."""
        return self.catalogue.ngettext(singular, plural, n) % {"n": self.number(n), **values}

    def date(self, moment: date | datetime) -> str:
        """`3 March 2026`, `3 mars 2026`, `3. März 2026` (plain `en` reads day first, as en_GB; `en_US` does not)."""
        day = moment.date() if isinstance(moment, datetime) else moment  # what Babel formats of a date-time
        return _long_date(day, DAY_FIRST_ENGLISH if str(self.babel) == "en" else self.babel)

    def number(self, value) -> str:
        if type(value) is int:  # counts: the same few again and again in listings
            return _whole_number(value, self.babel)
        return format_decimal(value, locale=self.babel)

    def decimal(self, value: float | None, digits: int = 2) -> str:
        """`0.35`, `0,35` with exactly `digits` decimals; None is a dash."""
        if value is None:
            return "—"
        return format_decimal(round(value, digits), format="#,##0." + "0" * digits, locale=self.babel)

    def list(self, items: list[str]) -> str:
        """`a and b`, `a, b and c` (or the locale's way): never joined by hand."""
        return format_list(list(items), locale=self.babel) if items else ""

    def plural_samples(self) -> dict[str, int]:
        """A number of each CLDR plural category the language has (`one`: 1, `other`: 2, French `many`: 10⁶)."""
        return _plural_samples(self.babel)

    def percent(self, share: float | None) -> str:
        """`42%`, `42 %` (with the locale's own spacing); None is a dash."""
        return "—" if share is None else format_percent(share, locale=self.babel)


PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@lru_cache(maxsize=None)
def _plural_samples(locale: Locale) -> dict[str, int]:
    found = {}
    for n in (*range(0, 200), 1_000_000):
        found.setdefault(locale.plural_form(n), n)
    return {c: found[c] for c in PLURAL_CATEGORIES if c in found}


def parse_locale(name: str) -> Locale:
    """A Babel locale from `fr`, `de-CH` or `pt_BR`; an unknown name is English."""
    try:
        return Locale.parse(str(name or SOURCE).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(SOURCE)


@lru_cache(maxsize=None)
def translator(locale: str = SOURCE) -> Translator:
    """The Translator for a locale name (`theme.language`); cached, immutable."""
    babel = parse_locale(locale)
    return Translator(str(locale or SOURCE), _load_catalogue(babel), babel)


def _load_catalogue(babel: Locale) -> _gettext.NullTranslations:
    """The most specific shipped catalogue (`pt_BR`, then `pt`), compiled in memory; none is English."""
    for name in (str(babel), babel.language):
        path = CATALOGUES / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            with path.open("rb") as handle:
                catalogue = read_po(handle, locale=name, domain=DOMAIN)
            buffer = BytesIO()
            write_mo(buffer, catalogue)  # fuzzy entries are left out: they read as English
            buffer.seek(0)
            return _gettext.GNUTranslations(buffer)
    return _gettext.NullTranslations()


DAY_FIRST_ENGLISH = Locale.parse("en_GB")
ENGLISH = translator(SOURCE)
