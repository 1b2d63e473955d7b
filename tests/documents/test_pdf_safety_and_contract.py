"""Hostile user text prints exactly as typed; the contract is PDF/A-3b with its signatures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest

from accmgr.documents.fetcher import FetchPolicy
from accmgr.documents.render import RenderResult, render_html, render_pdf
from accmgr.documents.sample import sample_snapshot
from accmgr.documents.texts import TEXTS
from tests.documents.conftest import DEFAULTS, flat, pdf_text

HOSTILE = [
    '<img src="file:///etc/passwd">',
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "</td></tr></table><script>alert(1)</script>",
    '<link rel="stylesheet" href="http://example.com/x.css">',
    "url(data:image/png;base64,AAAA) & <b>bold</b>",
]


def _hostile_snapshot() -> dict[str, Any]:
    snapshot = sample_snapshot("offer", "en", lines=len(HOSTILE))
    snapshot["client"]["name"] = HOSTILE[0]
    snapshot["client"]["legal_name"] = HOSTILE[0]
    snapshot["deal"]["title"] = HOSTILE[1]
    for line, text in zip(snapshot["lines"], HOSTILE, strict=True):
        line["description"] = text
    snapshot["special_terms"] = HOSTILE[3]
    snapshot["payment_terms"] = HOSTILE[4]
    return snapshot


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[RenderResult, FetchPolicy]:
    seen: list[FetchPolicy] = []
    out = tmp_path_factory.mktemp("hostile") / "hostile.pdf"
    result = render_pdf(_hostile_snapshot(), out, template_dirs=DEFAULTS, policy_sink=seen)
    return result, seen[0]


def test_hostile_text_prints_exactly_as_typed(hostile: tuple[RenderResult, FetchPolicy]) -> None:
    result, policy = hostile
    text = pdf_text(result.path)
    for typed in HOSTILE:
        assert flat(typed) in text, typed
    assert "Linha 49" not in text and " 49 " not in text
    assert policy.refused == []  # user text never even reached the fetcher as a URL


def test_hostile_text_is_escaped_in_the_html() -> None:
    html = render_html(_hostile_snapshot(), template_dirs=DEFAULTS)
    assert "<script>" not in html
    assert '<img src="file:///etc/passwd">' not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "{{ 7*7 }}" in html


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], RenderResult]:
    snapshot = sample_snapshot("contract", "pl", currency="PLN", lines=4)
    out = tmp_path_factory.mktemp("contract") / "contract.pdf"
    return snapshot, render_pdf(snapshot, out, template_dirs=DEFAULTS)


def test_a_contract_is_pdf_a_3b(contract: tuple[dict[str, Any], RenderResult]) -> None:
    _, result = contract
    reader = pypdf.PdfReader(result.path)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in xmp
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    assert "pdfaid:conformance" in xmp and "B" in xmp.split("pdfaid:conformance", 1)[1][:6]
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_a_contract_shows_parties_terms_and_signatures(
    contract: tuple[dict[str, Any], RenderResult],
) -> None:
    snapshot, result = contract
    text = pdf_text(result.path).casefold()
    texts = TEXTS["pl"]
    for key in ("contract_title", "for_supplier", "for_client", "signature_date", "contract_intro"):
        assert flat(texts[key]).casefold() in text, key
    assert flat(texts["based_on_offer"].format(number="OFR-2026-0007")).casefold() in text
    for value in (
        snapshot["subject"],
        snapshot["delivery_terms"],
        *snapshot["signatories"].values(),
    ):
        assert flat(value).casefold() in text


def test_an_offer_is_not_pdf_a_unless_asked(tmp_path: Path) -> None:
    result = render_pdf(sample_snapshot(lines=1), tmp_path / "o.pdf", template_dirs=DEFAULTS)
    assert "/Metadata" not in pypdf.PdfReader(result.path).trailer["/Root"]
