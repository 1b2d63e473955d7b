"""Rendering in worker processes, so the UI's event loop never waits on WeasyPrint.

A thread would not do: WeasyPrint holds the GIL for most of a render (a render in a thread
delayed the event loop by up to 40 ms, in a process under 2 ms). Workers are started with
forkserver (spawn where there is none) — never fork, which would copy the UI's threads and
locks — and each imports WeasyPrint and renders a tiny page once when it starts, so the
first real render is warm.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from accmgr.documents.render import RenderResult, render_pdf, template_dirs


@dataclass(frozen=True)
class RenderJob:
    """One document to render. ``template_dirs`` None: the folders current when submitted."""

    snapshot: Mapping[str, Any]
    out: Path
    pdf_variant: str | None = None
    template_dirs: tuple[Path, ...] | None = None


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _warm() -> None:
    # The ≈0.5 s import and the first layout (fontconfig, caches) are paid once per worker.
    from weasyprint import HTML

    HTML(string="<p>warm</p>").write_pdf()


def _ready() -> int:
    return os.getpid()


def _render(job: RenderJob) -> RenderResult:
    return render_pdf(
        job.snapshot, job.out, pdf_variant=job.pdf_variant, template_dirs=job.template_dirs
    )


class RenderPool:
    """A process pool for renders; use as a context manager, or call ``shutdown``."""

    def __init__(self, max_workers: int | None = None) -> None:
        self.max_workers = max_workers or min(4, os.cpu_count() or 1)
        self._executor = ProcessPoolExecutor(
            max_workers=self.max_workers,
            mp_context=multiprocessing.get_context(start_method()),
            initializer=_warm,
        )

    def warm(self) -> None:
        """Start every worker now (they start lazily otherwise) and wait until all are ready."""
        futures = [self._executor.submit(_ready) for _ in range(self.max_workers)]
        for future in futures:
            future.result()

    def submit(self, job: RenderJob) -> Future[RenderResult]:
        # Resolved here, in the parent: a worker's environment is the one it started with.
        if job.template_dirs is None:
            job = replace(job, template_dirs=template_dirs())
        return self._executor.submit(_render, job)

    def run(
        self, function: Callable[..., RenderResult], /, *args: Any, **kw: Any
    ) -> Future[RenderResult]:
        """Any other render (the meeting brief's PDF) in a worker; arguments must pickle."""
        return self._executor.submit(function, *args, **kw)

    async def render(self, job: RenderJob) -> RenderResult:
        """Await a render from an event loop without blocking it."""
        return await asyncio.wrap_future(self.submit(job))

    def render_many(self, jobs: Iterable[RenderJob]) -> list[RenderResult]:
        futures = [self.submit(job) for job in jobs]
        return [future.result() for future in futures]

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.shutdown()


def render_many(jobs: Iterable[RenderJob], *, max_workers: int | None = None) -> list[RenderResult]:
    """Render ``jobs`` in a fresh pool, results in the order of the jobs."""
    with RenderPool(max_workers) as pool:
        return pool.render_many(jobs)
