"""Backups that are kept: rotation by what the files are, daily backups that never refuse
work, temp files that are ours alone, folders that are not databases, loose permissions."""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

import pytest

from accmgr.cli import main
from accmgr.durable import temp_path
from accmgr.errors import StoreError
from accmgr.store import backup, check_database, open_store, restore_database, snapshot
from tests.conftest import tree_bytes
from tests.store.helpers import add

THREE_DAYS_AGO = time.time() - 3 * 24 * 3600


def _database_with_a_record(db: Path) -> None:
    with open_store(db) as s:
        add(s, title="kept")
    (db / backup.BACKUP_DIR).mkdir(mode=0o700)


def _named_in_2030(db: Path, reason: str, count: int = backup.KEEP_AUTOMATIC) -> list[Path]:
    """Automatic backups whose names say 2030 (a wrong clock, a copy from elsewhere)."""
    folder = db / backup.BACKUP_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    source = (db / "data.json").read_bytes()
    made = []
    for day in range(1, count + 1):
        path = folder / f"accmgr-203001{day:02d}T000000.000000Z-auto-{reason}.json"
        path.write_bytes(source)
        os.chmod(path, 0o600)
        os.utime(path, (THREE_DAYS_AGO + day, THREE_DAYS_AGO + day))
        made.append(path)
    return made


def _daily(db: Path) -> list[Path]:
    return [p for p in backup.list_backups(db) if "2030" not in p.name and "-auto-daily" in p.name]


def test_backups_named_in_the_future_do_not_delete_the_daily_backup_just_written(db: Path) -> None:
    _database_with_a_record(db)
    for p in backup.list_backups(db):
        p.unlink()
    _named_in_2030(db, "daily")
    open_store(db).close()
    written = _daily(db)
    assert len(written) == 1  # the old rotation sorted by name and deleted it at once
    open_store(db).close()
    assert _daily(db) == written  # one a day, not one per command
    autos = [p for p in backup.list_backups(db) if "-auto-daily" in p.name]
    assert len(autos) == backup.KEEP_AUTOMATIC


def test_restore_keeps_the_file_it_names_as_the_previous_state(db: Path, tmp_path: Path) -> None:
    _database_with_a_record(db)
    source = tmp_path / "mine.json"
    with open_store(db) as s:
        s.backup(source)
    _named_in_2030(db, "before-restore")
    kept = restore_database(db, source)
    assert kept.is_file()
    assert snapshot.decode(kept, kept.read_bytes(), "")[0]["deals"]


def test_a_clock_gone_backwards_is_said_and_nothing_is_deleted(db: Path) -> None:
    _database_with_a_record(db)
    ahead = _named_in_2030(db, "daily", backup.KEEP_AUTOMATIC + 2)
    in_2030 = time.mktime((2030, 1, 1, 0, 0, 0, 0, 0, -1))
    for path in ahead:
        os.utime(path, (in_2030, in_2030))
    with open_store(db) as s:
        assert [w for w in s.warnings if "dated after now" in w] == [
            f"{len(ahead)} backups in {db / 'backups'} dated after now (newest 2030-01-01 "
            f"{time.strftime('%H:%M', time.gmtime(in_2030))} UTC): the clock has gone backwards "
            "or was wrong; they are kept and not rotated — check the date and time"
        ]
    assert all(p.exists() for p in ahead)
    assert len(_daily(db)) == 1  # the future ones do not stand in for today's backup


def test_a_daily_backup_that_cannot_be_written_is_a_warning_not_a_refusal(db: Path) -> None:
    _database_with_a_record(db)
    with open_store(db) as s:
        s.compact()  # nothing on top of data.json: the daily backup is made on open
    for p in backup.list_backups(db):
        p.unlink()
    (db / "backups").rmdir()
    (db / "backups").write_text("not a folder")  # as good as read-only, even for root
    os.chmod(db / "backups", 0o600)
    with open_store(db) as s:
        assert s.get("deals", "D-0001") is not None
        add(s, title="still saved")
        assert s.warnings == [
            f"the daily backup could not be written to {db / 'backups'} (File exists); your "
            "work is saved as usual — free some disk space or make the folder writable"
        ]
    with open_store(db) as s:
        assert s.count("deals") == 2


def test_a_full_disk_at_the_deferred_daily_backup_is_a_warning(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["client", "add", "Nortessa"]) == 0
    for p in backup.list_backups(data_dir):
        p.unlink()
    capsys.readouterr()

    def full(dest: Path, data: bytes) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup, "write", full)
    assert main(["client", "list"]) == 0
    out, err = capsys.readouterr()
    assert "Nortessa" in out
    assert err == (
        f"accmgr: warning: the daily backup could not be written to {data_dir / 'backups'} "
        "(No space left on device); your work is saved as usual — free some disk space or "
        "make the folder writable\n"
    )


