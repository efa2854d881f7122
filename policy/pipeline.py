"""The one path of a decision: detect → build input → evaluate → check → audit.

    Pipeline.evaluate(request)
      ├─ detect      messages ─▶ findings          (error or timeout ─▶ fallback)
      ├─ build_input findings + caller + request ─▶ input document (no raw text)
      ├─ evaluate    Rego data.residency.decision   (error or timeout ─▶ fallback)
      ├─ check       check_result()                 (invalid ─▶ fallback)
      ├─ redact      when the action is redact, or when asked
      └─ audit       one record per decision; a failed write raises, so no decision escapes unlogged

Every collaborator is passed in: the detector, the policy, the audit sink, the clock
and the id factory, so tests can swap any one of them.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from policy.decision import (
    DECISION_RULE,
    DEFAULT_FLOOR_CATEGORIES,
    Action,
    EvaluationRequest,
    Target,
    Verdict,
    build_input,
    check_result,
    fallback,
    is_json_document,
    targets_from_data,
)
from policy.detect import Detector, Finding, Message
from policy.errors import DetectionError, PolicyError
from policy.redact import Redactor
from policy.rego import RegoEngine

AUDIT_SCHEMA = "residency.decision/v1"
DEFAULT_DETECT_TIMEOUT_S = 5.0
DEFAULT_POLICY_TIMEOUT_S = 1.0


class AuditSink(Protocol):
    def append(self, record: dict[str, Any]) -> dict[str, Any]: ...


class Policy:
    """The policy in force: an engine and the targets of its data, replaced as one."""

    def __init__(self, engine: RegoEngine) -> None:
        self.engine = engine
        self.targets: Mapping[str, Target] = targets_from_data(engine.bundle.data)

    @property
    def revision(self) -> str:
        return self.engine.revision

    def evaluate(self, input_document: Mapping[str, Any]) -> Any:
        return self.engine.evaluate(DECISION_RULE, input_document)


@dataclass(frozen=True)
class Timings:
    detect_ms: float = 0.0
    policy_ms: float = 0.0
    total_ms: float = 0.0


@dataclass(frozen=True)
class Decision:
    decision_id: str
    timestamp: str
    verdict: Verdict
    findings: tuple[Finding, ...]
    policy_revision: str
    input: dict[str, Any]
    policy_result: Any  # the policy's raw answer; None when it failed or never ran
    redacted_messages: tuple[Message, ...] | None
    timings: Timings

    def audit_record(self) -> dict[str, Any]:
        """The audit log's record; holds types, offsets and scores, never raw text."""
        verdict = self.verdict
        return {
            "schema": AUDIT_SCHEMA,
            "decision_id": self.decision_id,
            "timestamp": self.timestamp,
            "policy_revision": self.policy_revision,
            "input": self.input,
            "result": {
                "action": str(verdict.action),
                "target": verdict.target.name if verdict.target else "",
                "reasons": list(verdict.reasons),
                "redact": list(verdict.redact),
            },
            "policy_result": self.policy_result,
            "fallback": verdict.fallback,
            "fallback_code": verdict.fallback_code,
            "fallback_reason": verdict.fallback_reason,
            "timings": {
                "detect_ms": self.timings.detect_ms,
                "policy_ms": self.timings.policy_ms,
                "total_ms": self.timings.total_ms,
            },
        }


