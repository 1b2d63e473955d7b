"""A modal form: each field checked as it changes, nothing written until every field is valid.

How to build one (see ``accmgr/screens/board_forms.py`` for four of them)::

    class TitleForm(FormScreen[Deal]):
        FORM_TITLE = "Rename the deal"

        def compose_fields(self) -> ComposeResult:
            yield Field("Title", Input(id="title", compact=True), required=True)

        def prepare(self) -> Callable[[], Deal]:
            title = self.query_one("#title", Input).value      # read on the UI thread
            return lambda: rename(ws, deal_id, title)           # run in a worker, under lock

* :class:`Field` wraps one widget (``Input`` and its subclasses such as ``DateInput``,
  ``TextArea``, ``Select``, or any widget with a ``check`` callable) with its label and a
  message line. The message says what is wrong, or, for the parsed inputs, what was
  understood. Required fields complain only once touched or on a save attempt.
* ``prepare`` runs on the UI thread once every field is valid and returns the write; the base
  runs it in a thread worker holding ``lock`` (the app's store lock). A ``ValidationError``
  from the write is shown beside the field it names (``field`` equal to a Field's id, or
  ending in ``.<id>``); any other ``AccmgrError`` (a conflict, a refused move) is shown above
  the buttons. The screen is dismissed with the write's result only when it succeeded.
* Escape cancels; with edits made, it first asks whether to drop them.
* Taller than the terminal, the fields scroll and the buttons stay in sight below them.

The small parts forms are built from (enum selects, text areas, intro lines, a base with the
workspace's date inputs) are in :mod:`accmgr.widgets.form_parts`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, ClassVar, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from accmgr.errors import AccmgrError, ValidationError
from accmgr.widgets.inputs import ParsedInput

T = TypeVar("T")


class Field(Horizontal):
    """A label, one widget and the message beside it."""

    DEFAULT_CSS = """
    Field { height: auto; margin-bottom: 1; }
    Field > .field-label { width: 14; padding-right: 1; text-style: bold; }
    Field > .field-body { height: auto; width: 1fr; }
    Field .field-message { height: auto; color: $text-muted; }
    Field.-invalid .field-message { color: $text-error; }
    Field.-invalid > .field-label { color: $text-error; }
    """

    def __init__(
        self,
        label: str,
        widget: Widget,
        *,
        required: bool = False,
        check: Callable[[], str | None] | None = None,
        hint: str = "",
    ) -> None:
        super().__init__(id=f"field-{widget.id}" if widget.id else None)
        self.label = label
        self.widget = widget
        self.required = required
        self.check = check
        self.hint = hint
        self.touched = False
        self.server_problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.label + (" *" if self.required else ""), classes="field-label")
        with Vertical(classes="field-body"):
            yield self.widget
            yield Static(self.hint, classes="field-message", markup=False)

    @property
    def key(self) -> str:
        return self.widget.id or ""

    def snapshot(self) -> object:
        """The widget's current value, to tell whether the user changed anything."""
        widget = self.widget
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return widget.value
        if isinstance(widget, Checkbox):
            return widget.value
        return getattr(widget, "highlighted", None)

    def problem(self) -> str | None:
        """Why the field's value cannot be saved, or None."""
        widget = self.widget
        if self.server_problem:
            return self.server_problem
        if isinstance(widget, ParsedInput):
            widget.validate(widget.value)
            if widget.problem:
                return widget.problem
            if self.required and widget.parsed is None:
                return "required"
        elif isinstance(widget, Input):
            if self.required and not widget.value.strip():
                return "required"
            result = widget.validate(widget.value)
            if result is not None and not result.is_valid:
                return "; ".join(result.failure_descriptions)
        elif isinstance(widget, TextArea):
            if self.required and not widget.text.strip():
                return "required"
        elif isinstance(widget, Select) and self.required and widget.value is Select.NULL:
            return "choose one"
        if self.check is not None:
            return self.check()
        return None

    def show(self, *, force: bool = False) -> bool:
        """Show the field's message; True when the field is valid."""
        problem = self.problem()
        visible = problem if (self.touched or force or self.server_problem) else None
        if visible is None and isinstance(self.widget, ParsedInput) and self.widget.parsed:
            text = self.widget.feedback
        else:
            text = visible or self.hint
        self.set_class(visible is not None, "-invalid")
        self.query_one(".field-message", Static).update(text)
        return problem is None


