"""Hash-chained, append-only audit log of policy decisions (JSON Lines), with rotation.

File format
-----------
UTF-8, one record per line, each line terminated by ``"\\n"``. A line is the
canonical JSON of one object::

    json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

The caller supplies the record content; the log adds two fields:

``prev_hash``
    ``hash`` of the previous record, or ``"0" * 64`` (:data:`GENESIS_HASH`)
    for the first record of the chain. After a rotation the first record of
    the new file links to the last record of the rotated one.
``hash``
    Lowercase hex SHA-256 of the canonical JSON of the record *including*
    ``prev_hash`` and *excluding* ``hash`` (see :func:`record_hash`). With an
    ``hmac_key`` it is HMAC-SHA256 under that key instead, so someone who can
    edit the file cannot recompute a consistent chain.

Deleting, editing, inserting or reordering lines breaks the chain at the
first affected line. Dropping records from the *end* of the chain keeps a
valid chain; detecting that needs the last hash stored elsewhere (the
``last_hash`` of :func:`verify_chain`).

Rotation
--------
With ``max_bytes`` (and/or ``max_age_s``) the active file is renamed before
the append that would take it past the limit, and a new active file starts::

    audit.jsonl ──rename──▶ audit.20250301T101500123456Z.jsonl    (never written again)
    audit.jsonl  (new)      first record: prev_hash = last hash of the file above

Rotated names carry a UTC timestamp (``YYYYmmddTHHMMSSffffffZ``), strictly
increasing within a directory even if the clock steps back, so sorting by
name is chain order; :func:`log_files` and :func:`log_chains` order them, the
active file last. A rotated file is fsynced before the rename (unless
``fsync="never"``). Age counts from when this process started the active file
(a restart restarts the clock).

Durability: ``fsync``
---------------------
``"always"``  fsync after every line, before ``append`` returns: a decision the
              caller saw is on disk. Costs one fsync (~0.1-10 ms) per decision.
``"batch"``   a background thread fsyncs at most every ``batch_interval_ms``:
              appends return without waiting, so a power loss or kernel crash
              can lose the decisions of the last interval, which callers may
              already have acted on. A process crash (kill -9) loses nothing
              that ``append`` returned, because the line is in the page cache.
              A failed background fsync makes later appends fail (fail closed).
``"never"``   leave it to the kernel (typically ~30 s of decisions at risk on
              power loss). For benchmarks and logs rebuilt elsewhere.

A line is written with one ``os.write`` (``O_APPEND``), so a crash leaves at
most one torn last line (see below); every line before it verifies.

API
---
``AuditLog(path, *, hmac_key=None, fsync="always", batch_interval_ms=50, max_bytes=None, max_age_s=None)``
    Cheap constructor, no I/O. ``open(*, repair=False) -> AuditLog`` creates
    parent directories (0o700) and the file (0o600, umask notwithstanding),
    checks the last line and continues the chain from it (from the newest
    rotated sibling when the active file is empty). Only the last record is
    checked (its hash is recomputed, which also catches a wrong ``hmac_key``);
    use :func:`verify` for the whole file. Use it as a context manager
    (``with AuditLog(p) as log:`` opens and closes) or call ``close()``, which
    fsyncs what a ``"batch"`` log has not synced yet. ``truncated_bytes``
    tells how many bytes ``repair`` dropped.
``AuditLog.append(record: dict) -> dict``
    Thread-safe. Rotates if due, writes one line with one ``os.write``
    (looping only on partial writes) under a lock, then fsyncs as configured.
    Returns a new dict: the record as written, with ``prev_hash`` and ``hash``.
``verify(path, *, hmac_key=None) -> VerifyReport``
    Streams one file that starts the chain and checks every line.
``verify_chain(paths, *, hmac_key=None, prev_hash=GENESIS_HASH, progress=None) -> ChainReport``
    The same across files in chain order (rotated files, then the active one).
``read_records(path)`` / ``read_chain(paths)``
    Parse lines without checking the chain (use the verifiers for that).
``log_files(path)`` / ``log_chains(paths)``
    The files of a chain in order, given its active path or any of its files.
``record_hash(record, hmac_key=None) -> str``
    The single hash function used by writer and verifier.

Torn tail: a crash during ``os.write`` (power loss, or a full disk) can leave a
last line without its ``"\\n"`` (or, for the last line only, unparseable).
``open()`` refuses to append after it and raises :class:`AuditTornTailError`;
``open(repair=True)`` truncates the file to the end of the last complete line
(only that one torn line is ever dropped) and records the dropped byte count
in ``truncated_bytes``. The verifiers report it (``torn_tail``) without
failing the records before it; readers raise :class:`AuditTornTailError`
after the last complete record. Only the last file of a chain may end torn.

One process per file: the lock is in-process. ``append`` notices a file that
changed size behind its back and refuses to write, but does not prevent it.

Exceptions
----------
::

    AuditError                  base; also: not open, already open, last
    |                           record's hash invalid (wrong key / tampered)
    +-- AuditRecordError        (also ValueError) record rejected, nothing written
    +-- AuditWriteError         write/fsync/rotation failed (cause chained), or
    |                           the log is unusable after a failed rollback
    |                           or a failed background fsync
    +-- AuditTornTailError      open() or a reader found a torn last line
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Literal, Self

from policy.errors import ResidencyError

__all__ = [
    "FSYNC_POLICIES",
    "GENESIS_HASH",
    "AuditError",
    "AuditRecordError",
    "AuditTornTailError",
    "AuditWriteError",
    "AuditLog",
    "ChainReport",
    "Progress",
    "TornTail",
    "VerifyError",
    "VerifyReport",
    "find_torn_tail",
    "log_chains",
    "log_files",
    "read_chain",
    "read_records",
    "record_hash",
    "verify",
    "verify_chain",
]

GENESIS_HASH = "0" * 64
FSYNC_POLICIES = ("always", "batch", "never")
DEFAULT_BATCH_INTERVAL_MS = 50
_CHAIN_FIELDS = ("prev_hash", "hash")
_TAIL_CHUNK = 64 * 1024
_PROGRESS_EVERY_BYTES = 1 << 20
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_ACTIVE_STAMP = "~"  # sorts after every rotated file's stamp, which are digits
_ROTATED_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}T\d{12}Z)(?P<suffix>(?:\.[^.]+)?)$")

FsyncPolicy = Literal["always", "batch", "never"]
Progress = Callable[[int], None]  # called with the number of bytes read since the last call


class AuditError(ResidencyError):
    """Base class of all audit log errors."""

    code = "audit_failed"


class AuditRecordError(AuditError, ValueError):
    """The record cannot be logged; nothing was written."""


class AuditWriteError(AuditError):
    """Appending failed; the file was rolled back to its previous size if possible."""


class AuditTornTailError(AuditError):
    """The file ends in an incomplete line, most likely from a crash mid-write."""

    def __init__(self, path: str, offset: int, line_number: int, torn_bytes: int) -> None:
        self.path = path
        self.offset = offset  # byte offset where the torn line starts
        self.line_number = line_number  # 1-based
        self.torn_bytes = torn_bytes
        super().__init__(
            f"{path}: torn last line {line_number} at byte offset {offset} "
            f"({torn_bytes} bytes); open with repair=True to truncate it"
        )


def _canonical(obj: Any) -> bytes:
    # allow_nan=False: NaN/Infinity are not JSON and would not parse elsewhere.
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def record_hash(record: Mapping[str, Any], hmac_key: bytes | None = None) -> str:
    """Hex SHA-256 (or HMAC-SHA256 with ``hmac_key``) of ``record`` without ``hash``."""
    payload = _canonical({k: v for k, v in record.items() if k != "hash"})
    if hmac_key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(hmac_key, payload, hashlib.sha256).hexdigest()


def _is_hex_hash(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 64
        and all(c in "0123456789abcdef" for c in value)
    )


def _parse_line(raw: bytes) -> dict[str, Any] | None:
    """The JSON object on ``raw`` (without newline), or None if it is not one."""
    try:
        value = json.loads(raw)
    except ValueError:  # includes JSONDecodeError and UnicodeDecodeError
        return None
    return value if isinstance(value, dict) else None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # never seen on regular files, but must not spin forever
            raise OSError(errno.EIO, "os.write wrote nothing")
        view = view[written:]


def _last_line_start(fd: int, end: int) -> int:
    """Offset just after the last ``\\n`` before ``end`` (0 if there is none)."""
    pos = end
    while pos > 0:
        chunk_start = max(0, pos - _TAIL_CHUNK)
        chunk = os.pread(fd, pos - chunk_start, chunk_start)
        newline = chunk.rfind(b"\n")
        if newline != -1:
            return chunk_start + newline + 1
        pos = chunk_start
    return 0


def _count_newlines(fd: int, end: int) -> int:
    count, pos = 0, 0
    while pos < end:
        chunk = os.pread(fd, min(_TAIL_CHUNK, end - pos), pos)
        if not chunk:
            break
        count += chunk.count(b"\n")
        pos += len(chunk)
    return count


def _torn_tail_offset(fd: int) -> tuple[int, int] | None:
    """(offset of the torn last line, file size), or None if the tail is sound."""
    size = os.fstat(fd).st_size
    if size == 0:
        return None
    if os.pread(fd, 1, size - 1) != b"\n":
        return _last_line_start(fd, size), size
    start = _last_line_start(fd, size - 1)
    if _parse_line(os.pread(fd, size - 1 - start, start)) is None:
        return start, size
    return None


# -- file names of a chain -----------------------------------------------------


def _rotated_name(active: Path, stamp: str) -> Path:
    return active.with_name(f"{active.stem}.{stamp}{active.suffix}")


def _chain_key(path: Path) -> tuple[Path, str]:
    """(active path, stamp) of any file of a chain; the active file's stamp sorts last."""
    match = _ROTATED_NAME.match(path.name)
    if match is None:
        return path, _ACTIVE_STAMP
    return path.with_name(match["stem"] + match["suffix"]), match["stamp"]


