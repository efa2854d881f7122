"""Planted values never reach the audit log, the logs, the server's output or any file the run wrote.

Also: the sidecar process opens no connection except its own listener.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from policy.detect import Message
from service.api import residency_pb2 as A
from service.api import residency_pb2_grpc
from tests.conftest import REPO, OUTBOUND_ATTEMPTS, request

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

    def detect(self, messages):
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


# Runs `residency serve` as its own process, with an audit hook that reports every
# outbound connection the sidecar attempts. HOME and caches point into tmp_path, so
# every file the process writes is searched.
_SERVE = """
import ipaddress, sys
def hook(event, args):
    if event == "socket.connect" and isinstance(args[1], tuple):
        host = str(args[1][0])
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            print("OUTBOUND-CONNECT", host, file=sys.stderr, flush=True)
            raise ConnectionRefusedError(host)
sys.addaudithook(hook)
from service.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_serving(channel: grpc.Channel, process: subprocess.Popen, timeout_s: float = 120) -> None:
    health = health_pb2_grpc.HealthStub(channel)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "sidecar exited during start-up"
        try:
            status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1).status
            if status == health_pb2.HealthCheckResponse.SERVING:
                return
        except grpc.RpcError:
            pass
        time.sleep(0.2)
    raise AssertionError("sidecar did not report SERVING in time")


def test_sidecar_process_end_to_end(tmp_path):
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHONPATH": str(REPO),
    }
    for folder in ("home", "cache", "tmp"):
        (tmp_path / folder).mkdir()
    workdir = tmp_path / "work"
    workdir.mkdir()
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", _SERVE, "serve", "--port", str(port)],
            cwd=workdir, env=env, stdout=stdout, stderr=stderr,
        )
        try:
            with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
                _wait_serving(channel, process)
                decisions = send_planted(residency_pb2_grpc.ResidencyStub(channel))
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)

    assert code == 0
    assert [d.target.name for d in decisions[:3]] == ["local", "local", "local"]
    audit = workdir / "residency-audit.jsonl"
    assert len(audit.read_text().splitlines()) == len(decisions)
    log_text = err.read_text()
    assert "OUTBOUND-CONNECT" not in log_text
    for path in files_under(tmp_path):
        assert planted_in(path.read_text(encoding="utf-8", errors="replace")) == [], path
