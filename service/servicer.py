"""The gRPC handler: validate the request, call the pipeline, map the decision back.

It holds no policy logic. Status codes are the contract in residency.proto; messages
name the field and the limit, never the content.
"""

from __future__ import annotations

import logging
import re
import time
from typing import NoReturn

import grpc
from google.protobuf import struct_pb2

from policy.audit import AuditError
from policy.decision import ALLOWED_ROLES, Action, Caller, EvaluationRequest
from policy.detect import Message
from policy.pipeline import Decision, Pipeline
from service.api import residency_pb2, residency_pb2_grpc
from service.auth import AuthenticationFailed, Authenticator
from service.config import Limits
from service.metrics import Metrics

log = logging.getLogger("residency.service")

_JURISDICTION = re.compile(r"^(?:[A-Z]{2}|EU)$")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")
_IDENTIFIER_MAX_CHARS = 256
# Kept from the client's deadline for the audit write and the response, so that a slow
# detector yields a fallback decision rather than DEADLINE_EXCEEDED.
_DEADLINE_RESERVE_S = 0.1
_ACTIONS = {
    Action.ALLOW_EXTERNAL: residency_pb2.ALLOW_EXTERNAL,
    Action.ROUTE_SELF_HOSTED: residency_pb2.ROUTE_SELF_HOSTED,
    Action.REDACT: residency_pb2.REDACT,
    Action.DENY: residency_pb2.DENY,
}


class RequestRejected(Exception):
    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class ResidencyServicer(residency_pb2_grpc.ResidencyServicer):
    """Answers UNAVAILABLE until `ready()` hands it a pipeline."""

    def __init__(self, limits: Limits, authenticator: Authenticator, metrics: Metrics) -> None:
        self._limits = limits
        self._authenticator = authenticator
        self._metrics = metrics
        self._pipeline: Pipeline | None = None

    def ready(self, pipeline: Pipeline) -> None:
        self._pipeline = pipeline

    def Evaluate(self, request: residency_pb2.EvaluateRequest, context: grpc.ServicerContext) -> residency_pb2.Decision:
        return to_proto(self._decide(request, context))

    def Explain(self, request: residency_pb2.EvaluateRequest, context: grpc.ServicerContext) -> residency_pb2.Explanation:
        decision = self._decide(request, context)
        explanation = residency_pb2.Explanation(decision=to_proto(decision))
        explanation.input.update(decision.input)
        explanation.policy_result.CopyFrom(_to_value(decision.policy_result))
        return explanation

    def _decide(self, request: residency_pb2.EvaluateRequest, context: grpc.ServicerContext) -> Decision:
        pipeline = self._pipeline
        if pipeline is None:
            self._reject(context, grpc.StatusCode.UNAVAILABLE, "residency is starting: the model and policy are loading")
        try:
            profile = self._authenticator.authenticate(context)
            evaluation = to_evaluation_request(request, self._limits)
        except (AuthenticationFailed, RequestRejected) as rejected:
            self._reject(context, rejected.code, str(rejected))
        if profile is not None:
            caller = evaluation.caller
            refusal = profile.refusal(caller.service, caller.tenant, caller.jurisdiction)
            if refusal:
                log.warning("permission denied for profile %s: %s", profile.name, refusal)
                self._reject(context, grpc.StatusCode.PERMISSION_DENIED, refusal)
        remaining = context.time_remaining()
        deadline = time.monotonic() + remaining - _DEADLINE_RESERVE_S if remaining is not None else None
        try:
            decision = pipeline.evaluate(evaluation, deadline=deadline)
        except AuditError as exc:
            log.error("audit write failed, no decision returned: %s", exc.code)
            self._reject(
                context,
                grpc.StatusCode.INTERNAL,
                "the decision could not be written to the audit log, so none was made: do not send the prompt",
            )
        except Exception as exc:  # noqa: BLE001 — e.g. redaction; its message may quote the text
            log.error("decision failed: %s", type(exc).__name__)
            self._reject(context, grpc.StatusCode.INTERNAL, "the decision failed, so none was made: do not send the prompt")
        self._metrics.observe(decision)
        return decision

    def _reject(self, context: grpc.ServicerContext, code: grpc.StatusCode, message: str) -> NoReturn:
        self._metrics.rejected.labels(code=code.name).inc()
        context.abort(code, message)


