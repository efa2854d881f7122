"""Tests for policy.audit: hash chain, tamper detection, torn tails, concurrency, fsync batching, rotation."""

from __future__ import annotations

import errno
import itertools
import json
import math
import os
import stat
import tempfile
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy import audit
from policy.audit import (
    GENESIS_HASH,
    AuditError,
    AuditLog,
    AuditRecordError,
    AuditTornTailError,
    AuditWriteError,
    ChainReport,
    TornTail,
    log_chains,
    log_files,
    read_chain,
    read_records,
    record_hash,
    verify,
    verify_chain,
)

KEY = b"k" * 32


def decision(i: int) -> dict:
    return {"decision_id": f"d-{i}", "verdict": "allow", "region": "eu-west-1", "n": i}


def write_log(path: Path, count: int, **kwargs) -> list[dict]:
    with AuditLog(path, **kwargs) as log:
        return [log.append(decision(i)) for i in range(count)]


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "audit" / "decisions.jsonl"


# -- chain basics -------------------------------------------------------------


def test_first_record_links_to_genesis_and_append_returns_written_record(log_path):
    original = decision(0)
    with AuditLog(log_path) as log:
        written = log.append(original)

    assert written["prev_hash"] == GENESIS_HASH
    assert written["hash"] == record_hash(written)
    assert "hash" not in original and "prev_hash" not in original  # caller's dict untouched
    assert list(read_records(log_path)) == [written]
    assert log_path.read_bytes() == (
        json.dumps(written, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    ).encode()


def test_chain_continues_across_close_and_reopen(log_path):
    first = write_log(log_path, 3)
    log = AuditLog(log_path).open()
    assert log.last_hash == first[-1]["hash"]
    second = [log.append(decision(i)) for i in range(3, 5)]
    log.close()

    assert second[0]["prev_hash"] == first[-1]["hash"]
    assert verify(log_path) == audit.VerifyReport(ok=True, records=5, first_error=None, torn_tail=False)
    records = list(read_records(log_path))
    assert [r["hash"] for r in records] == [r["hash"] for r in first + second]
    for previous, current in itertools.pairwise(records):
        assert current["prev_hash"] == previous["hash"]


def test_open_returns_self_and_context_manager_closes(log_path):
    log = AuditLog(log_path)
    assert log.open() is log
    with pytest.raises(AuditError, match="already open"):
        log.open()
    log.close()
    log.close()  # idempotent
    with pytest.raises(AuditError, match="not open"):
        log.append(decision(0))
    with AuditLog(log_path) as log:
        log.append(decision(0))
    with pytest.raises(AuditError, match="not open"):
        log.append(decision(1))


def test_constructor_does_no_io(tmp_path):
    AuditLog(tmp_path / "missing" / "a.jsonl")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"fsync": "sometimes"}, id="bad-fsync-mode"),
        pytest.param({"hmac_key": b""}, id="empty-hmac-key"),
        pytest.param({"hmac_key": "text"}, id="str-hmac-key"),
        pytest.param({"fsync": "batch", "batch_interval_ms": 0}, id="zero-batch-interval"),
        pytest.param({"max_bytes": 0}, id="zero-max-bytes"),
        pytest.param({"max_bytes": True}, id="bool-max-bytes"),
        pytest.param({"max_bytes": 1.5}, id="float-max-bytes"),
        pytest.param({"max_age_s": 0}, id="zero-max-age"),
    ],
)
def test_constructor_rejects_bad_arguments(tmp_path, kwargs):
    with pytest.raises(ValueError):
        AuditLog(tmp_path / "a.jsonl", **kwargs)


def test_file_created_with_mode_0600_despite_permissive_umask(log_path):
    old_umask = os.umask(0)
    try:
        write_log(log_path, 1)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(log_path).st_mode) == 0o600


# -- HMAC -----------------------------------------------------------------------


def test_hmac_key_changes_hashes_and_wrong_key_fails_verify(tmp_path):
    plain = write_log(tmp_path / "plain.jsonl", 3)
    keyed = write_log(tmp_path / "keyed.jsonl", 3, hmac_key=KEY)

    assert [r["hash"] for r in plain] != [r["hash"] for r in keyed]
    assert verify(tmp_path / "keyed.jsonl", hmac_key=KEY).ok
    for wrong_key in (None, b"not-the-key"):
        report = verify(tmp_path / "keyed.jsonl", hmac_key=wrong_key)
        assert not report.ok
        assert report.first_error.line == 1
        assert report.first_error.decision_id == "d-0"


