"""Errors a user can act on.

Every error here carries a message that is one clear line: what was wrong, where, and what
was expected. The CLI prints it as is and exits non-zero; the TUI shows it in a notification
or beside the field. Anything else that escapes is a bug.
"""

from __future__ import annotations

from pathlib import Path


class AccmgrError(Exception):
    """Base of every error meant for the user's eyes."""


class ValidationError(AccmgrError, ValueError):
    """A value was refused. ``field`` names it; the message says what was expected."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.detail = message
        super().__init__(f"{field}: {message}")


class NotFoundError(AccmgrError, LookupError):
    """No record with that id."""


class StoreError(AccmgrError):
    """The database could not do what was asked; nothing was changed."""


class DamagedFileError(StoreError):
    """A file of the database cannot be read. It is left exactly as it was found."""

    def __init__(self, path: Path, position: str, reason: str, hint: str) -> None:
        self.path = path
        self.position = position
        self.reason = reason
        self.hint = hint
        super().__init__(f"{path}: damaged at {position} ({reason}). Nothing was changed. {hint}")

    def with_hint(self, hint: str) -> DamagedFileError:
        """The same damage, ending with another sentence on what to do about it."""
        return DamagedFileError(self.path, self.position, self.reason, hint)


class LockTimeoutError(StoreError):
    """Another process held the database's lock for too long."""


class ConflictError(StoreError):
    """The record was changed elsewhere since it was read; the write was refused, not merged."""


class UnusableFileError(ValidationError):
    """A file named by the user cannot be used (missing, a folder or device, unreadable, too
    large): shown beside the form's field like any refused value, but on the command line a
    refused action (exit 1), as for a record that does not exist."""