def test_the_daily_backup_does_not_encode_the_database_before_the_command(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db) as s:
        add(s)
        s.compact()  # nothing on top of data.json: the backup is a byte copy of it
    for p in backup.list_backups(db):
        p.unlink()

    def no_encoding(*args: object) -> bytes:
        raise AssertionError("the daily backup encoded the whole database on open")

    monkeypatch.setattr(snapshot, "encode", no_encoding)
    open_store(db).close()
    [daily] = _daily(db)
    assert daily.read_bytes() == (db / "data.json").read_bytes()
    assert stat.S_IMODE(daily.stat().st_mode) == 0o600
    monkeypatch.undo()

    with open_store(db) as s:
        add(s, title="on top")  # now a journal record sits on top of data.json
    daily.unlink()
    s = open_store(db)
    assert _daily(db) == []  # left for close, after the command's work
    s.close()
    [daily] = _daily(db)
    assert snapshot.decode(daily, daily.read_bytes(), "")[0]["deals"]["D-0002"]["title"] == "on top"


def test_only_temp_files_accmgr_made_are_cleaned_up(db: Path) -> None:
    _database_with_a_record(db)
    theirs = [db / ".notes.tmp", db / "backups" / ".upload.tmp", db / ".data.json.tmp"]
    for path in theirs:
        path.write_text("someone else's")
    ours = [temp_path(db / "data.json"), temp_path(db / "backups" / "accmgr-x.json")]
    ours.append(db / f".journal.jsonl.{os.getpid()}.tmp")  # what an older accmgr left
    for path in ours:
        path.write_text("left by a killed accmgr")
    open_store(db).close()
    assert [p.read_text() for p in theirs] == ["someone else's"] * 3
    assert not any(p.exists() for p in ours)


def test_a_non_empty_folder_is_not_made_into_a_database_without_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    (folder / "thesis.odt").write_text("years of work")
    before = tree_bytes(folder)
    with pytest.raises(StoreError, match="add --init"):
        open_store(folder)
    assert main(["--data", str(folder), "client", "list"]) == 1
    assert capsys.readouterr().err == (
        f"accmgr: {folder} is not an accmgr database and is not empty (thesis.odt); nothing "
        "was written — choose a new or empty folder, or add --init to make a database here\n"
    )
    assert sorted(os.listdir(folder)) == ["thesis.odt"]
    assert tree_bytes(folder) == before
    assert main(["--data", str(folder), "--init", "client", "list"]) == 0
    assert (folder / "data.json").is_file()
    assert main(["--data", str(folder), "client", "list"]) == 0  # a database now


def test_init_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--init" in capsys.readouterr().out
    readme = Path(__file__).parents[2] / "README.md"
    assert "--init" in readme.read_text()


def test_loose_permissions_are_said_on_every_command_until_check_fix(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["client", "add", "Nortessa"]) == 0
    outside = tmp_path / "outside.txt"
    outside.write_text("not accmgr's")
    os.chmod(outside, 0o644)
    (data_dir / "backups").mkdir(mode=0o700)
    os.symlink(outside, data_dir / "backups" / "accmgr-link.json")
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / "data.json", 0o644)
    capsys.readouterr()
    for _ in range(2):
        assert main(["client", "list"]) == 0
        err = capsys.readouterr().err.splitlines()
        assert err == [
            f"accmgr: warning: {data_dir} can be read by other users (mode 755); run: chmod 700 "
            f"{data_dir} (and 2 more); accmgr --data {data_dir} check --fix narrows what is yours"
        ]
    assert main(["check", "--fix"]) == 1  # the link is left for the user to look at
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        f"fixed {data_dir}: mode 755 -> 700",
        f"fixed {data_dir / 'data.json'}: mode 644 -> 600",
    ]
    link = data_dir / "backups" / "accmgr-link.json"
    assert f"{link} is a symbolic link; accmgr neither follows nor fixes it" in out
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # never followed
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    link.unlink()
    assert main(["client", "list"]) == 0
    assert capsys.readouterr().err == ""
    assert check_database(data_dir) == []


def test_files_owned_by_another_user_are_said(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _database_with_a_record(db)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(db).st_uid + 4242)
    with open_store(db) as s:
        [line] = s.warnings
    assert line.startswith(f"{db} belongs to ")
    assert "not to you" in line
    assert "check --fix" in line