def _rotated_siblings(active: Path) -> list[Path]:
    """The rotated files of the chain whose active file is ``active``, oldest first."""
    try:
        names = os.listdir(active.parent)
    except FileNotFoundError:
        return []
    siblings = []
    for name in names:
        candidate = active.with_name(name)
        owner, stamp = _chain_key(candidate)
        if owner == active and stamp != _ACTIVE_STAMP:
            siblings.append((stamp, candidate))
    return [path for _, path in sorted(siblings)]


def log_files(path: str | os.PathLike[str]) -> list[Path]:
    """Every file of the chain whose active file is ``path``, in chain order (active last, if present)."""
    active = Path(path)
    return _rotated_siblings(active) + ([active] if active.exists() else [])


def log_chains(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, ...]]:
    """Group files into chains by name (``audit.jsonl`` with its rotated files) and order each one.

    Only the files given are used: a rotated file that is not in ``paths`` is not added.
    Chains are ordered by their active path.
    """
    chains: dict[Path, dict[str, Path]] = {}
    for path in map(Path, paths):
        active, stamp = _chain_key(path)
        chains.setdefault(active, {})[stamp] = path
    return [tuple(files[stamp] for stamp in sorted(files)) for _, files in sorted(chains.items())]


def _next_rotated_path(active: Path, now: float) -> Path:
    stamp = datetime.fromtimestamp(now, UTC).strftime(_STAMP_FORMAT)
    siblings = _rotated_siblings(active)
    if siblings:
        newest = _chain_key(siblings[-1])[1]
        if stamp <= newest:  # clock stepped back, or two rotations in one microsecond
            later = datetime.strptime(newest, _STAMP_FORMAT) + timedelta(microseconds=1)
            stamp = later.strftime(_STAMP_FORMAT)
    return _rotated_name(active, stamp)