def test_open_with_wrong_hmac_key_refuses_to_continue_chain(tmp_path):
    path = tmp_path / "keyed.jsonl"
    write_log(path, 2, hmac_key=KEY)
    with pytest.raises(AuditError, match="hmac_key"):
        AuditLog(path, hmac_key=b"other").open()
    with pytest.raises(AuditError, match="hmac_key"):
        AuditLog(path).open()


# -- tampering ------------------------------------------------------------------


def modify_value(lines: list[bytes], index: int) -> None:
    lines[index] = lines[index].replace(b'"verdict":"allow"', b'"verdict":"allOw"')


def delete_record(lines: list[bytes], index: int) -> None:
    del lines[index]


def swap_with_next(lines: list[bytes], index: int) -> None:
    lines[index], lines[index + 1] = lines[index + 1], lines[index]


def reformat_line(lines: list[bytes], index: int) -> None:
    # Same JSON content, different bytes: not the canonical form that was hashed.
    lines[index] = lines[index].replace(b'","', b'", "', 1)


def insert_copy(lines: list[bytes], index: int) -> None:
    lines.insert(index, lines[index])


def forge_prev_hash(lines: list[bytes], index: int) -> None:
    old_prev = json.loads(lines[index])["prev_hash"].encode()
    lines[index] = lines[index].replace(old_prev, b"f" * 64)


@pytest.mark.parametrize(
    ("tamper", "index", "bad_line", "bad_decision"),
    [
        pytest.param(modify_value, 0, 1, "d-0", id="modify-first"),
        pytest.param(modify_value, 2, 3, "d-2", id="modify-middle"),
        pytest.param(modify_value, 4, 5, "d-4", id="modify-last"),
        pytest.param(delete_record, 0, 1, "d-1", id="delete-first"),
        pytest.param(delete_record, 2, 3, "d-3", id="delete-middle"),
        pytest.param(swap_with_next, 1, 2, "d-2", id="swap-two"),
        pytest.param(insert_copy, 2, 4, "d-2", id="duplicate-record"),
        pytest.param(reformat_line, 3, 4, "d-3", id="reformat-whitespace"),
        pytest.param(forge_prev_hash, 2, 3, "d-2", id="edit-prev-hash"),
    ],
)
def test_tampering_fails_verify_and_names_the_line(log_path, tamper, index, bad_line, bad_decision):
    write_log(log_path, 5)
    lines = lines_of(log_path)
    tamper(lines, index)
    log_path.write_bytes(b"".join(lines))

    report = verify(log_path)

    assert not report.ok
    assert report.first_error.line == bad_line
    assert report.first_error.decision_id == bad_decision
    assert report.first_error.reason
    assert report.records == bad_line - 1


def test_garbage_line_in_the_middle_is_an_error_not_a_torn_tail(log_path):
    write_log(log_path, 3)
    lines = lines_of(log_path)
    lines.insert(1, b"not json\n")
    log_path.write_bytes(b"".join(lines))

    report = verify(log_path)

    assert (report.ok, report.torn_tail, report.records) == (False, False, 1)
    assert report.first_error.line == 2
    with pytest.raises(AuditError, match="line 2"):
        list(read_records(log_path))


def test_open_refuses_last_record_with_modified_content(log_path):
    write_log(log_path, 3)
    lines = lines_of(log_path)
    modify_value(lines, 2)
    log_path.write_bytes(b"".join(lines))
    with pytest.raises(AuditError, match="does not match"):
        AuditLog(log_path).open()


# -- torn tail ------------------------------------------------------------------


