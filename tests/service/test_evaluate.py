"""The acceptance path over real gRPC on loopback: shipped policy, real Presidio + spaCy, real Rego."""

from __future__ import annotations

import json

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from policy.audit import verify
from service.api import residency_pb2
from tests.conftest import request

A = residency_pb2


@pytest.mark.parametrize(
    ("text", "jurisdiction", "action", "target"),
    [
        pytest.param("My card is 4111 1111 1111 1111", "EU", A.ROUTE_SELF_HOSTED, "local", id="eu-card-stays-local"),
        pytest.param("Email jane.doe@example.com about the invoice", "EU", A.ALLOW_EXTERNAL, "hosted-eu",
                     id="eu-email-rerouted-to-eu"),
        pytest.param("Email jane.doe@example.com about the invoice", "DE", A.ALLOW_EXTERNAL, "hosted-eu",
                     id="member-state-treated-as-eu"),
        pytest.param("Email jane.doe@example.com about the invoice", "US", A.ALLOW_EXTERNAL, "hosted-us",
                     id="us-email-goes-as-requested"),
        pytest.param("Email jane.doe@example.com about the invoice", "", A.ROUTE_SELF_HOSTED, "local",
                     id="unknown-jurisdiction-pii-stays-local"),
        pytest.param("Explain the CAP theorem", "EU", A.ALLOW_EXTERNAL, "hosted-us", id="clean-prompt-goes-out"),
        pytest.param("Use key AKIAIOSFODNN7EXAMPLE for the upload", "US", A.ROUTE_SELF_HOSTED, "local",
                     id="aws-key-stays-local"),
        pytest.param("My social security number is 536-22-8726", "US", A.ROUTE_SELF_HOSTED, "local", id="ssn-stays-local"),
    ],
)
def test_routes(sidecar, text, jurisdiction, action, target):
    decision = sidecar.stub.Evaluate(request(text, jurisdiction=jurisdiction))

    assert (decision.action, decision.target.name) == (action, target), decision.reasons
    assert decision.reasons and not decision.fallback
    assert decision.decision_id and decision.policy_revision.startswith("sha256:")


def test_eu_email_is_never_sent_to_hosted_us(sidecar):
    decision = sidecar.stub.Evaluate(request("Email jane.doe@example.com about the invoice", jurisdiction="EU"))

    assert decision.target.name != "hosted-us"
    assert ("EMAIL_ADDRESS", "PII", 6, 26) in [(f.entity_type, f.category, f.start, f.end) for f in decision.findings]


def test_target_details_come_from_policy_data(sidecar):
    decision = sidecar.stub.Evaluate(request("My card is 4111 1111 1111 1111"))

    assert decision.target.self_hosted is True
    assert decision.target.provider and decision.target.endpoint


def test_confidential_label_stays_local(sidecar):
    decision = sidecar.stub.Evaluate(request("Explain the CAP theorem", labels={"classification": "Confidential"}))

    assert (decision.action, decision.target.name) == (A.ROUTE_SELF_HOSTED, "local")


def test_unknown_target_is_denied(sidecar):
    decision = sidecar.stub.Evaluate(request("Explain the CAP theorem", target="hosted-mars"))

    assert decision.action == A.DENY
    assert not decision.HasField("target")


def test_redact_tenant_gets_redacted_messages(sidecar):
    text = "Write to jane.doe@example.com about the invoice"
    decision = sidecar.stub.Evaluate(request(text, tenant="acme-redact", jurisdiction="US"))

    assert decision.action == A.REDACT
    assert decision.target.name == "hosted-us"
    assert [m.content for m in decision.redacted_messages] == ["Write to <EMAIL_ADDRESS> about the invoice"]


def test_include_redacted_returns_redacted_copy(sidecar):
    decision = sidecar.stub.Evaluate(request("My card is 4111 1111 1111 1111", include_redacted=True))

    assert decision.action == A.ROUTE_SELF_HOSTED
    assert [m.content for m in decision.redacted_messages] == ["My card is <CREDIT_CARD>"]


def test_findings_report_each_message(sidecar):
    req = request("Explain the CAP theorem")
    req.messages.append(A.Message(role="assistant", content="Sure."))
    req.messages.append(A.Message(role="user", content="Now mail it to jane.doe@example.com"))

    decision = sidecar.stub.Evaluate(req)

    assert {(f.entity_type, f.message_index) for f in decision.findings if f.category == "PII"} == {
        ("EMAIL_ADDRESS", 2)
    }


def test_each_decision_is_one_audit_record(sidecar):
    texts = ["Explain the CAP theorem", "My card is 4111 1111 1111 1111", "Email jane.doe@example.com now"]
    decisions = [sidecar.stub.Evaluate(request(t, request_id=f"req-{i}")) for i, t in enumerate(texts)]

    records = [json.loads(line) for line in sidecar.audit_lines()]
    assert [r["decision_id"] for r in records] == [d.decision_id for d in decisions]
    assert [r["input"]["request"]["id"] for r in records] == ["req-0", "req-1", "req-2"]
    assert [r["result"]["target"] for r in records] == [d.target.name for d in decisions]
    assert {r["policy_revision"] for r in records} == {decisions[0].policy_revision}
    report = verify(sidecar.audit_path)
    assert report.ok and report.records == 3


def test_health_reports_serving(sidecar):
    health = health_pb2_grpc.HealthStub(sidecar.channel)
    for service in ("", "residency.v1.Residency"):
        status = health.Check(health_pb2.HealthCheckRequest(service=service)).status
        assert status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_services(sidecar):
    reflection = reflection_pb2_grpc.ServerReflectionStub(sidecar.channel)
    responses = reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = {s.name for r in responses for s in r.list_services_response.service}
    assert {"residency.v1.Residency", "grpc.health.v1.Health"} <= names


def test_not_ready_sidecar_answers_unavailable(settings, detector):
    from service.server import Sidecar

    sidecar = Sidecar(settings, detector=detector)
    sidecar.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{sidecar.port}") as channel:
            from service.api import residency_pb2_grpc

            with pytest.raises(grpc.RpcError) as error:
                residency_pb2_grpc.ResidencyStub(channel).Evaluate(request("hello"))
            health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""))
    finally:
        sidecar.stop(0)
    assert error.value.code() == grpc.StatusCode.UNAVAILABLE
    assert health.status == health_pb2.HealthCheckResponse.NOT_SERVING


def test_explain_shows_what_the_policy_saw(sidecar):
    from google.protobuf import json_format

    explanation = sidecar.stub.Explain(request("Email jane.doe@example.com about the invoice", request_id="x-1"))

    document = json_format.MessageToDict(explanation.input)
    result = json_format.MessageToDict(explanation.policy_result)
    assert explanation.decision.target.name == "hosted-eu"
    assert document["caller"]["jurisdiction"] == "EU"
    assert document["request"] == {"id": "x-1", "requested_target": "hosted-us", "labels": {},
                                   "message_count": 1.0}
    assert "EMAIL_ADDRESS" in document["summary"]["types"]
    assert result["action"] == "allow_external" and result["target"] == "hosted-eu"
    assert "jane.doe" not in str(document)
    record = json.loads(sidecar.audit_lines()[-1])
    assert record["decision_id"] == explanation.decision.decision_id


def test_explain_of_a_fallback_has_a_null_policy_result(start_sidecar, settings):
    from tests.service.test_faults import RaisingDetector

    running = start_sidecar(settings, detector=RaisingDetector())

    explanation = running.stub.Explain(request("hello"))

    assert explanation.decision.fallback
    assert explanation.policy_result.WhichOneof("kind") == "null_value"
