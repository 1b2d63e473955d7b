"""User templates from the config directory, ``templates export``, ``render`` and the pool."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from accmgr.cli import main
from accmgr.documents.pool import RenderJob, RenderPool, start_method
from accmgr.documents.render import (
    DEFAULT_TEMPLATES,
    RenderError,
    render_html,
    render_pdf,
    template_dirs,
    user_templates_dir,
)
from accmgr.documents.sample import sample_snapshot
from accmgr.documents.templates_export import default_template_files
from tests.documents.conftest import pdf_text


def test_a_template_in_the_config_directory_wins(data_dir: Path, tmp_path: Path) -> None:
    user = user_templates_dir()
    assert user == tmp_path / "config" / "templates"  # ACCMGR_CONFIG moved it
    assert template_dirs() == (DEFAULT_TEMPLATES,)
    user.mkdir()
    (user / "offer.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>OUR OWN {{ doc.number }}</p>{% endblock %}'
    )
    (user / "styles.css").write_text("p { color: #003366; }")
    assert template_dirs() == (user.resolve(), DEFAULT_TEMPLATES)
    html = render_html(sample_snapshot())
    assert "OUR OWN OFR-2026-0007" in html
    assert (user / "styles.css").resolve().as_uri() in html  # the user's stylesheet…
    assert (DEFAULT_TEMPLATES / "fonts.css").as_uri() in html  # …and our fonts
    result = render_pdf(sample_snapshot(), tmp_path / "own.pdf")
    assert "OUR OWN OFR-2026-0007" in pdf_text(result.path)


def test_templates_export_copies_the_defaults_and_keeps_existing_files(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine"
    assert main(["templates", "export", str(target)]) == 0
    for name in default_template_files():
        assert (target / name).read_bytes() == (DEFAULT_TEMPLATES / name).read_bytes()
    assert {"offer.html", "contract.html", "base.html", "styles.css"} <= {
        str(n) for n in default_template_files()
    }
    assert (target / "fonts" / "LICENSE.txt").is_file()
    (target / "offer.html").write_text("edited")
    capsys.readouterr()
    assert main(["templates", "export", str(target)]) == 1
    assert "already has" in capsys.readouterr().err
    assert (target / "offer.html").read_text() == "edited"
    assert main(["templates", "export", str(target), "--force"]) == 0
    assert (target / "offer.html").read_bytes() == (DEFAULT_TEMPLATES / "offer.html").read_bytes()


def test_render_a_snapshot_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "snapshot.json"
    source.write_text(json.dumps(sample_snapshot("offer", "lt", lines=2)))
    out = tmp_path / "o.pdf"
    assert main(["render", str(source), "--out", str(out)]) == 0
    path, sha, pages = capsys.readouterr().out.strip().split("\t")
    assert Path(path) == out and pages == "1 page"
    assert sha == hashlib.sha256(out.read_bytes()).hexdigest()


def test_render_an_issued_offer_by_number_with_the_figures_of_offer_show(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*argv: str) -> str:
        capsys.readouterr()
        assert main(list(argv)) == 0, capsys.readouterr().err
        return capsys.readouterr().out.strip()

    client = run("client", "add", "Łódzkie <b>Żurawie</b>", "--country", "PL", "--language", "pl")
    deal = run("deal", "add", client, "Dźwigi {{ 7*7 }}", "--currency", "PLN")
    run("product", "add", "LIC", "Licencja", "--price", "1249.90", "--currency", "PLN",
        "--tax-rate", "23")  # fmt: skip
    draft = run("offer", "new", deal, "--currency", "PLN", "--discount", "5")
    run("offer", "add-line", draft, "--product", "LIC", "--qty", "3", "--discount", "10")
    number = run("offer", "issue", draft)
    shown = json.loads(run("offer", "show", number, "--json"))
    out = tmp_path / "by-number.pdf"
    printed = run("render", number, "--out", str(out)).split("\t")
    # The document remembers its PDF: path and SHA-256, as printed and as on disk.
    stored = json.loads(run("offer", "show", number, "--json"))
    assert stored["pdf_path"] == str(out.resolve()) == printed[0]
    assert stored["pdf_sha256"] == printed[1] == hashlib.sha256(out.read_bytes()).hexdigest()
    text = pdf_text(out)
    from accmgr.documents.formatting import Formatter

    fmt = Formatter.for_language("pl", "PLN")
    for figure in (shown["lines"][0]["net"], shown["totals"]["net"], shown["totals"]["total"]):
        assert fmt.money(figure).replace("\xa0", " ") in text
    assert "Łódzkie <b>Żurawie</b>" in text and "Dźwigi {{ 7*7 }}" in text


def test_a_draft_is_not_rendered(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "OFR-2026-0099"]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_the_pool_renders_in_other_processes(tmp_path: Path) -> None:
    assert start_method() in {"forkserver", "spawn"}
    jobs = [
        RenderJob(sample_snapshot("offer", lang, lines=3), tmp_path / f"{lang}.pdf")
        for lang in ("pt", "ru")
    ]
    with RenderPool(max_workers=2) as pool:
        results = pool.render_many(jobs)
    for job, result in zip(jobs, results, strict=True):
        assert result.path == job.out
        assert result.sha256 == hashlib.sha256(job.out.read_bytes()).hexdigest()


def test_without_a_company_name_the_page_footer_starts_with_the_document() -> None:
    snapshot = sample_snapshot()
    snapshot["company"] = {**snapshot["company"], "name": ""}
    html = render_html(snapshot)
    assert '<p class="docref">' in html
    assert '<p class="docref"> ·' not in html and '<p class="docref">·' not in html


def test_a_link_in_the_user_templates_cannot_include_a_file_from_elsewhere(
    data_dir: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY 0xDEADBEEF")
    user = user_templates_dir()
    user.mkdir()
    (user / "leak.html").symlink_to(secret)
    (user / "offer.html").write_text(
        '{% extends "base.html" %}{% block content %}{% include "leak.html" %}{% endblock %}'
    )
    with pytest.raises(RenderError) as refused:
        render_html(sample_snapshot())
    assert "PRIVATE KEY" not in str(refused.value)
    assert str(refused.value) == (
        f"template offer.html: {user.resolve() / 'leak.html'} is a link to {secret}, outside "
        "the template folders; it was not loaded (copy the file into the folder instead)"
    )
    # A link to a file inside the template folders is still fine.
    (user / "leak.html").unlink()
    (user / "leak.html").symlink_to(DEFAULT_TEMPLATES / "parts.html")
    assert "PRIVATE KEY" not in render_html(sample_snapshot())


def test_templates_export_never_writes_through_a_link(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "passwd"
    victim.write_text("root:x:0:0")
    target = tmp_path / "mine"
    target.mkdir()
    (target / "offer.html").symlink_to(victim)
    assert main(["templates", "export", str(target)]) == 1  # a link counts as a file there
    assert main(["templates", "export", str(target), "--force"]) == 0
    assert victim.read_text() == "root:x:0:0"
    assert not (target / "offer.html").is_symlink()
    assert (target / "offer.html").read_bytes() == (DEFAULT_TEMPLATES / "offer.html").read_bytes()
    err = capsys.readouterr().err
    assert err.endswith(
        f"{target / 'offer.html'} was a symbolic link: the link was replaced by the file, its "
        "target was not touched\n"
    )
    # A dangling link is something to write through as well.
    (target / "base.html").unlink()
    (target / "base.html").symlink_to(tmp_path / "created-by-accmgr")
    assert main(["templates", "export", str(target)]) == 1
    assert not (tmp_path / "created-by-accmgr").exists()
    # A linked folder is refused outright, even with --force: nothing is copied.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "fonts").symlink_to(elsewhere)
    capsys.readouterr()
    assert main(["templates", "export", str(fresh), "--force"]) == 1
    assert capsys.readouterr().err == (
        f"accmgr: templates export: {fresh / 'fonts'} is a symbolic link; nothing copied "
        "(accmgr does not write through links: remove it, or export into another folder)\n"
    )
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in fresh.iterdir()) == ["fonts"]