def to_evaluation_request(request: residency_pb2.EvaluateRequest, limits: Limits) -> EvaluationRequest:
    """Check a request against the contract and the limits; raise RequestRejected saying what to fix."""
    invalid = grpc.StatusCode.INVALID_ARGUMENT
    if not request.HasField("caller"):
        raise RequestRejected(invalid, "caller is required: set caller.service and caller.tenant")
    caller = request.caller
    for name in ("service", "tenant"):
        if not getattr(caller, name).strip():
            raise RequestRejected(invalid, f"caller.{name} is required")
    for name in ("service", "tenant", "user", "jurisdiction", "purpose"):
        _check_identifier(f"caller.{name}", getattr(caller, name))
    _check_identifier("request_id", request.request_id)
    _check_identifier("requested_target", request.requested_target)
    jurisdiction = caller.jurisdiction.strip().upper()
    if jurisdiction and not _JURISDICTION.match(jurisdiction):
        raise RequestRejected(
            invalid, "caller.jurisdiction must be an ISO 3166-1 alpha-2 code such as DE or US, or EU"
        )

    if not request.messages:
        raise RequestRejected(invalid, "messages is empty: send at least one message")
    if len(request.messages) > limits.max_messages:
        raise RequestRejected(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"{len(request.messages)} messages is over the limit of {limits.max_messages} (limits.max_messages)",
        )
    total_bytes = 0
    for index, message in enumerate(request.messages):
        if not message.role:
            raise RequestRejected(invalid, f"messages[{index}].role is empty; use one of {_roles()}")
        if message.role not in ALLOWED_ROLES:
            raise RequestRejected(invalid, f"messages[{index}].role is not one of {_roles()}")
        if len(message.content) > limits.max_message_chars:
            raise RequestRejected(
                grpc.StatusCode.RESOURCE_EXHAUSTED,
                f"messages[{index}] has {len(message.content)} characters, over the limit of "
                f"{limits.max_message_chars} (limits.max_message_chars): split it",
            )
        total_bytes += len(message.content.encode("utf-8", "surrogatepass"))
    if total_bytes > limits.max_request_text_bytes:
        raise RequestRejected(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"messages hold {total_bytes} bytes of text, over the limit of {limits.max_request_text_bytes} "
            "(limits.max_request_text_bytes): split the request",
        )

    if len(request.labels) > limits.max_labels:
        raise RequestRejected(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"{len(request.labels)} labels is over the limit of {limits.max_labels} (limits.max_labels)",
        )
    for key, value in request.labels.items():
        if not key or len(key) > limits.max_label_chars or len(value) > limits.max_label_chars:
            raise RequestRejected(
                invalid, f"label keys must be non-empty and keys and values at most {limits.max_label_chars} characters"
            )

    return EvaluationRequest(
        caller=Caller(
            service=caller.service.strip(),
            tenant=caller.tenant.strip(),
            user=caller.user.strip(),
            jurisdiction=jurisdiction,
            purpose=caller.purpose.strip(),
        ),
        messages=tuple(Message(m.role, m.content) for m in request.messages),
        request_id=request.request_id,
        requested_target=request.requested_target.strip(),
        labels=dict(request.labels),
        include_redacted=request.include_redacted,
    )


def to_proto(decision: Decision) -> residency_pb2.Decision:
    verdict = decision.verdict
    message = residency_pb2.Decision(
        decision_id=decision.decision_id,
        action=_ACTIONS[verdict.action],
        reasons=list(verdict.reasons),
        findings=[
            residency_pb2.Finding(
                entity_type=f.entity_type,
                category=str(f.category),
                message_index=f.message_index,
                start=f.start,
                end=f.end,
                score=f.score,
            )
            for f in decision.findings
        ],
        policy_revision=decision.policy_revision,
        fallback=verdict.fallback,
        fallback_reason=verdict.fallback_reason,
        fallback_code=verdict.fallback_code,
        timings=residency_pb2.Timings(
            detect_ms=decision.timings.detect_ms,
            policy_ms=decision.timings.policy_ms,
            total_ms=decision.timings.total_ms,
        ),
    )
    if verdict.target is not None:
        t = verdict.target
        message.target.CopyFrom(
            residency_pb2.Target(
                name=t.name, provider=t.provider, model=t.model, region=t.region, endpoint=t.endpoint,
                self_hosted=t.self_hosted,
            )
        )
    if decision.redacted_messages is not None:
        message.redacted_messages.extend(
            residency_pb2.Message(role=m.role, content=m.content) for m in decision.redacted_messages
        )
    return message


def _to_value(result) -> struct_pb2.Value:
    """Any JSON value (None included) as a protobuf Value; Struct.update does the conversion."""
    holder = struct_pb2.Struct()
    holder.update({"value": result})
    return holder.fields["value"]


def _check_identifier(field: str, value: str) -> None:
    if len(value) > _IDENTIFIER_MAX_CHARS:
        raise RequestRejected(
            grpc.StatusCode.INVALID_ARGUMENT, f"{field} is longer than {_IDENTIFIER_MAX_CHARS} characters"
        )
    if _CONTROL_CHARACTER.search(value):
        raise RequestRejected(grpc.StatusCode.INVALID_ARGUMENT, f"{field} contains control characters")


def _roles() -> str:
    return ", ".join(sorted(ALLOWED_ROLES))
