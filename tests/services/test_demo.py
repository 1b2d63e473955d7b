"""The demo data: what a user trying accmgr, or a benchmark, relies on."""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from accmgr.domain import reliability as rules
from accmgr.domain.activity import Activity
from accmgr.domain.base import StoredRecord
from accmgr.domain.catalog import Product
from accmgr.domain.client import Client, Complaint, Contact
from accmgr.domain.common import as_date
from accmgr.domain.deal import Deal
from accmgr.domain.document import Document
from accmgr.domain.stages import Stage
from accmgr.errors import ValidationError
from accmgr.services.demo import SCALES, DemoSummary, fill_demo
from accmgr.services.workspace import Workspace

NOW = datetime(2026, 3, 18, 9, 30, tzinfo=timezone(timedelta(hours=1)))
RECORDS: dict[str, type[StoredRecord]] = {
    "clients": Client,
    "contacts": Contact,
    "deals": Deal,
    "activities": Activity,
    "products": Product,
    "documents": Document,
    "complaints": Complaint,
}
PREFIXES = {"clients": "C", "contacts": "P", "deals": "D", "activities": "A",
            "products": "PR", "documents": "DOC", "complaints": "K", "rates": "FX"}  # fmt: skip


class FakeTransaction:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def new_id(self, table: str) -> str:
        self.store.counters[table] += 1
        return f"{PREFIXES[table]}-{self.store.counters[table]:04d}"

    def next_number(self, counter: str) -> int:
        self.store.counters[counter] += 1
        return self.store.counters[counter]

    def insert(self, table: str, doc: Mapping[str, Any]) -> Mapping[str, Any]:
        rows = self.store.tables.setdefault(table, {})
        assert doc["id"] not in rows, f"{doc['id']} inserted twice"
        stored = {**doc, "rev": 1}
        rows[doc["id"]] = stored
        return stored

    def update(
        self, table: str, doc_id: str, doc: Mapping[str, Any], *, expected_rev: int | None
    ) -> Mapping[str, Any]:
        raise AssertionError("the demo only inserts")

    def delete(
        self, table: str, doc_id: str, *, expected_rev: int | None = None
    ) -> Mapping[str, Any]:
        raise AssertionError("the demo only inserts")

    def get(self, table: str, doc_id: str) -> Mapping[str, Any] | None:
        return self.store.get(table, doc_id)

    def find(self, table: str, **equals: Any) -> list[Mapping[str, Any]]:
        return self.store.find(table, **equals)


