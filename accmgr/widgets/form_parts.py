"""The pieces every accmgr form is made of, in one place.

The forms of the clients, reliability, deal, board and Today screens were written at the
same time and each grew its own copy of these: a Select over an enum, reading the choice
back, a TextArea, an intro line, date inputs bound to the workspace's clock and locale.
:class:`WorkspaceForm` is the base of the forms that write records of the workspace: the
workspace, the readers of field values, and a conflict (the record changed elsewhere)
shown as a notification before the refusal lands in the form.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from accmgr.errors import AccmgrError, ConflictError, ValidationError
from accmgr.widgets.form import FormScreen
from accmgr.widgets.inputs import DateInput, MomentInput, ParsedInput
from accmgr.widgets.visible_text import shown

if TYPE_CHECKING:
    from accmgr.services.workspace import Workspace

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def enum_select(enum: type[E], value: E | None, widget_id: str) -> Select[str]:
    """A compact Select of an enum's members ("on-hold" shown as "on hold")."""
    options = [(member.value.replace("-", " "), member.value) for member in enum]
    return Select(
        options,
        value=value.value if value is not None else Select.NULL,
        allow_blank=value is None,
        id=widget_id,
        compact=True,
    )


def chosen(form: FormScreen[Any], widget_id: str, enum: type[E]) -> E:
    """The enum member picked in an :func:`enum_select`; refused beside the field if none."""
    value = form.query_one(f"#{widget_id}", Select).value
    if value is Select.NULL:
        raise ValidationError(widget_id, "choose one")
    return enum(str(value))


def text_area(widget_id: str, text: str = "") -> TextArea:
    # Stored text with a control character shows it escaped (see client_forms.input).
    return TextArea(
        shown(text), id=widget_id, soft_wrap=True, show_line_numbers=False, compact=True
    )


def intro(text: str) -> Static:
    """The line above a form's fields saying what it is about (user text: no markup)."""
    return Static(text, classes="form-intro", markup=False)


class WorkspaceForm(FormScreen[T]):
    """A form writing to the workspace: field readers, dates on its clock, conflicts shown."""

    DEFAULT_CSS = """
    WorkspaceForm TextArea { height: 4; }
    WorkspaceForm Select { width: 1fr; }
    WorkspaceForm .form-intro { color: $text-muted; }
    """

    def __init__(self, workspace: Workspace, lock: threading.Lock) -> None:
        super().__init__(lock=lock)
        self.ws = workspace

    def text(self, widget_id: str) -> str:
        """The text of an Input or TextArea as typed."""
        widget: Widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, Input)
        return widget.value

    def parsed(self, widget_id: str) -> Any:
        return self.query_one(f"#{widget_id}", ParsedInput).parsed

    def ticked(self, widget_id: str) -> bool:
        return self.query_one(f"#{widget_id}", Checkbox).value

    def date_input(self, widget_id: str, value: str = "", *, required: bool = False) -> DateInput:
        return DateInput(
            value,
            today=self.ws.today,
            locale=self.ws.locale,
            required=required,
            id=widget_id,
            compact=True,
        )

    def moment_input(self, widget_id: str, value: str = "") -> MomentInput:
        return MomentInput(
            value, now=self.ws.now, locale=self.ws.locale, required=True, id=widget_id, compact=True
        )

    def reload(self) -> None:
        """After a conflict: have the screen below read the record again (nothing here)."""

    def _refused(self, exc: AccmgrError) -> None:
        if isinstance(exc, ConflictError):
            self.app.notify(str(exc), title="Changed elsewhere", severity="error", timeout=8)
            self.reload()
        super()._refused(exc)
