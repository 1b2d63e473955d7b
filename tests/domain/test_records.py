"""Records refuse bad values with a message that names the field, and round-trip as JSON."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from accmgr.domain import reliability as rules
from accmgr.domain.activity import Activity, ActivityKind
from accmgr.domain.catalog import Product
from accmgr.domain.client import (
    Client,
    Contact,
    FlagCategory,
    Payment,
    Rating,
    RedFlag,
    ReliabilityProfile,
)
from accmgr.domain.deal import Deal, Milestone, MilestoneStatus, StageEntry
from accmgr.domain.stages import Stage
from accmgr.errors import ValidationError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def a_client(**changes: object) -> Client:
    data: dict[str, object] = {"id": "C-0001", "name": "Vilniaus Prekyba UAB", "created_at": NOW}
    data.update(changes)
    return Client(**data)


def a_deal(**changes: object) -> Deal:
    data: dict[str, object] = {
        "id": "D-0001",
        "client_id": "C-0001",
        "title": "Packaging line",
        "stage_history": (StageEntry(stage=Stage.PROSPECTING, entered_at=NOW),),
        "created_at": NOW,
    }
    data.update(changes)
    return Deal(**data)


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"name": "   "}, "client.name", "expected non-empty text"),
        ({"currency": "EURO"}, "client.currency", "ISO 4217"),
        ({"country": "XX"}, "client.country", "two-letter country code"),
        ({"language": "klingon"}, "client.language", "language code"),
        ({"email": "not-an-address"}, "client.email", "e-mail address"),
        ({"tier": "vip"}, "client.tier", "expected one of 'key' or 'regular'"),
        ({"id": "42"}, "client.id", "expected the form"),
        ({"created_at": datetime(2026, 11, 23, 10, 0)}, "client.created_at", "time zone"),
        ({"colour": "red"}, "client.colour", "not a known field"),
    ],
)
def test_client_refuses_bad_values_naming_the_field(
    changes: dict[str, object], field: str, expected: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        a_client(**changes)
    assert caught.value.field == field
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_client_normalises_codes() -> None:
    client = a_client(country="pt", language="PT", currency="eur")
    assert (client.country, client.language, client.currency) == ("PT", "pt", "EUR")


def test_records_round_trip_through_json() -> None:
    profile = ReliabilityProfile(
        rating=Rating.B,
        credit_limit=Decimal("25000.00"),
        payments=(
            Payment(
                invoice="F-1",
                amount=Decimal("1234.50"),
                currency="EUR",
                due=date(2026, 9, 1),
                paid=date(2026, 9, 11),
            ),
        ),
        red_flags=(
            RedFlag(
                category=FlagCategory.LATE_PAYMENTS,
                note="Paid late twice",
                raised_on=date(2026, 10, 1),
            ),
        ),
        reviewed_on=date(2026, 10, 2),
    )
    client = a_client(reliability=profile, tags=("fair-2026",), country="LT")
    text = json.dumps(client.to_dict())
    again = Client.from_dict(json.loads(text))
    assert again == client
    assert json.loads(text)["reliability"]["payments"][0]["amount"] == "1234.50"


def test_deal_rules() -> None:
    with pytest.raises(ValidationError, match="last entry must be the current stage"):
        a_deal(stage=Stage.CALL)
    with pytest.raises(ValidationError, match="a lost deal needs a reason"):
        a_deal(outcome="lost")
    with pytest.raises(ValidationError, match="won at Closing or later"):
        a_deal(outcome="won")
    with pytest.raises(
        ValidationError, match=re.escape("deal.value: expected a number of at least 0")
    ):
        a_deal(value=Decimal("-1"))
    with pytest.raises(ValidationError, match=re.escape("deal.probability_override")):
        a_deal(probability_override=Decimal("101"))
    with pytest.raises(ValidationError, match=re.escape("deal.stage_history")):
        a_deal(stage_history=())


def test_probability_and_weighted_value() -> None:
    deal = a_deal(value=Decimal("10000"))
    assert deal.probability() == Decimal(5)
    assert deal.weighted_value() == Decimal(500)
    assert a_deal(value=Decimal(100), probability_override=Decimal(40)).probability() == 40


def test_stall_reasons() -> None:
    deal = a_deal(stage_history=(StageEntry(stage=Stage.PROSPECTING, entered_at=NOW),))
    later = datetime(2027, 1, 1, tzinfo=UTC)
    assert deal.stall_reasons(NOW) == ["no next step with a date"]
    dated = deal.evolve(next_step="Call the buyer", next_step_due=date(2026, 11, 25))
    assert dated.stall_reasons(NOW) == []
    reasons = dated.stall_reasons(later)
    assert reasons[0].startswith("38 days in Prospecting (limit 30)")
    assert "next step overdue since 2026-11-25" in reasons[1]


def test_milestone_delivered_needs_a_date() -> None:
    with pytest.raises(ValidationError, match="delivered milestone needs its delivery date"):
        Milestone(what="Install", due=date(2026, 12, 1), status=MilestoneStatus.DELIVERED)
    late = Milestone(
        what="Install",
        due=date(2026, 12, 1),
        status=MilestoneStatus.DELIVERED,
        delivered_on=date(2026, 12, 3),
    )
    assert late.on_time is False


def test_evolve_validates() -> None:
    client = a_client()
    with pytest.raises(ValidationError, match=re.escape("client.currency")):
        client.evolve(currency="nope")
    assert client.evolve(name="New name").name == "New name"


def test_reliability_figures_and_warnings() -> None:
    profile = ReliabilityProfile(
        payments=(
            Payment(
                invoice="1",
                amount=Decimal(100),
                currency="EUR",
                due=date(2026, 1, 10),
                paid=date(2026, 1, 10),
            ),
            Payment(
                invoice="2",
                amount=Decimal(200),
                currency="EUR",
                due=date(2026, 2, 10),
                paid=date(2026, 2, 25),
            ),
            Payment(invoice="3", amount=Decimal(300), currency="EUR", due=date(2026, 11, 1)),
        ),
        red_flags=(
            RedFlag(
                category=FlagCategory.LEGAL_DISPUTES, note="Court case", raised_on=date(2026, 5, 1)
            ),
        ),
        reviewed_on=date(2026, 6, 1),
    )
    figures = profile.figures(date(2026, 11, 23))
    assert figures.paid == 2
    assert figures.average_days_late == Decimal("7.5")
    # The open invoice, 22 days overdue today, is later than either paid one (15 days).
    assert figures.worst_days_late == 22
    assert figures.on_time_share == Decimal("0.50")
    assert figures.open_overdue == {"EUR": Decimal(300)}
    warnings = rules.warnings(rules.Facts(profile=profile, today=date(2026, 11, 23)))
    assert warnings[0] == "open red flag (legal disputes): Court case"
    assert warnings[1] == "1 overdue invoice(s), 300.00 EUR unpaid, the oldest 22 days late"
    assert warnings[2] == "reliability review is 175 days old (limit 90)"
    assert [w.level for w in warnings] == [rules.Level.STOP, rules.Level.CAUTION, rules.Level.INFO]


def test_activity_and_product() -> None:
    with pytest.raises(ValidationError, match=re.escape("activity.recurrence")):
        Activity(
            id="A-0001",
            kind=ActivityKind.TASK,
            client_id="C-0001",
            created_at=NOW,
            due=date(2026, 12, 1),
            recurrence="FREQ=SOMETIMES",
        )
    with pytest.raises(ValidationError, match="needs a due date"):
        Activity(
            id="A-0001",
            kind=ActivityKind.TASK,
            client_id="C-0001",
            created_at=NOW,
            recurrence="FREQ=MONTHLY",
        )
    task = Activity(
        id="A-0001",
        kind=ActivityKind.TASK,
        client_id="C-0001",
        created_at=NOW,
        due=date(2026, 11, 20),
    )
    assert task.overdue(NOW)
    with pytest.raises(
        ValidationError, match=re.escape("product.tax_rate: expected a number of at most 100")
    ):
        Product(
            id="PR-0001",
            code="BOX-1",
            name="Box",
            unit_price=Decimal(1),
            currency="EUR",
            tax_rate=Decimal(120),
        )


def test_contact_role() -> None:
    with pytest.raises(ValidationError, match=re.escape("contact.role: expected one of")):
        Contact(id="P-0001", client_id="C-0001", name="Ana", role="boss")