class Pipeline:
    def __init__(
        self,
        *,
        detector: Detector,
        policy: Callable[[], Policy],
        audit: AuditSink,
        executor: ThreadPoolExecutor,
        redactor: Redactor | None = None,
        fallback_target: str | None = "local",
        floor_categories: frozenset[str] = DEFAULT_FLOOR_CATEGORIES,
        detect_timeout_s: float = DEFAULT_DETECT_TIMEOUT_S,
        policy_timeout_s: float = DEFAULT_POLICY_TIMEOUT_S,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._detector = detector
        self._policy = policy
        self._audit = audit
        self._executor = executor
        self._redactor = redactor or Redactor()
        self._fallback_target = fallback_target
        self._floor = floor_categories
        self._detect_timeout_s = detect_timeout_s
        self._policy_timeout_s = policy_timeout_s
        self._clock = clock
        self._new_id = new_id

    def evaluate(self, request: EvaluationRequest, *, deadline: float | None = None) -> Decision:
        """Decide where `request` may go and record it. `deadline` is a time.monotonic() value.

        Detector and policy failures become the fallback decision. Raises AuditError when the
        decision cannot be recorded; an unexpected error elsewhere (redaction, say) propagates,
        and the caller must then send nothing (the servicer answers INTERNAL).
        """
        started = time.perf_counter()
        timestamp = self._clock().isoformat(timespec="milliseconds").replace("+00:00", "Z")
        policy = self._policy()  # one revision for the whole decision

        findings: tuple[Finding, ...] = ()
        failure: tuple[str, str] | None = None  # (code, reason)
        try:
            detect = functools.partial(self._detector.detect, scope=request.caller.tenant)
            findings = tuple(self._run(detect, request.messages, self._detect_timeout_s, deadline))
        except FutureTimeout:
            failure = ("detection_timeout", "detection timed out")
        except DetectionError as exc:
            failure = (exc.code, str(exc))
        except Exception as exc:  # noqa: BLE001 — any detector bug fails closed
            failure = ("detection_failed", f"detector failed: {type(exc).__name__}")
        detected = time.perf_counter()

        input_document = build_input(request, findings, complete=failure is None)
        policy_result = None
        if failure is None:
            try:
                policy_result = self._run(policy.evaluate, input_document, self._policy_timeout_s, deadline)
                verdict = check_result(
                    policy_result, targets=policy.targets, findings=findings, floor_categories=self._floor
                )
            except FutureTimeout:
                failure = ("policy_timeout", "policy evaluation timed out")
            except PolicyError as exc:
                failure = (exc.code, f"{exc.code}: {exc}")
            except Exception as exc:  # noqa: BLE001
                failure = ("policy_error", f"policy_error: {type(exc).__name__}")
            if not is_json_document(policy_result):
                policy_result = None  # refused above; the audit log records only plain JSON
        if failure is not None:
            verdict = fallback(*failure, targets=policy.targets, fallback_target=self._fallback_target)
        decided = time.perf_counter()

        redacted = None
        if verdict.action is Action.REDACT:
            redacted = self._redactor.redact(request.messages, findings, verdict.redact)
        elif request.include_redacted:
            redacted = self._redactor.redact(request.messages, findings)

        decision = Decision(
            decision_id=self._new_id(),
            timestamp=timestamp,
            verdict=verdict,
            findings=findings,
            policy_revision=policy.revision,
            input=input_document,
            policy_result=policy_result,
            redacted_messages=redacted,
            timings=Timings(
                detect_ms=round((detected - started) * 1000, 3),
                policy_ms=round((decided - detected) * 1000, 3),
                total_ms=round((time.perf_counter() - started) * 1000, 3),
            ),
        )
        self._audit.append(decision.audit_record())
        return decision

    def _run(self, function: Callable[[Any], Any], argument: Any, timeout_s: float, deadline: float | None) -> Any:
        """Run one step on the executor, waiting no longer than its timeout or the deadline."""
        if deadline is not None:
            timeout_s = min(timeout_s, deadline - time.monotonic())
        if timeout_s <= 0:
            raise FutureTimeout()
        started = time.monotonic()
        future: Future = self._executor.submit(function, argument)
        result = future.result(timeout=timeout_s)
        # regorus and parts of spaCy hold the GIL, so the wait above may only notice
        # the timeout once the step is done: a late answer is still a timeout.
        if time.monotonic() - started > timeout_s:
            raise FutureTimeout()
        return result
