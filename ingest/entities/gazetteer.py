"""Country names in English, Spanish and Portuguese, from the ISO 3166 data pycountry ships."""

from __future__ import annotations

import gettext
import re
from functools import lru_cache

import pycountry

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
