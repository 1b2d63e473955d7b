"""Damage as a script meets it: records the domain refuses are named with their file, a
failing command writes nothing, and restore takes only a backup that passes every check."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accmgr.cli import main
from tests.conftest import tree_bytes

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: Capture, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err + out
    return out.strip()


def _offer_issued(capsys: Capture) -> None:
    """Two clients, a deal and an issued offer OFR-2026-0001, all folded into data.json."""
    ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT", "--currency", "EUR")
    ok(capsys, "client", "add", "Baltic Freight UAB", "--country", "LT", "--currency", "EUR")
    ok(capsys, "deal", "add", "C-0001", "Cold boxes")
    ok(
        capsys,
        "product",
        "add",
        "BOX",
        "Box",
        "--price",
        "2.25",
        "--currency",
        "EUR",
        "--tax-rate",
        "23",
    )
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0001", "--product", "BOX", "--qty", "4")
    assert ok(capsys, "offer", "issue", "DOC-0001") == "OFR-2026-0001"


def _compact(db: Path) -> None:
    from accmgr.store import open_store

    with open_store(db) as store:
        store.compact()


def _edit_data(db: Path, change: Callable[[dict[str, Any]], None]) -> None:
    _compact(db)
    data = json.loads((db / "data.json").read_bytes())
    change(data)
    (db / "data.json").write_text(json.dumps(data), encoding="utf-8")


def _no_name(data: dict[str, Any]) -> None:
    del data["clients"]["C-0002"]["name"]


def _heaven(data: dict[str, Any]) -> None:
    data["deals"]["D-0001"]["stage"] = "heaven"


def _rev_x(data: dict[str, Any]) -> None:
    data["clients"]["C-0002"]["rev"] = "x"


RECORDS = {
    "client without a name": (_no_name, "clients record C-0002: client.name: is required"),
    "deal in stage heaven": (_heaven, "deals record D-0001: deal.stage: expected one of"),
    "rev x": (_rev_x, "clients record C-0002 has no valid revision ('x')"),
}


@pytest.mark.parametrize("case", list(RECORDS))
def test_check_names_table_id_and_field_of_a_record_the_domain_refuses(
    data_dir: Path, capsys: Capture, case: str
) -> None:
    _offer_issued(capsys)
    change, named = RECORDS[case]
    _edit_data(data_dir, change)
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert named in out
    assert f"{data_dir}: the records above cannot be used as they are." in out


def test_a_command_that_fails_after_its_write_wrote_nothing(
    data_dir: Path, capsys: Capture
) -> None:
    _offer_issued(capsys)
    _edit_data(data_dir, _no_name)
    before = tree_bytes(data_dir)
    # client add writes, then looks for duplicates among the clients, and meets C-0002.
    code, _, err = run(capsys, "client", "add", "Açores Pescas Lda")
    assert code == 1
    assert f"accmgr: {data_dir}: clients record C-0002: client.name: is required" in err
    assert "nothing was written" in err and "\n" not in err.strip()
    assert tree_bytes(data_dir) == before, "a write was kept although the command failed"
    code, _, err = run(capsys, "client", "list")
    assert code == 1 and "clients record C-0002" in err


def test_restore_refuses_a_backup_with_zeroed_counters_and_the_hint_skips_it(
    data_dir: Path, capsys: Capture, tmp_path: Path
) -> None:
    _offer_issued(capsys)
    good = Path(ok(capsys, "backup"))
    zeroed = json.loads(good.read_bytes())
    zeroed["_meta"]["store"]["numbers"] = {}
    zeroed["_meta"]["store"]["ids"] = {}
    newer = good.with_name(good.name.replace("accmgr-", "accmgr-9"))  # sorts as the newest
    newer.write_text(json.dumps(zeroed), encoding="utf-8")
    newer.chmod(0o600)
    before = tree_bytes(data_dir)
    code, _, err = run(capsys, "restore", str(newer))
    assert code == 1
    assert "the id counter of clients (0) is behind its highest id (2)" in err
    assert "(and 5 more)" in err  # the change log's counter is behind too
    assert tree_bytes(data_dir) == before

    (data_dir / "journal.jsonl").write_bytes(b"")  # damage: the hint must name `good`
    code, _, err = run(capsys, "client", "list")
    assert code == 1 and "journal.jsonl: damaged at byte 0 (the file is empty" in err
    hinted = shlex.split(err.split("Restore the newest backup with: ", 1)[1])
    assert hinted[-1] == str(good)
    assert run(capsys, *hinted[1:])[0] == 0
    assert ok(capsys, "check").endswith(": ok")
    # The counters are ahead of what was issued: no second OFR-2026-0001.
    ok(capsys, "offer", "new", "D-0001")
    ok(capsys, "offer", "add-line", "DOC-0002", "--product", "BOX", "--qty", "1")
    assert ok(capsys, "offer", "issue", "DOC-0002") == "OFR-2026-0002"


def test_restore_refuses_a_backup_with_a_record_the_domain_refuses(
    data_dir: Path, capsys: Capture
) -> None:
    _offer_issued(capsys)
    good = Path(ok(capsys, "backup"))
    bad = json.loads(good.read_bytes())
    _heaven(bad)
    broken = good.with_name("accmgr-99990101T000000.000000Z.json")
    broken.write_text(json.dumps(bad), encoding="utf-8")
    broken.chmod(0o600)
    before = tree_bytes(data_dir)
    code, _, err = run(capsys, "restore", str(broken))
    assert code == 1
    assert f"the backup {broken} cannot be used: deals record D-0001: deal.stage" in err
    assert tree_bytes(data_dir) == before


@pytest.mark.parametrize(
    "payload", ["[" * 100_000, '{"n": ' + "9" * 5000 + "}"], ids=["nesting", "digits"]
)
def test_a_bomb_in_data_json_is_damage_and_a_good_backup_restores_over_it(
    data_dir: Path, capsys: Capture, payload: str
) -> None:
    ok(capsys, "client", "add", "Kept")
    good = Path(ok(capsys, "backup"))
    (data_dir / "data.json").write_text(payload, encoding="utf-8")
    for argv in (("check",), ("client", "list"), ("client", "add", "New")):
        code, out, err = run(capsys, *argv)
        assert code == 1, argv
        assert f"{data_dir / 'data.json'}: damaged at" in out + err
    bomb = data_dir.parent / "bomb.json"
    bomb.write_text(payload, encoding="utf-8")
    code, _, err = run(capsys, "restore", str(bomb))
    assert code == 1 and "bomb.json: damaged at" in err
    assert run(capsys, "restore", str(good))[0] == 0
    assert [c["name"] for c in json.loads(ok(capsys, "client", "list", "--json"))] == ["Kept"]


def test_schema_0_is_refused_without_a_backup_each_time(data_dir: Path, capsys: Capture) -> None:
    ok(capsys, "client", "add", "Kept")
    good = Path(ok(capsys, "backup"))
    _edit_data(data_dir, lambda d: d["_meta"]["store"].update(schema_version=0))
    backups = sorted((data_dir / "backups").iterdir())
    for _ in range(2):
        code, _, err = run(capsys, "client", "list")
        assert code == 1 and "schema_version 0 was never written by accmgr" in err
    assert sorted((data_dir / "backups").iterdir()) == backups
    schema0 = data_dir.parent / "schema0.json"
    schema0.write_bytes((data_dir / "data.json").read_bytes())
    code, _, err = run(capsys, "restore", str(schema0))
    assert code == 1 and "schema_version 0" in err
    assert run(capsys, "restore", str(good))[0] == 0
    assert ok(capsys, "check").endswith(": ok")
