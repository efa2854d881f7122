"""RemoteOpaPolicy against a loopback stand-in for OPA's Data API: same decisions, and every failure fails closed."""

from __future__ import annotations

import json
import shutil
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from policy.bundles import load_bundle
from policy.decision import Action, Caller, EvaluationRequest, check_result
from policy.detect import Finding, Message
from policy.errors import PolicyEvaluationError, PolicyLoadError
from policy.opa_remote import OpaDataApi, OpaSource, RemoteOpaPolicy
from policy.pipeline import Pipeline, Policy
from policy.rego import Bundle, RegoEngine
from policy.store import PolicyStore
from tests.conftest import SHIPPED_POLICY
from tests.opa_data_api import Fault, LoopbackOpaDataApi
from tests.policy.test_store import wait_for

TIMEOUT_S = 0.2


def finding(entity_type: str, category: str) -> dict[str, Any]:
    return {"type": entity_type, "category": category, "score": 1.0, "message": 0, "role": "user", "start": 0,
            "end": 10}


def make_input(jurisdiction: str, target: str, *findings: dict[str, Any], tenant: str = "acme",
               labels: dict[str, str] | None = None, complete: bool = True) -> dict[str, Any]:
    return {
        "caller": {"service": "billing", "tenant": tenant, "user": "u-1", "jurisdiction": jurisdiction,
                   "purpose": "support"},
        "request": {"id": "r-1", "requested_target": target, "labels": labels or {},
                    "message_count": 1},
        "findings": list(findings),
        "summary": {"categories": sorted({f["category"] for f in findings}),
                    "types": {f["type"]: 1 for f in findings}},
        "detection": {"complete": complete},
    }


EMAIL = finding("EMAIL_ADDRESS", "PII")

# (input, action, target): the shipped policy's answer, which both paths must give.
DECISIONS = [
    pytest.param(make_input("EU", "hosted-us"), "allow_external", "hosted-us", id="clean-eu-to-us"),
    pytest.param(make_input("EU", ""), "allow_external", "hosted-us", id="clean-default-target"),
    pytest.param(make_input("US", "hosted-mars"), "deny", "", id="unknown-target"),
    pytest.param(make_input("EU", "local", finding("CREDIT_CARD", "PCI")), "route_self_hosted", "local",
                 id="self-hosted-requested"),
    pytest.param(make_input("US", "hosted-us", labels={"classification": "Confidential"}), "route_self_hosted",
                 "local", id="confidential-label"),
    pytest.param(make_input("US", "hosted-us", complete=False), "route_self_hosted", "local",
                 id="detection-incomplete"),
    pytest.param(make_input("US", "hosted-us", {"type": "X", "category": "NOPE"}), "route_self_hosted", "local",
                 id="malformed-finding"),
    pytest.param(make_input("US", "hosted-us", finding("CREDIT_CARD", "PCI")), "route_self_hosted", "local",
                 id="card"),
    pytest.param(make_input("US", "hosted-us", finding("AWS_ACCESS_KEY", "SECRET")), "route_self_hosted", "local",
                 id="secret"),
    pytest.param(make_input("US", "hosted-us", finding("UK_NHS", "PHI")), "route_self_hosted", "local",
                 id="health"),
    pytest.param(make_input("DE", "hosted-eu", finding("DE_TAX_ID", "GOV_ID")), "route_self_hosted", "local",
                 id="government-id"),
    pytest.param(make_input("EU", "hosted-eu", finding("SPECIAL", "SPECIAL")), "route_self_hosted", "local",
                 id="special-category"),
    pytest.param(make_input("EU", "hosted-us", EMAIL), "allow_external", "hosted-eu", id="eu-email-rerouted"),
    pytest.param(make_input("DE", "hosted-us", EMAIL), "allow_external", "hosted-eu", id="member-state-rerouted"),
    pytest.param(make_input("EU", "hosted-eu", EMAIL), "allow_external", "hosted-eu", id="eu-email-in-region"),
    pytest.param(make_input("US", "hosted-us", EMAIL), "allow_external", "hosted-us", id="us-email"),
    pytest.param(make_input("GB", "hosted-us", finding("IBAN_CODE", "FINANCIAL")), "allow_external", "hosted-eu",
                 id="gb-iban-rerouted"),
    pytest.param(make_input("ZZ", "hosted-us", EMAIL), "route_self_hosted", "local", id="unknown-jurisdiction"),
    pytest.param(make_input("", "hosted-us", EMAIL), "route_self_hosted", "local", id="no-jurisdiction"),
    pytest.param(make_input("EU", "hosted-eu", EMAIL, tenant="acme-redact"), "redact", "hosted-eu",
                 id="tenant-redacts"),
    pytest.param(make_input("EU", "hosted-us", finding("DATE_TIME", "QUASI")), "allow_external", "hosted-us",
                 id="quasi-identifier-only"),
]


