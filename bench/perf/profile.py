"""Where the time of one request path goes: cProfile over the sidecar's handler path, in process.

    python -m bench.perf.profile [--requests N] [--length short|2kb|mixed] [--top K]

Builds what `Sidecar.load()` builds (shipped policy, PresidioDetector in this process, an
audit log with fsync in a temp dir) and runs, for each unique prompt of the benchmark
corpus, what the servicer does: `to_evaluation_request` → `Pipeline.evaluate` → `to_proto`.
The pipeline's steps run on an inline executor so that cProfile, which sees one thread,
sees all of them; gRPC transport and thread hand-offs are not in this profile (compare
with the benchmark's client-observed latency for those). Prints the time by area
(spaCy, Presidio recognizers, our secrets recognizer, Rego, audit, ...), then the detector's
stages without a profiler (each spaCy component, Presidio's artifacts, every recognizer),
and the top functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import Future
from pathlib import Path

from bench.perf.corpus import build_corpus
from bench.perf.run import make_request

# (area, substrings of the code's file path or function name); first match wins.
AREAS = [
    ("audit: fsync", ("posix.fsync", "{built-in method posix.fsync}")),
    ("audit: log (hash, json, write)", ("policy/audit.py",)),
    ("Rego (regorus)", ("regorus", "policy/rego.py", "builtins.Engine")),
    ("secrets recognizer (ours)", ("policy/recognizers", "detect_secrets")),
    ("spaCy / thinc model", ("spacy/", "thinc/", "numpy", "srsly/", "cymem/", "preshed/", "blis/")),
    (
        "regex (re / regex)",
        (
            "method 'finditer'",
            "method 'match'",
            "method 'search'",
            "method 'sub'",
            "method 'findall'",
            "/re/",
            "sre_",
            "/regex/",
            "method 'fullmatch'",
        ),
    ),
    ("phonenumbers", ("/phonenumbers/",)),
    ("tldextract / email, URL validation", ("tldextract", "/validators/", "idna")),
    ("Presidio analyzer (other)", ("presidio_analyzer",)),
    ("redaction", ("policy/redact.py",)),
    ("pipeline, decision, servicer", ("policy/", "service/")),
    ("protobuf", ("google/protobuf", "_message", "protobuf")),
    ("json", ("/json/", "json.")),
    ("hashing", ("_hashlib", "_blake2", "hashlib")),
]


class InlineExecutor:
    """An executor that runs each step in the calling thread (so cProfile sees it)."""

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, as a pool would
            future.set_exception(exc)
        return future

    def shutdown(self, *args, **kwargs) -> None:
        pass


def build_handler(audit_path: Path):
    from policy.audit import AuditLog
    from policy.bundles import load_bundle
    from policy.detect import PresidioDetector
    from policy.pipeline import Pipeline, Policy
    from policy.rego import RegoEngine
    from service.config import load_settings
    from service.servicer import to_evaluation_request, to_proto

    settings = load_settings(environ={}, overrides={"audit.path": str(audit_path)})
    policy = Policy(RegoEngine(load_bundle(settings.policy.path)))
    detector = PresidioDetector.load()
    audit = AuditLog(str(audit_path), fsync=settings.audit.fsync).open()
    pipeline = Pipeline(
        detector=detector,
        policy=lambda: policy,
        audit=audit,
        executor=InlineExecutor(),
        fallback_target=settings.policy.fallback_target or None,
        floor_categories=frozenset(settings.policy.floor_categories),
    )

    def handle(request):
        return to_proto(pipeline.evaluate(to_evaluation_request(request, settings.limits)))

    return handle, audit


def detector_stages(prompts, top: int) -> None:
    """Time the detector's own stages, message by message, without a profiler: each spaCy
    component of its pipeline, Presidio's artifacts, and every recognizer's analyze."""
    from collections import Counter

    from policy.detect import DetectionSettings, SpanAnalyzer

    analyzer = SpanAnalyzer.load(DetectionSettings())
    engine = analyzer._analyzer.nlp_engine
    nlp = engine.get_nlp("en")
    spent: Counter[str] = Counter()
    for recognizer in analyzer._analyzer.registry.recognizers:
        analyze = recognizer.analyze

        def timed(*args, _analyze=analyze, _name=recognizer.name, **kwargs):
            started = time.perf_counter()
            try:
                return _analyze(*args, **kwargs)
            finally:
                spent[f"recognizer {_name}"] += time.perf_counter() - started

        recognizer.analyze = timed
    analyzer.spans([q.text for q in prompts[:10]])  # warm
    spent.clear()
    for q in prompts:
        t0 = time.perf_counter()
        doc = nlp.make_doc(q.text)
        spent["spaCy tokenizer"] += time.perf_counter() - t0
        for name, component in nlp.pipeline:
            t0 = time.perf_counter()
            doc = component(doc)
            spent[f"spaCy {name}"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        artifacts = engine._doc_to_nlp_artifact(doc, "en")
        spent["Presidio artifacts"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        analyzer._spans_of(q.text, artifacts)
        spent["Presidio analyze (with recognizers)"] += time.perf_counter() - t0
    recognizers = sum(v for k, v in spent.items() if k.startswith("recognizer "))
    per_message = {k: v * 1000 / len(prompts) for k, v in spent.items()}
    for name in ("spaCy tokenizer", *(f"spaCy {n}" for n in nlp.pipe_names), "Presidio artifacts",
                 "Presidio analyze (with recognizers)"):
        print(f"  {name:<44}{per_message[name]:>7.2f}")
    print(f"  {'  of which recognizers':<44}{recognizers * 1000 / len(prompts):>7.2f}")
    ranked = sorted(((v, k) for k, v in per_message.items() if k.startswith("recognizer ")), reverse=True)
    for value, name in ranked[:top]:
        print(f"    {name:<42}{value:>7.3f}")


def area_of(key: tuple[str, int, str]) -> str:
    filename, _, function = key
    text = f"{filename}:{function}"
    for area, needles in AREAS:
        if any(n in text for n in needles):
            return area
    return "other (Python runtime, builtins)"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.perf.profile", description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=200)
    p.add_argument("--length", choices=["short", "2kb", "mixed"], default="mixed")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--seed", type=int, default=11)
    args = p.parse_args(argv)

    corpus = build_corpus(args.seed, {"warm": 20, "profile": args.requests * (3 if args.length != "mixed" else 1)}, 0)
    prompts = corpus.prompts["profile"]
    if args.length != "mixed":
        prompts = [q for q in prompts if q.length == args.length]
    prompts = prompts[: args.requests]
    with tempfile.TemporaryDirectory(prefix="residency-profile-") as tmp:
        handle, audit = build_handler(Path(tmp) / "audit.jsonl")
        for q in corpus.prompts["warm"]:
            handle(make_request(q.id, [("user", q.text)]))
        requests = [make_request(q.id, [("user", q.text)]) for q in prompts]
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for request in requests:
            handle(request)
        profiler.disable()
        wall = time.perf_counter() - started
        audit.close()

    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())  # own time of every function
    by_area: dict[str, float] = defaultdict(float)
    functions: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for key, (_, _, tottime, _, _) in stats.stats.items():
        area = area_of(key)
        by_area[area] += tottime
        functions[area].append((tottime, f"{Path(key[0]).name}:{key[2]}"))
    print(
        f"{len(requests)} {args.length} prompts through to_evaluation_request -> Pipeline.evaluate -> to_proto, "
        f"in process, under cProfile: {wall * 1000 / len(requests):.1f} ms/request (profiled; "
        f"cProfile adds overhead to Python-heavy code)"
    )
    print("\nown time by area:")
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1]):
        print(f"  {area:<40}{seconds * 1000 / len(requests):>8.2f} ms/request {100 * seconds / total:>6.1f}%")
        top = sorted(functions[area], reverse=True)[:3]
        print("      " + ", ".join(f"{name} {t * 1000 / len(requests):.2f}" for t, name in top if t > 0))
    print("\nthe detector by stage (same prompts, one process, no profiler, ms/message):")
    detector_stages(prompts, args.top)
    for sort, title in (("tottime", "own time"), ("cumulative", "cumulative time")) if args.top else ():
        print(f"\ntop {args.top} functions by {title}:")
        stats.sort_stats(sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
