"""The two sides of the comparison, each turning one prompt into spans and a routing outcome.

    Residency: PresidioDetector.load()  ─▶ spans
               Pipeline(shipped rego/, EU caller, hosted-us requested) ─▶ Verdict ─▶ outcome
    Presidio:  AnalyzerEngine(default registry, same spaCy model, default threshold) ─▶ spans
               "kept local if any regulated type was found" ─▶ outcome

Both see the prompt as one user message. The Residency side runs the real decision path,
with an audit sink that records nothing; the plain Presidio side has no policy, so its
outcome is the simplest rule a hand-written integration would apply.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.detection.labels import QUASI, category_of_prediction
from policy.bundles import load_bundle
from policy.decision import Caller, EvaluationRequest
from policy.detect import DEFAULT_MODEL, Message, PresidioDetector, gate_presidio_logs, keep_tldextract_offline
from policy.errors import DetectionError
from policy.pipeline import Pipeline, Policy
from policy.rego import RegoEngine

REPO = Path(__file__).resolve().parent.parent.parent
SHIPPED_POLICY = REPO / "rego"
CALLER_JURISDICTION = "EU"
REQUESTED_TARGET = "hosted-us"
CALLER = Caller(service="bench", tenant="bench", jurisdiction=CALLER_JURISDICTION)


@dataclass(frozen=True, slots=True)
class Prediction:
    entity_type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Route:
    """Where a prompt would go. `target` is "" for deny; `redacted` lists the types replaced before sending."""

    action: str  # allow_external, route_self_hosted, redact, deny
    target: str
    external: bool
    region: str
    redacted: frozenset[str] = frozenset()
    fallback: bool = False


@dataclass(frozen=True)
class Result:
    predictions: tuple[Prediction, ...]
    route: Route
    error: str = ""  # a detector error on the span path (the pipeline then falls back)


class DiscardingAuditSink:
    """Benchmarks record nothing: this audit sink keeps no record of the decisions it is given."""

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        return record


class ResidencySide:
    name = "Residency"

    def __init__(self, policy_path: Path = SHIPPED_POLICY, workers: int = 2) -> None:
        started = time.perf_counter()
        self.detector = PresidioDetector.load()
        self.bundle = load_bundle(policy_path)
        policy = Policy(RegoEngine(self.bundle))
        self.policy_revision = policy.revision
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench")
        self.pipeline = Pipeline(
            detector=self.detector,
            policy=lambda: policy,
            audit=DiscardingAuditSink(),
            executor=self._executor,
        )
        self.targets = policy.targets
        self.load_s = time.perf_counter() - started

    def policy_data(self) -> dict[str, Any]:
        return dict(self.bundle.data.get("residency", {}))

    def run(self, text: str) -> Result:
        messages = (Message("user", text),)
        error = ""
        try:
            findings = self.detector.detect(messages)
        except DetectionError as exc:
            findings, error = [], str(exc)
        predictions = tuple(Prediction(f.entity_type, f.start, f.end, f.score) for f in findings)
        # The pipeline detects again: a cache hit, so spans and decision come from one detection.
        decision = self.pipeline.evaluate(
            EvaluationRequest(caller=CALLER, messages=messages, requested_target=REQUESTED_TARGET)
        )
        verdict = decision.verdict
        target = verdict.target
        route = Route(
            action=str(verdict.action),
            target=target.name if target else "",
            external=bool(target and not target.self_hosted),
            region=target.region if target else "",
            redacted=frozenset(verdict.redact),
            fallback=verdict.fallback,
        )
        return Result(predictions, route, error)

    def close(self) -> None:
        self._executor.shutdown(wait=True)


class PresidioSide:
    """Presidio as a user sets it up by hand: default registry, the same spaCy model, default threshold."""

    name = "Presidio"

    def __init__(self, model: str = DEFAULT_MODEL, requested_region: str = "us") -> None:
        started = time.perf_counter()
        keep_tldextract_offline()  # Presidio's e-mail recognizer would fetch the public suffix list
        gate_presidio_logs()  # its DEBUG/INFO records quote the text; results are unaffected
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        nlp_engine = NlpEngineProvider(
            nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
        ).create_engine()
        self.analyzer = AnalyzerEngine(nlp_engine=nlp_engine)
        self._requested_region = requested_region
        self.load_s = time.perf_counter() - started

    def run(self, text: str) -> Result:
        results = self.analyzer.analyze(text=text, language="en")
        predictions = tuple(
            sorted((Prediction(r.entity_type, r.start, r.end, round(float(r.score), 4)) for r in results),
                   key=lambda p: (p.start, p.end, p.entity_type))
        )
        regulated = any(category_of_prediction(p.entity_type) not in (None, QUASI) for p in predictions)
        if regulated:
            route = Route(action="route_self_hosted", target="local", external=False, region="on-prem")
        else:
            route = Route(action="allow_external", target=REQUESTED_TARGET, external=True,
                          region=self._requested_region)
        return Result(predictions, route)
