"""Property tests: whatever arrives, the sidecar answers with a status or a decision, never crashes,
and never sends a prompt out when something went wrong."""

from __future__ import annotations

import grpc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.api import residency_pb2 as A

ROLES = st.sampled_from(["user", "assistant", "system", "tool", "developer", "", "robot", "USER"])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
SHORT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
EXPECTED_REFUSALS = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED}


@st.composite
def requests(draw):
    caller = A.Caller(service=draw(SHORT), tenant=draw(SHORT), user=draw(SHORT),
                      jurisdiction=draw(st.sampled_from(["", "EU", "DE", "US", "xx", "eu", "E\x00U"]) | SHORT),
                      purpose=draw(SHORT))
    request = A.EvaluateRequest(
        request_id=draw(SHORT),
        requested_target=draw(st.sampled_from(["", "hosted-us", "hosted-eu", "local"]) | SHORT),
        messages=[A.Message(role=draw(ROLES), content=draw(TEXT)) for _ in range(draw(st.integers(0, 4)))],
        labels=draw(st.dictionaries(SHORT, SHORT, max_size=40)),
        include_redacted=draw(st.booleans()),
    )
    if draw(st.booleans()):
        request.caller.CopyFrom(caller)
    return request


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=requests())
def test_random_requests_get_a_status_or_a_safe_decision(sidecar, request):
    try:
        decision = sidecar.stub.Evaluate(request, timeout=30)
    except grpc.RpcError as error:
        assert error.code() in EXPECTED_REFUSALS, (error.code(), error.details())
        return
    assert decision.action != A.ACTION_UNSPECIFIED
    if decision.fallback:
        assert decision.action in (A.ROUTE_SELF_HOSTED, A.DENY)
        assert not decision.target.name or decision.target.self_hosted
    if decision.action == A.ALLOW_EXTERNAL:
        assert not {f.category for f in decision.findings} & {"SECRET", "PCI", "GOV_ID", "PHI"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_planted_card_in_random_text_never_goes_out(sidecar, text):
    request = A.EvaluateRequest(
        caller=A.Caller(service="fuzz", tenant="acme", jurisdiction="US"),
        requested_target="hosted-us",
        messages=[A.Message(role="user", content=f"{text} 4111 1111 1111 1111 {text}")],
    )

    decision = sidecar.stub.Evaluate(request, timeout=30)

    assert decision.action != A.ALLOW_EXTERNAL and not (decision.target.name and not decision.target.self_hosted)
