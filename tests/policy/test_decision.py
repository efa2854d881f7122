"""check_result: the gate between a policy's answer and the network."""

from __future__ import annotations

import pytest

from policy.categories import Category
from policy.decision import Action, Caller, EvaluationRequest, Target, build_input, check_result, fallback
from policy.detect import Finding, Message
from policy.errors import InvalidDecisionError

TARGETS = {
    "hosted-us": Target("hosted-us", region="us"),
    "local": Target("local", self_hosted=True),
}
CARD = Finding("CREDIT_CARD", Category.PCI, 0, 11, 30, 1.0, "CreditCardRecognizer")
EMAIL = Finding("EMAIL_ADDRESS", Category.PII, 0, 0, 10, 1.0, "EmailRecognizer")


@pytest.mark.parametrize(
    ("result", "findings", "expected"),
    [
        pytest.param({"action": "allow_external", "target": "hosted-us", "reasons": ["clean"]}, [],
                     (Action.ALLOW_EXTERNAL, "hosted-us"), id="allow"),
        pytest.param({"action": "route_self_hosted", "target": "local"}, [CARD],
                     (Action.ROUTE_SELF_HOSTED, "local"), id="self-hosted"),
        pytest.param({"action": "redact", "target": "hosted-us", "redact": ["CREDIT_CARD"]}, [CARD, EMAIL],
                     (Action.REDACT, "hosted-us"), id="redacting-the-card-lets-it-go"),
        pytest.param({"action": "deny", "target": ""}, [CARD], (Action.DENY, None), id="deny"),
    ],
)
def test_valid_results(result, findings, expected):
    verdict = check_result(result, targets=TARGETS, findings=findings)

    assert (verdict.action, verdict.target.name if verdict.target else None) == expected
    assert not verdict.fallback


@pytest.mark.parametrize(
    ("result", "findings", "message"),
    [
        pytest.param(None, [], "undefined", id="undefined"),
        pytest.param([], [], "must be an object", id="list"),
        pytest.param({"action": "allow", "target": "hosted-us"}, [], "unknown action", id="unknown-action"),
        pytest.param({"target": "hosted-us"}, [], "unknown action", id="missing-action"),
        pytest.param({"action": "allow_external", "target": "x"}, [], "unknown target", id="unknown-target"),
        pytest.param({"action": "allow_external"}, [], "unknown target", id="missing-target"),
        pytest.param({"action": "allow_external", "target": "local"}, [], "names self-hosted target",
                     id="external-action-local-target"),
        pytest.param({"action": "route_self_hosted", "target": "hosted-us"}, [], "names external target",
                     id="self-hosted-action-external-target"),
        pytest.param({"action": "allow_external", "target": "hosted-us"}, [CARD], "would carry PCI", id="floor"),
        pytest.param({"action": "redact", "target": "hosted-us", "redact": []}, [EMAIL], "lists no entity types",
                     id="redact-nothing"),
        pytest.param({"action": "deny", "target": "hosted-us"}, [], "names no target", id="deny-with-target"),
        pytest.param({"action": "allow_external", "target": "hosted-us", "reasons": "x"}, [], "reasons must be",
                     id="reasons-not-list"),
        pytest.param({"action": "allow_external", "target": "hosted-us", "redact": ["CREDIT_CARD"]}, [CARD],
                     "redacts nothing", id="allow-external-with-a-redact-list-is-not-redacted"),
        pytest.param({"action": "allow_external", "target": "hosted-us", "extra": {1: "a", "b": 2}}, [],
                     "JSON document", id="non-string-keys"),
    ],
)
def test_invalid_results_are_refused(result, findings, message):
    with pytest.raises(InvalidDecisionError, match=message):
        check_result(result, targets=TARGETS, findings=findings)


def test_floor_is_configurable():
    result = {"action": "allow_external", "target": "hosted-us"}

    verdict = check_result(result, targets=TARGETS, findings=[CARD], floor_categories=frozenset({"SECRET"}))

    assert verdict.action is Action.ALLOW_EXTERNAL


@pytest.mark.parametrize(
    ("fallback_target", "action", "target"),
    [
        pytest.param("local", Action.ROUTE_SELF_HOSTED, "local", id="self-hosted"),
        pytest.param(None, Action.DENY, None, id="none-configured"),
        pytest.param("hosted-us", Action.DENY, None, id="external-is-never-a-fallback"),
    ],
)
def test_fallback_is_never_external(fallback_target, action, target):
    verdict = fallback("policy_error", "boom", targets=TARGETS, fallback_target=fallback_target)

    assert (verdict.action, verdict.target.name if verdict.target else None) == (action, target)
    assert verdict.fallback and (verdict.fallback_code, verdict.fallback_reason) == ("policy_error", "boom")


def test_input_document_holds_no_text():
    request = EvaluationRequest(
        caller=Caller("svc", "acme", jurisdiction="EU"),
        messages=(Message("system", "be nice"), Message("user", "mail jane@example.com")),
        request_id="r1",
        requested_target="hosted-us",
        labels={"classification": "internal"},
    )
    email = Finding("EMAIL_ADDRESS", Category.PII, 1, 5, 21, 1.0, "EmailRecognizer")

    document = build_input(request, [email], complete=True)

    assert document == {
        "caller": {"service": "svc", "tenant": "acme", "user": "", "jurisdiction": "EU", "purpose": ""},
        "request": {"id": "r1", "requested_target": "hosted-us", "labels": {"classification": "internal"},
                    "message_count": 2},
        "findings": [{"type": "EMAIL_ADDRESS", "category": "PII", "score": 1.0, "message": 1, "role": "user",
                      "start": 5, "end": 21}],
        "summary": {"categories": ["PII"], "types": {"EMAIL_ADDRESS": 1}},
        "detection": {"complete": True},
    }
