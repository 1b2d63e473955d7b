"""Settings: the user's name, the company profile, defaults and each stage's rules.

Every field is checked with the config's own validator as it is typed and the message sits
beside the field. Saving writes all changed keys at once or none (``config_write``);
Escape drops the edits, after asking when there are any.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Header, Input, Label, Static

from accmgr.config import KEYS, Config
from accmgr.domain.exchange import ExchangeRate
from accmgr.domain.stages import Stage
from accmgr.errors import AccmgrError
from accmgr.services.settings import rules_from_config
from accmgr.widgets.footer import AppFooter
from accmgr.widgets.section_bar import SectionBar

if TYPE_CHECKING:
    from accmgr.app import AccmgrApp


@dataclass(frozen=True)
class FieldSpec:
    key: str  # the config key
    label: str
    whole_number: bool = False
    placeholder: str = ""

    @property
    def input_id(self) -> str:
        return "f-" + self.key.replace(".", "-")


TEXT_FIELDS: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    ("You", (FieldSpec("user.name", "Your name", placeholder="owner of new clients and deals"),)),
    (
        "Company profile (printed on documents)",
        (
            FieldSpec("company.name", "Name"),
            FieldSpec("company.address", "Address"),
            FieldSpec("company.tax_id", "Tax id"),
            FieldSpec("company.bank", "Bank details", placeholder="IBAN, bank, SWIFT"),
            FieldSpec("company.logo", "Logo file", placeholder="path of a PNG, JPEG or SVG"),
        ),
    ),
    (
        "Defaults",
        (
            FieldSpec("currency", "Currency", placeholder="EUR"),
            FieldSpec("reporting_currency", "Totals in", placeholder="empty: the currency above"),
            FieldSpec("locale", "Locale", placeholder="en_GB"),
            FieldSpec("today.dormant_days", "Dormant days", whole_number=True, placeholder="45"),
        ),
    ),
)


def stage_fields(stage: Stage) -> tuple[FieldSpec, FieldSpec]:
    return (
        FieldSpec(f"stages.{stage.value}.probability", "probability", whole_number=True),
        FieldSpec(f"stages.{stage.value}.stall_days", "stall limit", whole_number=True),
    )


ALL_FIELDS: tuple[FieldSpec, ...] = (
    *(spec for _, specs in TEXT_FIELDS for spec in specs),
    *(spec for stage in Stage for spec in stage_fields(stage)),
)


def saved_text(config: Config, spec: FieldSpec) -> str:
    """The field's text for the setting in force (stage defaults included)."""
    if spec.key.startswith("stages."):
        rule = rules_from_config(config)[Stage(spec.key.split(".")[1])]
        if spec.key.endswith(".probability"):
            return f"{rule.default_probability:.0f}"
        return str(rule.stall_days)
    return str(getattr(config, KEYS[spec.key][0]))


def check_field(spec: FieldSpec, text: str) -> Any:
    """The value to store for ``text``; ValueError says what was expected."""
    value: Any = text.strip()
    if spec.whole_number:
        try:
            value = int(value)
        except ValueError:
            got = f", got {text!r}" if value else ""
            raise ValueError(f"expected a whole number{got}") from None
    return KEYS[spec.key][1](value)


RATE_INPUTS = ("rate-from", "rate-to", "rate-value", "rate-day")


def rate_form() -> ComposeResult:
    """The exchange rates: the newest of each pair, and a row to add one."""
    yield Static(
        "Exchange rates (1 FROM = RATE TO; totals use the latest on or before their day, "
        "cross rates through EUR; `accmgr rates import` reads the ECB's file)",
        classes="settings-heading",
    )
    yield Static("Loading…", id="rates-list", markup=False)
    with Horizontal(classes="settings-row"):
        yield Label("Add a rate", classes="settings-label")
        for name, hint, css in (
            ("rate-from", "EUR", "code-input"),
            ("rate-to", "PLN", "code-input"),
            ("rate-value", "4.2675", "rate-value-input"),
            ("rate-day", "today", "rate-day-input"),
        ):
            yield Input(placeholder=hint, id=name, compact=True, classes=f"rate-input {css}")
        yield Button("Add (enter)", id="rate-add", compact=True)
        yield Static("", id="e-rate", classes="field-error", markup=False)


