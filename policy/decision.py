"""The policy input document, the decision, and the check that makes a policy's answer safe.

    findings + caller + request ─▶ build_input() ─▶ Rego ─▶ check_result() ─▶ Verdict
                                                              └─ invalid ─▶ fallback()

`check_result` is the fail-closed gate: whatever a policy returns, nothing reaches an
external target unless the answer is well-formed, names a known target of the right
kind and carries no category of the configured floor.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from policy.detect import Finding, Message
from policy.errors import InvalidDecisionError

DECISION_RULE = "data.residency.decision"
TARGETS_PATH = ("residency", "targets")
# The categories that never go to an external target, whatever a policy says.
DEFAULT_FLOOR_CATEGORIES = frozenset({"SECRET", "PCI", "GOV_ID", "PHI"})
ALLOWED_ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})


class Action(StrEnum):
    ALLOW_EXTERNAL = "allow_external"
    ROUTE_SELF_HOSTED = "route_self_hosted"
    REDACT = "redact"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class Caller:
    service: str
    tenant: str
    user: str = ""
    jurisdiction: str = ""
    purpose: str = ""


@dataclass(frozen=True)
class EvaluationRequest:
    caller: Caller
    messages: tuple[Message, ...]
    request_id: str = ""
    requested_target: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    include_redacted: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    provider: str = ""
    model: str = ""
    region: str = ""
    endpoint: str = ""
    self_hosted: bool = False

    @classmethod
    def from_data(cls, name: str, spec: Mapping[str, Any]) -> Target:
        return cls(
            name=name,
            provider=str(spec.get("provider", "")),
            model=str(spec.get("model", "")),
            region=str(spec.get("region", "")),
            endpoint=str(spec.get("endpoint", "")),
            self_hosted=spec.get("self_hosted") is True,
        )


@dataclass(frozen=True)
class Verdict:
    """A checked answer: what to do, where, and why."""

    action: Action
    target: Target | None
    reasons: tuple[str, ...]
    redact: tuple[str, ...] = ()
    fallback: bool = False
    fallback_code: str = ""  # a stable code: detection_timeout, detection_failed, policy_timeout, policy_error, …
    fallback_reason: str = ""


def build_input(request: EvaluationRequest, findings: Sequence[Finding], *, complete: bool) -> dict[str, Any]:
    """The policy's `input`: who calls, where to, and what was found. Never raw text."""
    caller = request.caller
    return {
        "caller": {
            "service": caller.service,
            "tenant": caller.tenant,
            "user": caller.user,
            "jurisdiction": caller.jurisdiction,
            "purpose": caller.purpose,
        },
        "request": {
            "id": request.request_id,
            "requested_target": request.requested_target,
            "labels": dict(request.labels),
            "message_count": len(request.messages),
        },
        "findings": [
            {
                "type": f.entity_type,
                "category": str(f.category),
                "score": f.score,
                "message": f.message_index,
                "role": request.messages[f.message_index].role,
                "start": f.start,
                "end": f.end,
            }
            for f in findings
        ],
        "summary": {
            "categories": sorted({str(f.category) for f in findings}),
            "types": dict(sorted(Counter(f.entity_type for f in findings).items())),
        },
        "detection": {"complete": complete},
    }


def targets_from_data(data: Mapping[str, Any]) -> dict[str, Target]:
    node: Any = data
    for key in TARGETS_PATH:
        node = node.get(key, {}) if isinstance(node, Mapping) else {}
    if not isinstance(node, Mapping):
        return {}
    return {name: Target.from_data(name, spec) for name, spec in node.items() if isinstance(spec, Mapping)}


def check_result(
    result: Any,
    *,
    targets: Mapping[str, Target],
    findings: Iterable[Finding],
    floor_categories: frozenset[str] = DEFAULT_FLOOR_CATEGORIES,
) -> Verdict:
    """Turn a policy's raw result into a Verdict, or raise InvalidDecisionError saying why."""
    if result is None:
        raise InvalidDecisionError(f"{DECISION_RULE} is undefined for this input")
    if not isinstance(result, Mapping):
        raise InvalidDecisionError(f"{DECISION_RULE} must be an object, got {type(result).__name__}")
    if not is_json_document(result):
        raise InvalidDecisionError(f"{DECISION_RULE} must be a JSON document (objects with string keys)")
    try:
        action = Action(result.get("action"))
    except ValueError:
        raise InvalidDecisionError(f"unknown action {result.get('action')!r}") from None
    reasons = result.get("reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise InvalidDecisionError("reasons must be a list of strings")
    redact = result.get("redact", [])
    if not isinstance(redact, list) or not all(isinstance(r, str) for r in redact):
        raise InvalidDecisionError("redact must be a list of entity types")

    target_name = result.get("target", "")
    if action is Action.DENY:
        if target_name not in ("", None):
            raise InvalidDecisionError("a deny decision names no target")
        return Verdict(action, None, tuple(reasons))
    if not isinstance(target_name, str) or target_name not in targets:
        raise InvalidDecisionError(f"unknown target {target_name!r}")
    target = targets[target_name]

    if action is Action.ROUTE_SELF_HOSTED:
        if not target.self_hosted:
            raise InvalidDecisionError(f"route_self_hosted names external target {target_name!r}")
        return Verdict(action, target, tuple(reasons))

    if target.self_hosted:
        raise InvalidDecisionError(f"{action} names self-hosted target {target_name!r}")
    if action is Action.REDACT and not redact:
        raise InvalidDecisionError("a redact decision lists no entity types to redact")
    if action is Action.ALLOW_EXTERNAL and redact:
        # Only a redact decision is redacted: a list here would be ignored, not applied.
        raise InvalidDecisionError("an allow_external decision redacts nothing; use action redact")
    removed = set(redact) if action is Action.REDACT else set()
    kept = {f.category for f in findings if f.entity_type not in removed}
    leaking = sorted(kept & floor_categories)
    if leaking:
        raise InvalidDecisionError(
            f"{action} to external target {target_name!r} would carry {', '.join(leaking)} data, "
            "which the configured floor keeps inside"
        )
    return Verdict(action, target, tuple(reasons), redact=tuple(sorted(set(redact))))


def is_json_document(value: Any) -> bool:
    """True when `value` is plain JSON: what the audit log can record. Rego allows non-string keys."""
    try:
        json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def fallback(
    code: str, reason: str, *, targets: Mapping[str, Target], fallback_target: str | None
) -> Verdict:
    """The fail-closed answer: the configured self-hosted target, else deny. Never external."""
    target = targets.get(fallback_target or "")
    if target is not None and target.self_hosted:
        return Verdict(
            Action.ROUTE_SELF_HOSTED,
            target,
            (f"fail-closed fallback to self-hosted target {target.name!r}",),
            fallback=True,
            fallback_code=code,
            fallback_reason=reason,
        )
    return Verdict(
        Action.DENY,
        None,
        ("fail-closed fallback: no self-hosted target is configured, so nothing may be sent",),
        fallback=True,
        fallback_code=code,
        fallback_reason=reason,
    )
