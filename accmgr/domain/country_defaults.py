"""What a new client's document language and currency are when only the country is given.

The currency is the country's legal tender today, from Babel's territory data (CLDR). The
language is the country's main official language when documents can be written in it, and
English otherwise: an offer in a language the templates do not have helps no one.
"""

from __future__ import annotations

from functools import cache

from accmgr.domain.common import DOCUMENT_LANGUAGES

FALLBACK_LANGUAGE = "en"
FALLBACK_CURRENCY = "EUR"


@cache
def default_language(country: str) -> str:
    from babel.languages import get_official_languages

    official = get_official_languages(country.upper(), de_facto=True)
    # Only the main language: a minority official language is no safer guess than English.
    if official and official[0] in DOCUMENT_LANGUAGES:
        return str(official[0])
    return FALLBACK_LANGUAGE


@cache
def default_currency(country: str) -> str:
    from babel.numbers import get_territory_currencies

    tender = get_territory_currencies(country.upper(), tender=True)
    return str(tender[0]) if tender else FALLBACK_CURRENCY
