"""The only way a rendered document may load anything: a URL fetcher with an allow-list.

WeasyPrint fetches whatever a document names — stylesheets, fonts, images, ``file:``,
``http:`` and ``data:`` URLs alike. User text is escaped, so it can never *name* a URL; this
fetcher is the second wall, for templates (a user may override them) and for anything we
missed. It serves a file only when its real path (symbolic links resolved) lies inside one
of the template folders or is exactly the configured logo file; every other URL — other
paths, ``http(s):``, ``data:``, ``ftp:`` — is refused, recorded in ``refused``, and stops
the render with an error.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


class FetchRefused(PermissionError):
    """A document asked for a URL outside the allow-list."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        shown = url if len(url) <= 80 else url[:77] + "..."
        super().__init__(f"refused to load {shown!r}: {reason}")


@dataclass
class FetchPolicy:
    """Which files a document may load: anything under ``folders``, and exactly ``files``."""

    folders: tuple[Path, ...]
    files: tuple[Path, ...] = ()
    refused: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, folders: Iterable[Path], files: Iterable[Path] = ()) -> FetchPolicy:
        return cls(
            folders=tuple(Path(f).resolve() for f in folders),
            files=tuple(Path(f).resolve() for f in files),
        )

    def check(self, url: str) -> Path:
        """The local file ``url`` names, if allowed; else ``FetchRefused`` (and it is recorded)."""
        try:
            return self._check(url)
        except FetchRefused:
            self.refused.append(url)
            raise

    def _check(self, url: str) -> Path:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme != "file":
            raise FetchRefused(url, f"{scheme or 'relative'} URLs are never loaded into a document")
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(url, "files on other hosts are never loaded")
        path = Path(url2pathname(unquote(parts.path)))
        if not path.is_absolute():
            raise FetchRefused(url, "not an absolute file path")
        real = path.resolve()
        allowed = real in self.files or any(real.is_relative_to(f) for f in self.folders)
        if not allowed:
            raise FetchRefused(url, "only the template folders and the configured logo are allowed")
        if not real.is_file():
            raise FetchRefused(url, "no such file")
        return real


def make_url_fetcher(policy: FetchPolicy) -> Any:
    """A WeasyPrint fetcher enforcing ``policy``. Imports WeasyPrint: call it only to render."""
    # WeasyPrint costs ≈0.5 s to import; this module is imported at start-up, so not here.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PolicyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = policy.check(url)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix.lower() == ".ttf":
                kind = "font/ttf"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": kind}
            )

    # fail_on_errors: a refused URL stops the render instead of leaving a silent hole.
    return PolicyFetcher(fail_on_errors=True, allow_redirects=False, allowed_protocols=("file",))