@pytest.fixture(scope="module")
def shipped_bundle() -> Bundle:
    return load_bundle(SHIPPED_POLICY)


@pytest.fixture(scope="module")
def opa(shipped_bundle) -> Iterator[LoopbackOpaDataApi]:
    with LoopbackOpaDataApi(shipped_bundle) as server:
        yield server


@pytest.fixture(scope="module")
def remote(opa) -> Iterator[RemoteOpaPolicy]:
    api = OpaDataApi(opa.url, timeout_s=2.0)
    yield RemoteOpaPolicy.connect(api)
    api.close()


@pytest.fixture(scope="module")
def embedded(shipped_bundle) -> Policy:
    return Policy(RegoEngine(shipped_bundle))


@pytest.mark.parametrize(("input_document", "action", "target"), DECISIONS)
def test_embedded_and_remote_decide_alike(embedded, remote, input_document, action, target):
    local_result = embedded.evaluate(input_document)
    remote_result = remote.evaluate(input_document)

    assert remote_result == local_result
    assert (remote_result["action"], remote_result["target"]) == (action, target)


def test_connect_takes_targets_and_revision_from_opa(remote, embedded, opa):
    assert remote.targets == embedded.targets
    assert (remote.revision, remote.bundle) == (embedded.revision, "residency")
    assert "GET /v1/data/residency/targets" in opa.requests
    assert "GET /v1/data/system/bundles" in opa.requests


def test_decisions_ask_for_provenance(remote, opa):
    remote.evaluate(make_input("EU", "hosted-us"))

    assert opa.requests[-1] == "POST /v1/data/residency/decision?provenance=true"


# -- failures --------------------------------------------------------------------------


@pytest.fixture
def connected(shipped_bundle) -> Iterator[tuple[LoopbackOpaDataApi, RemoteOpaPolicy]]:
    """A fresh server (its one thread may be put to sleep) and a policy connected to it."""
    server = LoopbackOpaDataApi(shipped_bundle, delay_s=3 * TIMEOUT_S).start()
    api = OpaDataApi(server.url, timeout_s=TIMEOUT_S)
    policy = RemoteOpaPolicy.connect(api)
    try:
        yield server, policy
    finally:
        api.close()
        server.stop()


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        pytest.param(Fault.SLOW, f"no answer within {TIMEOUT_S} s", id="sleeps-past-the-timeout"),
        pytest.param(Fault.SERVER_ERROR, "HTTP 500 internal_error: stand-in failure", id="http-500"),
        pytest.param(Fault.MALFORMED_JSON, "answered with malformed JSON", id="malformed-json"),
    ],
)
def test_a_failing_opa_is_an_evaluation_error(connected, fault, message):
    server, policy = connected
    server.fault = fault
    started = time.monotonic()

    with pytest.raises(PolicyEvaluationError, match=message):
        policy.evaluate(make_input("EU", "hosted-us"))
    assert time.monotonic() - started < 10 * TIMEOUT_S  # no retries


def test_an_unreachable_opa_is_an_evaluation_error(shipped_bundle):
    server = LoopbackOpaDataApi(shipped_bundle).start()
    policy = RemoteOpaPolicy.connect(OpaDataApi(server.url, timeout_s=TIMEOUT_S))
    server.stop()  # the port is closed now

    with pytest.raises(PolicyEvaluationError, match=r"POST /v1/data/residency/decision: unreachable"):
        policy.evaluate(make_input("EU", "hosted-us"))


def test_connect_to_an_unreachable_opa_is_a_load_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(PolicyLoadError, match="GET /v1/data/system/bundles: unreachable"):
        RemoteOpaPolicy.connect(OpaDataApi(f"http://127.0.0.1:{port}", timeout_s=TIMEOUT_S))


