"""``journal.jsonl``: the append-only log of committed transactions since the last snapshot.

Every line is ``<crc32 of the JSON, 8 hex digits> <JSON>\\n``:

- line 1, the header: ``{"accmgr": "journal", "format": 1, "generation": G}``. G must equal
  data.json's generation. An older G is a journal left over from a compaction that crashed
  after writing the new snapshot: its records are already in the snapshot, so it is ignored
  (and replaced by the next writer). A newer G means data.json was swapped by hand: damage.
- then one line per transaction: ``{"ops": [["put", table, id, doc] | ["del", table, id]],
  "ids": {table: last id number}, "numbers": {counter: last value}}``. Ops carry the final
  state of each record, so replaying is idempotent and order-independent across records.

A transaction is one ``os.write`` followed by ``os.fsync``: the line is either complete or
it is the file's last bytes without a newline (a torn write, killed mid-way). A torn tail was
never acknowledged to anyone, so readers ignore it and the next writer truncates it away under
the lock. A complete line that fails its checksum or does not parse is damage, reported with
its line number and byte offset; the file is then never modified.
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

FORMAT = 1
Record = dict[str, Any]


def encode_line(obj: dict[str, Any]) -> bytes:
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    return b"%08x %s\n" % (zlib.crc32(body), body)


def header(generation: int) -> bytes:
    return encode_line({"accmgr": "journal", "format": FORMAT, "generation": generation})


def create(path: Path, generation: int) -> None:
    """Start a new, empty journal atomically (it never exists half-written)."""
    files.write_atomic(path, header(generation))


def _decode_line(line: bytes) -> tuple[Any, str | None]:
    """The line's JSON value, or None and why it is not acceptable."""
    if len(line) < 10 or line[8:9] != b" ":
        return None, "not a journal line (expected a checksum, a space and JSON)"
    try:
        crc = int(line[:8], 16)
    except ValueError:
        return None, "the checksum is not hexadecimal"
    body = line[9:]
    if zlib.crc32(body) != crc:
        return None, "checksum mismatch: the line was altered or garbled"
    try:
        return json.loads(body), None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
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
            isinstance(v, int) and not isinstance(v, bool) for v in counters.values()
        ):
            return f"malformed {key} counters"
    return None


@dataclass
class Tail:
    """The complete records read from some offset, and where reading should resume."""

    records: list[Record] = field(default_factory=list)
    end: int = 0  # byte offset just after the last complete line
    lines: int = 0  # complete lines consumed so far (the header counts)


def parse_records(path: Path, raw: bytes, start: int, line_no: int, hint: str) -> Tail:
    """Complete lines of ``raw`` (which starts at file offset ``start``) as records.

    ``line_no`` is the number of lines before ``raw``, for error positions. A final chunk
    without a newline is a torn write: left unread, not an error.
    """
    tail = Tail(end=start, lines=line_no)
    pos = 0
    while True:
        nl = raw.find(b"\n", pos)
        if nl < 0:
            return tail
        value, problem = _decode_line(raw[pos:nl])
        if problem is None:
            problem = _check_record(value)
        if problem is not None:
            position = f"line {tail.lines + 1} (byte {start + pos})"
            raise DamagedFileError(path, position, problem, hint)
        tail.records.append(value)
        pos = nl + 1
        tail.end = start + pos
        tail.lines += 1


def salvage_counters(raw: bytes) -> dict[str, dict[str, int]]:
    """The highest id and number counters of every intact record in a damaged journal.

    Used when the database is replaced after damage: lines that pass their checksum still
    prove which ids were handed out, even past a garbled line.
    """
    found: dict[str, dict[str, int]] = {"ids": {}, "numbers": {}}
    for line in raw.split(b"\n")[1:]:
        value, problem = _decode_line(line)
        if problem is not None or _check_record(value) is not None:
            continue
        for key, counters in found.items():
            for name, number in value[key].items():
                counters[name] = max(number, counters.get(name, 0))
    return found


def parse_header(path: Path, raw: bytes, hint: str) -> tuple[int, int]:
    """The generation in the header and the offset where records begin."""
    nl = raw.find(b"\n")
    if nl < 0:
        raise DamagedFileError(path, "line 1 (byte 0)", "the header line is incomplete", hint)
    value, problem = _decode_line(raw[:nl])
    if problem is None and not (
        isinstance(value, dict)
        and value.get("accmgr") == "journal"
        and isinstance(value.get("generation"), int)
    ):
        problem = "not an accmgr journal header"
    if problem is None and value.get("format") != FORMAT:
        problem = f"journal format {value.get('format')!r} is not one this accmgr reads"
    if problem is not None:
        raise DamagedFileError(path, "line 1 (byte 0)", problem, hint)
    return int(value["generation"]), nl + 1


def append(path: Path, line: bytes, expected_size: int) -> None:
    """Append one record durably; on any failure, cut the file back to ``expected_size``.

    The caller holds the lock, so nobody else appends; ``expected_size`` is where the line
    must start (a torn tail has already been truncated away).
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(28, "short write (is the disk full?)")
            os.fsync(fd)
        except OSError:
            try:
                os.ftruncate(fd, expected_size)
                os.fsync(fd)
            except OSError:
                pass  # the torn tail stays; readers ignore it and the next writer cuts it
            raise
    finally:
        os.close(fd)


def truncate(path: Path, size: int) -> None:
    """Cut a torn, never-acknowledged final line away (caller holds the lock)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)
