"""Delete to the trash, restore, undo and history on the command line, checked in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accmgr.store import open_store
from tests.cli.test_cli import ok, run


@pytest.fixture
def named(data_dir: Path, tmp_path: Path) -> Path:
    (tmp_path / "config" / "config.toml").write_text(
        '[user]\nname = "Ana Ferreira"\n', encoding="utf-8"
    )
    return data_dir


def _stored(data: Path, table: str, doc_id: str) -> dict[str, object] | None:
    with open_store(data) as store:
        doc = store.get(table, doc_id)
        return None if doc is None else dict(doc)


def _client_with_deal(capsys: pytest.CaptureFixture[str]) -> tuple[str, str, str]:
    client = ok(capsys, "client", "add", "Açores Pescas Lda", "--country", "PT")
    contact = ok(capsys, "contact", "add", client, "João Ribeiro", "--role", "decision-maker")
    deal = ok(capsys, "deal", "add", client, "Cold store", "--value", "1000")
    return client, contact, deal


def test_every_change_is_logged_with_who_and_fields(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, deal = _client_with_deal(capsys)
    ok(capsys, "deal", "lost", deal, "--reason", "went elsewhere", "--category", "competitor")
    lines = json.loads(ok(capsys, "deal", "history", deal, "--json"))
    assert [line["op"] for line in lines] == ["create", "update"]
    assert {line["who"] for line in lines} == {"Ana Ferreira"}
    assert lines[1]["at"].startswith("2026-11-23T10:00:00")
    fields = {f["field"]: (f["old"], f["new"]) for f in lines[1]["fields"]}
    assert fields["outcome"] == ("none", "'lost'")
    assert fields["lost note"] == ("''", "'went elsewhere'")
    human = ok(capsys, "deal", "history", deal)
    assert "Ana Ferreira" in human and "went elsewhere" in human


def test_history_of_an_unknown_record_is_refused(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "client", "history", "C-0099")
    assert code == 1 and "client C-0099 does not exist" in err


def test_client_with_deals_is_deleted_only_when_asked_and_restored_whole(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, contact, deal = _client_with_deal(capsys)
    code, _, err = run(capsys, "client", "delete", client)
    assert code == 1 and "has 1 deal" in err and "--with-deals" in err
    assert _stored(named, "clients", client) is not None
    out = ok(capsys, "client", "delete", client, "--with-deals")
    assert "deleted client C-0001 'Açores Pescas Lda' with 1 contacts, 1 deals" in out
    assert _stored(named, "clients", client) is None
    assert _stored(named, "deals", deal) is None and _stored(named, "contacts", contact) is None
    listed = json.loads(ok(capsys, "trash", "list", "--json"))
    assert [(i["record"], i["along"]) for i in listed] == [(client, {"contacts": 1, "deals": 1})]
    assert listed[0]["deleted_by"] == "Ana Ferreira"
    assert "restored client C-0001" in ok(capsys, "trash", "restore", client)
    assert _stored(named, "deals", deal)["title"] == "Cold store"  # type: ignore[index]
    assert _stored(named, "contacts", contact) is not None
    assert json.loads(ok(capsys, "trash", "list", "--json")) == []


def test_restore_refuses_when_its_client_is_gone(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, contact, _ = _client_with_deal(capsys)
    ok(capsys, "contact", "delete", contact)
    ok(capsys, "client", "delete", client, "--with-deals")
    code, _, err = run(capsys, "trash", "restore", contact)
    assert code == 1 and f"its client {client} is gone" in err
    assert _stored(named, "contacts", contact) is None


def test_an_issued_document_is_never_deleted(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accmgr.services.trash import DeleteRefused, delete
    from accmgr.services.workspace import Workspace
    from tests.conftest import frozen_now

    client, _, deal = _client_with_deal(capsys)
    with open_store(named) as store:
        with store.transaction() as tx:
            tx.insert(
                "documents",
                {
                    "id": tx.new_id("documents"),
                    "kind": "offer",
                    "number": "OFR-2026-0001",
                    "client_id": client,
                    "deal_id": deal,
                    "status": "sent",
                },
            )
        ws = Workspace(store=store, clock=frozen_now)
        with pytest.raises(DeleteRefused, match=r"OFR-2026-0001.*never deleted.*withdraw"):
            delete(ws, "DOC-0001")
    code, _, err = run(capsys, "deal", "delete", deal)
    assert code == 1 and "issued documents (OFR-2026-0001)" in err
    assert _stored(named, "deals", deal) is not None


def test_undo_steps_back_through_command_line_changes(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, deal = _client_with_deal(capsys)
    ok(capsys, "deal", "lost", deal, "--reason", "went elsewhere")
    assert "undid: deal D-0001" in ok(capsys, "undo")
    assert _stored(named, "deals", deal)["outcome"] is None  # type: ignore[index]
    ok(capsys, "deal", "delete", deal)
    assert _stored(named, "deals", deal) is None
    assert "undid: deleted deal D-0001 'Cold store'" in ok(capsys, "undo")
    assert _stored(named, "deals", deal) is not None
    assert json.loads(ok(capsys, "trash", "list", "--json")) == []
    assert "undid: created deal D-0001" in ok(capsys, "undo")
    assert _stored(named, "deals", deal) is None
    ok(capsys, "undo")  # the contact
    ok(capsys, "undo")  # the client
    code, _, err = run(capsys, "undo")
    assert code == 1 and "nothing to undo" in err


def test_undo_refuses_when_the_record_changed_since(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, deal = _client_with_deal(capsys)
    # Another program's change, not the command line's.
    with open_store(named) as store, store.transaction() as tx:
        doc = dict(tx.get("deals", deal) or {})
        doc["title"] = "Changed elsewhere"
        tx.update("deals", deal, doc, expected_rev=None)
    code, _, err = run(capsys, "undo")
    assert code == 1 and "deal D-0001 was changed since" in err
    assert _stored(named, "deals", deal)["title"] == "Changed elsewhere"  # type: ignore[index]


def test_a_lost_deal_is_reopened_at_its_stage(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, deal = _client_with_deal(capsys)
    code, _, err = run(capsys, "deal", "reopen", deal)
    assert code == 1 and "only a lost deal is reopened" in err
    ok(capsys, "deal", "lost", deal, "--reason", "no budget")
    assert ok(capsys, "deal", "reopen", deal) == "D-0001 reopened at Prospecting"
    stored = _stored(named, "deals", deal)
    assert stored is not None and stored["outcome"] is None and stored["lost_reason"] is None
    assert stored["stage_history"][-1]["reason"] == "reopened"  # type: ignore[index]
    assert ok(capsys, "undo") == "undid: reopened deal D-0001 at Prospecting"
    assert _stored(named, "deals", deal)["outcome"] == "lost"  # type: ignore[index]
    last = json.loads(ok(capsys, "deal", "history", deal, "--json"))[-2]
    assert {f["field"]: f["old"] for f in last["fields"]}["outcome"] == "'lost'"


def test_a_merge_is_undone_whole(named: Path, capsys: pytest.CaptureFixture[str]) -> None:
    client, contact, deal = _client_with_deal(capsys)
    other = ok(capsys, "client", "add", "Acores Pescas")
    ok(capsys, "client", "merge", other, client)
    assert _stored(named, "clients", client) is None
    assert _stored(named, "deals", deal)["client_id"] == other  # type: ignore[index]
    assert "undid:" in ok(capsys, "undo")
    assert _stored(named, "clients", client)["name"] == "Açores Pescas Lda"  # type: ignore[index]
    assert _stored(named, "deals", deal)["client_id"] == client  # type: ignore[index]
    assert _stored(named, "contacts", contact)["client_id"] == client  # type: ignore[index]
    assert not (_stored(named, "clients", other) or {}).get("merged_from")


def test_restore_of_an_activity_refuses_while_its_deal_is_gone(
    named: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client, _, deal = _client_with_deal(capsys)
    activity = ok(capsys, "log", "call", "--client", client, "--deal", deal, "--note", "hi")
    ok(capsys, "activity", "delete", activity)
    with open_store(named) as store, store.transaction() as tx:
        tx.delete("deals", deal)  # gone without the trash, as another program might
    code, _, err = run(capsys, "trash", "restore", activity)
    assert code == 1 and f"its deal {deal} is gone" in err
    assert _stored(named, "activities", activity) is None
