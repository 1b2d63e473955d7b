"""The settings form: save writes the file atomically and keeps what it does not know;
errors sit beside their field and nothing is saved; Escape asks before dropping edits."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from accmgr.app import AccmgrApp
from accmgr.domain.stages import Stage
from accmgr.screens.pipeline import PipelineScreen
from accmgr.screens.settings import ConfirmScreen, SettingsScreen
from accmgr.services.workspace import Workspace
from tests.tui.shell_fixtures import config_dir, filled, wait_for

__all__ = ["config_dir", "filled"]

HAND_WRITTEN = """# written by hand
timezone = "Europe/Vilnius"  # where I work

[keymap]
"pipeline.reload" = "ctrl+r"
"""


async def type_into(pilot: Pilot[int], field_id: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.value = text
    await pilot.pause()


def error_beside(app: AccmgrApp, error_id: str) -> str:
    return str(app.screen.query_one(f"#{error_id}", Static).content)


async def test_save_writes_the_file_keeps_unknown_keys_and_applies_the_rules(
    filled: Workspace, config_dir: Path
) -> None:
    config_dir.mkdir()
    path = config_dir / "config.toml"
    path.write_text(HAND_WRITTEN)
    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "f-user-name", "Ana Ferreira")
        await type_into(pilot, "f-company-name", "Baltic Office Supply")
        await type_into(pilot, "f-currency", "pln")
        await type_into(pilot, "f-stages-call-probability", "15")
        await type_into(pilot, "f-stages-call-stall_days", "4")
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.workspace.settings.user_name == "Ana Ferreira")
        assert not app.screen.dirty  # type: ignore[attr-defined]
    text = path.read_text()
    # Comments, order and the keys the form does not edit are kept as written.
    assert text.startswith('# written by hand\ntimezone = "Europe/Vilnius"  # where I work\n')
    assert '[keymap]\n"pipeline.reload" = "ctrl+r"\n' in text
    data = tomllib.loads(text)
    assert data["user"] == {"name": "Ana Ferreira"}
    assert data["company"] == {"name": "Baltic Office Supply"}
    assert data["currency"] == "PLN"
    assert data["stages"] == {"call": {"probability": 15, "stall_days": 4}}
    assert "prospecting" not in data["stages"]  # untouched defaults are not written
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert app.workspace.rules[Stage.CALL].default_probability == 15
    assert app.workspace.rules[Stage.CALL].stall_days == 4
    assert not list(config_dir.glob(".config-*"))  # no temp file left behind


async def test_errors_sit_beside_their_field_and_nothing_is_saved(
    filled: Workspace, config_dir: Path
) -> None:
    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "f-user-name", "Ana")
        await type_into(pilot, "f-currency", "euro")
        await type_into(pilot, "f-stages-needs-probability", "140")
        await type_into(pilot, "f-stages-needs-stall_days", "0")
        assert "ISO 4217" in error_beside(app, "e-f-currency")
        needs = error_beside(app, "e-stage-needs")
        assert "probability: expected a whole number from 0 to 100" in needs
        assert "stall limit: expected a whole number of days from 1 to 3650" in needs
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert app.screen.focused is app.screen.query_one("#f-currency", Input)
        await type_into(pilot, "f-currency", "EUR")
        assert error_beside(app, "e-f-currency") == ""
    assert not (config_dir / "config.toml").exists()
    assert app.workspace.settings.user_name == ""


async def test_an_unparsable_file_is_never_overwritten(filled: Workspace, config_dir: Path) -> None:
    config_dir.mkdir()
    path = config_dir / "config.toml"
    path.write_text('user.name = "Ana\n')
    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "f-company-name", "Baltic")
        await pilot.press("ctrl+s")
        await wait_for(lambda: app._notifications)
        messages = [n.message for n in app._notifications]
        assert any(f"{path}: not valid TOML at line 1" in m for m in messages), messages
    assert path.read_text() == 'user.name = "Ana\n'


async def test_escape_with_unsaved_edits_asks_first(filled: Workspace, config_dir: Path) -> None:
    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "f-company-tax_id", "LT100")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, SettingsScreen)
        assert app.screen.query_one("#f-company-tax_id", Input).value == "LT100"
        await pilot.press("escape")
        await pilot.press("y")  # drop them
        assert isinstance(app.screen, PipelineScreen)
        await pilot.press("f8")
        assert app.screen.query_one("#f-company-tax_id", Input).value == ""
        await pilot.press("escape")  # nothing to drop: no question
        assert isinstance(app.screen, PipelineScreen)
    assert not (config_dir / "config.toml").exists()


async def test_reporting_currency_and_a_rate_typed_in_settings(
    filled: Workspace, config_dir: Path
) -> None:
    from accmgr.services.rates import rate_rows

    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: "No rates yet" in error_beside(app, "rates-list"))
        await type_into(pilot, "f-reporting_currency", "pln")
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.workspace.settings.reporting == "PLN")
        # A bad rate: the message sits beside the row and nothing is written.
        for field, text in (("rate-from", "EUR"), ("rate-to", "PLN"), ("rate-value", "0")):
            await type_into(pilot, field, text)
        await pilot.click("#rate-add")
        await wait_for(lambda: error_beside(app, "e-rate") != "")
        assert error_beside(app, "e-rate") == "rate: expected a rate greater than 0, got 0"
        assert filled.store.count("rates") == 0
        await type_into(pilot, "rate-value", "4.2675")
        await type_into(pilot, "rate-day", "20 Nov")
        app.screen.query_one("#rate-day", Input).focus()
        await pilot.press("enter")
        await wait_for(
            lambda: "EUR → PLN  4.2675  (20 Nov 2026)" in error_beside(app, "rates-list")
        )
        assert error_beside(app, "e-rate") == ""
    assert tomllib.loads((config_dir / "config.toml").read_text()) == {"reporting_currency": "PLN"}
    (rate,) = rate_rows(filled)
    assert (rate.base, rate.quote, str(rate.rate), rate.day.isoformat()) == (
        "EUR",
        "PLN",
        "4.2675",
        "2026-11-20",
    )


async def test_a_bad_reporting_currency_is_refused_beside_its_field(
    filled: Workspace, config_dir: Path
) -> None:
    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "f-reporting_currency", "zloty")
        assert error_beside(app, "e-f-reporting_currency").startswith(
            "expected a three-letter ISO 4217 code"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert not (config_dir / "config.toml").exists()


async def test_a_damaged_rates_record_is_named_and_settings_stay_usable(
    filled: Workspace, config_dir: Path
) -> None:
    with filled.store.transaction() as tx:
        tx.insert("rates", {"id": "FX-0001", "base": "EUR", "day": "2026-11-20",
                            "rates": {"PLN": "4,2675"}})  # fmt: skip
    app = AccmgrApp(filled, start="settings")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: "cannot be read" in error_beside(app, "rates-list"))
        assert error_beside(app, "rates-list") == (
            "The rates cannot be read: exchange rates record 'FX-0001': rate: expected a rate "
            "such as 4.2675, got '4,2675'"
        )
        await type_into(pilot, "f-user-name", "Ana")
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.workspace.settings.user_name == "Ana")
