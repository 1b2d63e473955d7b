"""``journal.jsonl``: the append-only log of committed transactions since the last snapshot.

Every line is ``<checksum, 8 hex digits> <JSON>\\n``:

- line 1, the header: ``{"accmgr": "journal", "format": 2, "generation": G}``. G must equal
  data.json's generation. An older G is a journal left over from a compaction that crashed
  after writing the new snapshot: its records are already in the snapshot, so it is ignored
  (and replaced by the next writer). A newer G means data.json was swapped by hand: damage.
- then one line per transaction: ``{"ops": [["put", table, id, doc] | ["del", table, id]],
  "ids": {table: last id number}, "numbers": {counter: last value}}``. Ops carry the final
  state of each record, so replaying is idempotent and order-independent across records.

The checksum is the CRC-32 of the JSON, started from the previous line's checksum (the
header's starts from 0). The chain is why: a line changed, removed or moved in place breaks
the line after it, and a writer about to append checks that the line it chains on is still
the one it read. Format 1 journals (written before the chain) have an independent CRC per
line; they are read as before and replaced by a chained one on the next write.

A transaction is one ``os.write`` followed by ``os.fsync``: the line is either complete or
it is the file's last bytes without a newline (a torn write, killed mid-way). A torn tail was
never acknowledged to anyone, so readers ignore it and the next writer truncates it away under
the lock. A complete line that fails its checksum or does not parse is damage, reported with
its line number and byte offset; the file is then never modified. So is a last line that
passes its checksum but lost its newline: a torn write is a *prefix* of a line, which fails
the checksum, so a line that passes was complete and acknowledged, and its newline was taken
away afterwards.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accmgr.errors import DamagedFileError
from accmgr.store import files
from accmgr.store.snapshot import loads

FORMAT = 2
#: Formats this code reads; only :data:`FORMAT` is ever appended to.
READABLE_FORMATS = (1, 2)
Record = dict[str, Any]


def encode_line(obj: dict[str, Any], chain: int = 0) -> bytes:
    """One journal line; ``chain`` is the previous line's checksum (0 for the header)."""
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    return b"%08x %s\n" % (zlib.crc32(body, chain), body)


def checksum(line: bytes) -> int:
    """The checksum a line (as written by :func:`encode_line`) carries."""
    return int(line[:8], 16)


def header(generation: int) -> bytes:
    return encode_line({"accmgr": "journal", "format": FORMAT, "generation": generation})


def create(path: Path, generation: int) -> None:
    """Start a new, empty journal atomically (it never exists half-written)."""
    files.write_atomic(path, header(generation))


def _decode_line(line: bytes, chain: int) -> tuple[Any, str | None]:
    """The line's JSON value, or None and why it is not acceptable."""
    if len(line) < 10 or line[8:9] != b" " or not all(c in b"0123456789abcdef" for c in line[:8]):
        return None, "not a journal line (expected a checksum, a space and JSON)"
    body = line[9:]
    if zlib.crc32(body, chain) != int(line[:8], 16):
        if chain:
            return None, "checksum mismatch: the line, or one before it, was altered or removed"
        return None, "checksum mismatch: the line was altered or garbled"
    try:
        return loads(body), None
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"not valid JSON ({exc})"


def _check_record(rec: Any) -> str | None:
    if not isinstance(rec, dict) or not isinstance(rec.get("ops"), list):
        return "not a transaction record"
    for op in rec["ops"]:
        if not isinstance(op, list) or len(op) < 3 or not all(isinstance(x, str) for x in op[:3]):
            return "a malformed operation"
        if not (
            (op[0] == "put" and len(op) == 4 and isinstance(op[3], dict))
            or (op[0] == "del" and len(op) == 3)
        ):
            return f"an unknown operation {op[0]!r}"
    for key in ("ids", "numbers"):
        counters = rec.setdefault(key, {})
        if not isinstance(counters, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counters.values()
        ):
            return f"malformed {key} counters"
    return None


@dataclass
class Tail:
    """The complete records read from some offset, and where reading should resume."""

    records: list[Record] = field(default_factory=list)
    end: int = 0  # byte offset just after the last complete line
    lines: int = 0  # complete lines consumed so far (the header counts)
    last_line: bytes = b""  # the last complete line, newline included: what the next chains on


