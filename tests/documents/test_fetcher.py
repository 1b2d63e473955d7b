"""The URL fetcher: what it allows, what it refuses, and that a refusal stops the render."""

from __future__ import annotations

from pathlib import Path

import pytest

from accmgr.documents.fetcher import FetchPolicy, FetchRefused
from accmgr.documents.render import DEFAULT_TEMPLATES, RenderError, render_pdf
from accmgr.documents.sample import sample_snapshot


@pytest.fixture
def policy(tmp_path: Path) -> FetchPolicy:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    return FetchPolicy.of([DEFAULT_TEMPLATES], [logo])


def test_files_of_the_template_folder_and_the_logo_are_served(
    policy: FetchPolicy, tmp_path: Path
) -> None:
    font = DEFAULT_TEMPLATES / "fonts" / "DejaVuSans.ttf"
    assert policy.check(font.as_uri()) == font.resolve()
    assert policy.check((tmp_path / "logo.png").as_uri()) == (tmp_path / "logo.png").resolve()
    assert policy.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x",
        "file://otherhost/etc/passwd",
        "templates/styles.css",
    ],
)
def test_everything_else_is_refused_and_recorded(policy: FetchPolicy, url: str) -> None:
    with pytest.raises(FetchRefused):
        policy.check(url)
    assert policy.refused == [url]


def test_a_sibling_of_the_logo_and_a_path_escaping_the_folder_are_refused(
    policy: FetchPolicy, tmp_path: Path
) -> None:
    with pytest.raises(FetchRefused):
        policy.check((tmp_path / "secret.png").as_uri())
    escaping = DEFAULT_TEMPLATES.as_uri() + "/../../../../../etc/passwd"
    with pytest.raises(FetchRefused):
        policy.check(escaping)


def test_a_symbolic_link_out_of_a_template_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "passwd.css").symlink_to("/etc/passwd")
    with pytest.raises(FetchRefused):
        FetchPolicy.of([folder]).check((folder / "passwd.css").as_uri())


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "data:image/png;base64,iVBORw0KGgo="],
)
def test_a_template_that_asks_for_a_refused_url_does_not_render(tmp_path: Path, url: str) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "offer.html").write_text(
        '{% extends "base.html" %}{% block content %}<img src="' + url + '">{% endblock %}'
    )
    seen: list[FetchPolicy] = []
    out = tmp_path / "out.pdf"
    with pytest.raises(RenderError, match="refused"):
        render_pdf(
            sample_snapshot(), out, template_dirs=[user, DEFAULT_TEMPLATES], policy_sink=seen
        )
    assert seen[0].refused == [url]
    assert not out.exists()


def test_the_configured_logo_is_drawn(tmp_path: Path) -> None:
    import pypdf
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (31, 78, 121)).save(logo)
    snapshot = sample_snapshot(lines=1)
    snapshot["company"]["logo"] = str(logo)
    seen: list[FetchPolicy] = []
    result = render_pdf(
        snapshot, tmp_path / "logo.pdf", template_dirs=[DEFAULT_TEMPLATES], policy_sink=seen
    )
    assert seen[0].refused == []
    assert [image.name for image in pypdf.PdfReader(result.path).pages[0].images]


def test_a_missing_logo_is_an_error_not_a_blank(tmp_path: Path) -> None:
    snapshot = sample_snapshot(lines=1)
    snapshot["company"]["logo"] = str(tmp_path / "gone.png")
    with pytest.raises(RenderError, match="no such file"):
        render_pdf(snapshot, tmp_path / "x.pdf", template_dirs=[DEFAULT_TEMPLATES])
