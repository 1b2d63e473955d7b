"""Turning names into the ASCII of e-mail addresses and web domains.

Diacritics are dropped (``Šimkus`` → ``simkus``, ``Gonçalves`` → ``goncalves``); letters
that Unicode does not decompose (``ł``, ``ß``…) and Cyrillic are transliterated. Russian
follows the practical scheme people use in their own addresses (``Соловьёв`` → ``solovev``,
``Юлия`` → ``yuliya``).
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "æ": "ae"})

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: what an address or a domain is made of."""
    lowered = text.lower().translate(_SPECIAL)
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in lowered)
    decomposed = unicodedata.normalize("NFKD", latin)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub("", plain)


def slug(text: str, sep: str = "") -> str:
    """Words folded to ASCII, joined by ``sep``: "Nemuno logistika" → ``nemuno-logistika``."""
    words = [ascii_fold(word) for word in re.split(r"[\s\-–&«»„“”\"'.,/]+", text)]
    return sep.join(word for word in words if word)
