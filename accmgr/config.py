"""The user's configuration: a TOML file whose every key has a default and a validator.

A bad value is reported with the file, the key and what was expected; a missing file is
simply the defaults. The file is never written by this module (``config_write`` does that,
and validates the new text with ``parse_config`` before it replaces the file).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accmgr.domain.limits import DAYS_MAX, LOCK_TIMEOUT_MAX_SECONDS, NAME_MAX_CHARS, NOTE_MAX_CHARS
from accmgr.domain.stages import Stage
from accmgr.errors import AccmgrError
from accmgr.locations import config_file


class ConfigError(AccmgrError):
    """The configuration file has bad values; each line names the file, the key and what was
    expected. ``problems`` holds those lines, all of them, so one edit can fix every one."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = list(problems) or [message]
        super().__init__(message)


@dataclass(frozen=True)
class Config:
    locale: str = "en_GB"
    timezone: str = ""  # empty: the system's local time zone
    user_name: str = ""
    lock_timeout: float = 10.0
    review_limit_days: int = 90
    # A key client with no contact for more than this many days is listed as dormant on Today.
    dormant_days: int = 45
    company_name: str = ""
    company_address: str = ""
    company_tax_id: str = ""
    company_bank: str = ""
    company_logo: str = ""  # path of a PNG, JPEG or SVG file; empty: no logo
    offer_validity_days: int = 30
    default_currency: str = "EUR"
    # Every total is shown in this currency; empty: the default currency above.
    reporting_currency: str = ""
    # Per-stage overrides of STAGE_RULES; a stage not listed keeps its default.
    stage_probability: Mapping[Stage, int] = field(default_factory=dict)
    stage_stall_days: Mapping[Stage, int] = field(default_factory=dict)
    # Binding id → key(s), comma-separated, as Textual's keymap takes them.
    keymap: Mapping[str, str] = field(default_factory=dict)

    @property
    def reporting(self) -> str:
        """The currency totals are shown in."""
        return self.reporting_currency or self.default_currency

    def tzinfo(self) -> Any:
        if not self.timezone:
            from dateutil import tz

            return tz.tzlocal()
        return ZoneInfo(self.timezone)


def _locale(value: Any) -> str:
    from babel import Locale, UnknownLocaleError

    if not isinstance(value, str) or len(value) > NAME_MAX_CHARS:
        raise ValueError(
            f"expected a locale name such as en_GB, pt_PT or lt_LT, got {_shown(value)}"
        )
    try:
        Locale.parse(value)
    except (ValueError, UnknownLocaleError, OSError):
        raise ValueError(
            f"expected a locale name such as en_GB, pt_PT or lt_LT, got {_shown(value)}"
        ) from None
    return value


def _timezone(value: Any) -> str:
    if not isinstance(value, str) or len(value) > NAME_MAX_CHARS:
        raise ValueError(f"expected a time zone name such as Europe/Vilnius, got {_shown(value)}")
    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(
                f"expected a time zone name such as Europe/Vilnius, got {_shown(value)}"
            ) from None
    return value


