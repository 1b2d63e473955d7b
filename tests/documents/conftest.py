"""Helpers of the PDF tests: renders are slow, so each module renders once and shares it."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from accmgr.documents.render import DEFAULT_TEMPLATES

# Always the shipped templates, whatever the developer's own config directory holds.
DEFAULTS = (DEFAULT_TEMPLATES,)

LOCALES = {
    "en": "en_GB",
    "pt": "pt_PT",
    "lt": "lt_LT",
    "ru": "ru_RU",
    "pl": "pl_PL",
    "hu": "hu_HU",
}


def flat(text: str) -> str:
    """Whitespace of any kind (no-break, narrow no-break, line breaks) as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return flat(" ".join(page.extract_text() for page in reader.pages))


def page_texts(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(path).pages]
