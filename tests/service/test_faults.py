"""Every fault gives the fail-closed fallback, never an external target; a lost audit write fails the call."""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from policy.audit import AuditWriteError
from policy.errors import DetectionError
from service.api import residency_pb2 as A
from tests.conftest import SHIPPED_POLICY, request

CARD = "My card is 4111 1111 1111 1111"


class RaisingDetector:
    """A test double: a detector whose recognizer blows up."""

    def detect(self, messages, scope=""):
        raise RuntimeError("recognizer exploded")


class HangingDetector:
    """A test double: a detector that never answers until the test releases it."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def detect(self, messages, scope=""):
        self.release.wait(30)
        return []


class FailingAuditSink:
    """A test double: an audit log whose disk is full."""

    def append(self, record):
        raise AuditWriteError("write failed: [Errno 28] No space left on device")


def bundle_with(tmp_path: Path, fault_rules: str) -> Path:
    """The shipped data with a policy that is sound on every input but those labelled trigger=fault.

    Such a policy passes the gates a bundle must pass before it serves (its tests and the
    decision contract), as a subtly wrong policy would; the faults show up on live traffic.
    """
    root = tmp_path / "bundle"
    root.mkdir()
    shutil.copy(SHIPPED_POLICY / "data.json", root / "data.json")
    (root / "decision.rego").write_text(
        "package residency\n\nimport rego.v1\n\n"
        'triggered if input.request.labels.trigger == "fault"\n\n'
        'decision := {"action": "route_self_hosted", "target": "local", "reasons": ["sound"], "redact": []} '
        "if not triggered\n\n" + fault_rules + "\n"
    )
    return root


def faulty(text: str = CARD):
    return request(text, labels={"trigger": "fault"})


def with_policy(settings, path: Path, **policy_fields):
    return replace(settings, policy=replace(settings.policy, path=str(path), **policy_fields))


def assert_fallback(decision, reason_fragment: str, *, action=A.ROUTE_SELF_HOSTED, target="local"):
    assert decision.fallback, decision.reasons
    assert reason_fragment in decision.fallback_reason
    assert decision.action == action
    assert decision.target.name == target
    if target:
        assert decision.target.self_hosted


POLICY_FAULTS = [
    pytest.param('decision := {"action": "allow_external", "target": "hosted-us", "n": to_number("x")} if triggered',
                 "policy_error: data.residency.decision: decision.rego:", id="runtime-error"),
    pytest.param('decision := {"action": "allow_external", "target": "hosted-us"} if { triggered; input.nothing }',
                 "undefined", id="undefined-decision"),
    pytest.param('decision := {"action": "send_anywhere", "target": "hosted-us"} if triggered',
                 "unknown action 'send_anywhere'", id="unknown-action"),
    pytest.param('decision := {"action": "allow_external", "target": "hosted-mars"} if triggered',
                 "unknown target 'hosted-mars'", id="unknown-target"),
    pytest.param('decision := {"action": "route_self_hosted", "target": "hosted-us"} if triggered',
                 "route_self_hosted names external target 'hosted-us'", id="self-hosted-action-external-target"),
    pytest.param('decision := {"action": "allow_external", "target": "hosted-us", "reasons": ["yolo"]} if triggered',
                 "would carry PCI data", id="policy-sends-card-to-hosted-us"),
    pytest.param('decision := {"action": "redact", "target": "hosted-us", "redact": ["EMAIL_ADDRESS"]} if triggered',
                 "would carry PCI data", id="policy-redacts-something-else-and-sends-card"),
    pytest.param('decision := "allow" if triggered', "must be an object", id="not-an-object"),
    pytest.param('decision := {"action": "allow_external", "target": "hosted-us", "redact": ["CREDIT_CARD", '
                 '"PERSON"]} if triggered', "redacts nothing", id="allow-external-claims-a-redaction"),
    pytest.param('decision := {"action": "allow_external", "target": "hosted-us", "x": {1: "a", "b": 2}} '
                 "if triggered", "JSON document", id="result-the-audit-log-cannot-record"),
]


@pytest.mark.parametrize(("rego", "reason"), POLICY_FAULTS)
def test_policy_fault_falls_back_to_self_hosted(start_sidecar, settings, tmp_path, rego, reason):
    running = start_sidecar(with_policy(settings, bundle_with(tmp_path, rego)))

    decision = running.stub.Evaluate(faulty())

    assert_fallback(decision, reason)
    record = json.loads(running.audit_lines()[-1])
    assert record["fallback"] is True and record["fallback_reason"] == decision.fallback_reason
    assert record["result"]["target"] == "local"


def test_without_fallback_target_a_fault_denies(start_sidecar, settings, tmp_path):
    rego = 'decision := {"action": "allow_external", "target": "hosted-mars"} if triggered'
    running = start_sidecar(with_policy(settings, bundle_with(tmp_path, rego), fallback_target=""))

    decision = running.stub.Evaluate(faulty("Explain the CAP theorem"))

    assert_fallback(decision, "unknown target", action=A.DENY, target="")


def test_policy_timeout_falls_back(start_sidecar, settings):
    running = start_sidecar(replace(settings, policy=replace(settings.policy, timeout_s=1e-9)))

    decision = running.stub.Evaluate(request("Explain the CAP theorem"))

    assert_fallback(decision, "policy evaluation timed out")


def test_detector_error_falls_back(start_sidecar, settings):
    running = start_sidecar(settings, detector=RaisingDetector())

    decision = running.stub.Evaluate(request("Explain the CAP theorem"))

    assert_fallback(decision, "detector failed: RuntimeError")
    record = json.loads(running.audit_lines()[-1])
    assert record["input"]["detection"] == {"complete": False}
    assert record["policy_result"] is None


def test_detection_error_message_is_kept(start_sidecar, settings):
    class TypedFailure:
        """A test double: a detector that reports its own DetectionError."""

        def detect(self, messages, scope=""):
            raise DetectionError("detector failed: ValueError")

    running = start_sidecar(settings, detector=TypedFailure())

    assert_fallback(running.stub.Evaluate(request("hi")), "detector failed: ValueError")


def test_detector_hang_falls_back_after_timeout(start_sidecar, settings):
    hanging = HangingDetector()
    running = start_sidecar(replace(settings, detection=replace(settings.detection, timeout_s=0.2)), detector=hanging)
    try:
        decision = running.stub.Evaluate(request("Explain the CAP theorem"))
    finally:
        hanging.release.set()

    assert_fallback(decision, "detection timed out")


def test_client_deadline_bounds_detection(start_sidecar, settings):
    hanging = HangingDetector()
    running = start_sidecar(settings, detector=hanging)  # detection.timeout_s stays 5 s
    try:
        decision = running.stub.Evaluate(request("Explain the CAP theorem"), timeout=1.0)
    finally:
        hanging.release.set()

    assert_fallback(decision, "detection timed out")


def test_failed_audit_write_fails_the_call(start_sidecar, settings):
    running = start_sidecar(settings, audit=FailingAuditSink())

    with pytest.raises(grpc.RpcError) as error:
        running.stub.Evaluate(request("Explain the CAP theorem"))

    assert error.value.code() == grpc.StatusCode.INTERNAL
    assert "do not send the prompt" in error.value.details()


def test_broken_policy_does_not_start(settings, tmp_path, detector):
    from policy.errors import PolicyLoadError
    from service.server import Sidecar

    sidecar = Sidecar(with_policy(settings, bundle_with(tmp_path, "broken := {")), detector=detector)
    sidecar.start()
    try:
        with pytest.raises(PolicyLoadError, match=r"decision.rego:\d+:\d+"):
            sidecar.load()
    finally:
        sidecar.stop(0)


def test_fallback_target_must_be_self_hosted(settings, detector):
    from policy.errors import PolicyLoadError
    from service.server import Sidecar

    sidecar = Sidecar(with_policy(settings, SHIPPED_POLICY, fallback_target="hosted-us"), detector=detector)
    sidecar.start()
    try:
        with pytest.raises(PolicyLoadError, match="hosted-us"):
            sidecar.load()
    finally:
        sidecar.stop(0)


def test_a_torn_audit_tail_is_kept_aside_and_the_chain_continues(start_sidecar, settings):
    from policy.audit import verify

    first = start_sidecar(settings)
    first.stub.Evaluate(request("Explain the CAP theorem"))
    first.close()
    with open(settings.audit.path, "ab") as log:
        log.write(b'{"decision_id":"cut-sh')  # a crash in the middle of a write

    second = start_sidecar(settings)
    second.stub.Evaluate(request("Explain the CAP theorem"))

    [evidence] = settings.audit.path.parent.glob("audit.jsonl.torn-*")
    assert evidence.read_bytes() == b'{"decision_id":"cut-sh'
    report = verify(settings.audit.path)
    assert report.ok and report.records == 2 and not report.torn_tail
