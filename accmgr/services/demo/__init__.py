"""Demo data: a believable book of business for trying accmgr and for benchmarks.

``fill_demo`` fills an empty store with clients from Portugal, Lithuania, Russia, Poland,
Hungary, the UK, Ireland and the US (names, addresses, phones and tax ids as written
there), their contacts and reliability, a product catalog, deals in every stage of the
cycle with the data each stage gathers, draft offers, complaints, a KAM's activities, and
exchange rates for every currency the clients use (so totals convert out of the box).

Everything is drawn from ``random.Random(seed)`` and placed relative to ``now``: the same
(scale, seed, now) always gives the same data. Every record is built through its domain
class, so the demo data passes the same validation as data typed by a user. Each table is
written in one transaction, in the order the records reference each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from random import Random
from types import MappingProxyType

from accmgr.domain.catalog import Product
from accmgr.domain.client import Client, Contact
from accmgr.domain.deal import Deal
from accmgr.domain.stages import Stage
from accmgr.errors import ValidationError
from accmgr.services.demo.activities import activities, activity_record
from accmgr.services.demo.catalog import ProductSpec, catalog
from accmgr.services.demo.clients import ClientPlan, client_fields, plan_clients
from accmgr.services.demo.deals import ReferredClient, deal_record
from accmgr.services.demo.extras import complaint_record, offer_record
from accmgr.services.demo.plan import activity_spans, date_clients, link_referrals, plan_deals
from accmgr.services.demo.rates import demo_rates
from accmgr.services.demo.stagedata import Who
from accmgr.services.demo.timeline import DealPlan
from accmgr.services.ports import StorePort
from accmgr.services.rates import write_rates

TABLES = ("clients", "contacts", "deals", "activities", "products", "documents", "complaints")


@dataclass(frozen=True)
class DemoScale:
    clients: int
    deals: int
    activities: int
    products: int


SCALES: Mapping[str, DemoScale] = MappingProxyType(
    {
        "small": DemoScale(clients=40, deals=120, activities=600, products=30),
        "kam": DemoScale(clients=500, deals=5_000, activities=50_000, products=120),
        "large": DemoScale(clients=2_000, deals=20_000, activities=200_000, products=300),
    }
)


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each table the demo wrote."""

    clients: int = 0
    contacts: int = 0
    deals: int = 0
    activities: int = 0
    products: int = 0
    documents: int = 0
    complaints: int = 0

    def counts(self) -> dict[str, int]:
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(self.counts().values())