def rates_text(rows: list[ExchangeRate]) -> str:
    if not rows:
        return "No rates yet: totals count deals in other currencies apart until one is added."
    return "\n".join(f"{r.base} → {r.quote}  {r.rate}  ({r.day:%-d %b %Y})" for r in rows)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; returns True for yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, go back"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no", variant="primary")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class SettingsScreen(Screen[None]):
    TITLE = "Settings"
    AUTO_FOCUS = "Input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Write the settings"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="settings.cancel",
            tooltip="Drop unsaved edits (asks first) and go back to the pipeline",
        ),
    ]

    _saved: dict[str, str]
    _errors: dict[str, str]

    @property
    def accmgr(self) -> AccmgrApp:
        from accmgr.app import AccmgrApp

        assert isinstance(self.app, AccmgrApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield SectionBar("settings")
        with VerticalScroll(id="settings"):
            for heading, specs in TEXT_FIELDS:
                yield Static(heading, classes="settings-heading")
                for spec in specs:
                    with Horizontal(classes="settings-row"):
                        yield Label(spec.label, classes="settings-label")
                        yield Input(
                            placeholder=spec.placeholder,
                            id=spec.input_id,
                            compact=True,
                            classes="settings-input",
                        )
                        yield Static("", id="e-" + spec.input_id, classes="field-error")
            yield Static(
                "Stages: default win probability (0–100 %) and stall limit (days ≥ 1)",
                classes="settings-heading",
            )
            for stage in Stage:
                probability, stall = stage_fields(stage)
                with Horizontal(classes="settings-row"):
                    yield Label(stage.label, classes="settings-label")
                    yield Input(id=probability.input_id, compact=True, classes="number-input")
                    yield Label("%  stalled after", classes="unit")
                    yield Input(id=stall.input_id, compact=True, classes="number-input")
                    yield Label("days", classes="unit")
                    yield Static("", id=f"e-stage-{stage.value}", classes="field-error")
            yield from rate_form()
        yield AppFooter()

    def on_mount(self) -> None:
        self.reset_form()
        self.load_rates()

    # -- exchange rates: written to the database at once, not with ctrl+s ----------------------

    @work(thread=True, exclusive=True, group="settings-rates", description="Reading the rates")
    def load_rates(self, said: str = "") -> None:
        from accmgr.services.rates import rate_rows

        try:
            with self.accmgr.store_lock:
                rows = rate_rows(self.accmgr.workspace)
        except AccmgrError as exc:  # a damaged rates record: say which, keep the screen
            self.app.call_from_thread(self._show_rates, f"The rates cannot be read: {exc}", said)
            return
        self.app.call_from_thread(self._show_rates, rates_text(rows), said)

    def _show_rates(self, text: str, said: str) -> None:
        self.query_one("#rates-list", Static).update(text)
        if said:
            self.notify(said)

    @on(Input.Submitted, ".rate-input")
    @on(Button.Pressed, "#rate-add")
    def _add_rate(self) -> None:
        from accmgr.services.rates import read_rate

        base, quote, rate_text, day = (
            self.query_one(f"#{name}", Input).value for name in RATE_INPUTS
        )
        try:
            rate = read_rate(
                base, quote, rate_text, day.strip() or None, ws=self.accmgr.workspace,
                day_field="date",
            )  # fmt: skip
        except AccmgrError as exc:
            self.query_one("#e-rate", Static).update(str(exc))
            return
        self.query_one("#e-rate", Static).update("")
        self.save_rate(rate)

    @work(thread=True, exclusive=True, group="settings-rates", description="Saving the rate")
    def save_rate(self, rate: ExchangeRate) -> None:
        from accmgr.services.rates import set_rate

        try:
            with self.accmgr.store_lock:
                written = set_rate(self.accmgr.workspace, rate.base, rate.quote, rate.rate,
                                   rate.day)  # fmt: skip
        except AccmgrError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Rate not saved", severity="error", timeout=10
            )
            return
        said = f"1 {rate.base} = {rate.rate} {rate.quote} on {rate.day:%-d %b %Y} saved"
        if written.changed:
            said += f" (was {written.previous})"
        self.app.call_from_thread(self._rate_saved)
        self.load_rates(said)

    def _rate_saved(self) -> None:
        for name in RATE_INPUTS[2:]:
            self.query_one(f"#{name}", Input).value = ""

    def reset_form(self) -> None:
        config = self.accmgr.workspace.settings
        self._saved = {spec.key: saved_text(config, spec) for spec in ALL_FIELDS}
        self._errors = {}
        for spec in ALL_FIELDS:
            field = self.query_one(f"#{spec.input_id}", Input)
            with field.prevent(Input.Changed):
                field.value = self._saved[spec.key]
        for error in self.query(".field-error").results(Static):
            error.update("")

    @property
    def dirty(self) -> bool:
        return any(self._text(spec) != self._saved[spec.key] for spec in ALL_FIELDS)

    def _text(self, spec: FieldSpec) -> str:
        return self.query_one(f"#{spec.input_id}", Input).value

    def _check(self, spec: FieldSpec) -> Any:
        try:
            value = check_field(spec, self._text(spec))
        except ValueError as exc:
            self._errors[spec.key] = str(exc)
            value = None
        else:
            self._errors.pop(spec.key, None)
        self._show_error(spec)
        return value

    def _show_error(self, spec: FieldSpec) -> None:
        if spec.key.startswith("stages."):
            stage = Stage(spec.key.split(".")[1])
            messages = [
                f"{part.label}: {self._errors[part.key]}"
                for part in stage_fields(stage)
                if part.key in self._errors
            ]
            error = self.query_one(f"#e-stage-{stage.value}", Static)
        else:
            messages = [self._errors[spec.key]] if spec.key in self._errors else []
            error = self.query_one(f"#e-{spec.input_id}", Static)
        error.update("\n".join(messages))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        for spec in ALL_FIELDS:
            if event.input.id == spec.input_id:
                self._check(spec)

    def action_save(self) -> None:
        changes: dict[str, Any] = {}
        for spec in ALL_FIELDS:
            value = self._check(spec)
            if spec.key not in self._errors and self._text(spec) != self._saved[spec.key]:
                changes[spec.key] = value
        if self._errors:
            first = next(spec for spec in ALL_FIELDS if spec.key in self._errors)
            self.query_one(f"#{first.input_id}", Input).focus()
            count = len(self._errors)
            self.notify(
                f"{count} field{'s' if count > 1 else ''} to fix; nothing was saved",
                severity="error",
            )
            return
        if not changes:
            self.notify("Nothing changed")
            return
        self.save(changes)

    @work(thread=True, exclusive=True, group="settings", description="Saving the settings")
    def save(self, changes: dict[str, Any]) -> None:
        from accmgr.config_write import save_settings

        try:
            config = save_settings(changes)
        except AccmgrError as exc:
            # The edits stay in the form: the user can fix the file and save again.
            self.app.call_from_thread(
                self.notify, str(exc), title="Not saved", severity="error", timeout=10
            )
            return
        self.app.call_from_thread(self._saved_as, config)

    def _saved_as(self, config: Config) -> None:
        self.accmgr.apply_config(config)
        self.reset_form()
        self.notify("Settings saved")

    def action_cancel(self) -> None:
        if not self.dirty:
            self.accmgr.action_section("pipeline")
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.reset_form()
                self.accmgr.action_section("pipeline")

        self.app.push_screen(ConfirmScreen("Drop your unsaved edits?"), answered)
