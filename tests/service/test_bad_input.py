"""Bad requests get a status a developer can act on, and no decision (nothing is audited)."""

from __future__ import annotations

from dataclasses import replace

import grpc
import pytest

from service.api import residency_pb2 as A
from tests.conftest import request


def _without_caller():
    req = request("hello")
    req.ClearField("caller")
    return req


def _with_role(role: str):
    req = request("hello")
    req.messages[0].role = role
    return req


def _with_messages(count: int):
    req = request("hello")
    req.messages.extend(A.Message(role="user", content="more") for _ in range(count - 1))
    return req


def _with_chunks(character: str, count: int):
    """`count` messages of 200,000 characters each: within the per-message limit."""
    req = request(character * 200_000)
    req.messages.extend(A.Message(role="user", content=character * 200_000) for _ in range(count - 1))
    return req


CASES = [
    pytest.param(A.EvaluateRequest(caller=A.Caller(service="s", tenant="t")), grpc.StatusCode.INVALID_ARGUMENT,
                 "messages is empty", id="no-messages"),
    pytest.param(_with_role(""), grpc.StatusCode.INVALID_ARGUMENT, "messages[0].role is empty", id="empty-role"),
    pytest.param(_with_role("robot"), grpc.StatusCode.INVALID_ARGUMENT, "messages[0].role is not one of",
                 id="unknown-role"),
    pytest.param(_without_caller(), grpc.StatusCode.INVALID_ARGUMENT, "caller is required", id="missing-caller"),
    pytest.param(request("hello", tenant=""), grpc.StatusCode.INVALID_ARGUMENT, "caller.tenant is required",
                 id="missing-tenant"),
    pytest.param(request("hello", jurisdiction="Europe"), grpc.StatusCode.INVALID_ARGUMENT,
                 "caller.jurisdiction must be", id="bad-jurisdiction"),
    pytest.param(request("hello", request_id="x" * 300), grpc.StatusCode.INVALID_ARGUMENT,
                 "request_id is longer than", id="long-request-id"),
    pytest.param(request("hello", target="a\nb"), grpc.StatusCode.INVALID_ARGUMENT,
                 "requested_target contains control characters", id="control-chars-in-target"),
    pytest.param(_with_chunks("x", 6), grpc.StatusCode.RESOURCE_EXHAUSTED,
                 "over the limit of 1048576 (limits.max_request_text_bytes)", id="over-1-MiB"),
    pytest.param(_with_chunks("é", 3), grpc.StatusCode.RESOURCE_EXHAUSTED,
                 "bytes of text, over the limit", id="over-1-MiB-in-utf8-bytes"),
    pytest.param(request("x" * 200_001), grpc.StatusCode.RESOURCE_EXHAUSTED,
                 "messages[0] has 200001 characters, over the limit of 200000 (limits.max_message_chars)",
                 id="message-over-max-chars"),
    pytest.param(_with_messages(257), grpc.StatusCode.RESOURCE_EXHAUSTED, "257 messages is over the limit of 256",
                 id="too-many-messages"),
    pytest.param(request("hello", labels={str(i): "v" for i in range(33)}), grpc.StatusCode.RESOURCE_EXHAUSTED,
                 "33 labels is over the limit of 32", id="too-many-labels"),
    pytest.param(request("hello", labels={"k": "v" * 300}), grpc.StatusCode.INVALID_ARGUMENT,
                 "at most 256 characters", id="long-label"),
]


@pytest.mark.parametrize(("req", "code", "message"), CASES)
def test_bad_request_gets_status_and_no_decision(sidecar, req, code, message):
    with pytest.raises(grpc.RpcError) as error:
        sidecar.stub.Evaluate(req)

    assert error.value.code() == code
    assert message in error.value.details()
    assert sidecar.audit_lines() == []


def test_request_far_over_transport_limit_is_refused_by_grpc(sidecar):
    with pytest.raises(grpc.RpcError) as error:
        sidecar.stub.Evaluate(request("x" * (3 * 1024 * 1024)))

    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert sidecar.audit_lines() == []


def test_limits_come_from_configuration(start_sidecar, settings):
    small = replace(settings, limits=replace(settings.limits, max_messages=2))
    running = start_sidecar(small)

    with pytest.raises(grpc.RpcError) as error:
        running.stub.Evaluate(_with_messages(3))

    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "limit of 2 (limits.max_messages)" in error.value.details()


def test_sidecar_keeps_serving_after_bad_requests(sidecar):
    for case in CASES[:4]:
        with pytest.raises(grpc.RpcError):
            sidecar.stub.Evaluate(case.values[0])

    assert sidecar.stub.Evaluate(request("Explain the CAP theorem")).action == A.ALLOW_EXTERNAL
