"""SIGTERM under load: in-flight calls finish, and every answered decision is in the audit log."""

from __future__ import annotations

import json
import threading

import grpc

from policy.audit import verify
from service.api import residency_pb2_grpc
from tests.conftest import request
from tests.processes import SidecarProcess


def test_sigterm_under_load_loses_no_answered_decision(tmp_path):
    answered: list[str] = []
    refused: list[grpc.StatusCode] = []
    lock = threading.Lock()
    stop = threading.Event()

    with SidecarProcess(tmp_path) as sidecar:

        def client(number: int) -> None:
            with sidecar.channel() as channel:
                stub = residency_pb2_grpc.ResidencyStub(channel)
                turn = 0
                while not stop.is_set() and turn < 500:
                    turn += 1
                    try:
                        decision = stub.Evaluate(request(f"Email j{number}.{turn}@example.com now"), timeout=10)
                    except grpc.RpcError as error:
                        with lock:
                            refused.append(error.code())
                        return
                    with lock:
                        answered.append(decision.decision_id)

        clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for c in clients:
            c.start()
        while len(answered) < 40:
            threading.Event().wait(0.05)
        code = sidecar.terminate()
        stop.set()
        for c in clients:
            c.join(timeout=30)

    logged = {json.loads(line)["decision_id"] for line in sidecar.audit_path.read_text().splitlines()}
    assert code == 0
    assert set(answered) <= logged
    # New calls after SIGTERM are refused; a call still running when the grace period ends is cancelled.
    assert set(refused) <= {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED}, refused
    report = verify(sidecar.audit_path)
    assert report.ok and not report.torn_tail
    print(f"answered={len(answered)} logged={len(logged)} refused_after_sigterm={len(refused)}")