class NoFindings:
    """A detector double: the prompt holds nothing regulated."""

    def detect(self, messages, scope="") -> list[Finding]:
        return []


class RecordedAudit:
    """An audit sink double that keeps the records in memory."""

    def __init__(self) -> None:
        self.records: list[dict] = []

    def append(self, record: dict) -> dict:
        self.records.append(record)
        return record


def test_the_pipeline_falls_back_to_self_hosted_when_opa_fails(connected):
    server, policy = connected
    audit = RecordedAudit()
    server.fault = Fault.SERVER_ERROR

    with ThreadPoolExecutor(max_workers=2) as executor:
        pipeline = Pipeline(detector=NoFindings(), policy=lambda: policy, audit=audit, executor=executor)
        decision = pipeline.evaluate(EvaluationRequest(
            caller=Caller(service="billing", tenant="acme", jurisdiction="US"),
            messages=(Message("user", "Explain the CAP theorem"),),
            requested_target="hosted-us",
        ))

    verdict = decision.verdict
    assert (verdict.action, verdict.target.name, verdict.fallback) == (Action.ROUTE_SELF_HOSTED, "local", True)
    assert "HTTP 500" in verdict.fallback_reason
    assert audit.records[0]["policy_revision"] == policy.revision


# -- revisions ---------------------------------------------------------------------------


@pytest.fixture
def edited_bundle(tmp_path) -> Bundle:
    """The shipped bundle with a redact exception for tenant acme: another revision."""
    root = Path(shutil.copytree(SHIPPED_POLICY, tmp_path / "policy"))
    data = json.loads((root / "data.json").read_text())
    data["residency"]["tenants"]["acme"] = {"personal_data": "redact"}
    (root / "data.json").write_text(json.dumps(data))
    return load_bundle(root)


def test_a_decision_from_another_bundle_revision_is_refused(connected, edited_bundle):
    server, policy = connected

    server.activate(edited_bundle)

    with pytest.raises(PolicyEvaluationError, match=f"at revision '{edited_bundle.revision}', not '{policy.revision}'"):
        policy.evaluate(make_input("EU", "hosted-eu", EMAIL))


def test_the_store_follows_opa_to_a_new_bundle_revision(shipped_bundle, edited_bundle):
    with LoopbackOpaDataApi(shipped_bundle) as server:
        store = PolicyStore(OpaSource(OpaDataApi(server.url, timeout_s=2.0)), poll_interval_s=0.05)
        store.start()
        try:
            assert store.current().revision == shipped_bundle.revision

            server.activate(edited_bundle)

            wait_for(lambda: store.current().revision == edited_bundle.revision, "the new OPA revision serves")
            result = store.current().evaluate(make_input("EU", "hosted-eu", EMAIL))
            assert result["action"] == "redact"
            check_result(result, targets=store.current().targets, findings=())
        finally:
            store.stop()


def test_an_opa_without_a_bundle_needs_a_configured_revision(shipped_bundle):
    with LoopbackOpaDataApi(shipped_bundle, bundle_name=None) as server:
        api = OpaDataApi(server.url, timeout_s=2.0)
        with pytest.raises(PolicyLoadError, match="configure one"):
            RemoteOpaPolicy.connect(api)

        pinned = RemoteOpaPolicy.connect(api, revision="pushed-2026-01-01")

        assert (pinned.revision, pinned.bundle) == ("pushed-2026-01-01", None)
        assert pinned.evaluate(make_input("US", "hosted-us", EMAIL))["target"] == "hosted-us"
        api.close()


def test_an_opa_without_targets_is_refused(tmp_path):
    (tmp_path / "p.rego").write_text("package residency\nimport rego.v1\ndecision := {}\n")
    with (
        LoopbackOpaDataApi(load_bundle(tmp_path)) as server,
        pytest.raises(PolicyLoadError, match=r"has no data\.residency\.targets object"),
    ):
        RemoteOpaPolicy.connect(OpaDataApi(server.url, timeout_s=2.0))


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("ftp://127.0.0.1:8181", id="not-http"),
        pytest.param("http://127.0.0.1:8181/opa", id="with-a-path"),
        pytest.param("127.0.0.1:8181", id="no-scheme"),
    ],
)
def test_an_opa_url_must_be_scheme_host_and_port(url):
    with pytest.raises(PolicyLoadError, match="must be http"):
        OpaDataApi(url)
