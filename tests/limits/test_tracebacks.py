"""Input that used to end in a traceback: each is now one line on stderr, a non-zero exit
status, and nothing written."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.cli.test_cli import ok, run
from tests.cli.test_offers_cli import setup_deal
from tests.conftest import tree_bytes

Capture = pytest.CaptureFixture[str]


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def issued(data_dir: Path, capsys: Capture) -> str:
    setup_deal(capsys)
    ok(capsys, "product", "add", "BOX", "Box", "--price", "10", "--currency", "EUR",
       "--tax-rate", "23")  # fmt: skip
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "1")
    return ok(capsys, "offer", "issue", "DOC-0001").splitlines()[0]


def test_render_into_an_existing_folder(
    issued: str, data_dir: Path, tmp_path: Path, capsys: Capture
) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    before = tree_bytes(data_dir)
    code, out, err = run(capsys, "render", issued, "--out", str(folder))
    assert code == 1 and out == ""
    assert _one_line(err) == (
        f"accmgr: {folder}: is a folder; give the PDF's file name, e.g. {folder / 'offer.pdf'}"
    )
    assert list(folder.iterdir()) == [] and tree_bytes(data_dir) == before


def test_render_to_a_path_that_cannot_be_written(
    issued: str, data_dir: Path, tmp_path: Path, capsys: Capture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "offer.pdf"
    before = tree_bytes(data_dir)
    code, out, err = run(capsys, "render", issued, "--out", str(target))
    assert code == 1 and out == ""
    line = _one_line(err)
    assert line.startswith(f"accmgr: {target}: the PDF cannot be written there (")
    assert tree_bytes(data_dir) == before and blocker.read_text() == "x"


def test_backup_to_a_path_that_cannot_be_written(
    data_dir: Path, tmp_path: Path, capsys: Capture
) -> None:
    ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, out, err = run(capsys, "backup", "--to", str(blocker / "b.json"))
    assert code == 1 and out == ""
    assert _one_line(err).startswith(f"accmgr: backup: {blocker / 'b.json'} cannot be written (")


def test_backup_on_a_full_disk_leaves_no_partial_file(
    data_dir: Path, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT")
    full = tmp_path / "full"
    full.mkdir()
    real_write = os.write

    def write(fd: int, data: bytes | memoryview) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(full)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    code, out, err = run(capsys, "backup", "--to", str(full / "b.json"))
    assert code == 1 and out == ""
    assert _one_line(err) == (
        f"accmgr: backup: {full / 'b.json'} cannot be written (No space left on device); "
        "no backup was made — choose another place or free some disk space"
    )
    assert list(full.iterdir()) == []


@pytest.mark.parametrize("name", ["data.json", "lock", "journal.jsonl"])
def test_restore_when_a_database_file_is_a_folder(
    name: str, data_dir: Path, tmp_path: Path, capsys: Capture
) -> None:
    ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT")
    backup = Path(ok(capsys, "backup"))
    other = tmp_path / "other"
    (other / name).mkdir(parents=True)
    code, out, err = run(capsys, "--data", str(other), "restore", str(backup))
    assert code == 1 and out == ""
    assert _one_line(err) == (
        f"accmgr: {other / name} is a folder or a device, not the database's file; move it out "
        "of the way, then restore again — nothing was restored"
    )
    assert sorted(p.name for p in other.iterdir()) == [name]
