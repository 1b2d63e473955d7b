"""The Documents section and the document screen driven by keys: filters, accept, reject,
revise, contract, diff, and one real render through the process pool — asserting on the store
and on the screen."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from accmgr.app import AccmgrApp
from accmgr.domain.client import Rating
from accmgr.domain.display import stored_money
from accmgr.domain.document import DocumentKind, DocumentStatus
from accmgr.screens.document import DocumentScreen
from accmgr.screens.document_modals import ContractForm, DiffScreen
from accmgr.screens.documents import DocumentsScreen, editor_factory
from accmgr.screens.reliability_stop import StopReason
from accmgr.screens.settings import ConfirmScreen
from accmgr.services import catalog, clients, deals, documents, issuing, reliability
from accmgr.services.workspace import Workspace
from accmgr.store import open_store
from tests.conftest import frozen_now
from tests.tui.shell_fixtures import config_dir
from tests.tui.shell_fixtures import wait_for as _wait_for

__all__ = ["config_dir"]

SIZE = (120, 40)


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Generous: under ``pytest -n`` a loaded machine draws slowly."""
    await _wait_for(condition, timeout)


def _offer(ws: Workspace, deal_id: str, lines: list[tuple[str, str]]) -> str:
    draft = documents.new_offer(ws, deal_id)
    for code, qty in lines:
        documents.add_line(ws, draft.id, code, Decimal(qty))
    return draft.id


@pytest.fixture
def papers(tmp_path: Path, config_dir: Path) -> Iterator[Workspace]:
    """OFR-2026-0001 expired (issued 40 days ago), OFR-2026-0002 sent, OFR-2026-0003 accepted,
    and a draft offer DOC-0004 without a number."""
    store = open_store(tmp_path / "db")
    ws = Workspace(store=store, clock=frozen_now, owner="Ana Ferreira")
    clients.add_client(ws, "Kauno Baldai UAB", country="LT", currency="EUR", language="en")
    clients.add_client(ws, "Lisboa Têxteis Lda", country="PT", currency="EUR", language="en")
    deals.add_deal(ws, "C-0001", "Office chairs")
    deals.add_deal(ws, "C-0002", "Linen for hotels")
    catalog.add_product(
        ws,
        "CHAIR-1",
        "Office chair",
        unit_price=Decimal("180"),
        currency="EUR",
        tax_rate=Decimal(21),
    )
    catalog.add_product(
        ws,
        "LINEN-2",
        "Bed linen set",
        unit_price=Decimal("35.50"),
        currency="EUR",
        tax_rate=Decimal(9),
    )
    past = replace(ws, clock=lambda: frozen_now() - timedelta(days=40))
    issuing.issue(past, _offer(past, "D-0001", [("CHAIR-1", "3")]))
    issuing.issue(ws, _offer(ws, "D-0002", [("LINEN-2", "10"), ("CHAIR-1", "1")]))
    issuing.accept(ws, issuing.issue(ws, _offer(ws, "D-0001", [("CHAIR-1", "12")])).id)
    _offer(ws, "D-0002", [("LINEN-2", "4")])
    try:
        yield ws
    finally:
        store.close()


async def open_documents(app: AccmgrApp, pilot: Pilot[Any]) -> DocumentsScreen:
    await pilot.press("f6")
    await wait_for(lambda: isinstance(app.screen, DocumentsScreen) and app.screen.ready)
    screen = app.screen
    assert isinstance(screen, DocumentsScreen)
    return screen


def shown(screen: DocumentsScreen) -> list[str]:
    return [f"{row.ref} {row.status.value}" for row in screen.shown]


async def open_document(app: AccmgrApp, pilot: Pilot[Any], ref: str) -> DocumentScreen:
    screen = await open_documents(app, pilot)
    table = screen.query_one("#documents", DataTable)
    index = next(i for i, row in enumerate(screen.shown) if row.ref == ref)
    table.move_cursor(row=index)
    await pilot.press("enter")
    return await document_screen(app, ref)


async def document_screen(app: AccmgrApp, ref: str) -> DocumentScreen:
    def ready() -> bool:
        s = app.screen
        return (
            isinstance(s, DocumentScreen) and s.detail is not None and s.detail.document.ref == ref
        )

    await wait_for(ready)
    screen = app.screen
    assert isinstance(screen, DocumentScreen)
    return screen


