"""Today: what wants the key-account manager's attention, group by group, with the actions a
row needs one key away.

The list is an OptionList — a group title is a disabled option the cursor skips — so a few
hundred rows cost a few hundred lines of text, not a widget each. Rows are laid out in
columns cut to the screen's width and laid out again when it changes. The list is read in a
thread worker behind the app's store lock; a timer picks up changes made elsewhere (the CLI,
another terminal) by the store's version, and the day turning at midnight.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from accmgr.domain.reliability import labelled
from accmgr.domain.search import key_matches, query_words
from accmgr.screens import today_forms as forms
from accmgr.screens.today_rows import haystack, item_key, row_text, when_label
from accmgr.services.today import SECTIONS, TodayItem, TodayList
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.section_bar import SectionBar
from accmgr.widgets.visible_text import ShownText, shown

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp

REFRESH_SECONDS = 1.0
# A group shows this many rows until its "more" line is chosen: a KAM with 5,000 deals can
# have thousands of overdue items, and measuring thousands of lines on every refresh would
# stall the keyboard.
GROUP_ROWS = 200

# Which rows each action applies to; the footer shows only the keys of the row in front.
_DONE = {"activity", "next-step", "deal-meeting"}
_SNOOZE = {"activity", "next-step"}


def _key(
    key: str, action: str, description: str, tooltip: str, *, show: bool = True, name: str = ""
) -> Binding:
    return Binding(
        key, action, description, show=show, id=f"today.{name or action}", tooltip=tooltip
    )


class RowList(OptionList):
    """The list, whose Enter opens the row: shown in the footer, where OptionList hides it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Open",
            id="today.open",
            tooltip="Open the row's deal, or its client (on a '… more' line: show them all)",
        )
    ]


