"""How fast documents render, as ratios measured in one run (so the machine cancels out).

1. render_overhead: a two-page, twenty-line offer through accmgr (snapshot → formatting →
   Jinja2 → WeasyPrint with the safe fetcher → atomic write → SHA-256) against WeasyPrint
   alone writing the same finished HTML; both warm, median of several. Target ≤ 1.25.
2. pool_speedup: twenty offers through the warmed process pool against one after another
   in this process. Target ≥ 1.6 on 2 cores.
3. loop_late_p95_ms: how late an asyncio loop's 1 ms ticks are, at the 95th percentile,
   while renders run in the pool. Target ≤ 5 ms.

The last line prints the three as name=value pairs.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from accmgr.documents.pool import RenderJob, RenderPool
from accmgr.documents.render import DEFAULT_TEMPLATES, render_html, render_pdf
from accmgr.documents.sample import sample_snapshot

DIRS = (DEFAULT_TEMPLATES,)
REPEATS = 7


def _median_seconds(action: object, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def overhead(folder: Path) -> float:
    from weasyprint import HTML

    snapshot = sample_snapshot("offer", "pt", lines=20)
    html = render_html(snapshot, template_dirs=DIRS)
    base = DEFAULT_TEMPLATES.as_uri() + "/"
    first = render_pdf(snapshot, folder / "warm.pdf", template_dirs=DIRS)
    HTML(string=html, base_url=base).write_pdf()
    ours = _median_seconds(lambda: render_pdf(snapshot, folder / "ours.pdf", template_dirs=DIRS))
    alone = _median_seconds(lambda: HTML(string=html, base_url=base).write_pdf())
    print(f"offer of {first.pages} pages, 20 lines: accmgr {ours * 1000:.0f} ms, "
          f"WeasyPrint alone {alone * 1000:.0f} ms")  # fmt: skip
    return ours / alone


def speedup(folder: Path, pool: RenderPool) -> float:
    languages = ("en", "pt", "lt", "ru", "pl")
    snapshots = [sample_snapshot("offer", languages[i % 5], lines=20) for i in range(20)]
    start = time.perf_counter()
    for index, snapshot in enumerate(snapshots):
        render_pdf(snapshot, folder / f"seq-{index}.pdf", template_dirs=DIRS)
    sequential = time.perf_counter() - start
    jobs = [
        RenderJob(snapshot, folder / f"pool-{index}.pdf", template_dirs=DIRS)
        for index, snapshot in enumerate(snapshots)
    ]
    start = time.perf_counter()
    pool.render_many(jobs)
    pooled = time.perf_counter() - start
    print(f"20 offers: one after another {sequential:.2f} s, pool of {pool.max_workers} "
          f"{pooled:.2f} s")  # fmt: skip
    return sequential / pooled


async def _lateness(folder: Path, pool: RenderPool) -> list[float]:
    late: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            expected = time.perf_counter() + 0.001
            await asyncio.sleep(0.001)
            late.append(max(0.0, time.perf_counter() - expected))

    task = asyncio.create_task(ticker())
    for index in range(3):
        job = RenderJob(sample_snapshot("offer", "ru", lines=20), folder / f"loop-{index}.pdf")
        await pool.render(job)
    done.set()
    await task
    return late


def loop_lateness(folder: Path, pool: RenderPool) -> float:
    late = asyncio.run(_lateness(folder, pool))
    p95 = statistics.quantiles(late, n=20)[-1] * 1000
    print(f"event loop during 3 pooled renders: {len(late)} ticks, p95 late {p95:.2f} ms, "
          f"max {max(late) * 1000:.2f} ms")  # fmt: skip
    return p95


def main() -> None:
    print(f"render bench: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ratio = overhead(folder)
        with RenderPool(max_workers=min(2, os.cpu_count() or 1)) as pool:
            pool.warm()
            pool.render_many([RenderJob(sample_snapshot(), folder / "w.pdf", template_dirs=DIRS)])
            faster = speedup(folder, pool)
            p95 = loop_lateness(folder, pool)
    print(f"render_overhead={ratio:.2f} pool_speedup={faster:.2f} loop_late_p95_ms={p95:.2f}")


if __name__ == "__main__":
    main()
