"""The config file: every key validated, errors name the file and the key; writing is
atomic, owner-only, keeps what it does not know and refuses a file it cannot parse."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

import pytest

from accmgr.config import Config, ConfigError, load_config, parse_config
from accmgr.config_write import save_settings
from accmgr.domain.stages import STAGE_RULES, Stage
from accmgr.services.settings import rules_from_config


def refused(text: str, tmp_path: Path) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


def test_missing_file_is_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == Config()


def test_new_keys_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'currency = "pln"\n[stages.call]\nprobability = 12\nstall_days = 3\n'
        '[keymap]\n"app.help" = "f12"\npipeline.reload = "ctrl+r, R"\n'
        "[today]\ndormant_days = 30\n"
    )
    config = load_config(path)
    assert config.dormant_days == 30 and Config().dormant_days == 45
    assert config.default_currency == "PLN"
    assert config.stage_probability == {Stage.CALL: 12}
    assert config.stage_stall_days == {Stage.CALL: 3}
    # Quoted or not, a dotted id means the same binding.
    assert config.keymap == {"app.help": "f12", "pipeline.reload": "ctrl+r,R"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('currency = "euro"', "key 'currency': expected a three-letter ISO 4217 code"),
        ("[stages.needs]\nprobability = 101", "key 'stages.needs.probability': expected a whole"),
        ("[stages.needs]\nprobability = -1", "key 'stages.needs.probability'"),
        ("[stages.needs]\nstall_days = 0", "key 'stages.needs.stall_days': expected a whole"),
        ('[stages.needs]\nstall_days = "3"', "key 'stages.needs.stall_days'"),
        ("[stages.nope]\nstall_days = 3", "unknown key 'stages.nope.stall_days'"),
        ('[keymap]\n"app.help" = ""', "key 'keymap.app.help': expected a key"),
        ('[keymap]\n"app.help" = "f1,"', "key 'keymap.app.help': expected a key"),
        ('[keymap]\n"app.help" = 3', "key 'keymap.app.help'"),
        ('keymap = "f1"', "key 'keymap': expected a table"),
        ('user.name = "Ana', "not valid TOML"),
        ("[today]\ndormant_days = 0", "key 'today.dormant_days': expected a whole number"),
        ("today.dormant_days = 4.5", "key 'today.dormant_days'"),
    ],
)
def test_bad_values_name_the_file_and_key(text: str, expected: str, tmp_path: Path) -> None:
    message = refused(text, tmp_path)
    assert message.startswith(f"{tmp_path / 'config.toml'}: ")
    assert expected in message


def test_rules_come_from_the_config_over_the_stage_defaults() -> None:
    config = Config(stage_probability={Stage.CALL: 12}, stage_stall_days={Stage.NEEDS: 5})
    rules = rules_from_config(config)
    assert rules[Stage.CALL].default_probability == Decimal(12)
    assert rules[Stage.CALL].stall_days == STAGE_RULES[Stage.CALL].stall_days
    assert rules[Stage.NEEDS].stall_days == 5
    assert rules[Stage.CLOSING] is STAGE_RULES[Stage.CLOSING]
    assert rules_from_config(Config()) == STAGE_RULES


def test_save_keeps_comments_and_unknown_keys_and_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "config.toml"
    path.parent.mkdir()
    path.write_text('# mine\nfuture.key = 1  # a later version\ncompany.name = "Old"\n')
    path.chmod(0o644)
    # Unknown keys survive the write, though this version refuses to load them.
    with pytest.raises(ConfigError, match=r"unknown key 'future\.key'"):
        save_settings({"company.name": "New"}, path)
    assert path.read_text() == '# mine\nfuture.key = 1  # a later version\ncompany.name = "Old"\n'

    path.write_text('# mine\ntimezone = "Europe/Lisbon"  # summer\ncompany.name = "Old"\n')
    config = save_settings({"company.name": "New", "stages.call.stall_days": 3}, path)
    assert config.company_name == "New"
    assert config.timezone == "Europe/Lisbon"
    assert path.read_text() == (
        '# mine\ntimezone = "Europe/Lisbon"  # summer\ncompany.name = "New"\n\n'
        "[stages.call]\nstall_days = 3\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert parse_config(path.read_text(), path) == config


def test_save_is_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('user.name = "Ana"\n')
    with pytest.raises(ConfigError, match=r"stages\.call\.probability"):
        save_settings({"user.name": "Bea", "stages.call.probability": 300}, path)
    assert path.read_text() == 'user.name = "Ana"\n'


def test_save_refuses_a_file_it_cannot_parse_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('user.name = "Ana"\n[company\n')
    with pytest.raises(ConfigError) as caught:
        save_settings({"user.name": "Bea"}, path)
    assert str(caught.value).startswith(f"{path}: not valid TOML at line 2, column")
    assert path.read_text() == 'user.name = "Ana"\n[company\n'


def test_save_creates_the_directory_and_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_settings({"user.name": "Ana"}, path)
    assert load_config(path).user_name == "Ana"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_save_keeps_a_symlinked_config_a_link_and_writes_its_target(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "accmgr.toml"
    target.write_text('user.name = "Ana"\n')
    path = tmp_path / "cfg" / "config.toml"
    path.parent.mkdir()
    path.symlink_to(target)
    save_settings({"company.name": "Nortessa"}, path)
    assert path.is_symlink() and path.resolve() == target
    assert target.read_text() == 'user.name = "Ana"\n\n[company]\nname = "Nortessa"\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert load_config(path).company_name == "Nortessa"


def test_save_waits_for_another_save_and_says_so_when_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from accmgr import config_write

    path = tmp_path / "config.toml"
    path.write_text('user.name = "Ana"\n')
    monkeypatch.setattr(config_write, "LOCK_TIMEOUT", 0.2)
    with open(tmp_path / ".config.toml.lock", "a") as other:  # another accmgr is saving
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(ConfigError) as refused:
            save_settings({"user.name": "Bea"}, path)
    assert str(refused.value) == (
        f"{path}: another accmgr has been saving settings for over 0.2 s; nothing was saved, "
        "try again"
    )
    assert path.read_text() == 'user.name = "Ana"\n'
    save_settings({"user.name": "Bea"}, path)  # the lock is free again
    assert load_config(path).user_name == "Bea"