class TodayScreen(Screen[None]):
    CSS_PATH = "today.tcss"
    TITLE = "Today"
    BINDINGS: ClassVar[list[BindingType]] = [
        _key("d", "done", "Done", "Mark the row done with its outcome"),
        _key("s", "snooze", "Snooze", "Move it to another day: +1d, next mon, 3 Dec…"),
        _key("t", "reschedule", "Reschedule", "Set a new date and time", show=False),
        _key("n", "next_step", "Next step", "Set the deal's next step and its date"),
        _key("b", "brief", "Brief", "The meeting brief: warnings first, then what is open"),
        _key("ctrl+r", "reload", "Reload", "Read the list again", show=False),
        _key("slash", "filter", "Filter", "Filter the rows as you type", show=False),
        _key("escape", "clear_filter", "Clear filter", "Clear the filter", show=False),
        _key(
            "right_square_bracket",
            "group(1)",
            "Next group",
            "The first row of the next group",
            show=False,
            name="next_group",
        ),
        _key(
            "left_square_bracket",
            "group(-1)",
            "Previous group",
            "The first row of the previous group",
            show=False,
            name="previous_group",
        ),
    ]

    class Loaded(Message):
        def __init__(self, found: TodayList, texts: dict[str, Text], width: int) -> None:
            super().__init__()
            self.found = found
            # The rows laid out for ``width`` off the UI thread (a few thousand Texts).
            self.texts = texts
            self.width = width

    def __init__(self) -> None:
        super().__init__()
        self.found: TodayList | None = None
        self.items: dict[str, TodayItem] = {}
        self._seen: tuple[int, date | None, int] = (-1, None, 0)
        self._width = 0
        self._texts: dict[str, Text] = {}
        self.expanded: set[str] = set()  # groups showing all their rows
        self._shape: tuple[str, str, bool] | None = None
        # The filter as typed (folded where matched); read by the loader too (a str swap is atomic).
        self.needle = ""
        # True once the first load is on screen (tests wait for it).
        self.ready = False

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield SectionBar("today")
        yield Static("Loading…", id="today-status", markup=False)
        yield Input(
            placeholder="/ to filter by client, what or note", id="today-filter", compact=True
        )
        yield RowList(id="today-list")
        yield Static("", id="today-detail")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#today-list", OptionList).focus()
        self.load(force=True)
        self.set_interval(REFRESH_SECONDS, self._poll)

    # Loading

    def _poll(self) -> None:
        # Behind another section or a pushed screen, the list waits: rebuilding it at 5,000
        # deals holds the store lock for a second or two that the screen in front needs.
        if self.is_current:
            self.load(force=False)

    def on_screen_resume(self) -> None:
        if self.found is not None:
            self.load(force=False)

    def action_reload(self) -> None:
        self.load(force=True)

    @work(thread=True, exclusive=True, group="today", description="Reading Today")
    def load(self, force: bool) -> None:
        from accmgr.services.today import build_today

        workspace = self.accmgr.workspace
        with self.accmgr.store_lock:
            store = workspace.store
            store.refresh()
            # The day turning or the dormant limit saved in Settings change the list too.
            seen = (store.version, workspace.today(), workspace.settings.dormant_days)
            if not force and seen == self._seen:
                return
            self._seen = seen
            found = build_today(workspace)
        width = self._width or 100
        texts = {item_key(i): row_text(i, found.now, width) for i in self._shown(found)}
        self.post_message(self.Loaded(found, texts, width))

    def _shown(self, found: TodayList) -> list[TodayItem]:
        return [item for section in SECTIONS for item in self._rows(found, section)]

    def _matching(self, found: TodayList, section: str) -> list[TodayItem]:
        items = found.sections.get(section, [])
        words = query_words(self.needle)
        return [i for i in items if key_matches(words, haystack(i))] if words else items

    def _rows(self, found: TodayList, section: str) -> list[TodayItem]:
        items = self._matching(found, section)
        return items if section in self.expanded else items[:GROUP_ROWS]

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.found = event.found
        self._texts = event.texts if event.width == self._width else {}
        self._fill()
        self.ready = True

    @on(Resize)
    def _resized(self) -> None:
        if self.found is not None and self._list_width() != self._width:
            self._fill()

    def _list_width(self) -> int:
        return max(self.query_one("#today-list", OptionList).scrollable_content_region.width, 40)

    def _fill(self) -> None:
        found = self.found
        assert found is not None
        listing = self.query_one("#today-list", OptionList)
        keep = self.selected_key
        width = self._list_width()
        if width != self._width:
            self._width, self._texts = width, {}
        options: list[Option] = []
        self.items = {}
        for section, title in SECTIONS.items():
            items = self._matching(found, section)
            total = len(found.sections.get(section, []))
            count = f"{len(items)} of {total}" if self.needle else str(total)
            heading = Text(f"{title} ({count})", style="bold" if items else "dim")
            options.append(Option(heading, id=f"h:{section}", disabled=True))
            shown = self._rows(found, section)
            for item in shown:
                key = item_key(item)
                self.items[key] = item
                text = self._texts.get(key) or row_text(item, found.now, width)
                options.append(Option(text, id=key))
            if len(shown) < len(items):
                more = Text(f"  … {len(items) - len(shown)} more: Enter shows them all")
                options.append(Option(more, id=f"more:{section}"))
        listing.set_options(options)
        self._select(keep)
        self._status(found)
        self._show_detail()

    def _select(self, key: str | None) -> None:
        listing = self.query_one("#today-list", OptionList)
        if key is not None and key in self.items:
            listing.highlighted = listing.get_option_index(key)
            return
        for index, option in enumerate(listing.options):
            if not option.disabled:
                listing.highlighted = index
                return
        listing.highlighted = None

    def _status(self, found: TodayList) -> None:
        total = len(found.items())
        overdue = len(found.sections.get("overdue", []))
        day = f"{found.now:%A %-d %B %Y}"
        if total == 0:
            text = f"{day} · nothing wants your attention today"
        else:
            text = f"{day} · {total} item{'s' if total != 1 else ''} · {overdue} overdue"
        self.query_one("#today-status", Static).update(text)

    # The row in front

    @property
    def selected_key(self) -> str | None:
        option = self.query_one("#today-list", OptionList).highlighted_option
        return option.id if option is not None and option.id in self.items else None

    @property
    def selected(self) -> TodayItem | None:
        key = self.selected_key
        return self.items.get(key) if key is not None else None

    @on(OptionList.OptionHighlighted, "#today-list")
    def _highlighted(self) -> None:
        self._show_detail()
        # Redrawing the footer on every arrow key is wasted work: only a row of another kind
        # changes which keys apply.
        item = self.selected
        shape = None if item is None else (item.kind, item.section, item.deal_id is None)
        if shape != self._shape:
            self._shape = shape
            self.refresh_bindings()

    def _show_detail(self) -> None:
        item, found = self.selected, self.found
        text = ShownText()
        if item is not None and found is not None:
            for warning in item.warnings:
                text.append(shown(labelled(warning)) + "\n", style="bold red")
            text.append(shown(item.title), style="bold")
            text.append(f" · {shown(item.client_name)} ({item.client_id})")
            if item.deal_id and item.deal_id != item.ref:
                text.append(f" · deal {item.deal_id}")
            when = when_label(item.when, found.now)
            if when or item.detail:
                text.append("\n" + " · ".join(part for part in (when, shown(item.detail)) if part))
        self.query_one("#today-detail", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in ("done", "snooze", "reschedule", "next_step", "brief"):
            return True
        # A key that does not apply to the row in front is shown dimmed (None), not hidden:
        # the footer and the help still say what Today can do.
        item = self.selected
        if item is None:
            return None
        applies = {
            "done": item.kind in _DONE,
            "snooze": item.kind in _SNOOZE,
            "reschedule": item.kind == "activity",
            "next_step": item.deal_id is not None and item.kind != "activity",
            "brief": item.section == "meetings" or item.kind == "deal-meeting",
        }
        return True if applies[action] else None

    # Filtering

    def action_filter(self) -> None:
        self.query_one("#today-filter", Input).focus()

    @on(Input.Changed, "#today-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.needle = event.value.strip()
        if self.found is not None:
            self._fill()

    @on(Input.Submitted, "#today-filter")
    def _filter_done(self) -> None:
        self.query_one("#today-list", OptionList).focus()

    def action_clear_filter(self) -> None:
        """Escape: an active filter is cleared first, then the list has the keys again."""
        field = self.query_one("#today-filter", Input)
        if field.value:
            field.value = ""
        self.query_one("#today-list", OptionList).focus()

    # Actions

    def action_group(self, step: int) -> None:
        """Jump to the first row of the next (or previous) group that has rows."""
        listing = self.query_one("#today-list", OptionList)
        firsts = [
            index + 1
            for index, option in enumerate(listing.options)
            if option.disabled
            and index + 1 < len(listing.options)
            and not listing.options[index + 1].disabled
        ]
        if not firsts:
            return
        here = listing.highlighted if listing.highlighted is not None else -1
        if step > 0:
            later = [index for index in firsts if index > here]
            target = later[0] if later else firsts[0]
        else:
            earlier = [index for index in firsts if index < here]
            target = earlier[-1] if earlier else firsts[-1]
        listing.highlighted = target
        # Rows are one line each: put the group's title at the top, above its first row.
        self.call_after_refresh(listing.scroll_to, y=target - 1, animate=False)

    @on(OptionList.OptionSelected, "#today-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        if option_id.startswith("more:") and self.found is not None:
            section = option_id.removeprefix("more:")
            self.expanded.add(section)
            self._fill()
            rows = self.found.sections.get(section, [])
            if len(rows) > GROUP_ROWS:  # carry on where the list was cut
                self._select(item_key(rows[GROUP_ROWS]))
            return
        self.open_row()

    def open_row(self) -> None:
        item = self.selected
        if item is None:
            return
        if item.deal_id is not None:
            from accmgr.screens.deal import DealScreen

            self.app.push_screen(DealScreen(item.deal_id))
            return
        from accmgr.screens.client import ClientScreen

        self.app.push_screen(ClientScreen(item.client_id))

    def action_brief(self) -> None:
        item = self.selected
        if item is None:
            return
        from accmgr.screens.brief import BriefScreen

        self.app.push_screen(BriefScreen(item.ref))

    def _form(self, form_type: type[forms.RowForm], said: Callable[[Any], str]) -> None:
        item = self.selected
        if item is None:
            return
        form = form_type(self.accmgr.workspace, item, lock=self.accmgr.store_lock)

        def saved(result: object | None) -> None:
            if result is not None:
                self.notify(said(result))
                self.load(force=True)

        self.app.push_screen(form, saved)

    def action_done(self) -> None:
        self._form(forms.DoneForm, _done_message)

    def action_snooze(self) -> None:
        self._form(forms.SnoozeForm, lambda result: f"Snoozed to {_due_of(result)}")

    def action_reschedule(self) -> None:
        self._form(forms.RescheduleForm, lambda result: f"Rescheduled to {_due_of(result)}")

    def action_next_step(self) -> None:
        self._form(forms.NextStepForm, lambda result: "Next step saved")


def _due_of(result: object) -> str:
    due = getattr(result, "due", None) or getattr(result, "next_step_due", None)
    return forms.describe_when(due)


def _done_message(result: object) -> str:
    from accmgr.services.today_actions import Completed

    if isinstance(result, Completed) and result.following is not None:
        following = result.following
        return f"Done. Next occurrence {following.id}: {forms.describe_when(following.due)}"
    return "Done"
