"""Search that forgives case, accents and scripts: the one folding every filter uses.

A KAM types on whatever keyboard is at hand: "zalgir" must find "Žalgirio", "sutoipari"
"Sütőipari", "lodz" "Łódź", and "sibfarm" "СибФарм". Folding transliterates to ASCII with
anyascii (a maintained table for every script, ISC licence) and then case-folds; a query and
the text it is matched against are folded the same way, so either may be typed in either
script. Records fold their text once when they are loaded (:func:`search_key`); a keystroke
then folds only the query (:func:`query_words`) and looks for each word in the keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import IntEnum
from functools import lru_cache
from typing import TypeVar

from anyascii import anyascii

_T = TypeVar("_T")


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """``text`` in lower-case ASCII: accents dropped, other scripts transliterated.

    Cached: the same client names and stage words come back for thousands of records.
    """
    if text.isascii():
        return text.casefold()
    return anyascii(text).casefold()


def fold_with_offsets(text: str) -> tuple[str, tuple[int, ...]]:
    """The folding of ``text`` and, for each of its characters, the index it came from.

    A screen highlights what matched in the text as written, though the match ran on the
    folded text ("Щ" folds to four letters, "ő" to one).
    """
    parts: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        parts.append(folded)
        origins.extend([index] * len(folded))
    return "".join(parts), tuple(origins)


def search_key(*fields: str | None) -> str:
    """The folded text a record is found by (computed once, where the records are read).

    Field by field: names, titles and owners repeat across thousands of records, so the
    cache holds each once instead of every record's whole text.
    """
    return "\n".join(fold(field) for field in fields if field)


def query_words(query: str) -> tuple[str, ...]:
    """The folded words of what the user typed; an empty tuple matches everything."""
    return tuple(fold(query).split())


def key_matches(words: Sequence[str], key: str) -> bool:
    """Whether every word occurs in ``key`` (a :func:`search_key`), in any order."""
    # A plain loop: this runs for every card of the board on every keystroke.
    for word in words:  # noqa: SIM110 (all() over a generator is 3x slower here)
        if word not in key:
            return False
    return True


def matches(query: str, *fields: str | None) -> bool:
    """Whether ``query`` finds a record with these fields (for one-off checks and the CLI)."""
    return key_matches(query_words(query), search_key(*fields))


def filter_by(query: str, items: Iterable[_T], key: Callable[[_T], str]) -> list[_T]:
    """The items whose folded ``key`` holds every word of ``query``, in their order."""
    words = query_words(query)
    if not words:
        return list(items)
    return [item for item in items if key_matches(words, key(item))]


class Rank(IntEnum):
    """How well a palette entry answers a query, best first: an exact id beats a prefix."""

    EXACT = 3
    PREFIX = 2
    WORDS = 1
    NONE = 0


def rank(query: str, ident: str, text: str) -> Rank:
    """An exact id (``d-0042``), then an id or a text beginning with the query, then a text
    holding every word of it. Fuzzy in-order matches are the screen's matcher's business."""
    wanted = " ".join(query_words(query))
    if not wanted:
        return Rank.NONE
    folded_id = fold(ident)
    if wanted == folded_id:
        return Rank.EXACT
    folded = fold(text)
    if folded_id.startswith(wanted) or folded.startswith(wanted):
        return Rank.PREFIX
    if key_matches(wanted.split(), folded):
        return Rank.WORDS
    return Rank.NONE