class AuditLog:
    """Append-only, hash-chained JSON Lines log. See the module docstring."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        hmac_key: bytes | None = None,
        fsync: FsyncPolicy = "always",
        batch_interval_ms: float = DEFAULT_BATCH_INTERVAL_MS,
        max_bytes: int | None = None,
        max_age_s: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if fsync not in FSYNC_POLICIES:
            raise ValueError(f"fsync must be one of {', '.join(FSYNC_POLICIES)}, not {fsync!r}")
        if hmac_key is not None and (not isinstance(hmac_key, bytes) or not hmac_key):
            raise ValueError("hmac_key must be non-empty bytes or None")
        if not batch_interval_ms > 0:
            raise ValueError(f"batch_interval_ms must be positive, not {batch_interval_ms!r}")
        if max_bytes is not None and (isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0):
            raise ValueError(f"max_bytes must be a positive int or None, not {max_bytes!r}")
        if max_age_s is not None and not max_age_s > 0:
            raise ValueError(f"max_age_s must be positive or None, not {max_age_s!r}")
        self.path = os.fspath(path)
        self._hmac_key = hmac_key
        self._fsync = fsync
        self._batch_interval_s = batch_interval_ms / 1000
        self._max_bytes = max_bytes
        self._max_age_s = max_age_s
        self._clock = clock
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._last_hash = GENESIS_HASH
        self._size = 0  # expected file size; rollback target and tamper tripwire
        self._started_at = 0.0  # clock() when this process started the active file (age rotation)
        self._broken: str | None = None  # set when a failed append could not be undone
        # "batch": appends mark the file dirty and wake the flusher thread.
        self._dirty = False
        self._dirty_signal = threading.Condition(self._lock)
        self._flusher: threading.Thread | None = None
        self._stop_flusher = threading.Event()
        self.truncated_bytes = 0

    # -- lifecycle ---------------------------------------------------------

    def open(self, *, repair: bool = False) -> Self:
        """Open (creating if needed) and continue the chain; see module docstring."""
        with self._lock:
            if self._fd is not None:
                raise AuditError(f"{self.path}: already open")
            fd, created = self._open_fd()
            try:
                self.truncated_bytes = 0
                torn = _torn_tail_offset(fd)
                if torn is not None and repair:
                    offset, size = torn
                    os.ftruncate(fd, offset)
                    os.fsync(fd)  # the repair itself must survive a crash
                    self.truncated_bytes = size - offset
                    torn = _torn_tail_offset(fd)
                if torn is not None:
                    offset, size = torn
                    line_number = _count_newlines(fd, offset) + 1
                    raise AuditTornTailError(self.path, offset, line_number, size - offset)
                self._size = os.fstat(fd).st_size
                # An empty active file after a rotation continues the rotated file's chain.
                self._last_hash = self._read_last_hash(fd, self.path) if self._size else self._previous_file_hash()
                if created and self._fsync != "never":
                    self._fsync_parent_dir()
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            self._broken = None
            self._dirty = False
            self._started_at = self._clock()
            if self._fsync == "batch":
                self._stop_flusher.clear()
                self._flusher = threading.Thread(target=self._flush_loop, name="audit-fsync", daemon=True)
                self._flusher.start()
        return self

    def close(self) -> None:
        """Stop the flusher, fsync what it has not synced yet, close the file."""
        if self._flusher is not None:
            with self._lock:
                self._stop_flusher.set()
                self._dirty_signal.notify()
            self._flusher.join()
            self._flusher = None
        with self._lock:
            if self._fd is None:
                return
            fd, self._fd = self._fd, None
            try:
                if self._dirty:
                    self._dirty = False
                    os.fsync(fd)
            except OSError as exc:
                raise AuditWriteError(f"{self.path}: final fsync failed: {exc}") from exc
            finally:
                os.close(fd)

    def __enter__(self) -> Self:
        if self._fd is None:
            self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def last_hash(self) -> str:
        """``hash`` of the last record (what the next ``prev_hash`` will be)."""
        return self._last_hash

    # -- writing -----------------------------------------------------------

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        """Chain and append ``record``; return the record as written (a new dict)."""
        body = self._normalise(record)
        with self._lock:
            fd = self._require_writable()
            written = dict(body, prev_hash=self._last_hash)
            written["hash"] = record_hash(written, self._hmac_key)
            line = _canonical(written) + b"\n"

            size_before = os.fstat(fd).st_size
            if size_before != self._size:
                # Someone else wrote to or truncated the file: appending would
                # fork the chain and a rollback could destroy their bytes.
                raise AuditWriteError(
                    f"{self.path}: file size is {size_before}, expected {self._size}; "
                    "modified by another writer"
                )
            if self._rotation_due(len(line)):
                try:
                    fd = self._rotate(fd)
                except OSError as exc:
                    raise AuditWriteError(f"{self.path}: rotation failed: {exc}") from exc
                size_before = 0
            try:
                _write_all(fd, line)
                if self._fsync == "always":
                    os.fsync(fd)
            except OSError as exc:
                self._roll_back(fd, size_before, exc)
                raise AuditWriteError(f"{self.path}: append failed: {exc}") from exc
            self._size = size_before + len(line)
            self._last_hash = written["hash"]
            if self._fsync == "batch":
                self._dirty = True
                self._dirty_signal.notify()
        return written

    @staticmethod
    def _normalise(record: dict[str, Any]) -> dict[str, Any]:
        """A detached, plain-JSON copy of ``record`` that will verify once written."""
        if not isinstance(record, dict):
            raise AuditRecordError(f"record must be a dict, not {type(record).__name__}")
        reserved = [field for field in _CHAIN_FIELDS if field in record]
        if reserved:
            raise AuditRecordError(f"record already contains chain field(s) {reserved}")
        try:
            encoded = _canonical(record)
        except (TypeError, ValueError) as exc:  # ValueError: NaN, lone surrogates, cycles
            raise AuditRecordError(f"record is not JSON-serialisable: {exc}") from exc
        body = json.loads(encoded)
        # The verifier hashes what it parses, so the parse must re-encode identically
        # (catches e.g. keys 1 and "1" colliding).
        if _canonical(body) != encoded:
            raise AuditRecordError("record does not survive a JSON round trip unchanged")
        return body

    def _require_writable(self) -> int:
        if self._fd is None:
            raise AuditError(f"{self.path}: log is not open")
        if self._broken is not None:
            raise AuditWriteError(f"{self.path}: log unusable: {self._broken}")
        return self._fd

    def _roll_back(self, fd: int, size: int, cause: OSError) -> None:
        try:
            os.ftruncate(fd, size)
        except OSError as truncate_exc:
            # A partial line may remain; refuse further appends so nothing is
            # chained after it. Reopening reports it as a torn tail.
            self._broken = (
                f"could not truncate to {size} after {cause!r}: {truncate_exc!r}"
            )

    # -- rotation ----------------------------------------------------------

    def _rotation_due(self, line_bytes: int) -> bool:
        if self._size == 0:  # never rotate into an empty file: each file holds a record
            return False
        if self._max_bytes is not None and self._size + line_bytes > self._max_bytes:
            return True
        return self._max_age_s is not None and self._clock() - self._started_at >= self._max_age_s

    def _rotate(self, old_fd: int) -> int:
        """Rename the active file to its rotated name and start a new one; returns its fd."""
        if self._fsync != "never":
            os.fsync(old_fd)  # a rotated file is complete on disk before it gets its final name
        active = Path(self.path)
        rotated = _next_rotated_path(active, self._clock())
        os.rename(active, rotated)
        try:
            new_fd, _ = self._open_fd()
        except OSError:
            try:
                os.rename(rotated, active)
            except OSError as undo_exc:
                self._broken = f"rotated to {rotated} but could not start a new file: {undo_exc!r}"
            raise
        self._fd, self._size, self._dirty, self._started_at = new_fd, 0, False, self._clock()
        os.close(old_fd)
        if self._fsync != "never":
            self._fsync_parent_dir()  # both the rename and the new entry
        return new_fd

    # -- background fsync ("batch") ----------------------------------------

    def _flush_loop(self) -> None:
        """fsync the dirty file, then sleep the batch interval: at most one fsync per interval."""
        while True:
            with self._lock:
                while not self._dirty and not self._stop_flusher.is_set():
                    self._dirty_signal.wait()
                if self._stop_flusher.is_set():
                    return  # close() syncs the rest
                assert self._fd is not None  # close() stops this thread before closing the fd
                fd = os.dup(self._fd)  # a rotation may close self._fd while we sync
                self._dirty = False
            try:
                os.fsync(fd)
            except OSError as exc:
                with self._lock:  # decisions already returned may be lost: stop taking more
                    self._broken = f"background fsync failed: {exc!r}"
            finally:
                os.close(fd)
            if self._stop_flusher.wait(self._batch_interval_s):
                return

    # -- opening helpers ---------------------------------------------------

    def _open_fd(self) -> tuple[int, bool]:
        parent = os.path.dirname(self.path)
        if parent:
            os.makedirs(parent, mode=0o700, exist_ok=True)
        flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return os.open(self.path, flags), False
        try:
            os.fchmod(fd, 0o600)  # the umask may have stripped bits; be exact
        except BaseException:
            os.close(fd)
            raise
        return fd, True

    def _previous_file_hash(self) -> str:
        siblings = _rotated_siblings(Path(self.path))
        if not siblings:
            return GENESIS_HASH
        fd = os.open(siblings[-1], os.O_RDONLY | os.O_CLOEXEC)
        try:
            if _torn_tail_offset(fd) is not None or os.fstat(fd).st_size == 0:
                raise AuditError(f"{siblings[-1]}: rotated file does not end in a complete record; run verify")
            return self._read_last_hash(fd, os.fspath(siblings[-1]))
        finally:
            os.close(fd)

    def _read_last_hash(self, fd: int, path: str) -> str:
        size = os.fstat(fd).st_size
        start = _last_line_start(fd, size - 1)
        last = _parse_line(os.pread(fd, size - 1 - start, start))
        assert last is not None  # the torn-tail check ruled that out
        stored = last.get("hash")
        if not _is_hex_hash(stored):
            raise AuditError(f"{path}: last record has no valid 'hash'; run verify()")
        try:
            expected = record_hash(last, self._hmac_key)
        except ValueError:
            expected = ""
        if not hmac.compare_digest(stored, expected):
            raise AuditError(
                f"{path}: last record's hash does not match its content "
                "(wrong hmac_key, or the record was modified); run verify()"
            )
        return stored

    def _fsync_parent_dir(self) -> None:
        # A new file's directory entry is only durable once the directory is synced.
        dir_fd = os.open(os.path.dirname(self.path) or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# -- reading -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerifyError:
    line: int  # 1-based line number
    decision_id: str | None
    reason: str
    path: str = ""


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Result of :func:`verify`.

    ``ok`` is True when every complete record verified. It stays True with a
    torn last line, so always check ``torn_tail`` too; ``records`` counts the
    verified records (those before the first error or torn tail).
    """

    ok: bool
    records: int
    first_error: VerifyError | None
    torn_tail: bool


