"""The Today section: groups with counts, and each row action checked on the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from accmgr.app import AccmgrApp
from accmgr.domain.activity import Activity, ActivityKind
from accmgr.screens import today as today_screen
from accmgr.screens.brief import BriefScreen
from accmgr.screens.client import ClientScreen
from accmgr.screens.deal import DealScreen
from accmgr.screens.today import TodayScreen
from accmgr.screens.today_forms import RowForm
from accmgr.services import activities, deals
from accmgr.services.workspace import Workspace
from tests.tui.shell_fixtures import wait_for as _wait_for
from tests.tui.today_fixtures import at, today_ws

__all__ = ["today_ws"]


async def wait_for(condition: Callable[[], object], timeout: float = 15.0) -> None:
    await _wait_for(condition, timeout)


def activity(ws: Workspace, activity_id: str) -> Activity:
    return ws.load("activities", Activity, activity_id)


async def open_today(app: AccmgrApp, pilot: Pilot[Any]) -> TodayScreen:
    await wait_for(lambda: isinstance(app.screen, TodayScreen) and app.screen.ready)
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    await pilot.pause()
    return screen


def lines(screen: TodayScreen) -> list[str]:
    listing = screen.query_one("#today-list", OptionList)
    return [str(option.prompt).rstrip() for option in listing.options]


async def choose(screen: TodayScreen, pilot: Pilot[Any], section: str, ref: str) -> None:
    """Put the cursor on a row, as the arrow keys would."""
    await wait_for(
        lambda: any(i.section == section and i.ref == ref for i in screen.items.values())
    )
    key = next(k for k, i in screen.items.items() if i.section == section and i.ref == ref)
    listing = screen.query_one("#today-list", OptionList)
    listing.highlighted = listing.get_option_index(key)
    await pilot.pause()
    assert screen.selected is not None and screen.selected.ref == ref


async def act(pilot: Pilot[Any], key: str, *typed: str, clear: bool = False) -> RowForm:
    """Press an action's key and type into the form's first field."""
    app = pilot.app
    await pilot.press(key)
    await wait_for(lambda: isinstance(app.screen, RowForm))
    form = app.screen
    assert isinstance(form, RowForm)
    await pilot.pause()
    if clear:
        await pilot.press("end", "ctrl+u")  # delete what the field holds
    for text in typed:
        await pilot.press(*text)
    return form


async def submit(pilot: Pilot[Any], done: Callable[[], object]) -> None:
    await pilot.press("enter")
    await wait_for(done)
    await wait_for(lambda: not isinstance(pilot.app.screen, RowForm))


async def test_groups_show_their_counts_and_rows(today_ws: Workspace) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        shown = lines(screen)
        for heading in (
            "Overdue follow-ups (2)",
            "Due today (1)",
            "Meetings today and tomorrow (1)",
            "Stalled deals (1)",
            "Offers expiring within 7 days (0)",
            "Recurring reviews due (2)",
        ):
            assert heading in shown
        assert any(
            line.startswith("yesterday 09:00") and "Kauno Baldai UAB" in line
            and "Call back about desks" in line and "1 day(s) overdue" in line
            for line in shown
        ), shown  # fmt: skip
        # The key client with a red flag is marked, and the warning is spelled out below.
        meeting = next(line for line in shown if line.startswith("tomorrow 10:00"))
        assert "⚠ Porto Metais SA" in meeting  # the worst warning's glyph: a caution
        await choose(screen, pilot, "meetings", "A-0003")
        detail = str(screen.query_one("#today-detail", Static).content)
        assert detail.startswith("⚠ CAUTION: open red flag")
        status = str(screen.query_one("#today-status", Static).content)
        assert status == "Monday 23 November 2026 · 7 items · 2 overdue"


async def test_done_with_an_outcome_schedules_the_next_review(today_ws: Workspace) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "reviews", "A-0004")
        await act(pilot, "d", "Volumes up 5 %")
        await submit(pilot, lambda: activity(ws, "A-0004").done)
        done = activity(ws, "A-0004")
        assert (done.outcome, done.done_at) == ("Volumes up 5 %", ws.now())
        following = activity(ws, "A-0006")
        assert (following.note, following.due, following.done) == (
            "Account review",
            date(2026, 12, 1),
            False,
        )
        # The review leaves the list: the next one is not due yet.
        await wait_for(lambda: "A-0004" not in {i.ref for i in screen.items.values()})


async def test_done_needs_an_outcome(today_ws: Workspace) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "due_today", "A-0002")
        form = await act(pilot, "d")
        await pilot.press("enter")
        await pilot.pause()
        message = str(form.field("outcome").query_one(".field-message", Static).content)
        assert message == "required"
        assert app.screen is form and not activity(today_ws, "A-0002").done
        await pilot.press("escape")
        await wait_for(lambda: app.screen is screen)


async def test_snooze_one_day_keeps_the_time(today_ws: Workspace) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "overdue", "A-0001")
        await act(pilot, "s")  # "+1d" is there already
        await submit(pilot, lambda: activity(ws, "A-0001").due != at(date(2026, 11, 22), 9))
        assert activity(ws, "A-0001").due == at(date(2026, 11, 24), 9)
        await wait_for(lambda: "A-0001" not in {i.ref for i in screen.items.values()})


async def test_snooze_to_a_typed_day_shows_the_parsed_date(today_ws: Workspace) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "due_today", "A-0002")
        form = await act(pilot, "s", "next fri", clear=True)
        message = str(form.field("to").query_one(".field-message", Static).content)
        assert message == "Fri 27 Nov 2026"
        await submit(pilot, lambda: activity(ws, "A-0002").due == date(2026, 11, 27))


async def test_snooze_into_the_past_is_refused_beside_the_field(today_ws: Workspace) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "due_today", "A-0002")
        form = await act(pilot, "s", "yesterday", clear=True)
        await pilot.press("enter")
        await wait_for(
            lambda: (
                "in the past"
                in str(form.query_one("#field-to Static.field-message", Static).content)
            )
        )
        assert app.screen is form and activity(ws, "A-0002").due == date(2026, 11, 23)


async def test_reschedule_to_a_date_and_time(today_ws: Workspace) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "meetings", "A-0003")
        await act(pilot, "t", "1 Dec 14:30", clear=True)
        expected = datetime(2026, 12, 1, 14, 30, tzinfo=ws.tz)
        await submit(pilot, lambda: activity(ws, "A-0003").due == expected)


async def test_next_step_for_a_stalled_deal_and_done_for_an_overdue_one(
    today_ws: Workspace,
) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "stalled", "D-0002")
        await act(pilot, "n", "Call the buyer", "\t", "+3d")
        await submit(pilot, lambda: deals.get_deal(ws, "D-0002").next_step)
        deal = deals.get_deal(ws, "D-0002")
        assert (deal.next_step, deal.next_step_due) == ("Call the buyer", date(2026, 11, 26))
        await wait_for(lambda: "D-0002" not in {i.ref for i in screen.items.values()})

        await choose(screen, pilot, "overdue", "D-0001")
        await act(pilot, "d", "Sent v2")
        await submit(pilot, lambda: not deals.get_deal(ws, "D-0001").next_step)
        [task] = [a for a in activities.list_activities(ws) if a.deal_id == "D-0001"]
        assert (task.kind, task.note, task.outcome) == (
            ActivityKind.TASK,
            "Send the revised offer",
            "Sent v2",
        )


async def test_keys_follow_the_row_and_open_the_deal_and_the_brief(today_ws: Workspace) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)

        def enabled() -> set[str]:
            return {
                b.binding.action
                for b in screen.active_bindings.values()
                if b.enabled and b.node is screen and b.binding.action != "group"
            }

        await choose(screen, pilot, "overdue", "A-0001")
        assert {"done", "snooze", "reschedule"} <= enabled()
        assert not {"brief", "next_step"} & enabled()
        await choose(screen, pilot, "stalled", "D-0002")
        assert "next_step" in enabled() and not {"done", "snooze"} & enabled()

        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, DealScreen))
        assert isinstance(app.screen, DealScreen) and app.screen.deal_id == "D-0002"
        await pilot.press("escape")
        await wait_for(lambda: app.screen is screen)

        await choose(screen, pilot, "overdue", "A-0001")  # no deal: its client opens
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("escape")
        await wait_for(lambda: app.screen is screen)

        await choose(screen, pilot, "meetings", "A-0003")
        await pilot.press("b")
        await wait_for(lambda: isinstance(app.screen, BriefScreen) and app.screen.brief)
        assert isinstance(app.screen, BriefScreen) and app.screen.record_id == "A-0003"


async def test_a_change_from_the_command_line_appears(today_ws: Workspace) -> None:
    ws = today_ws
    app = AccmgrApp(ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        with app.store_lock:
            activities.log_activity(
                ws, ActivityKind.CALL, "C-0002", due=ws.today(), note="Ask about the invoice"
            )
        await wait_for(lambda: "A-0006" in {i.ref for i in screen.items.values()})
        assert "Due today (2)" in lines(screen)


async def test_next_group_jumps_to_its_first_row(today_ws: Workspace) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        assert screen.selected is not None and screen.selected.section == "overdue"
        await pilot.press("right_square_bracket")
        assert screen.selected is not None and screen.selected.section == "due_today"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.selected is not None and screen.selected.section == "reviews"


def test_snapshot_of_today(today_ws: Workspace, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AccmgrApp)
        screen = await open_today(app, pilot)
        await choose(screen, pilot, "meetings", "A-0003")

    assert snap_compare(
        AccmgrApp(today_ws, "today"), terminal_size=(120, 40), run_before=run_before
    )


async def test_a_long_group_is_cut_until_asked(
    today_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(today_screen, "GROUP_ROWS", 1)
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        shown = lines(screen)
        assert shown[:3] == [
            "Overdue follow-ups (2)",
            shown[1],
            "  … 1 more: Enter shows them all",
        ]
        await pilot.press("down", "enter")
        await wait_for(lambda: "A-0001" in {i.ref for i in screen.items.values()})
        assert screen.selected is not None and screen.selected.ref == "A-0001"
        assert lines(screen)[3] == "Due today (1)"  # the overdue group is whole now


async def test_the_dormant_limit_saved_in_settings_applies_to_today(today_ws: Workspace) -> None:
    # C-0001 (key) was last called three days ago: dormant only with a limit under 3 days.
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        assert "Dormant key clients (0)" in lines(screen)
        await pilot.press("f8")
        await wait_for(lambda: bool(app.screen.query("#f-today-dormant_days")))
        field = app.screen.query_one("#f-today-dormant_days", Input)
        assert field.value == "45"
        field.value = "2"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.workspace.settings.dormant_days == 2)
        await pilot.press("f2")
        await wait_for(lambda: "Dormant key clients (1)" in lines(screen))


async def test_the_list_filters_as_you_type(today_ws: Workspace) -> None:
    app = AccmgrApp(today_ws, "today")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_today(app, pilot)
        await pilot.press("slash", *"kauno")
        await wait_for(lambda: "Overdue follow-ups (1 of 2)" in lines(screen))
        assert {i.client_name for i in screen.items.values()} == {"Kauno Baldai UAB"}
        assert "Meetings today and tomorrow (0 of 1)" in lines(screen)
        await pilot.press("enter")  # back to the list, the filter stays
        assert screen.selected is not None and screen.selected.ref == "A-0001"
        await pilot.press("escape")
        await wait_for(lambda: "Overdue follow-ups (2)" in lines(screen))