def _shown(value: Any) -> str:
    """A refused value as the message shows it: a huge one is cut, not printed whole."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}… ({len(text)} characters)"


def _bounded_text(limit: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected text in quotes, got {_shown(value)}")
        if len(value) > limit:
            raise ValueError(f"expected at most {limit} characters, got {len(value)}")
        if "\0" in value:
            raise ValueError("expected text without NUL characters (\\u0000)")
        return value

    return check


_text = _bounded_text(NAME_MAX_CHARS)
_long_text = _bounded_text(NOTE_MAX_CHARS)


def _positive_number(value: Any) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 < value <= LOCK_TIMEOUT_MAX_SECONDS  # NaN compares false: refused too
    ):
        raise ValueError(
            f"expected a number of seconds greater than 0 and at most "
            f"{LOCK_TIMEOUT_MAX_SECONDS:g}, got {_shown(value)}"
        )
    return float(value)


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= DAYS_MAX:
        raise ValueError(
            f"expected a whole number of days from 1 to {DAYS_MAX}, got {_shown(value)}"
        )
    return value


def _percent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValueError(f"expected a whole number from 0 to 100, got {_shown(value)}")
    return value


def _currency(value: Any) -> str:
    from accmgr.domain.money import check_currency
    from accmgr.errors import ValidationError

    if not isinstance(value, str) or len(value) > NAME_MAX_CHARS:
        raise ValueError(f"expected a three-letter ISO 4217 code such as EUR, got {_shown(value)}")
    try:
        return check_currency(value)
    except ValidationError as exc:
        raise ValueError(exc.detail) from None


def _optional_currency(value: Any) -> str:
    return "" if value == "" else _currency(value)


def _keys(value: Any) -> str:
    if (
        not isinstance(value, str)
        or len(value) > NAME_MAX_CHARS
        or not value.isprintable()
        or not all(part.strip() for part in value.split(","))
    ):
        raise ValueError(f'expected a key such as "ctrl+r" or "f5" in quotes, got {_shown(value)}')
    return ",".join(part.strip() for part in value.split(","))


def _logo(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(
            f"expected the path of a PNG, JPEG or SVG file in quotes, got {_shown(value)}"
        )
    if not value:
        return value
    if "\0" in value or len(value) > NOTE_MAX_CHARS:
        raise ValueError(f"expected the path of a PNG, JPEG or SVG file, got {_shown(value)}")
    path = Path(value).expanduser()
    if path.suffix.lower() not in {".png", ".jpg", ".jpeg", ".svg"}:
        raise ValueError(f"expected a PNG, JPEG or SVG file, got {_shown(value)}")
    try:
        found = path.is_file()
    except OSError as exc:
        raise ValueError(
            f"expected an existing file, but {_shown(str(path))} cannot be read ({exc.strerror})"
        ) from None
    if not found:
        raise ValueError(f"expected an existing file, but {str(path)!r} does not exist")
    return str(path)


# TOML key → (Config field, validator, description).
KEYS: Mapping[str, tuple[str, Callable[[Any], Any], str]] = {
    "locale": ("locale", _locale, "locale of dates and numbers you type and read"),
    "timezone": ("timezone", _timezone, "time zone of appointments; empty = the system's"),
    "user.name": ("user_name", _text, "your name, as owner of new clients and deals"),
    "storage.lock_timeout": (
        "lock_timeout",
        _positive_number,
        "seconds to wait for another accmgr writing to the same database",
    ),
    "reliability.review_limit_days": (
        "review_limit_days",
        _days,
        "a reliability review older than this many days is a warning",
    ),
    "today.dormant_days": (
        "dormant_days",
        _days,
        "a key client with no contact for more than this many days is dormant on Today",
    ),
    "company.name": ("company_name", _text, "your company's name, printed on documents"),
    "company.address": ("company_address", _long_text, "its address, printed on documents"),
    "company.tax_id": ("company_tax_id", _text, "its tax id, printed on documents"),
    "company.bank": ("company_bank", _long_text, "bank details printed on offers and contracts"),
    "company.logo": ("company_logo", _logo, "logo file (PNG, JPEG or SVG) for the header"),
    "documents.offer_validity_days": (
        "offer_validity_days",
        _days,
        "days an offer stays valid unless its validity is set",
    ),
    "currency": (
        "default_currency",
        _currency,
        "currency of new clients and deals unless given (ISO 4217, e.g. EUR)",
    ),
    "reporting_currency": (
        "reporting_currency",
        _optional_currency,
        "currency every total is shown in (ISO 4217); empty = the currency above",
    ),
    # "stage_probability.call" fills the mapping field stage_probability[Stage.CALL].
    **{
        f"stages.{stage.value}.probability": (
            f"stage_probability.{stage.value}",
            _percent,
            f"default win probability in % of a deal in {stage.label}",
        )
        for stage in Stage
    },
    **{
        f"stages.{stage.value}.stall_days": (
            f"stage_stall_days.{stage.value}",
            _days,
            f"days in {stage.label} after which a deal is stalled",
        )
        for stage in Stage
    },
}

# The [keymap] table: binding id → key. Ids hold dots ("pipeline.reload"), so an unquoted id
# becomes nested tables in TOML; both spellings are read.
KEYMAP = "keymap"


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in KEYS:
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def _known_keys() -> list[str]:
    """KEYS for a message: the sixteen stage keys as two patterns."""
    plain = [key for key in KEYS if not key.startswith("stages.")]
    return [*plain, "stages.<stage>.probability", "stages.<stage>.stall_days", "keymap.<id>"]


def load_config(path: Path | None = None) -> Config:
    path = path or config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML (not UTF-8 at byte {exc.start})") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    """The Config a TOML text describes. ConfigError names ``path`` and every bad key, one line
    each, so that a file with several mistakes is fixed in one go."""
    try:
        data = tomllib.loads(text)
        flat = _flatten(data)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(
            f"{path}: not valid TOML (tables or arrays nested too deeply; a config is a few "
            "levels deep)"
        ) from None
    values: dict[str, Any] = {}
    problems: list[str] = []
    keymap = flat.pop(KEYMAP, None)
    if keymap is None:
        keymap = {key.removeprefix(KEYMAP + "."): v for key, v in flat.items()
                  if key.startswith(KEYMAP + ".")}  # fmt: skip
        flat = {key: v for key, v in flat.items() if not key.startswith(KEYMAP + ".")}
    elif not isinstance(keymap, dict):
        problems.append(f"{path}: key {KEYMAP!r}: expected a table of binding id = key")
        keymap = {}
    for key, value in flat.items():
        if key not in KEYS:
            known = ", ".join(_known_keys())
            problems.append(f"{path}: unknown key {_shown(key)} (known keys: {known})")
            continue
        attribute, validate, _ = KEYS[key]
        try:
            checked = validate(value)
        except ValueError as exc:
            problems.append(f"{path}: key {key!r}: {exc}")
            continue
        mapping, _, stage = attribute.partition(".")
        if stage:
            values.setdefault(mapping, {})[Stage(stage)] = checked
        else:
            values[attribute] = checked
    bindings: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        try:
            bindings[binding_id] = _keys(keys)
        except ValueError as exc:
            problems.append(f"{path}: key {_shown(f'{KEYMAP}.{binding_id}')}: {exc}")
    if problems:
        raise ConfigError("\n".join(problems), problems)
    if bindings:
        values["keymap"] = bindings
    return Config(**values)


def check_keymap(config: Config, known_ids: Collection[str], path: Path | None = None) -> None:
    """Refuse a keymap naming a binding id the app does not have (a typo would do nothing)."""
    for binding_id in config.keymap:
        if binding_id not in known_ids:
            known = ", ".join(sorted(known_ids))
            raise ConfigError(
                f"{path or config_file()}: key '{KEYMAP}.{binding_id}': "
                f"no key binding has the id {binding_id!r} (ids: {known})"
            )
