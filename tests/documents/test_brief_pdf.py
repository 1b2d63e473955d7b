"""The meeting brief as PDF: warnings first, figures and dates in the client's locale, hostile
text printed exactly as typed; and ``accmgr brief … --pdf FILE`` from the command line."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from accmgr.documents.brief_pdf import brief_view, render_briefs_pdf
from accmgr.documents.texts import TEXTS
from accmgr.domain.client import FlagCategory
from accmgr.services import brief, clients, deals, reliability
from accmgr.services import stage_data as sd
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.cli.test_cli import run
from tests.conftest import frozen_now

HOSTILE = '<img src="file:///etc/passwd">'
TEMPLATE_TEXT = "{{ 7*7 }}"


def text_of(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    """Babel's no-break and narrow no-break spaces as plain spaces, as a reader sees them."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _client(ws: Workspace, name: str, language: str, currency: str, agenda: str) -> str:
    client = clients.add_client(ws, name, country="PL", language=language, currency=currency)
    deal = deals.add_deal(ws, client.id, "Pallet racking", value=Decimal("1234567.50"))
    sd.book_meeting(
        ws, deal.id, planned_at=ws.now() + timedelta(hours=4), place="Poznań", agenda=agenda
    )
    reliability.add_flag(ws, client.id, FlagCategory.LATE_PAYMENTS, "paid 60 days late twice")
    return deal.id


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    store = open_store(tmp_path / "db")
    workspace = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    _client(workspace, "Materiały Budowlane Sp. z o.o.", "pl", "PLN", "Prices for 2027")
    _client(workspace, HOSTILE, "en", "EUR", TEMPLATE_TEXT)
    try:
        yield workspace
    finally:
        store.close()


def render(ws: Workspace, out: Path) -> str:
    found = brief.briefs_between(ws, ws.today(), ws.today())
    company = {
        "name": "Baltic Pack UAB",
        "address": "Kaunas",
        "tax_id": "LT1",
        "bank": "",
        "logo": "",
    }
    render_briefs_pdf([b.to_dict() for b in found], company, out, today=ws.today(), zone=ws.tz)
    return squash(text_of(out))


def test_two_languages_warning_first_and_local_figures(ws: Workspace, tmp_path: Path) -> None:
    text = render(ws, tmp_path / "briefs.pdf")
    pl, en = TEXTS["pl"], TEXTS["en"]
    polish, _, english = text.partition(en["brief_title"])
    assert pl["brief_title"] in polish and english
    # Warnings come before every other section, in the client's language.
    flag_pl = pl["brief_w_flag"].format(category="late-payments", note="paid 60 days late twice")
    assert polish.index(pl["brief_warnings"].upper()) < polish.index(flag_pl)
    assert polish.index(flag_pl) < polish.index(pl["brief_client"].upper())
    assert polish.index(flag_pl) < polish.index(pl["brief_deal"].upper())
    flag_en = en["brief_w_flag"].format(category="late-payments", note="paid 60 days late twice")
    assert english.index(flag_en) < english.index(en["brief_client"].upper())
    # Figures and dates in each locale's format.
    assert "1 234 567,50 zł" in polish and "23 listopada 2026" in polish
    assert "€1,234,567.50" in english and "23 November 2026" in english
    assert pl["stage_prospecting"] in polish
    # Never reviewed: said in the client's language too.
    assert pl["brief_w_never"] in polish and en["brief_w_never"] in english


def test_hostile_text_prints_exactly(ws: Workspace, tmp_path: Path) -> None:
    text = render(ws, tmp_path / "briefs.pdf")
    assert HOSTILE in text
    assert TEMPLATE_TEXT in text and "49" not in text.replace("2026", "")


def test_every_warning_sentence_is_translated(ws: Workspace) -> None:
    """The brief reads the services' English warning sentences back to translate them: a
    sentence worded differently since would print untranslated; this catches it."""
    reliability.add_payment(
        ws, "C-0001", invoice="FV/1", amount=Decimal(100), due=ws.today() - timedelta(days=20)
    )
    for item in brief.briefs_between(ws, ws.today(), ws.today()):
        view = brief_view(item.to_dict(), ws.tz, ws.today())
        assert len(view["warnings"]) == len(item.warnings) >= 2
        if view["language"] != "en":
            assert not set(view["warnings"]) & set(item.warnings), view["warnings"]


def test_cli_brief_pdf_prints_path_and_sha256(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(data_dir)
    try:
        workspace = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
        deal_id = _client(workspace, "Açores Pescas Lda", "pt", "EUR", "Preços")
    finally:
        store.close()
    out = tmp_path / "brief.pdf"
    code, stdout, err = run(capsys, "brief", deal_id, "--pdf", str(out))
    assert code == 0, err
    path, sha, pages = stdout.strip().split("\t")
    assert Path(path) == out.resolve() and pages == "1 page"
    assert sha == hashlib.sha256(out.read_bytes()).hexdigest()
    text = squash(text_of(out))
    assert TEXTS["pt"]["brief_title"] in text and "1 234 567,50 €" in text
    code, stdout, err = run(capsys, "brief", "2020-01-01", "--pdf", str(tmp_path / "none.pdf"))
    assert code != 0 and "no meetings" in err and not (tmp_path / "none.pdf").exists()
    assert date(2026, 11, 23).isoformat() in run(capsys, "brief", deal_id, "--json")[1]


def test_every_domain_word_the_brief_prints_has_a_translation() -> None:
    from accmgr.documents.brief_words import WORDS
    from accmgr.documents.texts import LANGUAGES
    from accmgr.domain.activity import ActivityKind
    from accmgr.domain.client import DecisionRole, Rating, Severity, Tier
    from accmgr.domain.common import Priority
    from accmgr.domain.deal import ObjectionCategory, ObjectionStatus

    groups = {
        "kind": ActivityKind, "role": DecisionRole, "level": (*Priority, *Severity),
        "category": ObjectionCategory, "status": ObjectionStatus, "tier": Tier, "rating": Rating,
    }  # fmt: skip
    needed = {f"{group}.{value.value}" for group, values in groups.items() for value in values}
    for language in LANGUAGES:
        assert set(WORDS[language]) == needed, language
        assert all(WORDS[language].values()), language
    assert WORDS["en"]["rating.B"] == Rating.B.meaning