def parse_records(
    path: Path,
    raw: bytes,
    start: int,
    after: bytes,
    line_no: int,
    hint: str,
    *,
    chained: bool = True,
    settled: bool = True,
) -> Tail:
    """Complete lines of ``raw`` (which starts at file offset ``start``) as records.

    ``after`` is the complete line just before ``raw`` (the chain goes on from it) and
    ``line_no`` the number of lines before ``raw``, for error positions. A final chunk
    without a newline is a torn write: left unread, not an error — unless it passes its
    checksum, which a torn write cannot. ``settled`` says no writer can be mid-write (the
    lock is held, or the caller looks twice); without it such a chunk may be a write in
    progress and is left for later.
    """
    tail = Tail(end=start, lines=line_no, last_line=after)
    pos = 0
    while True:
        nl = raw.find(b"\n", pos)
        chain = checksum(tail.last_line) if chained else 0
        if nl < 0:
            rest = raw[pos:]
            if rest and settled and _decode_line(rest, chain)[1] is None:
                position = f"line {tail.lines + 1} (byte {start + pos})"
                reason = "the last line lost its newline: the file was cut or edited"
                raise DamagedFileError(path, position, reason, hint)
            return tail
        value, problem = _decode_line(raw[pos:nl], chain)
        if problem is None:
            problem = _check_record(value)
        if problem is not None:
            position = f"line {tail.lines + 1} (byte {start + pos})"
            raise DamagedFileError(path, position, problem, hint)
        tail.records.append(value)
        tail.last_line = raw[pos : nl + 1]
        pos = nl + 1
        tail.end = start + pos
        tail.lines += 1


def salvage_counters(raw: bytes) -> dict[str, dict[str, int]]:
    """The highest id and number counters of every intact record in a damaged journal.

    Used when the database is replaced after damage: lines that pass their checksum still
    prove which ids were handed out, even past a garbled line (whatever their place in the
    chain: a line's own checksum proves it was written whole).
    """
    found: dict[str, dict[str, int]] = {"ids": {}, "numbers": {}}
    lines = raw.split(b"\n")
    previous = checksum(lines[0]) if _decode_line(lines[0], 0)[1] is None else 0
    for line in lines[1:]:
        value, problem = _decode_line(line, previous)
        if problem is not None:
            value, problem = _decode_line(line, 0)  # format 1
        if len(line) >= 8 and all(c in b"0123456789abcdef" for c in line[:8]):
            previous = checksum(line)
        if problem is not None or _check_record(value) is not None:
            continue
        for key, counters in found.items():
            for name, number in value[key].items():
                counters[name] = max(number, counters.get(name, 0))
    return found


@dataclass(frozen=True)
class Header:
    generation: int
    format: int
    end: int  # offset where records begin
    line: bytes  # the header line itself, newline included


def parse_header(path: Path, raw: bytes, hint: str) -> Header:
    """The journal's header line: its generation and format, and where records begin."""
    if not raw:
        reason = "the file is empty, so every record it held is gone"
        raise DamagedFileError(path, "byte 0", reason, hint)
    nl = raw.find(b"\n")
    if nl < 0:
        raise DamagedFileError(path, "line 1 (byte 0)", "the header line is incomplete", hint)
    value, problem = _decode_line(raw[:nl], 0)
    if problem is None and not (
        isinstance(value, dict)
        and value.get("accmgr") == "journal"
        and isinstance(value.get("generation"), int)
        and not isinstance(value.get("generation"), bool)
        and value["generation"] >= 0
    ):
        problem = "not an accmgr journal header"
    if problem is None and value.get("format") not in READABLE_FORMATS:
        problem = f"journal format {value.get('format')!r} is not one this accmgr reads"
    if problem is not None:
        raise DamagedFileError(path, "line 1 (byte 0)", problem, hint)
    return Header(int(value["generation"]), int(value["format"]), nl + 1, raw[: nl + 1])


def append(path: Path, line: bytes, expected_size: int) -> files.FileId:
    """Append one record durably; on any failure, cut the file back to ``expected_size``.

    The caller holds the lock, so nobody else appends; ``expected_size`` is where the line
    must start (a torn tail has already been truncated away). Returns the file's identity
    right after the write, so the next writer can tell whether anything else touched it.
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(28, "short write (is the disk full?)")
            os.fsync(fd)
            return files.FileId.of(os.fstat(fd))
        except OSError:
            try:
                os.ftruncate(fd, expected_size)
                os.fsync(fd)
            except OSError:
                pass  # the torn tail stays; readers ignore it and the next writer cuts it
            raise
    finally:
        os.close(fd)


def read_at(path: Path, offset: int, size: int) -> bytes:
    """``size`` bytes from ``offset`` (fewer at the end of the file)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def truncate(path: Path, size: int) -> None:
    """Cut a torn, never-acknowledged final line away (caller holds the lock)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)
