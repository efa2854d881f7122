"""Audit log benchmark: write 1,000,000 synthetic decisions, then time the auditor's commands.

    python bench/audit_bench.py [--records N] [--dir DIR] [--max-mb MB] [--keep]

    generate   AuditLog(fsync="never", max_bytes=MB) ─▶ DIR/audit.jsonl + rotated files
    baseline   a fresh interpreter that only imports the CLI          ─▶ peak RSS
    summary    a fresh interpreter: residency audit summary DIR        ─▶ wall time, peak RSS
    verify     a fresh interpreter: residency audit verify DIR         ─▶ wall time, peak RSS
    query      a fresh interpreter: residency audit query DIR "…"      ─▶ wall time, peak RSS

Each command runs in its own process so that its peak RSS (getrusage ru_maxrss) is its
own; compared with the baseline it shows what reading the log costs. summary and verify
stream line by line, so their peak does not grow with the log. Records have the shape
of policy/pipeline.py Decision.audit_record (synthetic values, no prompt text anywhere).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from policy.audit import AuditLog  # noqa: E402

QUERY = "SELECT result.action AS action, count(*) AS n FROM decisions GROUP BY 1 ORDER BY 2 DESC"
PHASES = {
    "baseline": None,
    "summary": ["summary", "--by", "target"],
    "verify": ["verify"],
    "query": ["query", QUERY, "--format", "csv"],
}

# Synthetic traffic: (entity type, category, typical length) of what a detector finds.
FINDING_TYPES = [
    ("EMAIL_ADDRESS", "PII", 22), ("PERSON", "PII", 14), ("PHONE_NUMBER", "PII", 15), ("URL", "QUASI", 30),
    ("DATE_TIME", "QUASI", 10), ("LOCATION", "QUASI", 9), ("IBAN_CODE", "FINANCIAL", 27),
    ("CREDIT_CARD", "PCI", 19), ("US_SSN", "GOV_ID", 11), ("AWS_ACCESS_KEY", "SECRET", 20),
]
JURISDICTIONS = ["EU", "DE", "FR", "US", "US", "GB", ""]
TENANTS = ["acme", "globex", "initech", "acme-redact"]
SERVICES = ["billing", "support", "search", "hr-assistant"]
RESTRICTED = {"PCI", "GOV_ID", "SECRET", "PHI"}


def synthetic_record(rng: random.Random, when: datetime) -> dict:
    jurisdiction, tenant = rng.choice(JURISDICTIONS), rng.choice(TENANTS)
    requested = rng.choice(["hosted-us", "hosted-us", "hosted-eu", ""])
    messages = rng.randint(1, 6)
    findings = []
    for _ in range(rng.choices([0, 1, 2, 3, 5], weights=[40, 25, 15, 10, 10])[0]):
        entity, category, length = rng.choice(FINDING_TYPES)
        start = rng.randint(0, 2000)
        findings.append({"type": entity, "category": category, "score": round(rng.uniform(0.5, 1.0), 2),
                         "message": rng.randrange(messages), "role": "user", "start": start, "end": start + length})
    categories = sorted({f["category"] for f in findings})
    types: dict[str, int] = {}
    for f in findings:
        types[f["type"]] = types.get(f["type"], 0) + 1

    fallback = rng.random() < 0.01
    if fallback:
        action, target, reasons = "route_self_hosted", "local", ["fail-closed fallback to self-hosted target 'local'"]
    elif RESTRICTED & set(categories):
        action, target = "route_self_hosted", "local"
        reasons = [f"{c} never leaves the boundary" for c in sorted(RESTRICTED & set(categories))]
    elif "PII" in categories and tenant == "acme-redact":
        action, target, reasons = "redact", "hosted-us", ["tenant acme-redact redacts personal data"]
    elif "PII" in categories and jurisdiction in ("EU", "DE", "FR", "GB"):
        action, target = "allow_external", "hosted-eu"
        reasons = ["personal data (PII) of a caller in EU may only be processed in eu: rerouted to hosted-eu (eu)"]
    else:
        action, target = "allow_external", requested or "hosted-us"
        reasons = [f"no regulated data found: sending to {target}"]
    result = {"action": action, "target": target, "reasons": reasons,
              "redact": ["EMAIL_ADDRESS", "PERSON"] if action == "redact" else []}
    detect_ms = round(rng.uniform(2, 40), 3)
    policy_ms = round(rng.uniform(0.2, 2), 3)
    return {
        "schema": "residency.decision/v1",
        "decision_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "timestamp": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "policy_revision": "sha256:5f0c9a3e1d7b2c48",
        "input": {
            "caller": {"service": rng.choice(SERVICES), "tenant": tenant, "user": "",
                       "jurisdiction": jurisdiction, "purpose": ""},
            "request": {"id": f"req-{rng.getrandbits(32):08x}", "requested_target": requested,
                        "labels": {"classification": "internal"} if rng.random() < 0.2 else {},
                        "message_count": messages},
            "findings": findings,
            "summary": {"categories": categories, "types": dict(sorted(types.items()))},
            "detection": {"complete": not fallback},
        },
        "result": result,
        "policy_result": None if fallback else result,
        "fallback": fallback,
        "fallback_code": "detection_timeout" if fallback else "",
        "fallback_reason": "detection timed out" if fallback else "",
        "timings": {"detect_ms": detect_ms, "policy_ms": policy_ms, "total_ms": round(detect_ms + policy_ms + 0.1, 3)},
    }


def generate(directory: Path, records: int, max_bytes: int) -> float:
    rng = random.Random(4)
    when = datetime(2025, 3, 1, tzinfo=UTC)
    started = time.perf_counter()
    with AuditLog(directory / "audit.jsonl", fsync="never", max_bytes=max_bytes) as log:
        for i in range(records):
            when += timedelta(milliseconds=rng.randint(1, 60))
            log.append(synthetic_record(rng, when))
            if i and i % 100_000 == 0:
                print(f"  … {i:,} records", file=sys.stderr, flush=True)
    return time.perf_counter() - started


def run_phase(phase: str, directory: Path) -> None:
    """In the child process: run one command, print its wall time and peak RSS as JSON."""
    from service.audit_cli import main

    argv = PHASES[phase]
    started = time.perf_counter()
    code = 0
    if argv is not None:
        out = io.StringIO()
        code = main(["audit", argv[0], str(directory), *argv[1:]], out, io.StringIO())
        if code not in (0, 1):
            raise SystemExit(f"{phase} exited {code}")
    elapsed = time.perf_counter() - started
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": elapsed, "max_rss_mib": max_rss_kib / 1024, "exit": code}))


def measure(phase: str, directory: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--dir", str(directory)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, help="where to write the log (default: a temporary directory)")
    parser.add_argument("--max-mb", type=int, default=256, help="rotate the log at this size")
    parser.add_argument("--keep", action="store_true", help="keep the generated log")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, args.dir)
        return

    directory = args.dir or Path(tempfile.mkdtemp(prefix="audit-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}")
    try:
        seconds = generate(directory, args.records, args.max_mb * 1024 * 1024)
        files = sorted(directory.glob("*.jsonl"))
        size = sum(f.stat().st_size for f in files)
        print(f"generate  {args.records:,} records, {size / 2**20:,.0f} MiB in {len(files)} files: "
              f"{seconds:,.1f} s ({args.records / seconds:,.0f} records/s)")
        baseline = measure("baseline", directory)
        print(f"baseline  interpreter + CLI imports: peak RSS {baseline['max_rss_mib']:,.0f} MiB")
        for phase in ("summary", "verify", "query"):
            result = measure(phase, directory)
            print(f"{phase:<9} {result['seconds']:,.1f} s ({args.records / result['seconds']:,.0f} records/s, "
                  f"{size / 2**20 / result['seconds']:,.0f} MiB/s), peak RSS {result['max_rss_mib']:,.0f} MiB "
                  f"(+{result['max_rss_mib'] - baseline['max_rss_mib']:,.0f} over baseline)")
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(directory)


if __name__ == "__main__":
    main()
