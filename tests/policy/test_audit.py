"""Tests for policy.audit: hash chain, tamper detection, torn tails, concurrency."""

from __future__ import annotations

import errno
import json
import math
import os
import stat
import tempfile
import threading
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
    read_records,
    record_hash,
    verify,
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
    for previous, current in zip(records, records[1:]):
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
        for record, as_written in zip(records, written):
            assert {k: v for k, v in as_written.items() if k not in ("hash", "prev_hash")} == record
        assert verify(path, hmac_key=KEY).ok
