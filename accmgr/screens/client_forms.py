"""Forms of the clients section: a new client (with the duplicate warning), a contact, a merge.

Each is a :class:`~accmgr.widgets.form.FormScreen`: fields checked as they change, against
the same record models the services build, so the message beside a field is the one the
service would give; the write runs in the form's worker under the app's store lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from accmgr.domain.base import Record
from accmgr.domain.client import Channel, Client, Contact, DecisionRole, Tier
from accmgr.errors import AccmgrError, ValidationError
from accmgr.services import clients as client_service
from accmgr.services import merge
from accmgr.services.edits import EditConflict, edit_client
from accmgr.services.workspace import Workspace
from accmgr.widgets.conflict import ConflictDialog, Side, conflict_rows
from accmgr.widgets.folded_matcher import FoldedMatcher
from accmgr.widgets.form import Field
from accmgr.widgets.form_parts import WorkspaceForm, chosen, enum_select, intro, text_area
from accmgr.widgets.visible_text import shown

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

# A valid stand-in for the fields a check does not look at.
_CLIENT_BASE: dict[str, Any] = {
    "id": "C-0001",
    "name": "x",
    "created_at": datetime(2026, 1, 1).astimezone(),
}
_CONTACT_BASE: dict[str, Any] = {"id": "P-0001", "client_id": "C-0001", "name": "x"}


def record_problem(
    model: type[Record], base: dict[str, Any], field: str, value: object
) -> str | None:
    """What the record model says about one field's value, or None when it accepts it."""
    try:
        model(**{**base, field: value})
    except ValidationError as exc:
        if exc.field.endswith("." + field):
            return exc.detail
    return None


class RecordForm(WorkspaceForm[T]):
    """Fields read without surrounding blanks; a field checked against a record model."""

    def text(self, widget_id: str) -> str:
        return super().text(widget_id).strip()

    def input(self, widget_id: str, value: str = "", **kwargs: Any) -> Input:
        # Stored text with a control character shows it escaped, so the user can see and
        # remove it (saved as is, the escape is plain text).
        return Input(shown(value), id=widget_id, compact=True, **kwargs)

    def model_check(
        self, model: type[Record], base: dict[str, Any], widget_id: str, *, upper: bool = False
    ) -> Callable[[], str | None]:
        """A Field check: the model's verdict on the field's text (empty is fine)."""

        def check() -> str | None:
            text = self.text(widget_id)
            if not text:
                return None
            return record_problem(model, base, widget_id, text.upper() if upper else text)

        return check


# --- a new client ------------------------------------------------------------------------------


class DuplicatesFound(AccmgrError):
    """Likely duplicates exist: the form asks before saving."""

    def __init__(self, found: Sequence[merge.Duplicate]) -> None:
        self.found = tuple(found)
        super().__init__(f"{len(found)} likely duplicate(s)")


