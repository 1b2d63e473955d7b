"""A user's template cannot make a render run for hours or fill the memory: it is refused in
one line that names the template and the limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from accmgr.documents.render import RenderError, render_html
from accmgr.documents.sample import sample_snapshot
from tests.documents.conftest import DEFAULTS


def _render_with(tmp_path: Path, body: str) -> str:
    (tmp_path / "offer.html").write_text(body, encoding="utf-8")
    return render_html(sample_snapshot("offer", "en", lines=2), template_dirs=[tmp_path, *DEFAULTS])


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("{% for i in range(100000000) %}x{% endfor %}", "at most 100000 steps"),
        # Each range alone is under Jinja's own limit; together they are 8.1e9 steps.
        (
            "{% for i in range(90000) %}{% for j in range(90000) %}{% endfor %}{% endfor %}",
            "at most 100000 steps",
        ),
        ("{{ 'x' * 10000000000 }}", "at most 1000000 characters"),
        ("{{ [1] * 100000000 }}", "at most 1000000 characters or items"),
        ("{{ 7 ** 100000000 }}", "raise to at most 100"),
        ("{{ 1 + 'a' }}", "unsupported operand"),
    ],
)
def test_a_runaway_template_is_refused_in_one_line(tmp_path: Path, body: str, said: str) -> None:
    started = time.monotonic()
    with pytest.raises(RenderError) as caught:
        _render_with(tmp_path, body)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith("template offer.html: ") and said in message
    assert "\n" not in message


def test_loops_a_real_template_needs_still_render(tmp_path: Path) -> None:
    html = _render_with(
        tmp_path,
        "{% for line in doc.lines %}[{{ line.position }}]{% endfor %}"
        "{% for i in range(3) %}{% for j in range(3) %}{{ i * j }}{% endfor %}{% endfor %}"
        "{{ '-' * 20 }}",
    )
    assert html.strip() == "[1][2]000012024" + "-" * 20


def test_each_render_has_its_own_budget(tmp_path: Path) -> None:
    body = "{% for i in range(60000) %}{% endfor %}ok"
    assert [_render_with(tmp_path, body).strip() for _ in range(3)] == ["ok", "ok", "ok"]
