"""Every config key against the values an attacker or a slip of the keyboard gives it: each is
refused in one line naming the file and the key, and several bad keys are all reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from accmgr.config import KEYMAP, KEYS, ConfigError, parse_config
from accmgr.domain.stages import Stage

# TOML literals: not-a-number, infinities, huge, negative, the wrong type, huge text, NUL.
HOSTILE = {
    "nan": "nan",
    "inf": "inf",
    "-inf": "-inf",
    "1e10": "1e10",
    "huge-int": "9999999999",
    "huge-digits": "9" * 400,
    "negative": "-1",
    "bool": "true",
    "array": "[1, 2]",
    "table": "{ a = 1 }",
    "date": "1979-05-27",
    "huge-text": '"' + "x" * 100_000 + '"',
    "nul": '"a\\u0000b"',
}
EVERY_KEY = [*KEYS, f"{KEYMAP}.app.help"]


def _assignment(key: str, literal: str) -> str:
    if key.startswith(KEYMAP + "."):
        return f'{KEYMAP}."{key.removeprefix(KEYMAP + ".")}" = {literal}\n'
    return f"{key} = {literal}\n"


def test_the_table_covers_every_key() -> None:
    assert {"storage.lock_timeout", "documents.offer_validity_days", "company.logo"} <= set(KEYS)
    assert len([k for k in EVERY_KEY if k.startswith("stages.")]) == 2 * len(Stage)


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("key", EVERY_KEY)
def test_a_hostile_value_is_refused_in_one_line_naming_the_key(
    key: str, value: str, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as caught:
        parse_config(_assignment(key, value), path)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400, message[:500]
    assert message.startswith(f"{path}: key '{key}"), message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("storage.lock_timeout = nan", "greater than 0 and at most 3600, got nan"),
        ("storage.lock_timeout = inf", "greater than 0 and at most 3600, got inf"),
        ("storage.lock_timeout = 1e10", "greater than 0 and at most 3600, got 10000000000.0"),
        ("documents.offer_validity_days = 9999999999", "days from 1 to 3650, got 9999999999"),
    ],
)
def test_the_values_seen_in_the_field_say_what_was_expected(
    text: str, expected: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, tmp_path / "config.toml")
    assert str(caught.value).endswith(expected)


def test_deep_nesting_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    for text in ("a = " + "[" * 5000 + "]" * 5000, "a = " + "{b=" * 5000 + "1" + "}" * 5000):
        with pytest.raises(ConfigError) as caught:
            parse_config(text, path)
        assert str(caught.value) == (
            f"{path}: not valid TOML (tables or arrays nested too deeply; a config is a few "
            "levels deep)"
        )


def test_several_bad_keys_are_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    text = (
        "storage.lock_timeout = nan\n"
        'locale = "en_GB"\n'
        "[documents]\noffer_validity_days = 9999999999\n"
        "[company]\nname = 5\n"
        "[keymap]\n\"app.help\" = ''\n"
        "[typo]\nx = 1\n"
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(text, path)
    lines = str(caught.value).splitlines()
    assert caught.value.problems == lines
    assert [line.split(": ", 2)[1] for line in lines] == [
        "key 'storage.lock_timeout'",
        "key 'documents.offer_validity_days'",
        "key 'company.name'",
        "unknown key 'typo.x' (known keys",
        "key 'keymap.app.help'",
    ]
    assert all(line.startswith(f"{path}: ") for line in lines)
