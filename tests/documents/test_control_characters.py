"""Control characters in stored record text reach a PDF as visible escapes, never raw."""

from __future__ import annotations

from pathlib import Path

import pytest

from accmgr.cli import main
from accmgr.documents.render import render_html
from accmgr.documents.sample import sample_snapshot
from tests.documents.conftest import DEFAULTS, pdf_text
from tests.hostile_records import HOSTILE, RAW, fill_hostile


def test_html_shows_control_characters_as_escapes() -> None:
    snapshot = sample_snapshot("offer", "en", lines=1)
    snapshot["client"]["name"] = "Evil" + HOSTILE
    snapshot["lines"][0]["description"] = "Box\u202e0001"
    html = render_html(snapshot, template_dirs=DEFAULTS)
    assert RAW.findall(html) == []
    assert "Evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202e" in html
    assert "Box\\u202e0001" in html


@pytest.mark.parametrize(
    "argv",
    [("render", "OFR-2026-0001", "--out"), ("brief", "2026-11-23", "--pdf")],
    ids=("offer", "brief"),
)
def test_pdfs_from_a_hand_edited_database(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    fill_hostile(data_dir)
    out = tmp_path / "out.pdf"
    assert main([*argv, str(out)]) == 0, capsys.readouterr().err
    text = pdf_text(out)
    assert RAW.findall(text) == []
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x9b\\u202eKauno Baldai UAB" in text
