"""Planted values never reach the audit log, the logs, the server's output or any file the run wrote.

Also: the sidecar process opens no connection except its own listener.
"""

from __future__ import annotations

import logging
from pathlib import Path

import grpc
import pytest

from policy.detect import Message
from service.api import residency_pb2 as A
from service.api import residency_pb2_grpc
from tests.conftest import OUTBOUND_ATTEMPTS, request
from tests.processes import SidecarProcess

PLANTED = {
    "name": "Wilhelmina Quackenbush",
    "card": "4111 1111 1111 1111",
    "email": "zorblax.quint@example.org",
    "aws_key": "AKIAIOSFODNN7EXAMPLE",
    "iban": "DE89370400440532013000",
    "ssn": "536-22-8726",
}
PROMPT = (
    f"Hi, I am {PLANTED['name']}, card {PLANTED['card']}, mail {PLANTED['email']}, "
    f"key {PLANTED['aws_key']}, IBAN {PLANTED['iban']}, SSN {PLANTED['ssn']}."
)


class LeakyDetector:
    """A test double: a detector whose exception message quotes the prompt, as careless libraries do."""

    def detect(self, messages, scope=""):
        raise ValueError(f"cannot parse {messages[0].content!r}")


def planted_in(text: str) -> list[str]:
    return [name for name, value in PLANTED.items() if value in text]


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def send_planted(stub) -> list:
    """Every kind of call: routed, redacted, rejected. Returns the decisions."""
    decisions = [
        stub.Evaluate(request(PROMPT, jurisdiction=j, include_redacted=True, request_id=f"r-{j}"))
        for j in ("EU", "US", "")
    ]
    decisions.append(stub.Evaluate(request(f"mail {PLANTED['email']}", tenant="acme-redact", jurisdiction="US")))
    bad = request(PROMPT)
    bad.messages[0].role = "robot"
    with pytest.raises(grpc.RpcError):
        stub.Evaluate(bad)
    return decisions


def test_planted_values_stay_out_of_logs_and_files(start_sidecar, settings, tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    running = start_sidecar(settings)
    leaky = start_sidecar(settings, detector=LeakyDetector(), audit=running.sidecar._audit_log)

    decisions = send_planted(running.stub)
    leaky_decision = leaky.stub.Evaluate(request(PROMPT))

    assert leaky_decision.fallback and leaky_decision.target.name == "local"
    assert decisions[-1].action == A.REDACT
    # The redacted copies go back to the caller without the values.
    for decision in decisions:
        for message in decision.redacted_messages:
            assert planted_in(message.content) == [], message.content
    written = files_under(tmp_path)
    assert settings.audit.path in written
    for path in written:
        assert planted_in(path.read_text(encoding="utf-8", errors="replace")) == [], path
    out, err = capfd.readouterr()
    assert planted_in(out + err) == []
    assert planted_in(caplog.text) == []
    assert planted_in(repr([r.__dict__ for r in caplog.records])) == []


def test_detection_needs_no_network(detector):
    before = len(OUTBOUND_ATTEMPTS)

    findings = detector.detect([Message("user", f"write to {PLANTED['email']} or visit example.co.uk")])

    assert {"EMAIL_ADDRESS"} <= {f.entity_type for f in findings}
    assert OUTBOUND_ATTEMPTS[before:] == []


def test_sidecar_process_end_to_end(tmp_path):
    with SidecarProcess(tmp_path) as process:
        with process.channel() as channel:
            decisions = send_planted(residency_pb2_grpc.ResidencyStub(channel))

    assert process.returncode == 0
    assert [d.target.name for d in decisions[:3]] == ["local", "local", "local"]
    assert len(process.audit_path.read_text().splitlines()) == len(decisions)
    assert "OUTBOUND-CONNECT" not in process.stderr()
    for path in files_under(tmp_path):
        assert planted_in(path.read_text(encoding="utf-8", errors="replace")) == [], path
