"""Under concurrent load: no errors, one audit record per answered request, and a clear limit."""

from __future__ import annotations

import json
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import grpc
import pytest

from policy.audit import verify
from service.api import residency_pb2 as A
from service.config import MetricsSettings
from tests.conftest import request
from tests.service.test_faults import HangingDetector

PROMPTS = [
    ("Explain the CAP theorem", A.ALLOW_EXTERNAL),
    ("My card is 4111 1111 1111 1111", A.ROUTE_SELF_HOSTED),
    ("Email jane.doe@example.com about the invoice", A.ALLOW_EXTERNAL),
]


@pytest.fixture(params=[0, 2], ids=["in-process-detection", "two-detection-workers"])
def loaded_sidecar(request, start_sidecar, settings):
    detection = replace(settings.detection, workers=request.param)
    # detector=None: the sidecar builds its own, in-process or in worker processes.
    return start_sidecar(replace(settings, detection=detection), detector=None)


def test_concurrent_clients(loaded_sidecar):
    sidecar = loaded_sidecar
    clients, per_client = 16, 10

    def client(number: int) -> list[str]:
        ids = []
        with grpc.insecure_channel(f"127.0.0.1:{sidecar.sidecar.port}") as channel:
            from service.api import residency_pb2_grpc

            stub = residency_pb2_grpc.ResidencyStub(channel)
            for i in range(per_client):
                text, action = PROMPTS[(number + i) % len(PROMPTS)]
                decision = stub.Evaluate(request(f"{text} (client {number}, turn {i})"), timeout=30)
                assert decision.action == action and not decision.fallback
                ids.append(decision.decision_id)
        return ids

    with ThreadPoolExecutor(max_workers=clients) as pool:
        answered = [i for ids in pool.map(client, range(clients)) for i in ids]

    records = [json.loads(line) for line in sidecar.audit_lines()]
    assert len(answered) == clients * per_client
    assert sorted(r["decision_id"] for r in records) == sorted(answered)
    assert verify(sidecar.audit_path).ok


def test_saturated_sidecar_answers_resource_exhausted(start_sidecar, settings):
    hanging = HangingDetector()
    running = start_sidecar(replace(settings, limits=replace(settings.limits, max_concurrent=2)), detector=hanging)
    first_two = [running.stub.Evaluate.future(request("one")), running.stub.Evaluate.future(request("two"))]
    try:
        threading.Event().wait(0.3)  # let both reach the handler
        with pytest.raises(grpc.RpcError) as error:
            running.stub.Evaluate(request("three"), timeout=5)
    finally:
        hanging.release.set()

    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert all(f.result(timeout=10).action for f in first_two)


def test_metrics_endpoint(start_sidecar, settings):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    running = start_sidecar(replace(settings, metrics=MetricsSettings(listen=f"127.0.0.1:{port}")))
    running.stub.Evaluate(request("My card is 4111 1111 1111 1111"))
    running.stub.Evaluate(request("Explain the CAP theorem"))
    with pytest.raises(grpc.RpcError):
        running.stub.Evaluate(A.EvaluateRequest())

    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()

    assert 'residency_decisions_total{action="route_self_hosted",fallback="",target="local"} 1.0' in text
    assert 'residency_decisions_total{action="allow_external",fallback="",target="hosted-us"} 1.0' in text
    assert 'residency_rejected_requests_total{code="INVALID_ARGUMENT"} 1.0' in text
    assert "residency_detect_seconds_bucket" in text and "residency_policy_seconds_count" in text
    assert f'residency_policy_revision_info{{revision="{running.sidecar.policy_store.current().revision}"}} 1.0' in text
    assert 'residency_detection_cache_lookups_total{result="miss"}' in text