def half_line(complete: bytes) -> bytes:
    return complete[: len(complete) // 2]


@pytest.mark.parametrize(
    "make_tail",
    [
        pytest.param(half_line, id="half-a-line"),
        pytest.param(lambda line: line[:-1], id="complete-json-missing-newline"),
        pytest.param(lambda line: b"\x00\x00\x00\n", id="unparseable-last-line"),
        pytest.param(lambda line: b"{", id="single-byte"),
    ],
)
def test_torn_tail_detected_reported_and_repaired(log_path, make_tail):
    write_log(log_path, 3)
    intact_size = log_path.stat().st_size
    next_line = json.dumps(decision(3), separators=(",", ":")).encode() + b"\n"
    tail = make_tail(next_line)
    with open(log_path, "ab") as f:
        f.write(tail)

    with pytest.raises(AuditTornTailError) as excinfo:
        AuditLog(log_path).open()
    assert (excinfo.value.offset, excinfo.value.line_number) == (intact_size, 4)
    assert excinfo.value.torn_bytes == len(tail)
    assert log_path.stat().st_size == intact_size + len(tail)  # open() changed nothing

    assert verify(log_path) == audit.VerifyReport(ok=True, records=3, first_error=None, torn_tail=True)
    reader = read_records(log_path)
    assert [r["decision_id"] for r in (next(reader) for _ in range(3))] == ["d-0", "d-1", "d-2"]
    with pytest.raises(AuditTornTailError):
        next(reader)

    with AuditLog(log_path).open(repair=True) as log:
        assert log.truncated_bytes == len(tail)
        assert log_path.stat().st_size == intact_size
        log.append(decision(3))

    assert verify(log_path) == audit.VerifyReport(ok=True, records=4, first_error=None, torn_tail=False)


def test_torn_first_line_of_otherwise_empty_file(log_path):
    log_path.parent.mkdir(parents=True)
    log_path.write_bytes(b'{"decision_id":"d-0","ver')

    with pytest.raises(AuditTornTailError) as excinfo:
        AuditLog(log_path).open()
    assert (excinfo.value.offset, excinfo.value.line_number) == (0, 1)
    assert verify(log_path) == audit.VerifyReport(ok=True, records=0, first_error=None, torn_tail=True)

    with AuditLog(log_path).open(repair=True) as log:
        assert log.append(decision(0))["prev_hash"] == GENESIS_HASH
    assert verify(log_path).ok


def test_repair_on_sound_file_drops_nothing(log_path):
    write_log(log_path, 2)
    size = log_path.stat().st_size
    with AuditLog(log_path).open(repair=True) as log:
        assert log.truncated_bytes == 0
    assert log_path.stat().st_size == size


def test_torn_tail_longer_than_read_chunk(log_path, monkeypatch):
    monkeypatch.setattr(audit, "_TAIL_CHUNK", 7)  # force the backward scan across chunks
    write_log(log_path, 3)
    intact_size = log_path.stat().st_size
    with open(log_path, "ab") as f:
        f.write(b'{"decision_id":"' + b"x" * 50)
    with pytest.raises(AuditTornTailError) as excinfo:
        AuditLog(log_path).open()
    assert (excinfo.value.offset, excinfo.value.line_number) == (intact_size, 4)
    with AuditLog(log_path).open(repair=True) as log:
        assert log.last_hash == json.loads(lines_of(log_path)[-1])["hash"]


# -- concurrency ----------------------------------------------------------------


def test_concurrent_appends_never_interleave(log_path):
    threads_count, per_thread = 8, 200
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    with AuditLog(log_path) as log:

        def worker(thread_id: int) -> None:
            try:
                start.wait()
                for seq in range(per_thread):
                    log.append({"decision_id": f"t{thread_id}-{seq}", "thread": thread_id, "seq": seq})
            except BaseException as exc:  # surfaced below; a thread can't fail the test
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    lines = lines_of(log_path)
    assert len(lines) == threads_count * per_thread
    records = [json.loads(line) for line in lines]
    assert verify(log_path) == audit.VerifyReport(
        ok=True, records=threads_count * per_thread, first_error=None, torn_tail=False
    )
    for thread_id in range(threads_count):  # each thread's records keep their order
        assert [r["seq"] for r in records if r["thread"] == thread_id] == list(range(per_thread))


# -- failed writes --------------------------------------------------------------


def fail_after_partial_write(monkeypatch):
    real_write = os.write
    calls = []

    def write(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)


def fail_immediately(monkeypatch):
    def write(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)


def fail_fsync(monkeypatch):
    def fsync(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)


@pytest.mark.parametrize(
    ("inject", "expected_errno"),
    [
        pytest.param(fail_after_partial_write, errno.ENOSPC, id="partial-write-then-enospc"),
        pytest.param(fail_immediately, errno.ENOSPC, id="enospc-first-write"),
        pytest.param(fail_fsync, errno.EIO, id="fsync-eio"),
    ],
)
def test_failed_write_rolls_back_and_chain_stays_valid(log_path, monkeypatch, inject, expected_errno):
    with AuditLog(log_path) as log:
        before = [log.append(decision(i)) for i in range(2)]
        size = log_path.stat().st_size
        with monkeypatch.context() as patch:
            inject(patch)
            with pytest.raises(AuditWriteError) as excinfo:
                log.append(decision(2))
        assert excinfo.value.__cause__.errno == expected_errno
        assert log_path.stat().st_size == size
        assert log_path.read_bytes().endswith(b"\n")
        assert verify(log_path).records == 2

        after = log.append(decision(3))  # the log stays usable

    assert after["prev_hash"] == before[-1]["hash"]
    assert verify(log_path) == audit.VerifyReport(ok=True, records=3, first_error=None, torn_tail=False)


def failing_ftruncate(fd, size):
    raise OSError(errno.EIO, "Input/output error")


def test_failed_rollback_poisons_log_and_reopen_sees_torn_tail(log_path, monkeypatch):
    with AuditLog(log_path) as log:
        log.append(decision(0))
        with monkeypatch.context() as patch:
            fail_after_partial_write(patch)
            patch.setattr(os, "ftruncate", failing_ftruncate)
            with pytest.raises(AuditWriteError):
                log.append(decision(1))
        with pytest.raises(AuditWriteError, match="unusable"):
            log.append(decision(2))  # never chain after a partial line

    with pytest.raises(AuditTornTailError):
        AuditLog(log_path).open()
    with AuditLog(log_path).open(repair=True) as log:
        log.append(decision(1))
    assert verify(log_path).ok


def test_append_refuses_when_file_changed_behind_its_back(log_path):
    with AuditLog(log_path, fsync="never") as log:
        log.append(decision(0))
        with open(log_path, "ab") as other_writer:
            other_writer.write(b'{"foreign":true}\n')
        with pytest.raises(AuditWriteError, match="another writer"):
            log.append(decision(1))


# -- rejected records -----------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        pytest.param({"decision_id": "d", "obj": object()}, id="object-value"),
        pytest.param({"decision_id": "d", "tags": {"a", "b"}}, id="set-value"),
        pytest.param({"decision_id": "d", "blob": b"raw"}, id="bytes-value"),
        pytest.param({"decision_id": "d", "score": math.nan}, id="nan"),
        pytest.param({"decision_id": "d", "score": math.inf}, id="infinity"),
        pytest.param({"decision_id": "d", "note": "\ud800"}, id="lone-surrogate"),
        pytest.param({"decision_id": "d", 1: "x", "1": "y"}, id="colliding-keys"),
        pytest.param({"decision_id": "d", "hash": "0" * 64}, id="has-hash"),
        pytest.param({"decision_id": "d", "prev_hash": "0" * 64}, id="has-prev-hash"),
        pytest.param(["not", "a", "dict"], id="not-a-dict"),
    ],
)
def test_rejected_record_writes_nothing(log_path, record):
    with AuditLog(log_path) as log:
        with pytest.raises(AuditRecordError):
            log.append(record)
        assert log_path.stat().st_size == 0
        assert log.append(decision(0))["prev_hash"] == GENESIS_HASH  # chain untouched
    assert isinstance(AuditRecordError("x"), ValueError)


