"""Shared fixtures: a clean environment, a network guard, the real detector and a sidecar on loopback."""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from policy.detect import PresidioDetector
from service.api import residency_pb2, residency_pb2_grpc
from service.config import Settings, load_settings
from service.server import Sidecar

REPO = Path(__file__).resolve().parent.parent
SHIPPED_POLICY = REPO / "rego"

# Every outbound connection this test process attempts that is not to loopback or a unix socket.
OUTBOUND_ATTEMPTS: list[str] = []


def _guard_network(event: str, args: tuple) -> None:
    if event != "socket.connect":
        return
    address = args[1]
    if not isinstance(address, tuple):
        return  # unix socket
    host = str(address[0])
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        if host == "localhost":
            return
    OUTBOUND_ATTEMPTS.append(host)
    raise ConnectionRefusedError(f"tests may not open network connections (to {host})")


sys.addaudithook(_guard_network)


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("RESIDENCY_"):
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def detector() -> PresidioDetector:
    """The real Presidio + spaCy detector, loaded once for the whole run."""
    return PresidioDetector.load()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    base = load_settings(environ={}, overrides={"listen": "127.0.0.1:0", "audit.path": str(tmp_path / "audit.jsonl")})
    return replace(base, server=replace(base.server, grace_s=1.0))


class RunningSidecar:
    def __init__(self, sidecar: Sidecar) -> None:
        self.sidecar = sidecar
        self.channel = grpc.insecure_channel(f"127.0.0.1:{sidecar.port}")
        self.stub = residency_pb2_grpc.ResidencyStub(self.channel)

    @property
    def audit_path(self) -> Path:
        return self.sidecar.settings.audit.path

    def audit_lines(self) -> list[str]:
        path = self.audit_path
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def close(self) -> None:
        self.channel.close()
        self.sidecar.stop(1.0)


@pytest.fixture
def start_sidecar(detector: PresidioDetector) -> Iterator:
    """Start a real sidecar on a loopback port: start_sidecar(settings, detector=…, audit=…)."""
    running: list[RunningSidecar] = []

    def start(settings: Settings, **inject) -> RunningSidecar:
        inject.setdefault("detector", detector)  # the shared one, unless the test passes its own (or None)
        sidecar = Sidecar(settings, **inject)
        sidecar.start()
        sidecar.load()
        running.append(RunningSidecar(sidecar))
        return running[-1]

    yield start
    for item in running:
        item.close()


@pytest.fixture
def sidecar(start_sidecar, settings: Settings) -> RunningSidecar:
    """A sidecar with the shipped policy, the real detector and an audit log in tmp_path."""
    return start_sidecar(settings)


def request(text: str, *, jurisdiction: str = "EU", target: str = "hosted-us", tenant: str = "acme", **fields):
    """An EvaluateRequest with one user message."""
    return residency_pb2.EvaluateRequest(
        caller=residency_pb2.Caller(service="tests", tenant=tenant, jurisdiction=jurisdiction),
        requested_target=target,
        messages=[residency_pb2.Message(role="user", content=text)],
        **fields,
    )
