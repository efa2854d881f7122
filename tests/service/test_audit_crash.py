"""kill -9 under load: every answered decision is in the log, and the log verifies.

`residency serve` runs as its own process (audit.fsync=always); concurrent clients
keep it busy, and it is killed once enough decisions have come back. A decision that
reached its client was appended (and fsynced) before the answer left, so it must be in
the log; a write cut short can only be the last line, which verify reports as torn.
"""

from __future__ import annotations

import io
import signal
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

import grpc

from policy.audit import AuditTornTailError, log_files, read_chain
from service.api import residency_pb2_grpc
from service.cli import main
from service.commands import EXIT_OK
from tests.conftest import request
from tests.processes import SidecarProcess

CLIENTS = 16
CALLS = 600
KILL_AFTER_ANSWERS = 40


def prompt(i: int) -> str:
    # Distinct prompts, so that detection runs for each and calls overlap in the server.
    return f"Ticket {i}: please email customer{i}@example.com about invoice {1000 + i}"


def test_kill_9_mid_load_keeps_every_answered_decision(tmp_path):
    log = tmp_path / "audit" / "audit.jsonl"  # audit.fsync is "always" by default
    answered: list[str] = []
    killed = threading.Event()

    with SidecarProcess(tmp_path, "--audit-log", str(log)) as sidecar, sidecar.channel() as channel:
        stub = residency_pb2_grpc.ResidencyStub(channel)

        def call(i: int) -> str | None:
            if killed.is_set():
                return None  # skip the rest quickly
            try:
                return stub.Evaluate(request(prompt(i), jurisdiction="EU"), timeout=10).decision_id
            except grpc.RpcError:
                return None

        with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
            calls = [clients.submit(call, i) for i in range(CALLS)]
            for finished in as_completed(calls):
                if (decision_id := finished.result()) is not None:
                    answered.append(decision_id)
                if len(answered) >= KILL_AFTER_ANSWERS and not killed.is_set():
                    assert sidecar.kill() == -signal.SIGKILL  # mid-load: other calls are in flight
                    killed.set()

    assert killed.is_set(), "the sidecar answered too few calls before the load ended"
    out, err = io.StringIO(), io.StringIO()
    assert main(["audit", "verify", str(log)], out, err) == EXIT_OK, out.getvalue() + err.getvalue()
    torn = not log.read_bytes().endswith(b"\n")
    assert ("torn    " in out.getvalue()) == torn

    logged: list[str] = []
    try:
        logged.extend(record["decision_id"] for record in read_chain(log_files(log)))
    except AuditTornTailError:
        assert torn
    assert f": {len(logged)} records in 1 file verified" in out.getvalue()
    assert len(logged) == len(set(logged))
    assert set(answered) <= set(logged)