# -- property: anything JSON round-trips and verifies ---------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)
json_records = st.dictionaries(
    st.text().filter(lambda key: key not in ("hash", "prev_hash")), json_values, max_size=5
)


@settings(max_examples=50, deadline=None)
@given(st.lists(json_records, min_size=1, max_size=4))
def test_any_json_records_round_trip_and_verify(records):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "log.jsonl"
        with AuditLog(path, fsync="never", hmac_key=KEY) as log:
            written = [log.append(record) for record in records]
        assert list(read_records(path)) == written
        for record, as_written in zip(records, written, strict=True):
            assert {k: v for k, v in as_written.items() if k not in ("hash", "prev_hash")} == record
        assert verify(path, hmac_key=KEY).ok


# -- fsync="batch" ----------------------------------------------------------------


class FsyncCounter:
    """A test double for os.fsync that counts calls per file and still syncs."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[float] = []
        self._real = os.fsync
        monkeypatch.setattr(os, "fsync", self)

    def __call__(self, fd: int) -> None:
        self.calls.append(time.monotonic())
        self._real(fd)


def test_batch_appends_return_before_fsync_and_flusher_syncs_soon(log_path, monkeypatch):
    log = AuditLog(log_path, fsync="batch", batch_interval_ms=20).open()
    fsyncs = FsyncCounter(monkeypatch)
    try:
        log.append(decision(0))
        deadline = time.monotonic() + 5
        while not fsyncs.calls and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(fsyncs.calls) == 1  # without close(): the background flusher did it
    finally:
        log.close()
    assert verify(log_path).records == 1


def test_batch_fsyncs_at_most_once_per_interval(log_path, monkeypatch):
    interval_ms, count = 100, 400
    log = AuditLog(log_path, fsync="batch", batch_interval_ms=interval_ms).open()
    fsyncs = FsyncCounter(monkeypatch)
    started = time.monotonic()
    for i in range(count):
        log.append(decision(i))
        time.sleep(0.0005)
    elapsed = time.monotonic() - started
    log.close()

    by_flusher = fsyncs.calls[:-1]  # the last one is close()'s
    assert 1 <= len(by_flusher) <= elapsed / (interval_ms / 1000) + 1
    assert all(b - a >= interval_ms / 1000 * 0.9 for a, b in itertools.pairwise(by_flusher))
    assert verify(log_path).records == count


def test_close_syncs_what_the_flusher_has_not(log_path, monkeypatch):
    log = AuditLog(log_path, fsync="batch", batch_interval_ms=60_000).open()
    log.append(decision(0))  # the flusher syncs this one, then sleeps a minute
    log.append(decision(1))
    fsyncs = FsyncCounter(monkeypatch)
    started = time.monotonic()
    log.close()
    assert time.monotonic() - started < 5  # close() does not wait out the interval
    assert len(fsyncs.calls) >= 1
    assert verify(log_path).records == 2


def test_failed_background_fsync_fails_later_appends(log_path, monkeypatch):
    with AuditLog(log_path, fsync="batch", batch_interval_ms=1) as log:
        fail_fsync(monkeypatch)
        log.append(decision(0))
        deadline = time.monotonic() + 5
        with pytest.raises(AuditWriteError, match="background fsync failed"):
            while time.monotonic() < deadline:
                log.append(decision(1))
                time.sleep(0.01)
        monkeypatch.undo()


# -- rotation -------------------------------------------------------------------


def line_size(log_path: Path) -> int:
    return len(lines_of(log_path)[0])


def test_rotation_by_size_keeps_one_chain_across_files(log_path):
    write_log(log_path, 1)
    one_line = line_size(log_path)
    log_path.unlink()
    max_bytes = 3 * one_line + one_line // 2  # three records per file

    written = write_log(log_path, 10, max_bytes=max_bytes)

    files = log_files(log_path)
    assert [len(lines_of(f)) for f in files] == [3, 3, 3, 1]
    assert files[-1] == log_path and all(f.stat().st_size <= max_bytes for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    firsts = [json.loads(lines_of(f)[0]) for f in files[1:]]
    lasts = [json.loads(lines_of(f)[-1]) for f in files[:-1]]
    assert [first["prev_hash"] for first in firsts] == [last["hash"] for last in lasts]
    report = verify_chain(files)
    assert report == ChainReport(True, tuple(map(str, files)), 10, written[-1]["hash"], None, None)
    assert [r["decision_id"] for r in read_chain(files)] == [f"d-{i}" for i in range(10)]


def test_rotation_by_age(log_path):
    now = [1_000.0]
    with AuditLog(log_path, max_age_s=60, clock=lambda: now[0]) as log:
        log.append(decision(0))
        now[0] += 59
        log.append(decision(1))
        now[0] += 1
        log.append(decision(2))  # the file is 60 s old: this one starts a new file

    files = log_files(log_path)
    assert [len(lines_of(f)) for f in files] == [2, 1]
    assert files[0].name == "decisions.19700101T001740000000Z.jsonl"  # named when rotated
    assert verify_chain(files).records == 3


def test_rotated_names_increase_even_when_the_clock_does_not(log_path):
    write_log(log_path, 6, max_bytes=1, clock=lambda: 0.0)  # every record in its own file

    files = log_files(log_path)
    assert len(files) == 6
    assert [f.name for f in files[:-1]] == sorted(f.name for f in files[:-1])
    assert files[1].name == "decisions.19700101T000000000001Z.jsonl"
    assert verify_chain(files).ok


@pytest.mark.parametrize("active_state", [pytest.param("empty", id="empty"), pytest.param("missing", id="missing")])
def test_reopen_after_rotation_continues_from_the_rotated_file(log_path, active_state):
    # A crash between the rename and the first write leaves no (or an empty) active file.
    write_log(log_path, 4, max_bytes=1)
    log_path.rename(log_path.with_name("decisions.29990101T000000000000Z.jsonl"))
    if active_state == "empty":
        log_path.write_bytes(b"")

    with AuditLog(log_path) as log:
        log.append(decision(4))

    assert verify_chain(log_files(log_path)).records == 5


def test_reopen_with_rotation_continues_chain(log_path):
    write_log(log_path, 3, max_bytes=1)
    with AuditLog(log_path, max_bytes=1) as log:
        log.append(decision(3))
    assert [len(lines_of(f)) for f in log_files(log_path)] == [1, 1, 1, 1]
    assert verify_chain(log_files(log_path)).records == 4


def failing_rename(source, destination):
    raise OSError(errno.EACCES, "Permission denied")


def test_failed_rotation_writes_nothing_and_log_stays_usable(log_path, monkeypatch):
    with AuditLog(log_path, max_bytes=1) as log:
        log.append(decision(0))
        with monkeypatch.context() as patch:
            patch.setattr(os, "rename", failing_rename)
            with pytest.raises(AuditWriteError, match="rotation failed"):
                log.append(decision(1))
        log.append(decision(2))
    assert [r["decision_id"] for r in read_chain(log_files(log_path))] == ["d-0", "d-2"]
    assert verify_chain(log_files(log_path)).ok


# -- verifying a chain of files -----------------------------------------------------


@pytest.fixture
def rotated(log_path) -> list[Path]:
    """Three files of two records each: d-0 d-1 | d-2 d-3 | d-4 d-5 (active)."""
    write_log(log_path, 1)
    two_lines = 2 * line_size(log_path)
    log_path.unlink()
    write_log(log_path, 6, max_bytes=two_lines + 1)
    files = log_files(log_path)
    assert [len(lines_of(f)) for f in files] == [2, 2, 2]
    return files


def test_tampering_in_a_rotated_file_names_that_file(rotated):
    lines = lines_of(rotated[1])
    modify_value(lines, 1)
    rotated[1].write_bytes(b"".join(lines))

    report = verify_chain(rotated)

    assert (report.ok, report.records) == (False, 3)
    assert report.first_error == audit.VerifyError(2, "d-3", report.first_error.reason, str(rotated[1]))
    assert "modified record" in report.first_error.reason


def test_missing_rotated_file_breaks_the_chain_at_the_next_one(rotated):
    report = verify_chain([rotated[0], rotated[2]])

    assert not report.ok
    assert (report.first_error.path, report.first_error.line, report.first_error.decision_id) == (
        str(rotated[2]), 1, "d-4",
    )


def test_later_files_verify_from_a_stored_hash(rotated):
    anchor = json.loads(lines_of(rotated[0])[-1])["hash"]

    assert not verify_chain(rotated[1:]).ok  # d-2 does not start a chain
    assert verify_chain(rotated[1:], prev_hash=anchor).records == 4


def test_torn_tail_only_allowed_in_the_last_file(rotated):
    with open(rotated[2], "ab") as f:
        f.write(b'{"decision_id":"d-6"')
    report = verify_chain(rotated)
    assert (report.ok, report.records, report.first_error) == (True, 6, None)
    assert report.torn_tail == TornTail(str(rotated[2]), 3, rotated[2].stat().st_size - 20, 20)
    assert audit.find_torn_tail(rotated[2]) == report.torn_tail

    with open(rotated[1], "ab") as f:
        f.write(b'{"decision_id":"d-x"')
    report = verify_chain(rotated)
    assert (report.ok, report.first_error.path, report.first_error.line) == (False, str(rotated[1]), 3)
    with pytest.raises(AuditError, match="line 3"):
        list(read_chain(rotated))


def test_log_chains_groups_and_orders_files(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_log(a, 3, max_bytes=1)
    write_log(b, 2, max_bytes=1)
    everything = sorted(tmp_path.iterdir(), reverse=True)  # any order in, chain order out

    assert log_chains(everything) == [tuple(log_files(a)), tuple(log_files(b))]
    assert [len(chain) for chain in log_chains(everything)] == [3, 2]
    assert log_files(a)[-1] == a and log_files(b)[-1] == b


def test_progress_reports_every_byte(rotated):
    seen: list[int] = []
    assert verify_chain(rotated, progress=seen.append).ok
    assert sum(seen) == sum(f.stat().st_size for f in rotated)
    seen.clear()
    assert len(list(read_chain(rotated, progress=seen.append))) == 6
    assert sum(seen) == sum(f.stat().st_size for f in rotated)