class FakeStore:
    """In memory, ids like C-0001 per table: enough of ports.StorePort for the demo."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict[str, Any]]] = {}
        self.counters: Counter[str] = Counter()
        self.transactions = 0
        from accmgr.store.changes import Author

        self.author = Author()  # the change log's author, as the real store has

    def get(self, table: str, doc_id: str) -> Mapping[str, Any] | None:
        return self.tables.get(table, {}).get(doc_id)

    def all(self, table: str) -> list[Mapping[str, Any]]:
        return list(self.tables.get(table, {}).values())

    def find(self, table: str, **equals: Any) -> list[Mapping[str, Any]]:
        return [d for d in self.all(table) if all(d.get(k) == v for k, v in equals.items())]

    def count(self, table: str) -> int:
        return len(self.tables.get(table, {}))

    def refresh(self) -> bool:
        return False

    @property
    def version(self) -> int:
        return self.transactions

    @contextmanager
    def transaction(self) -> Iterator[FakeTransaction]:
        self.transactions += 1
        yield FakeTransaction(self)


@pytest.fixture(scope="module")
def small() -> tuple[FakeStore, DemoSummary]:
    store = FakeStore()
    return store, fill_demo(store, scale="small", seed=7, now=NOW)


@pytest.fixture(scope="module")
def loaded(small: tuple[FakeStore, DemoSummary]) -> dict[str, list[Any]]:
    store, _ = small
    return {table: [RECORDS[table].from_dict(d) for d in store.all(table)] for table in RECORDS}


def test_small_scale_has_the_promised_counts(small: tuple[FakeStore, DemoSummary]) -> None:
    store, summary = small
    scale = SCALES["small"]
    assert (summary.clients, summary.deals, summary.activities, summary.products) == (
        scale.clients, scale.deals, scale.activities, scale.products,
    )  # fmt: skip
    assert summary.counts() == {table: store.count(table) for table in RECORDS}
    assert summary.contacts >= summary.clients
    assert summary.documents > 0 and summary.complaints > 0
    assert store.transactions <= 10


def test_every_document_reloads_through_its_record(
    small: tuple[FakeStore, DemoSummary], loaded: dict[str, list[Any]]
) -> None:
    store, _ = small
    for table, records in loaded.items():
        assert records, table
        assert all(r.rev == 1 for r in records)
        assert [r.to_dict() for r in records] == [{**d} for d in store.all(table)]


def test_every_stage_has_deals_and_some_are_won_lost_stalled(
    loaded: dict[str, list[Any]],
) -> None:
    deals: list[Deal] = loaded["deals"]
    assert {d.stage for d in deals if d.is_open} == set(Stage)
    outcomes = Counter(d.outcome for d in deals)
    assert outcomes["won"] > 0 and outcomes["lost"] > 0 and outcomes[None] > 0
    assert all(d.lost_reason and d.lost_note for d in deals if d.outcome == "lost")
    stalled = [d for d in deals if d.stall_reasons(NOW)]
    assert 0 < len(stalled) < len(deals)
    assert any("no next step" in " ".join(d.stall_reasons(NOW)) for d in deals)
    assert any(d.probability_override is not None for d in deals)
    # Finished business leaves the board instead of crowding the stalled list.
    at_referrals = [d for d in deals if d.stage is Stage.REFERRALS]
    assert any(d.completed_on for d in at_referrals)
    assert len([d for d in at_referrals if d.stall_reasons(NOW)]) < len(at_referrals) / 2


def test_stage_histories_are_ordered_and_skips_have_reasons(
    loaded: dict[str, list[Any]],
) -> None:
    deals: list[Deal] = loaded["deals"]
    for deal in deals:
        history = deal.stage_history
        assert deal.created_at == history[0].entered_at
        assert [e.stage for e in history] == sorted(e.stage for e in history)
        for before, after in itertools.pairwise(history):
            assert before.entered_at < after.entered_at
            assert before.left_at == after.entered_at
        assert history[-1].entered_at <= NOW
        assert (history[-1].left_at is not None) == (
            deal.outcome == "lost" or deal.completed_on is not None
        )
        for entry in history:
            assert bool(entry.skipped) == bool(entry.reason)
    assert any(d.stage_history[0].stage is Stage.MEETING for d in deals)


def test_stage_data_matches_the_stage(loaded: dict[str, list[Any]]) -> None:
    deals: list[Deal] = loaded["deals"]
    codes = {p.code for p in loaded["products"]}
    for deal in deals:
        stages = [e.stage for e in deal.stage_history]
        passed = stages[:-1]
        if Stage.CALL in passed:
            assert deal.calls[-1].outcome == "appointment-set", deal.id
        if Stage.MEETING in passed:
            assert any(m.held and m.outcome_notes for m in deal.meetings), deal.id
        if Stage.NEEDS in passed:
            assert any(n.products for n in deal.needs), deal.id
        assert {c for n in deal.needs for c in n.products} <= codes
        if deal.outcome == "won":
            assert deal.stage >= Stage.FULFILMENT and deal.milestones
        if deal.stage is Stage.REFERRALS:
            assert all(m.status == "delivered" for m in deal.milestones)
    in_objections = [d for d in deals if d.stage is Stage.OBJECTIONS]
    assert any(o.blocking and o.status == "open" for d in in_objections for o in d.objections)
    milestones = [m for d in deals for m in d.milestones]
    assert any(m.on_time is False for m in milestones) and any(m.on_time for m in milestones)
    referrals = [r for d in deals for r in d.referrals]
    assert {r.status for r in referrals} >= {"asked", "received"}


def test_referrals_received_point_at_clients_created_afterwards(
    loaded: dict[str, list[Any]],
) -> None:
    clients = {c.id: c for c in loaded["clients"]}
    received = [(d, r) for d in loaded["deals"] for r in d.referrals if r.client_id]
    assert received
    for deal, referral in received:
        prospect = clients[referral.client_id]
        assert prospect.referred_by == deal.client_id
        assert referral.asked_on <= prospect.created_at.date()


def test_names_are_written_as_in_their_country(loaded: dict[str, list[Any]]) -> None:
    clients: list[Client] = loaded["clients"]
    contacts: list[Contact] = loaded["contacts"]
    country = {c.id: c.country for c in clients}
    by_country: dict[str, list[str]] = {}
    for person in contacts:
        by_country.setdefault(country[person.client_id] or "", []).append(person.name)
    assert set(country.values()) >= {"PT", "LT", "RU", "PL", "HU", "GB"}
    assert any(set(n) & set("ąčęėįšųūžĄČĘĖĮŠŲŪŽ") for n in by_country["LT"])
    assert any(set(n) & set("ąćęłńóśźżŁŚŻ") for n in by_country["PL"])
    assert all(_cyrillic(n) for n in by_country["RU"])
    assert any(_cyrillic(c.name) and c.legal_name.startswith(("ООО «", "АО «"))
               for c in clients if c.country == "RU")  # fmt: skip
    assert any(c.legal_name.startswith(("UAB „", "AB „", "MB „")) for c in clients)
    for c in clients:
        assert c.email and c.email.isascii() and c.website.isascii()
        assert c.phone.startswith(
            {"PT": "+351", "LT": "+370", "RU": "+7", "PL": "+48", "HU": "+36", "GB": "+44",
             "IE": "+353", "US": "+1"}[c.country or ""]
        )  # fmt: skip
    assert all(p.email is None or p.email.isascii() for p in contacts)
    for c in clients:
        assert re.fullmatch(TAX_IDS[c.country or ""], c.tax_id), (c.country, c.tax_id)


TAX_IDS = {
    "PT": r"5\d{8}", "LT": r"30\d{7}", "RU": r"\d{10}", "PL": r"\d{3}-\d{3}-\d{2}-\d{2}",
    "HU": r"\d{8}-[1-5]-\d{2}", "GB": r"GB \d{3} \d{4} \d{2}", "IE": r"IE\d{7}[A-W]",
    "US": r"\d{2}-\d{7}",
}  # fmt: skip


def _cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def test_clients_language_currency_and_deals_agree(loaded: dict[str, list[Any]]) -> None:
    clients = {c.id: c for c in loaded["clients"]}
    expected = {"PT": ("pt", "EUR"), "LT": ("lt", "EUR"), "RU": ("ru", "RUB"),
                "PL": ("pl", "PLN"), "HU": ("hu", "HUF"), "GB": ("en", "GBP"),
                "IE": ("en", "EUR"), "US": ("en", "USD")}  # fmt: skip
    for client in clients.values():
        assert (client.language, client.currency) == expected[client.country or ""]
    for deal in loaded["deals"]:
        client = clients[deal.client_id]
        assert deal.currency == client.currency
        assert deal.created_at > client.created_at
    for offer in loaded["documents"]:
        assert offer.currency == clients[offer.client_id].currency
        assert offer.language == clients[offer.client_id].language
    tiers = Counter(c.tier for c in clients.values())
    assert 0.05 < tiers["key"] / len(clients) < 0.4


def test_reliability_has_flags_overdue_invoices_and_stale_reviews(
    loaded: dict[str, list[Any]],
) -> None:
    profiles = [c.reliability for c in loaded["clients"]]
    today = NOW.date()
    assert len({p.rating for p in profiles}) >= 3
    flags = [f for p in profiles for f in p.red_flags]
    assert any(f.open for f in flags)
    assert any(p.figures(today).open_overdue for p in profiles)
    reviewed = [p.reviewed_on for p in profiles if p.reviewed_on]
    assert any(today - d > timedelta(days=90) for d in reviewed)
    assert any(today - d <= timedelta(days=90) for d in reviewed)
    # The board marks clients with warnings: a realistic book marks a minority, not most.
    found = [rules.warnings(rules.Facts(profile=p, today=today)) for p in profiles]
    warned = [w for w in found if w]
    # A C or D rating is a warning too, so a few more are marked; still a minority.
    assert 0 < len(warned) <= 0.4 * len(profiles)
    # The demo shows every severity: a D-rated client (stop), a C one (caution), a stale
    # review (info).
    assert {w.level for ws in found for w in ws} == set(rules.Level)
    assert sum(today - d > timedelta(days=90) for d in reviewed) < 0.25 * len(reviewed)


def test_activities_past_future_overdue_and_recurring(loaded: dict[str, list[Any]]) -> None:
    acts: list[Activity] = loaded["activities"]
    deals = {d.id: d for d in loaded["deals"]}
    contacts = {p.id: p for p in loaded["contacts"]}
    assert {a.kind for a in acts} == {"call", "meeting", "email", "visit", "presentation",
                                      "task", "note"}  # fmt: skip
    assert any(a.done for a in acts) and any(a.overdue(NOW) for a in acts)
    assert any(not a.done and (a.due_day() or NOW.date()) > NOW.date() for a in acts)
    assert any(a.recurrence for a in acts)
    for a in acts:
        assert a.created_at <= NOW
        assert a.done_at is None or a.done_at <= (NOW if isinstance(a.done_at, datetime)
                                                  else NOW.date())  # fmt: skip
        if not a.done and a.due is not None:
            assert a.created_at.date() <= as_date(a.due)
        if a.deal_id:
            assert deals[a.deal_id].client_id == a.client_id
        assert all(contacts[c].client_id == a.client_id for c in a.contact_ids)


def test_same_seed_same_data_other_seed_other_data() -> None:
    def dump(seed: int) -> dict[str, list[Mapping[str, Any]]]:
        store = FakeStore()
        fill_demo(store, scale="small", seed=seed, now=NOW)
        return {table: store.all(table) for table in RECORDS}

    assert dump(3) == dump(3)
    assert dump(3)["clients"] != dump(4)["clients"]


def test_unknown_scale_naive_now_and_full_store_are_refused(
    small: tuple[FakeStore, DemoSummary],
) -> None:
    with pytest.raises(ValidationError, match="scale"):
        fill_demo(FakeStore(), scale="huge", now=NOW)
    with pytest.raises(ValidationError, match="now"):
        fill_demo(FakeStore(), now=datetime(2026, 3, 18, 9, 30))
    store, _ = small
    with pytest.raises(ValidationError, match="empty"):
        fill_demo(store, now=NOW)


def test_kam_scale_time(capsys: pytest.CaptureFixture[str]) -> None:
    """Not a timed assertion: prints how long building the kam scale takes."""
    store = FakeStore()
    started = time.perf_counter()
    summary = fill_demo(store, scale="kam", seed=1, now=NOW)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nkam scale: {summary.total} records in {elapsed:.1f} s ({summary.counts()})")
    assert summary.deals == SCALES["kam"].deals


def test_every_demo_currency_has_a_recent_rate(small: tuple[FakeStore, DemoSummary]) -> None:
    from accmgr.services.conversion import open_value, reporting
    from accmgr.services.totals import missing_rates, reporting_converter, totals_of
    from accmgr.services.workspace import Workspace

    store, _ = small
    ws = Workspace(store=store, clock=lambda: NOW)  # type: ignore[arg-type]
    currencies = {d["currency"] for d in store.all("deals")}
    assert currencies == {"EUR", "GBP", "HUF", "PLN", "RUB", "USD"}
    at = reporting(ws)
    for currency in currencies - {"EUR"}:
        result = at.book.find(currency, "EUR", NOW.date())
        assert result is not None, currency
        assert result.day is not None and 0 < (NOW.date() - result.day).days <= 7
    docs = [d for d in store.all("deals") if d.get("outcome") != "lost"]
    facts = [_Facts(Deal.from_dict(d), ws) for d in docs]
    totals, convert = totals_of(facts), reporting_converter(ws, NOW.date())
    assert missing_rates(totals, convert) == {} and convert(totals.open).amount > 0
    assert all(not open_value(ws, c["id"], at).missing for c in store.all("clients"))


class _Facts:
    def __init__(self, deal: Deal, ws: Workspace) -> None:
        self.value, self.currency = deal.value, deal.currency
        self.weighted, self.won = deal.weighted_value(ws.rules), deal.outcome == "won"
