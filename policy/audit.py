"""Hash-chained, append-only audit log of policy decisions (JSON Lines).

File format
-----------
UTF-8, one record per line, each line terminated by ``"\\n"``. A line is the
canonical JSON of one object::

    json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

The caller supplies the record content; the log adds two fields:

``prev_hash``
    ``hash`` of the previous line, or ``"0" * 64`` (:data:`GENESIS_HASH`)
    for the first record of the file.
``hash``
    Lowercase hex SHA-256 of the canonical JSON of the record *including*
    ``prev_hash`` and *excluding* ``hash`` (see :func:`record_hash`). With an
    ``hmac_key`` it is HMAC-SHA256 under that key instead, so someone who can
    edit the file cannot recompute a consistent chain.

Deleting, editing, inserting or reordering lines breaks the chain at the
first affected line. Dropping records from the *end* of the file keeps a
valid chain; detecting that needs the last hash stored elsewhere.

API
---
``AuditLog(path, *, hmac_key=None, fsync="always")``
    Cheap constructor, no I/O. ``open(*, repair=False) -> AuditLog`` creates
    parent directories (0o700) and the file (0o600, umask notwithstanding),
    checks the last line and continues the chain from it. Only the last
    record is checked (its hash is recomputed, which also catches a wrong
    ``hmac_key``); use :func:`verify` for the whole file. Use it as a context
    manager (``with AuditLog(p) as log:`` opens and closes) or call
    ``close()``. ``truncated_bytes`` tells how many bytes ``repair`` dropped.
``AuditLog.append(record: dict) -> dict``
    Thread-safe. Writes one line with one ``os.write`` (looping only on
    partial writes) under a lock, then ``fsync`` if configured. Returns a new
    dict: the record as written, with ``prev_hash`` and ``hash``.
``verify(path, *, hmac_key=None) -> VerifyReport``
    Streams the file and checks every line.
``read_records(path) -> Iterator[dict]``
    Parses lines without checking the chain (use ``verify`` for that).
``record_hash(record, hmac_key=None) -> str``
    The single hash function used by writer and verifier.

Torn tail: a crash during ``os.write`` can leave a last line without its
``"\\n"`` (or, for the last line only, unparseable). ``open()`` refuses to
append after it and raises :class:`AuditTornTailError`; ``open(repair=True)``
truncates the file to the end of the last complete line (only that one torn
line is ever dropped) and records the dropped byte count in
``truncated_bytes``. ``verify`` reports it as ``torn_tail=True``.

One process per file: the lock is in-process. ``append`` notices a file that
changed size behind its back and refuses to write, but does not prevent it.

Exceptions
----------
::

    AuditError                  base; also: not open, already open, last
    |                           record's hash invalid (wrong key / tampered)
    +-- AuditRecordError        (also ValueError) record rejected, nothing written
    +-- AuditWriteError         write/fsync failed (cause chained), or the log
    |                           is unusable after a failed rollback
    +-- AuditTornTailError      open() found a torn last line (offset, line_number)
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal, Self

from policy.errors import ResidencyError

__all__ = [
    "GENESIS_HASH",
    "AuditError",
    "AuditRecordError",
    "AuditTornTailError",
    "AuditWriteError",
    "AuditLog",
    "VerifyError",
    "VerifyReport",
    "read_records",
    "record_hash",
    "verify",
]

GENESIS_HASH = "0" * 64
_CHAIN_FIELDS = ("prev_hash", "hash")
_TAIL_CHUNK = 64 * 1024


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


class AuditLog:
    """Append-only, hash-chained JSON Lines log. See the module docstring."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        hmac_key: bytes | None = None,
        fsync: Literal["always", "never"] = "always",
    ) -> None:
        if fsync not in ("always", "never"):
            raise ValueError(f"fsync must be 'always' or 'never', not {fsync!r}")
        if hmac_key is not None and (not isinstance(hmac_key, bytes) or not hmac_key):
            raise ValueError("hmac_key must be non-empty bytes or None")
        self.path = os.fspath(path)
        self._hmac_key = hmac_key
        self._fsync = fsync == "always"
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._last_hash = GENESIS_HASH
        self._size = 0  # expected file size; rollback target and tamper tripwire
        self._broken: str | None = None  # set when a failed append could not be undone
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
                torn = self._find_torn_tail(fd)
                if torn is not None and repair:
                    offset, size = torn
                    os.ftruncate(fd, offset)
                    os.fsync(fd)  # the repair itself must survive a crash
                    self.truncated_bytes = size - offset
                    torn = self._find_torn_tail(fd)
                if torn is not None:
                    offset, size = torn
                    line_number = _count_newlines(fd, offset) + 1
                    raise AuditTornTailError(self.path, offset, line_number, size - offset)
                self._last_hash = self._read_last_hash(fd)
                self._size = os.fstat(fd).st_size
                if created and self._fsync:
                    self._fsync_parent_dir()
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            self._broken = None
        return self

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                fd, self._fd = self._fd, None
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
            try:
                _write_all(fd, line)
                if self._fsync:
                    os.fsync(fd)
            except OSError as exc:
                self._roll_back(fd, size_before, exc)
                raise AuditWriteError(f"{self.path}: append failed: {exc}") from exc
            self._size = size_before + len(line)
            self._last_hash = written["hash"]
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

    @staticmethod
    def _find_torn_tail(fd: int) -> tuple[int, int] | None:
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

    def _read_last_hash(self, fd: int) -> str:
        size = os.fstat(fd).st_size
        if size == 0:
            return GENESIS_HASH
        start = _last_line_start(fd, size - 1)
        last = _parse_line(os.pread(fd, size - 1 - start, start))
        assert last is not None  # _find_torn_tail ruled that out
        stored = last.get("hash")
        if not _is_hex_hash(stored):
            raise AuditError(f"{self.path}: last record has no valid 'hash'; run verify()")
        try:
            expected = record_hash(last, self._hmac_key)
        except ValueError:
            expected = ""
        if not hmac.compare_digest(stored, expected):
            raise AuditError(
                f"{self.path}: last record's hash does not match its content "
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


# Line kinds yielded by _scan_lines.
_RECORD, _TORN, _GARBAGE = "record", "torn", "garbage"


def _scan_lines(stream: BinaryIO) -> Iterator[tuple[int, str, bytes, dict[str, Any] | None]]:
    """Yield (line number, kind, raw line without newline, parsed object or None).

    An unterminated or unparseable *last* line is ``_TORN``; an unparseable
    line followed by others is ``_GARBAGE``.
    """
    line_number = 0
    pending = stream.readline()
    while pending:
        following = stream.readline()  # one line of lookahead to know which is last
        line_number += 1
        if not pending.endswith(b"\n"):
            yield line_number, _TORN, pending, None
            return
        raw = pending[:-1]
        parsed = _parse_line(raw)
        if parsed is not None:
            yield line_number, _RECORD, raw, parsed
        else:
            yield line_number, (_GARBAGE if following else _TORN), raw, None
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


def verify(path: str | os.PathLike[str], *, hmac_key: bytes | None = None) -> VerifyReport:
    """Check the whole chain of the log at ``path``, streaming it line by line."""
    prev_hash, verified = GENESIS_HASH, 0
    with open(path, "rb") as stream:
        for line_number, kind, raw, record in _scan_lines(stream):
            if kind == _TORN:
                return VerifyReport(ok=True, records=verified, first_error=None, torn_tail=True)
            if kind == _GARBAGE or record is None:
                error = VerifyError(line_number, None, "line is not a JSON object")
                return VerifyReport(ok=False, records=verified, first_error=error, torn_tail=False)
            reason = _check_record(raw, record, prev_hash, hmac_key)
            if reason is not None:
                error = VerifyError(line_number, _decision_id(record), reason)
                return VerifyReport(ok=False, records=verified, first_error=error, torn_tail=False)
            prev_hash = record["hash"]
            verified += 1
    return VerifyReport(ok=True, records=verified, first_error=None, torn_tail=False)


def read_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield each record of the log at ``path``; the chain is not checked.

    Raises :class:`AuditTornTailError` after the last complete record if the
    file ends in a torn line, and :class:`AuditError` at an unparseable line
    in the middle, so a damaged file is never read as a shorter valid one.
    """
    path_str = os.fspath(path)
    with open(path_str, "rb") as stream:
        offset = 0
        for line_number, kind, raw, record in _scan_lines(stream):
            if kind == _TORN:
                raise AuditTornTailError(path_str, offset, line_number, stream.tell() - offset)
            if kind == _GARBAGE or record is None:
                raise AuditError(f"{path_str}: line {line_number} is not a JSON object")
            offset += len(raw) + 1
            yield record
