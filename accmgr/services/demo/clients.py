"""Demo clients: who they are, who works there, and how reliable they have been."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from random import Random

from accmgr.domain.client import (
    AccountPlan,
    Channel,
    DecisionRole,
    FlagCategory,
    Payment,
    Rating,
    RedFlag,
    ReliabilityProfile,
    RevenueBand,
    Tier,
)
from accmgr.domain.deal import LeadSource
from accmgr.services.demo.companies import SEGMENTS, Company, company
from accmgr.services.demo.people import KAM_OWNERS, Person, person
from accmgr.services.demo.places import COUNTRIES, City, address, landline, mobile, tax_id

# Share of clients per country.
_COUNTRY_MIX = (("PT", 18), ("LT", 16), ("PL", 16), ("HU", 12), ("RU", 10), ("GB", 12),
                ("IE", 6), ("US", 10))  # fmt: skip
# Rough value of one euro, for sizing amounts in each client's currency.
FX = {"EUR": 1.0, "GBP": 0.85, "USD": 1.08, "PLN": 4.3, "HUF": 395.0, "RUB": 98.0}
# Typical deal size in EUR by revenue band: (low, high).
DEAL_SIZE = {
    RevenueBand.MICRO: (2_000, 15_000),
    RevenueBand.SMALL: (5_000, 45_000),
    RevenueBand.MEDIUM: (15_000, 120_000),
    RevenueBand.LARGE: (40_000, 320_000),
    RevenueBand.ENTERPRISE: (90_000, 850_000),
}
_CREDIT = {RevenueBand.MICRO: 5_000, RevenueBand.SMALL: 20_000, RevenueBand.MEDIUM: 75_000,
           RevenueBand.LARGE: 250_000, RevenueBand.ENTERPRISE: 900_000}  # fmt: skip
_RATING_CREDIT = {Rating.A: 1.0, Rating.B: 0.7, Rating.C: 0.3, Rating.D: 0.0, Rating.UNRATED: 0.2}
_TAGS = ("framework-agreement", "multi-site", "export", "tender", "seasonal", "eu-funds",
         "prepayment", "price-sensitive", "fair-2025", "strategic", "upsell")  # fmt: skip
_SOURCES = (LeadSource.FAIR, LeadSource.REFERRAL, LeadSource.COLD_LIST, LeadSource.CAMPAIGN,
            LeadSource.COMPETITOR_CLIENT, LeadSource.INBOUND)  # fmt: skip
_TITLES = {
    DecisionRole.DECISION_MAKER: ("CEO", "Managing Director", "CFO", "Technical Director",
                                  "Head of Procurement"),
    DecisionRole.INFLUENCER: ("Head of Operations", "Quality Manager", "Production Manager",
                              "Logistics Manager"),
    DecisionRole.USER: ("Warehouse Manager", "Purchasing Specialist", "Plant Engineer",
                        "Shift Supervisor"),
    DecisionRole.GATEKEEPER: ("Office Manager", "Executive Assistant", "Reception"),
    DecisionRole.CHAMPION: ("Procurement Manager", "Operations Manager", "Supply Chain Lead"),
    DecisionRole.BLOCKER: ("Finance Controller", "Legal Counsel", "IT Security Officer"),
}  # fmt: skip
_CONTACT_NOTES = (
    "Prefers calls before 10:00.", "Visited our stand at the fair.", "Replies fast on e-mail.",
    "Decides together with the owner.", "Wants everything in writing.",
    "Moved here from a competitor last year.", "Ask about the new site project.",
)  # fmt: skip
_FLAG_NOTES = {
    FlagCategory.LATE_PAYMENTS: "Three invoices paid 30+ days late this year.",
    FlagCategory.LEGAL_DISPUTES: "In a court dispute with a former supplier over a delivery.",
    FlagCategory.OWNERSHIP_CHANGE: "Sold to an investment fund; new board since spring.",
    FlagCategory.UNREALISTIC_DEMANDS: "Asks for 90-day terms and a 25 % discount as a rule.",
    FlagCategory.CONTACT_CHURN: "Third purchasing manager in twelve months.",
    FlagCategory.FINANCIAL_DISTRESS: "Loss-making two years in a row; short-time work announced.",
    FlagCategory.OTHER: "Registered address is a virtual office.",
}
_FIT = ("buys packaging centrally", "several sites", "growing fast",
        "exports most of its output", "unhappy with the current supplier")  # fmt: skip
_CLIENT_NOTES = (
    "New procurement director since January.", "Asked for consolidated monthly invoicing.",
    "Budget cycle closes in October.", "Opening a second warehouse next year.",
    "Tender for packaging expected in Q3.", "Prefers deliveries before noon.",
    "Wants the offer in their own language.",
)  # fmt: skip


@dataclass
class ContactPlan:
    person: Person
    title: str
    role: DecisionRole
    phone: str
    email: str | None
    channel: Channel
    notes: str


@dataclass
class ClientPlan:
    country: str
    city: City
    firm: Company
    segment: int
    industry: str
    band: RevenueBand
    tier: Tier
    owner: str
    tags: tuple[str, ...]
    source: LeadSource
    contacts: list[ContactPlan]
    created_at: datetime | None = None
    address: str = ""  # set with the record
    referred_by: int | None = None  # position of the referring client in the plan
    deals: list[int] = field(default_factory=list)  # positions of its deals

    @property
    def currency(self) -> str:
        return COUNTRIES[self.country].currency

    @property
    def language(self) -> str:
        return COUNTRIES[self.country].language


def nice(amount: float, currency: str) -> Decimal:
    """An amount in ``currency`` rounded the way people estimate: three significant digits."""
    value = amount * FX[currency]
    step = 10 ** max(0, len(str(int(value))) - 3)
    return Decimal(round(value / step) * step)


def _pick(rng: Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def plan_clients(rng: Random, count: int) -> list[ClientPlan]:
    taken: set[str] = set()
    plans = []
    for _ in range(count):
        country = _pick(rng, _COUNTRY_MIX)
        city = rng.choice(COUNTRIES[country].cities)
        segment = rng.randrange(len(SEGMENTS))
        founder = person(rng, country)
        while founder.female:  # family businesses carry the man's form of the name
            founder = person(rng, country)
        firm = company(rng, country, segment, founder.family, city.name, taken)
        key = rng.random() < 0.2
        bands = list(RevenueBand)
        band = rng.choices(bands, (5, 15, 35, 30, 15) if key else (22, 38, 27, 10, 3))[0]
        plans.append(
            ClientPlan(
                country=country,
                city=city,
                firm=firm,
                segment=segment,
                industry=rng.choice(SEGMENTS[segment][2]),
                band=band,
                tier=Tier.KEY if key else Tier.REGULAR,
                owner=rng.choice(KAM_OWNERS),
                tags=tuple(sorted(set(rng.sample(_TAGS, rng.choice((0, 1, 1, 2, 3)))))),
                source=rng.choice(_SOURCES),
                contacts=_contacts(rng, country, firm.domain),
            )
        )
    return plans


def _contacts(rng: Random, country: str, domain: str) -> list[ContactPlan]:
    roles = [DecisionRole.DECISION_MAKER]
    others = list(DecisionRole)[1:]
    roles += rng.sample(others, rng.choice((0, 1, 1, 2, 2, 3)))
    used: set[str] = set()
    contacts = []
    for role in roles:
        who = person(rng, country)
        local = who.email_local()
        n = 2
        while local in used:
            local, n = f"{who.email_local()}{n}", n + 1
        used.add(local)
        has_email = role is not DecisionRole.GATEKEEPER or rng.random() < 0.5
        channel = rng.choice(
            (Channel.PHONE, Channel.EMAIL, Channel.EMAIL, Channel.VISIT, Channel.VIDEO)
            + ((Channel.MESSENGER,) if country in ("RU", "LT", "HU") else ())
        )
        contacts.append(
            ContactPlan(
                person=who,
                title=rng.choice(_TITLES[role]),
                role=role,
                phone=mobile(rng, country) if rng.random() < 0.85 or not has_email else "",
                email=f"{local}@{domain}" if has_email else None,
                channel=channel if has_email or channel is not Channel.EMAIL else Channel.PHONE,
                notes=rng.choice(_CONTACT_NOTES) if rng.random() < 0.25 else "",
            )
        )
    return contacts


def client_fields(
    rng: Random, plan: ClientPlan, now: datetime, products: list[str]
) -> dict[str, object]:
    """Everything of the client record but its id, creation time and referrer."""
    assert plan.created_at is not None
    today = now.date()
    country, city = plan.country, plan.city
    plan.address = address(rng, country, city)
    return {
        "name": plan.firm.name,
        "legal_name": plan.firm.legal_name,
        "tax_id": tax_id(rng, country, city),
        "segment": SEGMENTS[plan.segment][1],
        "industry": plan.industry,
        "country": country,
        "language": plan.language,
        "currency": plan.currency,
        "address": plan.address,
        "website": f"https://www.{plan.firm.domain}",
        "email": plan.firm.mailbox,
        "phone": landline(rng, country, city),
        "tier": plan.tier,
        "owner": plan.owner,
        "tags": plan.tags,
        "lead_source": plan.source.value,
        "fit_notes": (
            f"{plan.industry} in {city.name}, revenue {plan.band.value} EUR; {rng.choice(_FIT)}."
        ),
        "reliability": reliability(rng, plan, today),
        "account_plan": _account_plan(rng, products) if plan.tier is Tier.KEY else None,
        "notes": tuple(
            {"at": plan.created_at + (now - plan.created_at) * rng.random(), "text": text}
            for text in rng.sample(_CLIENT_NOTES, rng.choice((0, 0, 1, 2)))
        ),
    }


def reliability(rng: Random, plan: ClientPlan, today: date) -> ReliabilityProfile:
    # Most clients are rated and reviewed within the limit: the board's reliability marker
    # must single out the few that need a look (a stale review, an open red flag, an overdue
    # invoice), not most of them.
    rating = rng.choices(list(Rating), (38, 36, 15, 5, 6))[0]
    if rating is Rating.UNRATED:
        return ReliabilityProfile(
            years_in_business=rng.randint(1, 40) if rng.random() < 0.5 else None,
            revenue_band=plan.band if rng.random() < 0.5 else None,
        )
    terms = 0 if rating is Rating.D else rng.choice((14, 30, 30, 45, 60, 90))
    credit = _CREDIT[plan.band] * _RATING_CREDIT[rating]
    payments = _payments(rng, plan, rating, terms, today)
    flags: list[RedFlag] = []
    if rng.random() < (0.04 if rating in (Rating.A, Rating.B) else 0.3):
        category = rng.choice(list(FlagCategory))
        raised = today - timedelta(days=rng.randint(5, 700))
        resolved = raised + timedelta(days=rng.randint(10, 200)) if rng.random() < 0.6 else None
        if resolved is not None and resolved > today:
            resolved = None
        flags.append(
            RedFlag(
                category=category,
                note=_FLAG_NOTES[category],
                raised_on=raised,
                resolved_on=resolved,
                resolution="Settled; monitored monthly since." if resolved else "",
            )
        )
    return ReliabilityProfile(
        rating=rating,
        years_in_business=int(rng.triangular(1, 80, 12)),
        revenue_band=plan.band,
        credit_limit=nice(credit, plan.currency),
        payment_terms_days=terms,
        payments=payments,
        red_flags=tuple(flags),
        reviewed_on=today - timedelta(days=_review_age(rng)),
        reviewer=rng.choice((plan.owner, plan.owner, "Credit control")),
    )


def _review_age(rng: Random) -> int:
    """Days since the last review: nine in ten within the 90-day limit, the rest overdue."""
    if rng.random() < 0.9:
        return int(rng.triangular(0, 88, 30))
    return rng.randint(91, 400)


def _payments(
    rng: Random, plan: ClientPlan, rating: Rating, terms: int, today: date
) -> tuple[Payment, ...]:
    count = rng.randint(0, 12)
    lateness = {Rating.A: (0.9, 6), Rating.B: (0.6, 20), Rating.C: (0.3, 55), Rating.D: (0.1, 90)}
    on_time, worst = lateness[rating]
    # Late payers exist but are few: only these clients leave an invoice unpaid past its date.
    slow = rng.random() < {Rating.A: 0.01, Rating.B: 0.04, Rating.C: 0.15, Rating.D: 0.4}[rating]
    low, high = DEAL_SIZE[plan.band]
    issued = today - timedelta(days=rng.randint(10, 60) + 30 * count)
    payments = []
    for _ in range(count):
        due = issued + timedelta(days=terms)
        late = 0 if rng.random() < on_time else rng.randint(1, worst)
        paid: date | None = due + timedelta(days=late) - timedelta(days=rng.randint(0, 3))
        if paid is not None and paid > today:
            if due >= today:
                paid = None  # not due yet
            elif not slow:
                paid = today  # late, but paid by now
            else:
                paid = None  # still open although overdue
        elif due < today and slow and rng.random() < 0.3:
            paid = None  # still open although overdue
        payments.append(
            Payment(
                invoice=f"INV-{issued.year}-{rng.randint(1, 9999):05d}",
                amount=nice(rng.uniform(low, high) / 8, plan.currency),
                currency=plan.currency,
                due=due,
                paid=paid,
            )
        )
        issued += timedelta(days=rng.randint(20, 40))
    return tuple(payments)


def _account_plan(rng: Random, products: list[str]) -> AccountPlan:
    return AccountPlan(
        objectives=tuple(rng.sample((
            "Sign a three-year framework agreement", "Grow share of wallet in packaging to 60 %",
            "Introduce warehouse software at the second site", "Become the sole supplier of labels",
            "Hold a quarterly business review with the board",
        ), 2)),
        strengths=("Fast delivery from the local hub", "Long relationship with operations"),
        weaknesses=tuple(rng.sample(("Higher list prices than local distributors",
                                     "No service engineer in their region"), 1)),
        opportunities=tuple(rng.sample(("New production line planned", "Tender for 2027 supply",
                                        "Expansion into the Baltics"), 2)),
        threats=tuple(rng.sample(("A local distributor undercuts us by 8 %",
                                  "Group procurement may centralise purchasing abroad",
                                  "Competitor offers 90-day payment terms"), 2)),
        whitespace=tuple(rng.sample(products, min(3, len(products)))),
    )  # fmt: skip