def fill_demo(
    store: StorePort, *, scale: str = "small", seed: int = 0, now: datetime
) -> DemoSummary:
    """Fill an empty store with demo data of ``scale`` (see ``SCALES``)."""
    size = SCALES.get(scale)
    if size is None:
        raise ValidationError("scale", f"expected one of {', '.join(SCALES)}, got {scale!r}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError("now", "expected a date and time with its time zone")
    filled = [f"{store.count(t)} {t}" for t in TABLES if store.count(t)]
    if filled:
        raise ValidationError(
            "store", f"demo data goes into an empty database; this one has {', '.join(filled)}"
        )
    rng = Random(seed)
    specs = catalog(rng, size.products)
    clients = plan_clients(rng, size.clients)
    deals = plan_deals(rng, clients, size.deals, now)
    order = date_clients(rng, clients, deals, now)
    link_referrals(rng, clients, order, deals)
    book = _Book(rng, now, specs, clients, order, deals)
    book.write_products(store)
    book.write_clients(store)
    book.write_contacts(store)
    book.write_deals(store)
    documents = book.write_offers(store)
    complaints = book.write_complaints(store)
    spans, weights, key_spans = activity_spans(
        clients, order, deals, book.client_ids, book.deal_ids, book.people, now
    )
    planned = list(activities(rng, size.activities, spans, weights, key_spans, now))
    planned.sort(key=_created)  # ids follow creation time, as if typed in over the years
    with store.transaction() as tx:
        for fields in planned:
            tx.insert("activities", activity_record(tx.new_id("activities"), fields).to_dict())
    with store.transaction() as tx:
        write_rates(tx, list(demo_rates(seed, now.date())))
    return DemoSummary(
        clients=len(clients),
        contacts=sum(len(p) for p in book.people.values()),
        deals=len(deals),
        activities=len(planned),
        products=len(specs),
        documents=documents,
        complaints=complaints,
    )


def _created(fields: Mapping[str, object]) -> datetime:
    moment = fields["created_at"]
    assert isinstance(moment, datetime)
    return moment


class _Book:
    """The planned book, written table by table; remembers the ids the store handed out."""

    def __init__(
        self,
        rng: Random,
        now: datetime,
        specs: Sequence[ProductSpec],
        clients: Sequence[ClientPlan],
        order: Sequence[int],
        deals: Sequence[DealPlan],
    ) -> None:
        self.rng, self.now, self.specs = rng, now, specs
        self.clients, self.order, self.deals = clients, order, deals
        self.codes: dict[str, list[str]] = {}
        for spec in specs:
            if spec.active:
                self.codes.setdefault(spec.code.split("-")[0], []).append(spec.code)
        self.client_ids: dict[int, str] = {}
        self.people: dict[int, list[Who]] = {}
        self.deal_ids: dict[int, str] = {}
        self.built: dict[int, Deal] = {}
        self.by_time = sorted(range(len(deals)), key=lambda i: (deals[i].created_at, i))

    def write_products(self, store: StorePort) -> None:
        with store.transaction() as tx:
            for spec in self.specs:
                product = Product(id=tx.new_id("products"), currency="EUR", **asdict(spec))
                tx.insert("products", product.to_dict())

    def write_clients(self, store: StorePort) -> None:
        offered = [spec.code for spec in self.specs if spec.active]
        with store.transaction() as tx:
            for pos in self.order:
                plan = self.clients[pos]
                referrer = None if plan.referred_by is None else self.client_ids[plan.referred_by]
                fields = client_fields(self.rng, plan, self.now, offered)
                client = Client(id=tx.new_id("clients"), created_at=plan.created_at,
                                referred_by=referrer, **fields)  # fmt: skip
                self.client_ids[pos] = tx.insert("clients", client.to_dict())["id"]

    def write_contacts(self, store: StorePort) -> None:
        with store.transaction() as tx:
            for pos in self.order:
                self.people[pos] = []
                for cp in self.clients[pos].contacts:
                    contact = Contact(
                        id=tx.new_id("contacts"), client_id=self.client_ids[pos],
                        name=cp.person.name, title=cp.title, role=cp.role, phone=cp.phone,
                        email=cp.email, preferred_channel=cp.channel, notes=cp.notes,
                    )  # fmt: skip
                    stored = tx.insert("contacts", contact.to_dict())["id"]
                    self.people[pos].append(Who(stored, cp.person.name, cp.role, cp.title))

    def write_deals(self, store: StorePort) -> None:
        with store.transaction() as tx:
            for i in self.by_time:
                plan = self.deals[i]
                referred = [
                    ReferredClient(self.client_ids[pos], self.clients[pos].firm.name,
                                   self.clients[pos].contacts[0].person.name, asked_on)
                    for pos, asked_on in plan.referred
                ]  # fmt: skip
                deal = deal_record(
                    self.rng, plan, tx.new_id("deals"), self.clients[plan.client],
                    self.client_ids[plan.client], self.people[plan.client], self.codes,
                    referred, self.now,
                )  # fmt: skip
                self.deal_ids[i] = tx.insert("deals", deal.to_dict())["id"]
                self.built[i] = deal

    def write_offers(self, store: StorePort) -> int:
        """A draft offer for every open deal at Closing."""
        prices = {spec.code: spec for spec in self.specs}
        written = 0
        with store.transaction() as tx:
            for i in self.by_time:
                deal, owner = self.built[i], self.deals[i].client
                if deal.stage is Stage.CLOSING and deal.outcome is None:
                    offer = offer_record(
                        self.rng, tx.new_id("documents"), self.deal_ids[i],
                        self.client_ids[owner], self.clients[owner], deal, prices, self.codes,
                    )  # fmt: skip
                    tx.insert("documents", offer.to_dict())
                    written += 1
        return written

    def write_complaints(self, store: StorePort) -> int:
        written = 0
        with store.transaction() as tx:
            for i in self.by_time:
                plan = self.deals[i]
                if plan.status == "won" and self.rng.random() < 0.15:
                    complaint = complaint_record(
                        self.rng, tx.new_id("complaints"), self.client_ids[plan.client],
                        self.deal_ids[i], plan, self.now,
                    )  # fmt: skip
                    tx.insert("complaints", complaint.to_dict())
                    written += 1
        return written


__all__ = ["SCALES", "DemoScale", "DemoSummary", "fill_demo"]
