"""Break the sidecar on purpose and print what survived: load, kill -9 and SIGTERM, over loopback.

    python -m bench.soak [--clients 32] [--seconds 20] [--workers 0]

Three phases against a real `residency serve` (bench/perf/sidecar.py), each bounded in
time and count, traffic to 127.0.0.1 only:

    load      N clients for T seconds ─▶ requests, errors, p50/p99, audit records == answers
    kill -9   load, SIGKILL mid-flight, restart on the same log ─▶ the chain verifies up to a
              reported torn tail, and every answered decision is in the log
    SIGTERM   load, SIGTERM mid-flight ─▶ exit 0, every answered decision is in the log

Every answer is checked: a card number must never get an external target.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import threading
import time
from dataclasses import dataclass, field

import grpc

from bench.perf.sidecar import Sidecar
from policy.audit import log_chains, verify_chain
from service.api import residency_pb2 as pb
from service.api import residency_pb2_grpc

PROMPTS = [
    ("Explain the CAP theorem, turn {n}", False),
    ("My card is 4111 1111 1111 1111, order {n}", True),
    ("Email jane.doe{n}@example.com about the invoice", False),
    ("Deploy with key AKIAIOSFODNN7EXAMPLE (job {n})", True),
]


@dataclass
class Tally:
    answered: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    unsafe: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def load(address: str, clients: int, seconds: float, tally: Tally, stop: threading.Event) -> None:
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        with grpc.insecure_channel(address) as channel:
            stub = residency_pb2_grpc.ResidencyStub(channel)
            turn = 0
            while not stop.is_set() and time.monotonic() < deadline:
                turn += 1
                text, restricted = PROMPTS[(number + turn) % len(PROMPTS)]
                request = pb.EvaluateRequest(
                    caller=pb.Caller(service="soak", tenant="acme", jurisdiction="EU"),
                    requested_target="hosted-us",
                    messages=[pb.Message(role="user", content=text.format(n=f"{number}-{turn}"))],
                )
                started = time.perf_counter()
                try:
                    decision = stub.Evaluate(request, timeout=30)
                except grpc.RpcError as error:
                    with tally.lock:
                        tally.errors[error.code().name] = tally.errors.get(error.code().name, 0) + 1
                    if error.code() == grpc.StatusCode.UNAVAILABLE:
                        return  # the sidecar is gone or going
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                external = decision.target.name != "" and not decision.target.self_hosted
                with tally.lock:
                    tally.answered.append(decision.decision_id)
                    tally.latencies_ms.append(elapsed)
                    tally.unsafe += restricted and external

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def logged_ids(audit_dir) -> tuple[set[str], str]:
    ids: set[str] = set()
    report = []
    for chain in log_chains([str(audit_dir / "audit.jsonl")]):
        result = verify_chain(chain)
        report.append(f"{'ok' if result.ok else 'BROKEN'} records={result.records} torn_tail={result.torn_tail}")
        for path in chain:
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    try:
                        ids.add(json.loads(line)["decision_id"])
                    except (ValueError, KeyError):
                        pass  # the torn tail, reported above
    return ids, "; ".join(report)


def started(extra_args: list[str]) -> Sidecar:
    sidecar = Sidecar(extra_args=extra_args)
    sidecar.start()
    sidecar.wait_serving()
    return sidecar


def interrupted_load(sidecar: Sidecar, args: argparse.Namespace, interrupt) -> Tally:
    """Load the sidecar, call `interrupt` halfway through, and let the clients finish."""
    tally, stop = Tally(), threading.Event()
    loader = threading.Thread(target=load, args=(sidecar.address, args.clients, args.seconds, tally, stop))
    loader.start()
    time.sleep(args.seconds / 2)
    interrupt()
    stop.set()
    loader.join()
    return tally


def print_phase(name: str, tally: Tally, logged: set[str], chain: str, extra: str = "") -> bool:
    latencies = sorted(tally.latencies_ms)
    p50 = statistics.median(latencies) if latencies else 0.0
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else 0.0
    missing = len(set(tally.answered) - logged)
    print(
        f"{name:8} requests={len(tally.answered) + sum(tally.errors.values())} answered={len(tally.answered)} "
        f"errors={tally.errors or 0} records={len(logged)} answered_missing_from_log={missing} "
        f"unsafe={tally.unsafe} p50={p50:.1f}ms p99={p99:.1f}ms chain[{chain}]{extra}"
    )
    return missing == 0 and tally.unsafe == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=0, help="detection worker processes")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; clients={args.clients}, {args.seconds:.0f} s a phase")
    ok = True

    workers = ["--workers", str(args.workers)]

    loaded = started(workers)
    tally = Tally()
    load(loaded.address, args.clients, args.seconds, tally, threading.Event())
    code = loaded.stop()
    ok &= print_phase("load", tally, *logged_ids(loaded.audit_dir), f" exit={code}") and not tally.errors

    # kill -9 mid-load, then a restart on the same log must carry on the chain.
    killed = started(workers)
    tally = interrupted_load(killed, args, lambda: os.kill(killed.process.pid, signal.SIGKILL))
    killed.stop()
    logged, chain = logged_ids(killed.audit_dir)
    ok &= print_phase("kill -9", tally, logged, chain)
    restarted = started([*workers, "--audit-log", str(killed.audit_dir / "audit.jsonl")])
    after = Tally()
    load(restarted.address, 2, 2.0, after, threading.Event())
    restarted.stop()
    logged_after, chain_after = logged_ids(killed.audit_dir)
    kept_aside = sorted(p.name for p in killed.audit_dir.glob("audit.jsonl.torn-*"))
    print(f"restart  answered={len(after.answered)} records={len(logged_after)} chain[{chain_after}] "
          f"torn_tail_kept_aside={kept_aside or 'none'}")
    ok &= "BROKEN" not in chain_after and set(after.answered) <= logged_after

    # SIGTERM mid-load: every answered decision must be in the log, and the exit clean.
    terminated = started(workers)
    codes: list[int | None] = []
    tally = interrupted_load(terminated, args, lambda: codes.append(terminated.stop()))
    ok &= print_phase("SIGTERM", tally, *logged_ids(terminated.audit_dir), f" exit={codes[0]}") and codes[0] == 0

    for used in (loaded, killed, restarted, terminated):
        used.cleanup()
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