def text(screen: Screen[Any], selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def test_list_filters_by_text_kind_and_status(papers: Workspace) -> None:
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_documents(app, pilot)
        assert shown(screen) == [
            "OFR-2026-0003@1 accepted",
            "OFR-2026-0002@1 sent",
            "OFR-2026-0001@1 expired",  # computed from its validity, never written
            "DOC-0004 draft",
        ]
        await pilot.press("slash", *"lisboa")
        await pilot.pause()
        assert shown(screen) == ["OFR-2026-0002@1 sent", "DOC-0004 draft"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown(screen)) == 4
        # s cycles the status: draft, sent, accepted, rejected, expired…
        await pilot.press("s", "s")
        await pilot.pause()
        assert shown(screen) == ["OFR-2026-0002@1 sent"]
        await pilot.press("s", "s", "s")
        await pilot.pause()
        assert shown(screen) == ["OFR-2026-0001@1 expired"]
        await pilot.press("escape", "k", "k")
        await pilot.pause()
        assert shown(screen) == []  # no contracts yet
        assert "0 of 4 documents match" in text(screen, "#status")


async def test_document_screen_shows_view_figures(papers: Workspace) -> None:
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(app, pilot, "OFR-2026-0002@1")
        data = documents.view(papers, documents.get_document(papers, "OFR-2026-0002@1"))
        table = screen.query_one("#doc-lines", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        # Money written as the PDF and every other screen write it (it was a bare "355.00").
        assert rows[0] == [
            "1", "LINEN-2", "Bed linen set", "10", "pc", "€35.50", "0", "9", "€355.00"
        ]  # fmt: skip
        assert len(rows) == len(data["lines"])
        totals = text(screen, "#doc-totals")
        for tax in data["totals"]["taxes"]:
            base, tax_amount = (stored_money(tax[k], "EUR") for k in ("base", "tax"))
            assert f"Tax {tax['rate']} % on {base}: {tax_amount}" in totals
        assert f"Total {stored_money(data['totals']['total'], 'EUR')}" in totals
        assert "Total €" in totals
        header = text(screen, "#doc-header")
        assert "Offer OFR-2026-0002 version 1 · sent" in header
        assert "Lisboa Têxteis Lda" in header and "Linen for hotels" in header
        assert "Not rendered yet" in text(screen, "#doc-pdf")


async def test_accept_then_contract(papers: Workspace) -> None:
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(app, pilot, "OFR-2026-0002@1")
        await pilot.press("a")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(
            lambda: screen.detail is not None and screen.detail.status.value == "accepted"
        )
        assert documents.get_document(papers, "OFR-2026-0002").status is DocumentStatus.ACCEPTED
        await pilot.press("c")
        await wait_for(lambda: isinstance(app.screen, ContractForm))
        form = app.screen
        assert isinstance(form, ContractForm)
        form.query_one("#delivery_terms", Input).value = "within 4 weeks"
        await pilot.pause()
        await pilot.press("ctrl+s")
        contract_screen = await document_screen(app, "CTR-2026-0001@1")
        assert "from offer OFR-2026-0002" in text(contract_screen, "#doc-header")
    contract = documents.get_document(papers, "CTR-2026-0001")
    offer = documents.get_document(papers, "OFR-2026-0002")
    assert contract.kind is DocumentKind.CONTRACT and contract.offer_id == offer.id
    assert contract.delivery_terms == "within 4 weeks"
    assert contract.lines == offer.lines


async def test_reject(papers: Workspace) -> None:
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(app, pilot, "OFR-2026-0001@1")
        await pilot.press("x")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(
            lambda: screen.detail is not None and screen.detail.status.value == "rejected"
        )
    assert documents.get_document(papers, "OFR-2026-0001").status is DocumentStatus.REJECTED


async def test_revise_makes_a_draft_version_and_opens_it(papers: Workspace) -> None:
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(app, pilot, "OFR-2026-0002@1")
        await pilot.press("v")
        await wait_for(lambda: len(documents.versions_of(papers.store, "OFR-2026-0002")) == 2)
        draft = documents.versions_of(papers.store, "OFR-2026-0002")[-1]
        assert (draft.version, draft.status, draft.supersedes) == (
            2,
            DocumentStatus.DRAFT,
            documents.get_document(papers, "OFR-2026-0002@1").id,
        )
        editor = editor_factory()
        if editor is None:
            await document_screen(app, draft.ref)
        else:
            await wait_for(lambda: type(app.screen).__name__ == "OfferEditorScreen")


async def test_diff_against_the_previous_version(papers: Workspace) -> None:
    draft = issuing.revise(papers, "OFR-2026-0002")
    documents.remove_line(papers, draft.id, 2)
    documents.add_line(papers, draft.id, "CHAIR-1", Decimal(2), discount=Decimal(5))
    issuing.issue(papers, draft.id)
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(app, pilot, "OFR-2026-0002@2")
        await pilot.press("d")
        await wait_for(lambda: isinstance(app.screen, DiffScreen))
        shown_text = text(app.screen, "#diff-text")
    assert "From OFR-2026-0002@1 to OFR-2026-0002@2 (EUR)" in shown_text
    assert "~ CHAIR-1: quantity 1 → 2, discount 0 → 5, net €180.00 → €342.00" in shown_text
    assert "total: €604.75 → €800.77 (+€196.02)" in shown_text


async def test_render_through_the_pool_stores_path_and_hash(
    papers: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PDFs go where ``accmgr render`` puts them by default: the working directory.
    monkeypatch.chdir(tmp_path)
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(app, pilot, "OFR-2026-0003@1")
        await pilot.press("r")
        await pilot.pause()
        assert "Rendering" in text(screen, "#doc-pdf")
        await wait_for(lambda: "SHA-256" in text(screen, "#doc-pdf"), timeout=90)
        notices = [n.message for n in app._notifications]
    doc = documents.get_document(papers, "OFR-2026-0003")
    pdf = Path(doc.pdf_path)
    assert pdf == (tmp_path / "OFR-2026-0003-v1.pdf").resolve()
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == doc.pdf_sha256
    assert pdf.read_bytes().startswith(b"%PDF")
    # The company profile is empty in this workspace: the warning names what is missing.
    assert any("has no company name, address, tax id, bank" in n for n in notices)


async def test_open_without_a_viewer_says_so(
    papers: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import accmgr.screens.rendering as rendering

    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    issued = documents.get_document(papers, "OFR-2026-0003")
    documents.record_rendering(papers, issued.id, pdf, hashlib.sha256(pdf.read_bytes()).hexdigest())
    monkeypatch.setattr(rendering, "viewer_command", lambda path: None)
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(app, pilot, "OFR-2026-0003@1")
        assert f"PDF {pdf.resolve()}" in text(screen, "#doc-pdf")
        await pilot.press("o")
        await pilot.pause()
        assert any("No PDF viewer found" in n.message for n in app._notifications)


# --- snapshots (120x40, fixed data) -------------------------------------------------------------


def test_snapshot_documents_list(papers: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        await open_documents(app, pilot)
        await pilot.pause(0.2)

    assert snap_compare(AccmgrApp(papers), terminal_size=SIZE, run_before=run_before)


def test_snapshot_document_screen(papers: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        await open_document(app, pilot, "OFR-2026-0002@1")
        # The footer redraws after the bindings' state changed: let it settle.
        await pilot.pause(0.2)

    assert snap_compare(AccmgrApp(papers), terminal_size=SIZE, run_before=run_before)


async def test_a_stop_warning_asks_for_a_reason_at_accept_and_contract(papers: Workspace) -> None:
    reliability.record_review(papers, "C-0002", Rating.D)
    app = AccmgrApp(papers)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(app, pilot, "OFR-2026-0002@1")
        await pilot.press("a")
        await wait_for(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(lambda: isinstance(app.screen, StopReason))
        ask = app.screen
        assert isinstance(ask, StopReason)
        named = text(ask, "#stop-warnings")
        assert "⊘ STOP: rated D — unreliable: do not extend credit" in named
        await pilot.press("enter")  # no reason: refused in the dialog
        await pilot.pause()
        assert "reason: expected" in text(ask, "#stop-problem")
        assert documents.get_document(papers, "OFR-2026-0002").status is DocumentStatus.SENT
        ask.query_one("#stop-reason", Input).value = "Prepaid by bank transfer"
        await pilot.press("enter")
        await wait_for(
            lambda: screen.detail is not None and screen.detail.status.value == "accepted"
        )
        assert "accept despite rated D" in text(screen, "#doc-header")
        assert "Prepaid by bank transfer" in text(screen, "#doc-header")
        await pilot.press("c")
        await wait_for(lambda: isinstance(app.screen, ContractForm))
        form = app.screen
        assert isinstance(form, ContractForm)
        assert "rated D" in text(form, "#contract-stops")
        form.query_one("#despite", Input).value = "Guarantee from the parent company"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await document_screen(app, "CTR-2026-0001@1")
    offer = documents.get_document(papers, "OFR-2026-0002")
    assert [(o.step, o.reason) for o in offer.overrides] == [("accept", "Prepaid by bank transfer")]
    contract = documents.get_document(papers, "CTR-2026-0001")
    assert [(o.step, o.reason) for o in contract.overrides] == [
        ("contract", "Guarantee from the parent company")
    ]