@dataclass(frozen=True, slots=True)
class TornTail:
    """An incomplete last line: where it starts and how many bytes it holds."""

    path: str
    line: int
    offset: int
    size: int


@dataclass(frozen=True, slots=True)
class ChainReport:
    """Result of :func:`verify_chain`.

    ``ok`` is True when every complete record of every file verified; a torn
    last line of the last file leaves it True and is in ``torn_tail``.
    ``last_hash`` is the hash of the last verified record: store it elsewhere
    to detect later truncation, or pass it as ``prev_hash`` to verify the
    files that follow.
    """

    ok: bool
    files: tuple[str, ...]
    records: int
    last_hash: str
    first_error: VerifyError | None
    torn_tail: TornTail | None


# Line kinds yielded by _scan_lines.
_RECORD, _TORN, _GARBAGE = "record", "torn", "garbage"


def _scan_lines(stream: BinaryIO) -> Iterator[tuple[int, int, str, bytes, dict[str, Any] | None]]:
    """Yield (line number, offset, kind, raw line, parsed object or None).

    ``raw`` excludes the newline, except for ``_TORN`` where it is every byte
    left. An unterminated or unparseable *last* line is ``_TORN``; an
    unparseable line followed by others is ``_GARBAGE``.
    """
    line_number, offset = 0, 0
    pending = stream.readline()
    while pending:
        following = stream.readline()  # one line of lookahead to know which is last
        line_number += 1
        if not pending.endswith(b"\n"):
            yield line_number, offset, _TORN, pending, None
            return
        raw = pending[:-1]
        parsed = _parse_line(raw)
        if parsed is not None:
            yield line_number, offset, _RECORD, raw, parsed
        elif following:
            yield line_number, offset, _GARBAGE, raw, None
        else:
            yield line_number, offset, _TORN, pending, None
        offset += len(pending)
        pending = following


