"""Country names in English, Spanish and Portuguese, from the ISO 3166 data pycountry ships."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from functools import lru_cache

import pycountry

from ingest.text_analysis import fold

_LOCALES = {"es": "es", "pt": "pt_BR"}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every name a country goes by (folded by the caller) -> its English common name."""
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)
        for code in _LOCALES.values()
    ]
    names: dict[str, str] = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or _short(country.name)
        official = [
            country.name,
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        ]
        for name in [english, *filter(None, official)]:
            variants = {name, _short(name)}
            for translation in translations:
                variants |= {translation.gettext(name), _short(translation.gettext(name))}
            for variant in variants:
                if len(variant) > 3:
                    names.setdefault(variant, english)
    return names


def _short(name: str) -> str:
    """'Bolivia, Plurinational State of' -> 'Bolivia'; 'Korea (Republic of)' -> 'Korea'."""
    return re.split(r"[,(]", name)[0].strip()


@lru_cache(maxsize=512)
def country_aliases(english: str) -> tuple[str, ...]:
    """Every EN/ES/PT name of the country whose English common name is given."""
    return tuple(
        sorted(name for name, common in country_names().items() if common == english and name != english)
    )


def countries_in(text: str) -> Iterator[str]:
    """The English common name of each country the text names, in any of the three languages."""
    pattern, english = _country_index()
    for match in pattern.finditer(fold(text)):
        yield english[match.group(0)]


def is_country(text: str) -> bool:
    """Whether the text is a country's name, in any of the three languages."""
    return fold(text) in _country_index()[1]


def starts_with_country(text: str) -> bool:
    """Whether the text opens with a country name, so its article stays ("El Salvador ...")."""
    return bool(_country_index()[0].match(fold(text)))


@lru_cache(maxsize=1)
def _country_index() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of every folded country name, longest first ("Dominican Republic" before
    "Dominica"), and the English name each stands for."""
    english = {fold(name): common for name, common in country_names().items()}
    alternatives = sorted(english, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b"), english
