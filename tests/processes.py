"""`residency serve` as a real child process, for tests that need signals, kill -9 or a clean environment.

The child runs with an audit hook that reports (on stderr) and refuses every outbound
connection that is not to loopback, and with HOME, caches and TMPDIR inside the test's
tmp_path, so every file it writes can be searched.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.conftest import REPO

SERVE_SCRIPT = """
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SidecarProcess:
    """Start on enter (waits for SERVING), SIGTERM and wait on exit."""

    def __init__(self, root: Path, *extra_args: str, startup_timeout_s: float = 120) -> None:
        self.root = root
        self.port = free_port()
        self.workdir = root / "work"
        self.audit_path = self.workdir / "residency-audit.jsonl"
        self._args = ["serve", "--port", str(self.port), *extra_args]
        self._startup_timeout_s = startup_timeout_s
        self.returncode: int | None = None

    def __enter__(self) -> SidecarProcess:
        for folder in ("home", "cache", "tmp", "work"):
            (self.root / folder).mkdir(exist_ok=True)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.root / "home"),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "TMPDIR": str(self.root / "tmp"),
            "PYTHONPATH": str(REPO),
        }
        self._stdout = open(self.root / "stdout.txt", "w")
        self._stderr = open(self.root / "stderr.txt", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE_SCRIPT, *self._args],
            cwd=self.workdir, env=env, stdout=self._stdout, stderr=self._stderr,
        )
        try:
            self._wait_serving()
        except BaseException:
            self.kill()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            self.terminate()
        self._stdout.close()
        self._stderr.close()

    def channel(self) -> grpc.Channel:
        return grpc.insecure_channel(f"127.0.0.1:{self.port}")

    def terminate(self, timeout_s: float = 60) -> int:
        self.process.send_signal(signal.SIGTERM)
        self.returncode = self.process.wait(timeout=timeout_s)
        return self.returncode

    def kill(self) -> int:
        self.process.kill()
        self.returncode = self.process.wait(timeout=30)
        return self.returncode

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return (self.root / "stderr.txt").read_text()

    def _wait_serving(self) -> None:
        with self.channel() as channel:
            health = health_pb2_grpc.HealthStub(channel)
            deadline = time.monotonic() + self._startup_timeout_s
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(f"sidecar exited during start-up:\n{self.stderr()[-2000:]}")
                try:
                    status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1).status
                    if status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.RpcError:
                    pass
                time.sleep(0.2)
        raise AssertionError("sidecar did not report SERVING in time")