def _decision_id(record: Mapping[str, Any]) -> str | None:
    value = record.get("decision_id")
    return None if value is None else str(value)


def _check_record(
    raw: bytes, record: dict[str, Any], prev_hash: str, hmac_key: bytes | None
) -> str | None:
    """Why ``record`` fails verification, or None."""
    stored = record.get("hash")
    if not _is_hex_hash(stored):
        return "missing or malformed 'hash'"
    try:
        expected = record_hash(record, hmac_key)
        canonical = _canonical(record)
    except ValueError:
        return "record cannot be re-encoded canonically"
    if not hmac.compare_digest(stored, expected):
        return "hash does not match record content (modified record or wrong hmac_key)"
    if record.get("prev_hash") != prev_hash:
        return "prev_hash does not match the previous record's hash (record deleted, inserted or reordered)"
    if raw != canonical:
        return "line is not in canonical JSON form"
    return None


class _ProgressBatcher:
    """Reports bytes read to a ``progress`` callback about once per MiB, not once per line."""

    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress
        self._pending = 0

    def add(self, nbytes: int) -> None:
        if self._progress is None:
            return
        self._pending += nbytes
        if self._pending >= _PROGRESS_EVERY_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._progress is not None and self._pending:
            self._progress(self._pending)
            self._pending = 0


