"""The meeting brief on screen: what a key-account manager reads the evening before a meeting.

Warnings come first, in the error colour, above everything else — a stale review or an open
red flag must be the first thing read. Then the meeting, the client in a few lines, who
attends and what they decide, the deal, what is open, and the reliability detail. Everything
is text in one scrolling column, so it reads the same at 80x24 as on a wide terminal.

``BriefScreen(record_id)`` takes a deal id (its next meeting) or an activity id; the deal's
Meeting tab and the Today list open it that way. The brief is built in a thread worker behind
the app's store lock and rebuilt when the store changes elsewhere.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from accmgr.domain.display import stored_money
from accmgr.domain.reliability import labelled
from accmgr.errors import AccmgrError
from accmgr.services.brief import Brief
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.visible_text import ShownText, shown, shown_cell

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

REFRESH_SECONDS = 2.0


def _moment(text: str | None) -> str:
    """An ISO date or datetime from the brief as people read it."""
    if not text:
        return "—"
    if len(text) > 10:
        return f"{datetime.fromisoformat(text):%a %-d %b %Y %H:%M}"
    return f"{date.fromisoformat(text):%a %-d %b %Y}"


def _section(title: str, lines: list[str | Text], empty: str = "none") -> Text:
    text = ShownText()
    text.append(title, style="bold underline")
    if not lines:
        text.append(f"  {empty}", style="dim")
        return text
    for line in lines:
        text.append("\n  ")
        text.append(line)
    return text


def warnings_text(brief: Brief) -> Text:
    if not brief.warnings:
        return Text("✔ No warnings: reliability reviewed, no open red flag, nothing overdue.")
    text = ShownText()
    for number, warning in enumerate(brief.warnings):
        text.append(("\n" if number else "") + labelled(warning), style="bold")
    return text


def meeting_text(d: dict[str, Any]) -> Text:
    meeting, client = d["meeting"], d["client"]
    text = ShownText()
    text.append(f"{_moment(meeting['when'])}  ", style="bold")
    text.append(f"{client['name']} ({client['id']})", style="bold")
    if meeting.get("place"):
        text.append(f" — {meeting['place']}")
    if meeting.get("held"):
        text.append("  (held)", style="dim")
    for label, key in (
        ("Agenda", "agenda"),
        ("Their interests", "client_interests"),
        ("Benefits to show", "benefits_to_show"),
    ):
        if meeting.get(key):
            text.append(f"\n{label}: ", style="bold")
            text.append(str(meeting[key]))
    if meeting.get("source") == "deal-meeting" and not meeting.get("reliability_reviewed"):
        text.append("\nReliability notes not yet ticked as reviewed for this meeting.")
    return text


def client_text(d: dict[str, Any]) -> Text:
    c = d["client"]
    facts = [c["tier"] + " client", c["country"] or "", c["segment"], c["industry"]]
    lines: list[str | Text] = [" · ".join(f for f in facts if f)]
    if c["legal_name"] and c["legal_name"] != c["name"]:
        lines.append(c["legal_name"])
    lines.append(
        f"last contact {_moment(c['last_contact']) if c['last_contact'] else 'never'} · "
        f"owner {c['owner'] or '—'} · {len(c['open_deals'])} open deal(s)"
    )
    reach = " · ".join(p for p in (c["phone"], c["email"] or "") if p)
    if reach:
        lines.append(reach)
    if c["latest_note"]:
        lines.append(f"latest note: {c['latest_note']}")
    return _section("Client", lines)


def attendees_text(d: dict[str, Any]) -> Text:
    lines: list[str | Text] = []
    for p in d["attendees"]:
        line = Text(p["name"], style="bold")
        if p["ours"]:
            line.append(" (ours)", style="dim")
        else:
            role = (p["role"] or "role unknown").replace("-", " ")
            line.append(f" — {role}")
        if p["title"]:
            line.append(f", {p['title']}")
        reach = p["phone"] or p["email"]
        if reach:
            line.append(f" · {reach}", style="dim")
        lines.append(line)
    return _section("Attendees", lines, "none recorded")


def deal_text(d: dict[str, Any]) -> Text:
    deal = d["deal"]
    if deal is None:
        return _section("Deal", [], "not linked to a deal")
    lines: list[str | Text] = [
        f"{deal['id']} {deal['title']}",
        f"{deal['stage_label']} for {deal['days_in_stage']} days · "
        f"{stored_money(deal['value'], deal['currency'])} · "
        f"{float(deal['probability']):.0f} % "
        f"(stage default {float(deal['stage_default_probability']):.0f} %)",
    ]
    if deal["next_step"]:
        lines.append(f"next step: {deal['next_step']} ({_moment(deal['next_step_due'])})")
    if deal["expected_close"]:
        lines.append(f"expected close: {_moment(deal['expected_close'])}")
    lines += [Text(f"stalled: {reason}", style="yellow") for reason in deal["stalled"]]
    return _section("Deal", lines)


def open_items_texts(d: dict[str, Any], today: date) -> list[Text]:
    needs: list[str | Text] = [
        f"{n['need']} ({n['priority']})"
        + (f" → {', '.join(n['products'])}" if n["products"] else "")
        for n in d["open_needs"]
    ]
    objections: list[str | Text] = []
    for o in d["open_objections"]:
        line = Text(f"{o['category']}: “{o['words']}” ({o['status']})")
        if o["blocking"]:
            line.append(" blocking", style="bold red")
        if o["real_reason"]:
            line.append(f" — real reason: {o['real_reason']}")
        objections.append(line)
    interactions: list[str | Text] = [
        f"{_moment(i['at'])} {i['kind']}: {i['note'] or i['outcome'] or '—'}"
        + (f" → {i['outcome']}" if i["note"] and i["outcome"] else "")
        for i in d["last_interactions"]
    ]
    promises: list[str | Text] = []
    for p in d["promises"]:
        late = p["due"] is not None and p["due"][:10] < today.isoformat()
        line = Text(f"{_moment(p['due']) if p['due'] else 'no date'} · {p['what']}")
        if p["recurrence"]:
            line.append(" (recurring)")
        if late:  # a promise already broken is what the client will raise first
            line.append(" overdue", style="bold red")
        promises.append(line)
    offers: list[str | Text] = []
    for o in d["open_offers"]:
        line = Text(o["offer"])
        if o["total"]:
            total = stored_money(o["total"], o["currency"]) if o["currency"] else o["total"]
            line.append(f" · {total}")
        if o["expired"]:
            line.append(f" · expired {_moment(o['valid_until'])}", style="red")
        elif o["valid_until"]:
            soon = o["days_left"] is not None and o["days_left"] <= 7
            line.append(
                f" · valid until {_moment(o['valid_until'])} ({o['days_left']} days left)",
                style="yellow" if soon else "",
            )
        offers.append(line)
    complaints: list[str | Text] = [
        f"{c['id']} {c['severity']}: {c['what']} (since {_moment(c['raised_on'])})"
        + (f", escalated to {c['escalated_to']}" if c["escalated_to"] else "")
        for c in d["open_complaints"]
    ]
    return [
        _section("Open needs", needs),
        _section("Open objections", objections),
        _section("Last interactions", interactions),
        _section("Promises and open tasks", promises),
        _section("Open offers", offers),
        _section("Open complaints", complaints),
    ]


def reliability_text(d: dict[str, Any]) -> Text:
    r = d["reliability"]
    f = r["figures"]
    age = (
        "never reviewed"
        if r["reviewed_on"] is None
        else f"reviewed {_moment(r['reviewed_on'])}, {r['review_age_days']} days ago"
    )
    lines: list[str | Text] = [f"rating {r['rating']}: {r['meaning']} ({age})"]
    if r.get("rating_note"):
        lines.append(f"why: {r['rating_note']}")
    if f["paid"]:
        lines.append(
            f"{f['paid']} paid invoice(s): average {f['average_days_late']} days late, "
            f"worst {f['worst_days_late']}, on time {float(f['on_time_share']):.0%}"
        )
    else:
        lines.append("no paid invoices recorded")
    for currency, amount in f["open_overdue"].items():
        lines.append(Text(f"overdue now: {stored_money(amount, currency)}", style="red"))
    for flag in r["open_flags"]:
        lines.append(Text(f"red flag {flag['category']}: {flag['note']}", style="red"))
    return _section("Reliability", lines)


class BriefScreen(Screen[None]):
    CSS_PATH = "brief.tcss"
    TITLE = "Meeting brief"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="brief.back", tooltip="Back to the previous screen"),
        Binding(
            "p",
            "pdf",
            "PDF",
            id="brief.pdf",
            tooltip="Write the brief as PDF in the client's language (brief-CLIENT-DATE.pdf)",
        ),
        Binding(
            "ctrl+r", "reload", "Reload", show=False, id="brief.reload", tooltip="Build it again"
        ),
    ]

    class Built(Message):
        def __init__(self, brief: Brief) -> None:
            super().__init__()
            self.brief = brief

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id.strip().upper()
        self.brief: Brief | None = None
        self._seen_version = -1
        self._failed = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="brief-body"):
            yield Static("Building the brief…", id="brief-warnings")
            yield Static("", id="brief-meeting")
            for name in ("client", "attendees", "deal", "open", "reliability"):
                yield Static("", id=f"brief-{name}", classes="brief-section")
        yield AppFooter()

    def on_mount(self) -> None:
        self.sub_title = self.record_id
        self.query_one("#brief-body").focus()
        self.load(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    def _poll(self) -> None:
        if not self._failed:
            self.load(force=False)

    def action_reload(self) -> None:
        self._failed = False
        self.load(force=True)

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.brief is not None if action == "pdf" else True

    def action_pdf(self) -> None:
        if self.brief is not None:
            self.notify("Writing the brief's PDF…", title="PDF", timeout=3)
            self.write_pdf(self.brief)

    @work(thread=True, group="brief-pdf", description="Writing the brief's PDF")
    def write_pdf(self, brief: Brief) -> None:
        """Through the document machinery, in the app's render process: WeasyPrint holds
        the GIL, and the keyboard must not wait on it."""
        from concurrent.futures.process import BrokenProcessPool

        from accmgr.documents.brief_pdf import render_briefs_pdf
        from accmgr.documents.render import template_dirs
        from accmgr.screens.rendering import render_pool, shutdown_pool
        from accmgr.services.documents import company_profile

        app, workspace = self.accmgr, self.accmgr.workspace
        with app.store_lock:
            company = company_profile(workspace)
        client = brief.data["client"]["id"]
        day = brief.data["meeting"]["when"][:10]
        out = Path.cwd() / f"brief-{client}-{day}.pdf"
        try:
            result = (
                render_pool(app)
                .run(
                    render_briefs_pdf,
                    [brief.to_dict()],
                    company,
                    out,
                    today=workspace.today(),
                    zone=workspace.tz,
                    template_dirs=template_dirs(),
                )
                .result()
            )
        except BrokenProcessPool as exc:
            shutdown_pool(app)  # the next render starts a new pool
            raise AccmgrError(
                f"the render process stopped unexpectedly ({exc}); try again"
            ) from exc
        pages = "1 page" if result.pages == 1 else f"{result.pages} pages"
        app.call_from_thread(
            app.notify, f"{result.path} ({pages})", title="Brief PDF written", timeout=8
        )

    @work(thread=True, exclusive=True, group="brief", description="Building the brief")
    def load(self, force: bool) -> None:
        from accmgr.services.brief import build_brief, meeting_of

        workspace = self.accmgr.workspace
        try:
            with self.accmgr.store_lock:
                store = workspace.store
                store.refresh()
                if not force and store.version == self._seen_version:
                    return
                self._seen_version = store.version
                brief = build_brief(workspace, meeting_of(workspace, self.record_id))
        except AccmgrError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        self.post_message(self.Built(brief))

    def _refused(self, exc: AccmgrError) -> None:
        self._failed = True
        self.query_one("#brief-warnings", Static).update(
            shown_cell(f"No brief for {self.record_id}: {exc}")
        )
        self.notify(str(exc), title="No brief", severity="error")

    @on(Built)
    def _built(self, event: Built) -> None:
        brief = event.brief
        if self.brief is not None and brief.to_dict() == self.brief.to_dict():
            return
        self.brief = brief
        d = brief.data
        self.title = shown(f"Brief: {d['client']['name']}")
        warnings = self.query_one("#brief-warnings", Static)
        warnings.update(shown_cell(warnings_text(brief)))
        warnings.set_class(bool(brief.warnings), "-warned")
        self.query_one("#brief-meeting", Static).update(shown_cell(meeting_text(d)))
        self.query_one("#brief-client", Static).update(shown_cell(client_text(d)))
        self.query_one("#brief-attendees", Static).update(shown_cell(attendees_text(d)))
        self.query_one("#brief-deal", Static).update(shown_cell(deal_text(d)))
        self.query_one("#brief-open", Static).update(
            shown_cell(Text("\n").join(open_items_texts(d, self.accmgr.workspace.today())))
        )
        self.query_one("#brief-reliability", Static).update(shown_cell(reliability_text(d)))
        self.refresh_bindings()  # the PDF key works once there is a brief