class ConfirmDiscard(ModalScreen[bool]):
    """Asks before unsaved edits are dropped; True means drop them."""

    DEFAULT_CSS = """
    ConfirmDiscard { align: center middle; }
    ConfirmDiscard > Vertical {
        width: 50; height: auto; padding: 1 2; border: thick $warning; background: $surface;
    }
    ConfirmDiscard Horizontal { height: auto; margin-top: 1; }
    ConfirmDiscard Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,d", "drop", "Drop edits", id="form.discard.drop", tooltip="Drop the edits"),
        Binding(
            "n,escape", "keep", "Keep editing", id="form.discard.keep", tooltip="Back to the form"
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Drop the unsaved edits?")
            with Horizontal():
                yield Button("Keep editing", id="keep", variant="primary")
                yield Button("Drop them", id="drop", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "drop")

    def action_drop(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)


def leave_asking(screen: Screen[Any], *, dirty: bool) -> None:
    """Close ``screen`` with None; with unsaved edits, first ask whether to drop them."""
    if not dirty:
        screen.dismiss(None)
        return

    def chosen(drop: bool | None) -> None:
        if drop:
            screen.dismiss(None)

    screen.app.push_screen(ConfirmDiscard(), chosen)


class FormScreen(ModalScreen[T]):
    """The base of accmgr's forms; subclasses give ``compose_fields`` and ``prepare``."""

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    /* Taller than the terminal (the new-deal form at 80x24): the fields scroll, and the
       buttons and the error line, docked at the bottom, stay in sight. */
    FormScreen #form-fields { height: auto; max-height: 100%; }
    FormScreen .form-intro { margin-bottom: 1; height: auto; max-height: 6; }
    FormScreen #form-foot { dock: bottom; height: auto; }
    FormScreen #form-error { color: $text-error; height: auto; }
    FormScreen #form-buttons { height: auto; align-horizontal: right; }
    FormScreen #form-buttons Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Check every field and save"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form.cancel",
            tooltip="Close without saving (asks first if you changed anything)",
        ),
    ]

    FORM_TITLE: ClassVar[str] = "Form"
    SAVE_LABEL: ClassVar[str] = "Save"

    def __init__(self, *, lock: AbstractContextManager[Any] | threading.Lock | None = None) -> None:
        super().__init__()
        self._lock: AbstractContextManager[Any] = lock if lock is not None else nullcontext()
        self._initial: dict[str, object] = {}
        self.saving = False

    # What subclasses give

    def compose_intro(self) -> ComposeResult:
        """Text above the fields (what the form is about); nothing by default."""
        yield from ()

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def prepare(self) -> Callable[[], T]:
        """Read the fields (UI thread) and return the write, which runs in a worker."""
        raise NotImplementedError

    # The machinery

    def compose(self) -> ComposeResult:
        with Vertical(id="form") as form:
            form.border_title = self.FORM_TITLE
            form.border_subtitle = "ctrl+s save · esc cancel"
            yield from self.compose_intro()
            with VerticalScroll(id="form-fields", can_focus=False):
                yield from self.compose_fields()
            with Vertical(id="form-foot"):
                yield Static("", id="form-error", markup=False)
                with Horizontal(id="form-buttons"):
                    yield Button("Cancel", id="form-cancel")
                    yield Button(self.SAVE_LABEL, id="form-save", variant="primary")

    def on_mount(self) -> None:
        self._initial = {field.key: field.snapshot() for field in self.fields}
        for field in self.fields:
            field.show()
        fields = self.fields
        if fields and fields[0].widget.focusable:
            fields[0].widget.focus()

    @property
    def fields(self) -> list[Field]:
        return list(self.query(Field))

    def field(self, key: str) -> Field:
        return self.query_one(f"#field-{key}", Field)

    @property
    def dirty(self) -> bool:
        return any(self._initial.get(f.key) != f.snapshot() for f in self.fields)

    def _field_of(self, widget: Widget) -> Field | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, Field):
                return node
        return None

    def _changed(self, widget: Widget) -> None:
        field = self._field_of(widget)
        if field is not None:
            field.touched = True
            field.server_problem = None
            field.show()
        self.query_one("#form-error", Static).update("")

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _on_value_changed(
        self, event: Input.Changed | TextArea.Changed | Select.Changed | Checkbox.Changed
    ) -> None:
        widget = event.control
        if widget is not None:
            self._changed(widget)

    def revalidate(self) -> None:
        """Show every field's message again (after one field changed what another accepts)."""
        for field in self.fields:
            field.show()

    @on(Button.Pressed, "#form-save")
    def action_save(self) -> None:
        if self.saving:
            return
        invalid = [field for field in self.fields if not field.show(force=True)]
        if invalid:
            invalid[0].widget.focus()
            self.query_one("#form-error", Static).update(
                f"{len(invalid)} field{'s' if len(invalid) > 1 else ''} to correct; nothing saved"
            )
            return
        try:
            job = self.prepare()
        except ValidationError as exc:
            self._refused(exc)
            return
        self.saving = True
        self.query_one("#form-save", Button).disabled = True
        self._save(job)

    @work(thread=True, exclusive=True, group="form-save", description="Saving")
    def _save(self, job: Callable[[], T]) -> None:
        try:
            with self._lock:
                result = job()
        except AccmgrError as exc:
            self.app.call_from_thread(self._refused, exc)
        else:
            self.app.call_from_thread(self.dismiss, result)
        finally:
            self.app.call_from_thread(self._saved)

    def _saved(self) -> None:
        self.saving = False
        if self.is_attached:
            self.query_one("#form-save", Button).disabled = False

    def _refused(self, exc: AccmgrError) -> None:
        if isinstance(exc, ValidationError):
            for field in self.fields:
                if exc.field == field.key or exc.field.endswith("." + field.key):
                    field.server_problem = exc.detail
                    field.show(force=True)
                    field.widget.focus()
                    return
        self.query_one("#form-error", Static).update(str(exc))

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        leave_asking(self, dirty=self.dirty)