def verify_chain(
    paths: Iterable[str | os.PathLike[str]],
    *,
    hmac_key: bytes | None = None,
    prev_hash: str = GENESIS_HASH,
    progress: Progress | None = None,
) -> ChainReport:
    """Check the chain across ``paths`` (in chain order, see :func:`log_chains`), streaming.

    The first record must link to ``prev_hash`` (the genesis hash unless the
    chain's older files are gone), and each file's first record to the last
    record of the file before it. Only the last file may end in a torn line.
    """
    files = tuple(os.fspath(p) for p in paths)
    verified, batcher = 0, _ProgressBatcher(progress)

    def failed(error: VerifyError) -> ChainReport:
        batcher.flush()
        return ChainReport(False, files, verified, prev_hash, error, None)

    for index, path in enumerate(files):
        with open(path, "rb") as stream:
            for line_number, offset, kind, raw, record in _scan_lines(stream):
                batcher.add(len(raw) + 1)
                if kind == _TORN:
                    if index < len(files) - 1:
                        return failed(VerifyError(line_number, None, "incomplete line, yet later files follow", path))
                    batcher.flush()
                    torn = TornTail(path, line_number, offset, len(raw))
                    return ChainReport(True, files, verified, prev_hash, None, torn)
                if kind == _GARBAGE or record is None:
                    return failed(VerifyError(line_number, None, "line is not a JSON object", path))
                reason = _check_record(raw, record, prev_hash, hmac_key)
                if reason is not None:
                    return failed(VerifyError(line_number, _decision_id(record), reason, path))
                prev_hash = record["hash"]
                verified += 1
    batcher.flush()
    return ChainReport(True, files, verified, prev_hash, None, None)


