"""The user's configuration: a TOML file whose every key has a default and a validator.

A bad value is reported with the file, the key and what was expected; a missing file is
simply the defaults. The file is never written by this module.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from accmgr.errors import AccmgrError
from accmgr.locations import config_file


class ConfigError(AccmgrError):
    """The configuration file has a bad value; it names the file and the key."""


@dataclass(frozen=True)
class Config:
    locale: str = "en_GB"
    timezone: str = ""  # empty: the system's local time zone
    user_name: str = ""
    lock_timeout: float = 10.0
    review_limit_days: int = 90
    company_name: str = ""
    company_address: str = ""
    company_tax_id: str = ""
    company_bank: str = ""
    company_logo: str = ""  # path of a PNG, JPEG or SVG file; empty: no logo
    offer_validity_days: int = 30

    def tzinfo(self) -> Any:
        if not self.timezone:
            from dateutil import tz

            return tz.tzlocal()
        return ZoneInfo(self.timezone)


def _locale(value: Any) -> str:
    from babel import Locale, UnknownLocaleError

    if not isinstance(value, str):
        raise ValueError("expected a locale name such as en_GB, pt_PT or lt_LT")
    try:
        Locale.parse(value)
    except (ValueError, UnknownLocaleError):
        raise ValueError(
            f"expected a locale name such as en_GB, pt_PT or lt_LT, got {value!r}"
        ) from None
    return value


def _timezone(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a time zone name such as Europe/Vilnius")
    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"expected a time zone name such as Europe/Vilnius, got {value!r}"
            ) from None
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected text in quotes")
    return value


def _positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"expected a number of seconds greater than 0, got {value!r}")
    return float(value)


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a whole number of days of at least 1, got {value!r}")
    return value


def _logo(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected the path of a PNG, JPEG or SVG file in quotes")
    if not value:
        return value
    path = Path(value).expanduser()
    if path.suffix.lower() not in {".png", ".jpg", ".jpeg", ".svg"}:
        raise ValueError(f"expected a PNG, JPEG or SVG file, got {value!r}")
    if not path.is_file():
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
    "company.name": ("company_name", _text, "your company's name, printed on documents"),
    "company.address": ("company_address", _text, "its address, printed on documents"),
    "company.tax_id": ("company_tax_id", _text, "its tax id, printed on documents"),
    "company.bank": ("company_bank", _text, "bank details printed on offers and contracts"),
    "company.logo": ("company_logo", _logo, "logo file (PNG, JPEG or SVG) for the header"),
    "documents.offer_validity_days": (
        "offer_validity_days",
        _days,
        "days an offer stays valid unless its validity is set",
    ),
}


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in KEYS:
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def load_config(path: Path | None = None) -> Config:
    path = path or config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    values: dict[str, Any] = {}
    for key, value in _flatten(data).items():
        if key not in KEYS:
            known = ", ".join(KEYS)
            raise ConfigError(f"{path}: unknown key {key!r} (known keys: {known})")
        attribute, validate, _ = KEYS[key]
        try:
            values[attribute] = validate(value)
        except ValueError as exc:
            raise ConfigError(f"{path}: key {key!r}: {exc}") from None
    return Config(**values)