class DuplicateWarning(ModalScreen[bool]):
    """The clients a new one may duplicate; True means save it anyway."""

    DEFAULT_CSS = """
    DuplicateWarning { align: center middle; }
    DuplicateWarning > Vertical {
        width: 80; max-width: 100%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    DuplicateWarning #duplicates { height: auto; max-height: 12; margin: 1 0; }
    DuplicateWarning Horizontal { height: auto; align-horizontal: right; }
    DuplicateWarning Button { margin-left: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "save",
            "Save anyway",
            id="clients.duplicates.save",
            tooltip="It is a different company: create it",
        ),
        Binding(
            "escape,c",
            "cancel",
            "Cancel",
            id="clients.duplicates.cancel",
            tooltip="Back to the form; nothing is saved",
        ),
    ]

    def __init__(self, name: str, found: Sequence[merge.Duplicate]) -> None:
        super().__init__()
        self.new_name = name
        self.found = tuple(found)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Likely duplicates"
            box.border_subtitle = "s save anyway · esc cancel"
            yield Static(f"“{self.new_name}” may already be in the database:", markup=False)
            lines = [
                f"• {d.client.id} {d.client.name} — {'; '.join(d.reasons)}" for d in self.found
            ]
            yield Static("\n".join(lines), id="duplicates", markup=False)
            yield Static(
                "Save anyway if it is a different company; otherwise cancel and open the "
                "existing client (or merge the two later with M in the list).",
                markup=False,
            )
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save anyway", id="save", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "save")

    def action_save(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))


class NewClientForm(RecordForm[Client]):
    """A new client; before saving, likely duplicates are shown and the user decides.

    Given a ``client``, the same form edits it, filled with its values: the save goes through
    the edit service with the client as loaded, so a change made elsewhere meanwhile is
    merged, and fields both sides changed are shown side by side (theirs / yours)."""

    FORM_TITLE = "New client"
    SAVE_LABEL = "Create"

    def __init__(
        self, workspace: Workspace, lock: threading.Lock, client: Client | None = None
    ) -> None:
        super().__init__(workspace, lock)
        self.client = client
        # Set once the user has seen the duplicates and chosen to save anyway.
        self.confirmed = client is not None
        self.choices: dict[str, Side] = {}
        if client is not None:
            self.FORM_TITLE = f"Edit {client.name}"  # type: ignore[misc]
            self.SAVE_LABEL = "Save"  # type: ignore[misc]

    def compose_fields(self) -> ComposeResult:
        c, k = self.model_check, self.client

        def now(name: str, default: str = "") -> str:
            value = getattr(k, name) if k is not None else None
            return default if value is None else str(value)

        yield Field(
            "Name",
            self.input("name", now("name")),
            required=True,
            check=c(Client, _CLIENT_BASE, "name"),
        )
        yield Field("Legal name", self.input("legal_name", now("legal_name")))
        yield Field(
            "Tax id",
            self.input("tax_id", now("tax_id")),
            check=c(Client, _CLIENT_BASE, "tax_id"),
        )
        yield Field(
            "Country",
            self.input("country", now("country"), placeholder="e.g. LT, PT, PL"),
            check=c(Client, _CLIENT_BASE, "country"),
        )
        yield Field("Segment", self.input("segment", now("segment")))
        yield Field("Industry", self.input("industry", now("industry")))
        yield Field("Tier", enum_select(Tier, k.tier if k else Tier.REGULAR, "tier"), required=True)
        yield Field(
            "Currency",
            self.input("currency", now("currency", "EUR"), max_length=3),
            required=True,
            check=c(Client, _CLIENT_BASE, "currency", upper=True),
        )
        yield Field(
            "Language",
            self.input("language", now("language", "en")),
            required=True,
            check=c(Client, _CLIENT_BASE, "language"),
            hint="of its documents: en, pt, lt, ru, pl, hu",
        )
        yield Field(
            "E-mail", self.input("email", now("email")), check=c(Client, _CLIENT_BASE, "email")
        )
        yield Field("Phone", self.input("phone", now("phone")))
        yield Field("Website", self.input("website", now("website")))
        if k is not None:
            yield Field("Owner", self.input("owner", k.owner))
        yield Field(
            "Tags",
            self.input("tags", ", ".join(k.tags) if k else "", placeholder="e.g. fair, referral"),
            hint="comma-separated",
        )

    def values(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            key: self.text(key)
            for key in ("legal_name", "tax_id", "segment", "industry", "phone", "website")
        }
        country, email = self.text("country"), self.text("email")
        fields.update(
            tier=chosen(self, "tier", Tier),
            currency=self.text("currency").upper(),
            language=self.text("language"),
            country=country.upper() or None,
            email=email or None,
            tags=split_tags(self.text("tags")),
        )
        if self.client is not None:
            fields["owner"] = self.text("owner")
        return fields

    def prepare(self) -> Callable[[], Client]:
        name, fields, ws = self.text("name"), self.values(), self.ws
        confirmed, client, choices = self.confirmed, self.client, dict(self.choices)
        if client is not None:
            changes = {"name": name, **fields}
            return lambda: edit_client(ws, client.id, changes, base=client, choices=choices).record

        def create() -> Client:
            if not confirmed:
                found = merge.find_duplicates(ws, name, fields["tax_id"], fields["email"])
                if found:
                    raise DuplicatesFound(found)
            return client_service.add_client(ws, name, **fields)

        return create

    def _refused(self, exc: AccmgrError) -> None:
        if isinstance(exc, EditConflict):

            def settled(sides: dict[str, Side] | None) -> None:
                if sides is not None:
                    self.choices = sides
                    self.action_save()

            rows = conflict_rows(exc)
            self.app.push_screen(ConflictDialog(exc.record_id, rows), settled)
            return
        if not isinstance(exc, DuplicatesFound):
            super()._refused(exc)
            return

        def decided(save: bool | None) -> None:
            if save:
                self.confirmed = True
                self.action_save()

        self.app.push_screen(DuplicateWarning(self.text("name"), exc.found), decided)


# --- contacts ----------------------------------------------------------------------------------


class ContactForm(RecordForm[Contact]):
    """Add a contact to a client, or edit one: role in decisions and preferred channel."""

    def __init__(
        self,
        workspace: Workspace,
        lock: threading.Lock,
        client_id: str,
        contact: Contact | None = None,
    ) -> None:
        super().__init__(workspace, lock)
        self.client_id = client_id
        self.contact = contact
        self.FORM_TITLE = f"Edit {contact.name}" if contact else "New contact"  # type: ignore[misc]
        self.SAVE_LABEL = "Save" if contact else "Add"  # type: ignore[misc]

    def compose_fields(self) -> ComposeResult:
        p, c = self.contact, self.model_check
        yield Field(
            "Name",
            self.input("name", p.name if p else ""),
            required=True,
            check=c(Contact, _CONTACT_BASE, "name"),
        )
        yield Field("Title", self.input("title", p.title if p else ""))
        yield Field("Role", enum_select(DecisionRole, p.role if p else None, "role"), required=True)
        yield Field(
            "Channel",
            enum_select(Channel, p.preferred_channel if p else Channel.EMAIL, "preferred_channel"),
            required=True,
        )
        yield Field("Phone", self.input("phone", p.phone if p else ""))
        yield Field(
            "E-mail",
            self.input("email", (p.email or "") if p else ""),
            check=c(Contact, _CONTACT_BASE, "email"),
        )
        yield Field("Notes", text_area("notes", p.notes if p else ""))

    def prepare(self) -> Callable[[], Contact]:
        fields: dict[str, Any] = {
            "title": self.text("title"),
            "role": chosen(self, "role", DecisionRole),
            "preferred_channel": chosen(self, "preferred_channel", Channel),
            "phone": self.text("phone"),
            "email": self.text("email") or None,
            "notes": self.text("notes"),
        }
        name, ws, contact, client_id = self.text("name"), self.ws, self.contact, self.client_id
        if contact is None:
            return lambda: client_service.add_contact(ws, client_id, name, **fields)
        return lambda: client_service.edit_contact(
            ws, contact.id, name=name, expected_rev=contact.rev, **fields
        )


# --- merging two clients -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClientName:
    id: str
    name: str
    legal_name: str = ""


class ClientPicker(ModalScreen[str | None]):
    """Pick a client by a fuzzy fragment of its name, legal name or id."""

    DEFAULT_CSS = """
    ClientPicker { align: center middle; }
    ClientPicker > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ClientPicker OptionList { height: auto; max-height: 14; border: none; }
    ClientPicker .picker-intro { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="clients.picker.cancel", tooltip="Pick nobody"),
        Binding(
            "down", "to_list", "List", show=False, id="clients.picker.down", tooltip="To the list"
        ),
    ]
    LIMIT = 50

    def __init__(self, title: str, text: str, names: Sequence[ClientName]) -> None:
        super().__init__()
        self.picker_title = title
        self.text = text
        self.names = tuple(names)
        self.shown: tuple[ClientName, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.picker_title
            yield Static(self.text, classes="picker-intro", markup=False)
            yield Input(placeholder="type part of the name", id="picker-filter", compact=True)
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#picker-filter", Input).focus()

    def _show(self, needle: str) -> None:
        # Spaces are dropped: "agro pec" should find "Agro-Pecuária", whose words are
        # joined by a hyphen, and the matcher wants every character of the query in order.
        needle = "".join(needle.split())
        if needle:
            matcher = FoldedMatcher(needle)
            scored = []
            for entry in self.names:
                score = max(
                    matcher.match(f"{entry.name} {entry.id}"), matcher.match(entry.legal_name)
                )
                if score > 0:
                    scored.append((score, entry))
            scored.sort(key=lambda pair: (-pair[0], pair[1].name.casefold()))
            found = [entry for _, entry in scored]
        else:
            found = list(self.names)
        self.shown = tuple(found[: self.LIMIT])
        options = self.query_one("#picker-list", OptionList)
        options.set_options(Option(f"{c.name}  ({c.id})", id=c.id) for c in self.shown)
        if self.shown:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _first(self) -> None:
        if self.shown:
            options = self.query_one("#picker-list", OptionList)
            index = options.highlighted or 0
            self.dismiss(self.shown[index].id)

    @on(OptionList.OptionSelected, "#picker-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_to_list(self) -> None:
        self.query_one("#picker-list", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class MergeForm(RecordForm[merge.MergeResult]):
    """Confirm a merge, showing what moves from the other client to the kept one."""

    FORM_TITLE = "Merge clients"
    SAVE_LABEL = "Merge"

    def __init__(
        self, workspace: Workspace, lock: threading.Lock, preview: merge.MergePreview
    ) -> None:
        super().__init__(workspace, lock)
        self.preview = preview

    def compose_intro(self) -> ComposeResult:
        p = self.preview
        lines = [
            f"Keep:   {p.keep.id} {p.keep.name}",
            f"Merge:  {p.other.id} {p.other.name}  (this record is deleted)",
            "",
            "Moves to the kept client: " + p.describe(),
            "",
            "Empty fields of the kept client are filled from the other; its old id, names, "
            "tax id and e-mail are recorded on the kept client with a note. This cannot be "
            "undone from here.",
        ]
        yield intro("\n".join(lines))

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def prepare(self) -> Callable[[], merge.MergeResult]:
        p, ws = self.preview, self.ws
        revs = (p.keep.rev, p.other.rev)
        return lambda: merge.merge_clients(ws, p.keep.id, p.other.id, expected_revs=revs)