def verify(path: str | os.PathLike[str], *, hmac_key: bytes | None = None) -> VerifyReport:
    """Check the whole chain of the single file at ``path``, which starts the chain."""
    report = verify_chain([path], hmac_key=hmac_key)
    return VerifyReport(report.ok, report.records, report.first_error, report.torn_tail is not None)


def find_torn_tail(path: str | os.PathLike[str]) -> TornTail | None:
    """The torn last line of ``path``, if any, reading only the file's end."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        torn = _torn_tail_offset(fd)
        if torn is None:
            return None
        offset, size = torn
        return TornTail(os.fspath(path), _count_newlines(fd, offset) + 1, offset, size - offset)
    finally:
        os.close(fd)


def read_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield each record of the log at ``path``; the chain is not checked.

    Raises :class:`AuditTornTailError` after the last complete record if the
    file ends in a torn line, and :class:`AuditError` at an unparseable line
    in the middle, so a damaged file is never read as a shorter valid one.
    """
    return read_chain([path])


def read_chain(
    paths: Iterable[str | os.PathLike[str]], *, progress: Progress | None = None
) -> Iterator[dict[str, Any]]:
    """Yield each record of the files of a chain, in order; the chain is not checked.

    As :func:`read_records`; a torn line in any file but the last is an :class:`AuditError`.
    """
    files = [os.fspath(p) for p in paths]
    batcher = _ProgressBatcher(progress)
    for index, path in enumerate(files):
        with open(path, "rb") as stream:
            for line_number, offset, kind, raw, record in _scan_lines(stream):
                batcher.add(len(raw) + 1)
                if kind == _TORN and index == len(files) - 1:
                    batcher.flush()
                    raise AuditTornTailError(path, offset, line_number, len(raw))
                if kind != _RECORD or record is None:
                    raise AuditError(f"{path}: line {line_number} is not a complete JSON object")
                yield record
    batcher.flush()
