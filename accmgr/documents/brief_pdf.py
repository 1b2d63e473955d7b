"""Meeting briefs as PDF: the data of :mod:`accmgr.services.brief`, in the client's language.

The brief's data arrives as the JSON-ready dict ``Brief.to_dict()`` gives (what ``accmgr
brief --json`` prints); each one is formatted here for its client's document language —
dates, money, percentages through Babel, the fixed texts from :mod:`texts` — and printed by
``brief.html`` through the same sandboxed, autoescaped environment and URL fetcher as offers
and contracts. Several briefs make one PDF, one brief per page, each in its own language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from markupsafe import Markup

from accmgr.documents.brief_words import word
from accmgr.documents.fetcher import FetchPolicy
from accmgr.documents.formatting import Formatter, FormattingError, locale_for
from accmgr.documents.render import (
    COMPANY_KEYS,
    STYLESHEETS,
    RenderError,
    RenderResult,
    _environment,
    _first,
    _logo,
    page_counter_css,
    template_dirs,
    write_pdf,
)
from accmgr.documents.sandbox import TEMPLATE_FAILURES, start_budget
from accmgr.documents.texts import LANGUAGES, texts_for

TEMPLATE = "brief.html"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class _Fmt:
    """One brief's formatting: its language's locale, the user's time zone."""

    def __init__(self, language: str, zone: tzinfo | None) -> None:
        self.language = language if language in LANGUAGES else "en"
        self.locale = locale_for(self.language)
        self.zone = zone

    def money(self, amount: Any, currency: Any) -> str:
        if amount in (None, "") or not currency:
            return _text(amount)
        return Formatter(self.locale, str(currency)).money(amount)

    def number(self, value: Any) -> str:
        return "" if value in (None, "") else Formatter(self.locale, "EUR").number(value)

    def percent(self, value: Any) -> str:
        return "" if value in (None, "") else Formatter(self.locale, "EUR").percent(value)

    def share(self, value: Any) -> str:
        """A share from 0 to 1 (the payment figures' on-time share) as a percentage."""
        if value in (None, ""):
            return ""
        from decimal import Decimal

        return self.percent(Decimal(str(value)).scaleb(2))

    def day(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        text = str(value)
        if "T" in text:
            return self.moment(text)
        return Formatter(self.locale, "EUR").date(text[:10])

    def moment(self, value: Any) -> str:
        """A date with a time (ISO 8601 with an offset) in the user's zone; a bare date as is."""
        if value in (None, ""):
            return ""
        text = str(value)
        if "T" not in text:
            return self.day(text)
        from babel.dates import format_time

        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            raise FormattingError(f"expected an ISO date and time, got {text!r}") from None
        if self.zone is not None and when.tzinfo is not None:
            when = when.astimezone(self.zone)
        day = Formatter(self.locale, "EUR").date(when.date())
        return f"{day}, {format_time(when, format='short', locale=self.locale)}"


def _stage(t: Mapping[str, str], stage: Any, label: Any = None) -> str:
    """A stage's name in the brief's language, from its value or its English label."""
    from accmgr.domain.stages import Stage

    if not stage and label:
        stage = next((s.value for s in Stage if s.label == label), "")
    return t.get(f"stage_{stage}", _text(label or stage))


# The sentences of accmgr.domain.client (Reliability.warnings) and services.reliability
# (client_warnings), read back so that the brief can say them in the client's language;
# a sentence not matched (worded differently since) is printed as it is, never dropped.
_WARNINGS = (
    ("brief_w_flag", re.compile(r"open red flag \((?P<category>[^)]*)\): (?P<note>.*)", re.S)),
    (
        "brief_w_overdue",
        re.compile(r"(?P<count>\d+) overdue invoice\(s\), the oldest (?P<days>\d+) days late"),
    ),
    ("brief_w_never", re.compile(r"reliability never reviewed")),
    (
        "brief_w_stale",
        re.compile(r"reliability review is (?P<days>\d+) days old \(limit (?P<limit>\d+)\)"),
    ),
    (
        "brief_w_complaint",
        re.compile(
            r"open (?P<severity>\S+) complaint (?P<id>\S+) since "
            r"(?P<date>\d{4}-\d{2}-\d{2}): (?P<what>.*)",
            re.S,
        ),
    ),
)


def _warning(text: str, t: Mapping[str, str], f: _Fmt) -> str:
    for key, pattern in _WARNINGS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = dict(match.groupdict())
        for name in ("count", "days", "limit"):
            if name in values:
                values[name] = f.number(values[name])
        if "date" in values:
            values["date"] = f.day(values["date"])
        return t[key].format(**values)
    return text


def _amounts(text: str, f: _Fmt) -> str:
    """``100.00 EUR; 50.00 PLN`` as the language writes each amount."""
    parts = []
    for part in text.split("; "):
        amount, _, currency = part.partition(" ")
        parts.append(f.money(amount, currency) if currency else part)
    return ", ".join(parts)


def _detailed(detail: Mapping[str, Any], t: Mapping[str, str], f: _Fmt) -> str | None:
    """A warning said from its key and figures (``warning_details``); ``None`` when this
    language has no sentence for it."""
    key, values = str(detail.get("key") or ""), dict(detail.get("values") or {})
    template = t.get(f"brief_w_{key}")
    if template is None:
        return None
    currency = values.get("currency")
    # Amounts carry a currency (the credit limit); a bare limit is a number of days.
    amounts = ("total", "limit", "committed", "unpaid") if currency else ()
    for name in amounts:
        if name in values:
            values[name] = f.money(values[name], currency)
    for name in ("count", "days", "limit", "allowed"):
        if name in values and name not in amounts:
            values[name] = f.number(values[name])
    if "amounts" in values:
        values["amounts"] = _amounts(values["amounts"], f)
    if "date" in values:
        values["date"] = f.day(values["date"])
    if key == "rating":
        values["meaning"] = t.get(f"rating_{values.get('rating')}", "")
    try:
        text = template.format(**values)
    except (KeyError, IndexError):
        return None
    level = t.get(f"brief_level_{detail.get('level')}", "")
    return f"{level}: {text}" if level else text


def _warnings(brief: Mapping[str, Any], t: Mapping[str, str], f: _Fmt) -> list[str]:
    """Worst first, as the rules sorted them, each with its severity, in the language."""
    texts = [_text(w) for w in brief.get("warnings") or ()]
    details = list(brief.get("warning_details") or ())
    if len(details) != len(texts):
        return [_warning(w, t, f) for w in texts]
    return [_detailed(d, t, f) or _warning(w, t, f) for w, d in zip(texts, details, strict=True)]


def brief_view(
    brief: Mapping[str, Any], zone: tzinfo | None = None, today: date | None = None
) -> dict[str, Any]:
    """One brief with every figure and date formatted for its client's language."""
    client = brief.get("client") or {}
    f = _Fmt(str(client.get("language") or "en"), zone)
    t = texts_for(f.language)
    prepared = f.day(today.isoformat()) if today else ""
    meeting = dict(brief.get("meeting") or {})
    deal = brief.get("deal")
    reliability = brief.get("reliability") or {}
    figures = reliability.get("figures") or {}
    deal_view = None
    if deal:
        deal_view = {
            "id": _text(deal.get("id")),
            "title": _text(deal.get("title")),
            "stage": _stage(t, deal.get("stage"), deal.get("stage_label")),
            "days_in_stage": t["brief_days_in_stage"].format(
                days=f.number(deal.get("days_in_stage"))
            ),
            "value": f.money(deal.get("value"), deal.get("currency")),
            "probability": f.percent(deal.get("probability")),
            "stage_default": t["brief_stage_default"].format(
                rate=f.percent(deal.get("stage_default_probability"))
            ),
            "expected_close": f.day(deal.get("expected_close")),
            "next_step": _text(deal.get("next_step")),
            "next_step_due": f.day(deal.get("next_step_due")),
            "stalled": [_text(reason) for reason in deal.get("stalled") or ()],
        }
    reviewed = reliability.get("reviewed_on")
    return {
        "language": f.language,
        "t": t,
        "prepared": t["brief_prepared"].format(date=prepared) if prepared else "",
        "prepared_on": prepared,
        # "Page X of Y" in this brief's language (a named @page per language, see brief.html).
        "page_counter_css": Markup(page_counter_css(t["page_of"])),
        "warnings": _warnings(brief, t, f),
        "meeting": {
            "when": f.moment(meeting.get("when")),
            "place": _text(meeting.get("place")),
            "agenda": _text(meeting.get("agenda")),
            "client_interests": _text(meeting.get("client_interests")),
            "benefits_to_show": _text(meeting.get("benefits_to_show")),
        },
        "client": {
            "id": _text(client.get("id")),
            "name": _text(client.get("name")),
            "legal_name": _text(client.get("legal_name")),
            "facts": " · ".join(
                text
                for text in (
                    word(f.language, "tier", client.get("tier")) if client.get("tier") else "",
                    Formatter(f.locale, "EUR").country(client.get("country")),
                    _text(client.get("segment")),
                    _text(client.get("industry")),
                )
                if text
            ),
            "owner": _text(client.get("owner")),
            "last_contact": f.day(client.get("last_contact")) or t["brief_never"],
            "open_deals": [
                f"{d.get('id')} {d.get('title')} — {_stage(t, '', d.get('stage'))}, "
                f"{f.money(d.get('value'), d.get('currency'))}"
                for d in client.get("open_deals") or ()
            ],
            "contact": " · ".join(
                _text(client.get(key)) for key in ("phone", "email") if client.get(key)
            ),
            "fit_notes": _text(client.get("fit_notes")),
            "latest_note": _text(client.get("latest_note")),
        },
        "attendees": [
            {
                "name": _text(p.get("name")),
                "role": word(f.language, "role", p.get("role") or ""),
                "title": _text(p.get("title")),
                "ours": bool(p.get("ours")),
            }
            for p in brief.get("attendees") or ()
        ],
        "deal": deal_view,
        "open_needs": [
            {
                "need": _text(n.get("need")),
                "priority": word(f.language, "level", n.get("priority")),
                "products": ", ".join(_text(code) for code in n.get("products") or ()),
            }
            for n in brief.get("open_needs") or ()
        ],
        "objections": [
            {
                "category": word(f.language, "category", o.get("category")),
                "words": _text(o.get("words")),
                "real_reason": _text(o.get("real_reason")),
                "response": _text(o.get("response")),
                "status": word(f.language, "status", o.get("status")),
                "blocking": bool(o.get("blocking")),
                "raised_on": f.day(o.get("raised_on")),
            }
            for o in brief.get("open_objections") or ()
        ],
        "interactions": [
            {
                "at": f.moment(i.get("at")),
                "kind": word(f.language, "kind", i.get("kind")),
                "note": _text(i.get("note") or i.get("outcome")),
            }
            for i in brief.get("last_interactions") or ()
        ],
        "promises": [
            {
                "due": f.day(p.get("due")),
                # An activity without a note is named by its kind: say the kind in the language.
                "what": word(f.language, "kind", p.get("what"))
                if p.get("what") == p.get("kind")
                else _text(p.get("what")),
            }
            for p in brief.get("promises") or ()
        ],
        "open_offers": [
            {
                "offer": _text(o.get("offer")),
                "valid_until": f.day(o.get("valid_until")),
                "state": t["brief_expired"]
                if o.get("expired")
                else (
                    t["brief_days_left"].format(days=f.number(o.get("days_left")))
                    if o.get("days_left") is not None
                    else ""
                ),
                "expired": bool(o.get("expired")),
                "total": f.money(o.get("total"), o.get("currency")),
            }
            for o in brief.get("open_offers") or ()
        ],
        "complaints": [
            {
                "id": _text(c.get("id")),
                "what": _text(c.get("what")),
                "severity": word(f.language, "level", c.get("severity")),
                "raised_on": f.day(c.get("raised_on")),
                "escalated_to": _text(c.get("escalated_to")),
            }
            for c in brief.get("open_complaints") or ()
        ],
        "reliability": {
            "rating": _text(reliability.get("rating")),
            "meaning": word(f.language, "rating", reliability.get("rating"))
            if reliability.get("rating")
            else _text(reliability.get("meaning")),
            "reviewed": t["brief_review_age"].format(
                date=f.day(reviewed), days=f.number(reliability.get("review_age_days"))
            )
            if reviewed
            else t["brief_never_reviewed"],
            "years": f.number(reliability.get("years_in_business")),
            "credit_limit": f.money(reliability.get("credit_limit"), client.get("currency")),
            "payment_days": t["brief_payment_days"].format(
                days=f.number(reliability.get("payment_terms_days"))
            )
            if reliability.get("payment_terms_days") is not None
            else "",
            "paid": f.number(figures.get("paid")),
            "average_late": f.number(figures.get("average_days_late")),
            "worst_late": f.number(figures.get("worst_days_late")),
            "on_time": f.share(figures.get("on_time_share")),
            "overdue": [
                f.money(amount, currency)
                for currency, amount in (figures.get("open_overdue") or {}).items()
            ],
            "flags": [
                f"{_text(flag.get('category'))}: {_text(flag.get('note'))}".rstrip(": ")
                for flag in reliability.get("open_flags") or ()
            ],
        },
    }


def render_briefs_html(
    briefs: Sequence[Mapping[str, Any]],
    company: Mapping[str, str],
    *,
    today: date,
    zone: tzinfo | None = None,
    template_dirs: Sequence[Path] | None = None,
) -> tuple[str, FetchPolicy, tuple[Path, ...]]:
    """The finished HTML of one or many briefs, and what WeasyPrint may fetch for it."""
    dirs = tuple(template_dirs) if template_dirs is not None else _dirs()
    try:
        views = [brief_view(brief, zone, today) for brief in briefs]
    except (FormattingError, LookupError, ValueError, ArithmeticError, AttributeError) as exc:
        raise RenderError(f"meeting brief: {exc}") from None
    # The frame (page footer, title) speaks the first brief's language; each brief its own.
    language = views[0]["language"] if views else "en"
    t = texts_for(language)
    frame = Formatter.for_language(language, "EUR")
    profile = {key: _text(company.get(key)) for key in COMPANY_KEYS}
    logo = _logo({"company": profile})
    doc = {
        "kind": "brief",
        "language": language,
        "title": t["brief_title"],
        "number": "",
        "version": "",
        "company": profile,
        "issued_iso": today.isoformat(),
        "issued_on": frame.date(today),
        "prepared": t["brief_prepared"].format(date=frame.date(today)),
    }
    context = {
        "doc": doc,
        "briefs": views,
        "languages": {view["language"]: view["page_counter_css"] for view in views},
        "t": t,
        "logo_url": logo.as_uri() if logo else "",
        "stylesheets": [_first(dirs, name).as_uri() for name in STYLESHEETS],
        "page_counter_css": Markup(page_counter_css(t["page_of"])),
    }
    start_budget()
    try:
        html = _environment(dirs).get_template(TEMPLATE).render(context)
    except TEMPLATE_FAILURES as exc:
        raise RenderError(f"template {TEMPLATE}: {exc}") from None
    return html, FetchPolicy.of(dirs, [logo] if logo else []), dirs


def _dirs() -> tuple[Path, ...]:
    return template_dirs()


def render_briefs_pdf(
    briefs: Sequence[Mapping[str, Any]],
    company: Mapping[str, str],
    out: Path,
    *,
    today: date,
    zone: tzinfo | None = None,
    template_dirs: Sequence[Path] | None = None,
) -> RenderResult:
    """One or many briefs as one PDF at ``out`` (written atomically): path, SHA-256, pages."""
    html, policy, dirs = render_briefs_html(
        briefs, company, today=today, zone=zone, template_dirs=template_dirs
    )
    return write_pdf(html, policy, dirs, Path(out), None, "meeting brief")
