"""Textual's fuzzy matching over folded text: "alfold sut" finds "Alföldi Sütőipari".

The pickers and the palette rank by Textual's in-order fuzzy score, as the palette always did,
but run it on the folding of both sides (accmgr/domain/search.py), and highlight what matched
in the text as written. The candidate is plain text: a name never becomes markup.
"""

from __future__ import annotations

from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.style import Style

from accmgr.domain.search import fold, fold_with_offsets

MATCH_STYLE = Style(reverse=True)


class FoldedMatcher:
    """Scores and highlights candidates against one query, ignoring case, accents and script."""

    def __init__(self, query: str) -> None:
        self.query = fold(query.strip())
        self._search = FuzzySearch()

    def match(self, candidate: str) -> float:
        """From 0 (no match) to about 1; ``candidate`` may already be folded."""
        if not self.query:
            return 0.0
        return self._search.match(self.query, fold(candidate))[0]

    def highlight(self, candidate: str) -> Content:
        content = Content(candidate)
        if not self.query:
            return content
        folded, origins = fold_with_offsets(candidate)
        score, offsets = self._search.match(self.query, folded)
        if not score:
            return content
        for index in sorted({origins[offset] for offset in offsets}):
            if not candidate[index].isspace():
                content = content.stylize(MATCH_STYLE, index, index + 1)
        return content
