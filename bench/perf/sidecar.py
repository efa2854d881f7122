"""`residency serve` as a subprocess for the benchmark, and what it costs the machine.

    Sidecar(...).start()    free loopback port, audit log in a temp dir, `residency serve` ─▶ pid
          .wait_serving()   grpc.health.v1 Check until SERVING (or the process exits)
          .stop()           SIGTERM, wait, exit code
    TreeSampler(pid)        a thread: every 0.1 s, VmRSS/VmHWM of the process and all its
                            descendants (/proc/<pid>/status), Pss every second (smaps_rollup)
    tree_cpu_seconds(pid)   utime + stime of the live process tree (/proc/<pid>/stat)

Only loopback: the sidecar listens on 127.0.0.1 and the benchmark connects there.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

REPO = Path(__file__).resolve().parents[2]
_CLK_TCK = os.sysconf("SC_CLK_TCK")
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command() -> list[str]:
    """The `residency serve` of this environment: the venv's entry point, else the CLI module."""
    script = Path(sys.executable).with_name("residency")
    if script.is_file():
        return [str(script), "serve"]
    return [sys.executable, "-c", "import sys; from service.cli import main; sys.exit(main(sys.argv[1:]))", "serve"]


def serve_flags() -> set[str]:
    """The long options `residency serve --help` offers, so the benchmark passes only those."""
    out = subprocess.run([*serve_command(), "--help"], capture_output=True, text=True, timeout=60, cwd=REPO)
    return set(re.findall(r"(--[a-z][a-z0-9-]*)", out.stdout))


@dataclass
class Sidecar:
    port: int = 0
    extra_args: list[str] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)
    workdir: Path | None = None
    process: subprocess.Popen | None = None
    command: list[str] = field(default_factory=list)

    def start(self) -> int:
        self.port = self.port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="residency-bench-"))
        (self.workdir / "audit").mkdir()
        self.command = [
            *serve_command(),
            "--port",
            str(self.port),
            "--audit-log",
            str(self.audit_dir / "audit.jsonl"),
            *self.extra_args,
        ]
        env = dict(os.environ)
        env.update(self.extra_env)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
        self._stdout = open(self.workdir / "stdout.txt", "wb")
        self._stderr = open(self.workdir / "stderr.txt", "wb")
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            self.command, cwd=self.workdir, env=env, stdout=self._stdout, stderr=self._stderr
        )
        return self.process.pid

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def audit_dir(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "audit"

    def audit_lines(self) -> int:
        total = 0
        for path in self.audit_dir.rglob("*"):
            if path.is_file():
                with open(path, "rb") as f:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        return total

    def stderr_tail(self, lines: int = 30) -> str:
        assert self.workdir is not None
        text = (self.workdir / "stderr.txt").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def wait_serving(self, timeout_s: float = 180) -> float:
        """Seconds from start() until the health service said SERVING; raises RuntimeError otherwise."""
        assert self.process is not None
        started = self.started_at
        with grpc.insecure_channel(self.address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            while time.monotonic() - started < timeout_s:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"sidecar exited with {self.process.returncode} during start-up:\n{self.stderr_tail()}"
                    )
                try:
                    status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1).status
                    if status == health_pb2.HealthCheckResponse.SERVING:
                        return time.monotonic() - started
                except grpc.RpcError:
                    pass
                time.sleep(0.2)
        raise RuntimeError(f"sidecar did not report SERVING within {timeout_s:.0f} s:\n{self.stderr_tail()}")

    def stop(self, timeout_s: float = 60) -> int | None:
        """SIGTERM and wait; returns the exit code (None when it had to be killed)."""
        code = None
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                code = self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                code = None
        elif self.process is not None:
            code = self.process.returncode
        for f in (getattr(self, "_stdout", None), getattr(self, "_stderr", None)):
            if f is not None:
                f.close()
        return code

    def cleanup(self) -> None:
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)


# ---------------------------------------------------------------------------
# The process tree: memory and CPU
# ---------------------------------------------------------------------------


def tree_pids(root: int) -> list[int]:
    """root and all its descendants that are alive now."""
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        pids.append(pid)
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
            except OSError:
                pass
    return pids


def _status_kb(pid: int) -> dict[str, int]:
    values = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    values[key] = int(value.split()[0])
    except OSError:
        pass
    return values


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_cpu_seconds(root: int) -> float:
    """utime + stime of the live tree, plus what its waited-for children used (cutime, cstime)."""
    total = 0
    for pid in tree_pids(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            # fields[0] is the state (field 3): utime/stime/cutime/cstime are fields 14-17
            total += sum(int(v) for v in fields[11:15])
        except (OSError, IndexError, ValueError):
            pass
    return total / _CLK_TCK


class TreeSampler(threading.Thread):
    """Samples the sidecar's process tree; `window()` gives the peaks since the last call."""

    def __init__(self, root: int, interval_s: float = 0.1, pss_every: int = 10) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.root = root
        self.interval_s = interval_s
        self.pss_every = pss_every
        self._stop_event = threading.Event()
        self._lock = threading.Lock()
        self.hwm_kb: dict[int, int] = {}  # per pid ever seen: its VmHWM (kept after it exits)
        self.max_processes = 0
        self._window_rss_kb = 0
        self._window_pss_kb = 0
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.samples = 0

    def run(self) -> None:
        n = 0
        while not self._stop_event.is_set():
            self.sample(with_pss=n % self.pss_every == 0)
            n += 1
            self._stop_event.wait(self.interval_s)

    def sample(self, with_pss: bool = True) -> None:
        pids = tree_pids(self.root)
        rss = 0
        pss = 0
        with self._lock:
            for pid in pids:
                status = _status_kb(pid)
                rss += status.get("VmRSS", 0)
                if "VmHWM" in status:
                    self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), status["VmHWM"])
                if with_pss:
                    pss += _pss_kb(pid)
            self.samples += 1
            self.max_processes = max(self.max_processes, len(pids))
            self._window_rss_kb = max(self._window_rss_kb, rss)
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            if with_pss:
                self._window_pss_kb = max(self._window_pss_kb, pss)
                self.peak_pss_kb = max(self.peak_pss_kb, pss)

    def window(self) -> dict[str, float]:
        """Peaks (MB) since the previous call: sampled sum of VmRSS and of Pss, and the sum of VmHWM so far."""
        self.sample(with_pss=True)
        with self._lock:
            out = {
                "rss_mb": self._window_rss_kb / 1024,
                "pss_mb": self._window_pss_kb / 1024,
                "hwm_sum_mb": sum(self.hwm_kb.values()) / 1024,
                "processes": self.max_processes,
            }
            self._window_rss_kb = 0
            self._window_pss_kb = 0
        return out

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)
