"""Policy distribution through a running sidecar: hot reload, bundles over HTTP, remote OPA."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace

import pytest

from policy.bundles import load_bundle
from service.api import residency_pb2 as A
from tests.conftest import SHIPPED_POLICY, request
from tests.opa_data_api import LoopbackOpaDataApi
from tests.policy.test_store import BundleServer

EU_EMAIL = "Email jane.doe@example.com about the invoice"


def wait_for(condition, what: str, within_s: float = 15.0) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {within_s} s: {what}")


def redact_for_acme(root) -> None:
    """A tenant exception (the shipped tests still pass): acme's personal data is redacted, not rerouted."""
    data_file = root / "data.json"
    data = json.loads(data_file.read_text())
    data["residency"]["tenants"]["acme"] = {"personal_data": "redact"}
    data_file.write_text(json.dumps(data, indent=2))


def test_an_edit_takes_effect_without_restart_and_a_broken_one_is_refused(start_sidecar, settings, tmp_path):
    bundle = tmp_path / "policy"
    shutil.copytree(SHIPPED_POLICY, bundle)
    policy = replace(settings.policy, path=str(bundle), poll_interval_s=0.2)
    running = start_sidecar(replace(settings, policy=policy))
    before = running.stub.Evaluate(request(EU_EMAIL))
    assert before.target.name == "hosted-eu"

    redact_for_acme(bundle)
    wait_for(lambda: running.stub.Evaluate(request(EU_EMAIL)).action == A.REDACT, "the edit serves")
    after = running.stub.Evaluate(request(EU_EMAIL))
    assert after.policy_revision != before.policy_revision

    (bundle / "decision.rego").write_text((bundle / "decision.rego").read_text() + "\nbroken := {\n")
    store = running.sidecar.policy_store
    wait_for(lambda: store.status().reload_failures == 1, "the broken edit is refused")
    assert "decision.rego:" in store.status().last_error
    still = running.stub.Evaluate(request(EU_EMAIL))
    assert (still.action, still.policy_revision) == (A.REDACT, after.policy_revision)


def test_a_failing_policy_test_is_refused(start_sidecar, settings, tmp_path):
    bundle = tmp_path / "policy"
    shutil.copytree(SHIPPED_POLICY, bundle)
    running = start_sidecar(replace(settings, policy=replace(settings.policy, path=str(bundle), poll_interval_s=0.2)))
    revision = running.stub.Evaluate(request(EU_EMAIL)).policy_revision

    (bundle / "extra_test.rego").write_text(
        "package residency_test\nimport rego.v1\ntest_wrong if data.residency.default_target == \"local\"\n"
    )

    store = running.sidecar.policy_store
    wait_for(lambda: store.status().reload_failures == 1, "the failing test is refused")
    assert "test_wrong" in store.status().last_error
    assert running.stub.Evaluate(request(EU_EMAIL)).policy_revision == revision


def test_a_bundle_served_over_http_carries_its_manifest_revision(start_sidecar, settings, tmp_path):
    with BundleServer() as server:
        server.publish(SHIPPED_POLICY, tmp_path, "2026-11-24.1")
        policy = replace(settings.policy, path=server.url, poll_interval_s=0.2)
        running = start_sidecar(replace(settings, policy=policy))

        first = running.stub.Evaluate(request(EU_EMAIL))
        changed = tmp_path / "changed"
        shutil.copytree(SHIPPED_POLICY, changed)
        redact_for_acme(changed)
        server.publish(changed, tmp_path, "2026-11-24.2")
        wait_for(lambda: running.stub.Evaluate(request(EU_EMAIL)).policy_revision == "2026-11-24.2", "v2 serves")
        second = running.stub.Evaluate(request(EU_EMAIL))

    assert (first.policy_revision, first.target.name) == ("2026-11-24.1", "hosted-eu")
    assert second.action == A.REDACT


REQUESTS = [
    pytest.param(request(EU_EMAIL), id="eu-email"),
    pytest.param(request(EU_EMAIL, jurisdiction="US"), id="us-email"),
    pytest.param(request(EU_EMAIL, jurisdiction=""), id="unknown-jurisdiction"),
    pytest.param(request("My card is 4111 1111 1111 1111"), id="card"),
    pytest.param(request("Explain the CAP theorem"), id="clean"),
    pytest.param(request("Explain the CAP theorem", target="hosted-mars"), id="unknown-target"),
    pytest.param(request(EU_EMAIL, tenant="acme-redact", jurisdiction="US"), id="tenant-redact"),
    pytest.param(request("Explain the CAP theorem", labels={"classification": "restricted"}), id="restricted"),
]


@pytest.fixture(scope="module")
def loopback_opa():
    with LoopbackOpaDataApi(load_bundle(SHIPPED_POLICY)) as opa:
        yield opa


@pytest.mark.parametrize("req", REQUESTS)
def test_remote_opa_and_embedded_engine_decide_alike(start_sidecar, settings, tmp_path, loopback_opa, req):
    embedded = start_sidecar(settings)
    remote_settings = replace(
        settings,
        policy=replace(settings.policy, engine="opa", opa_url=loopback_opa.url, opa_timeout_s=2.0),
        audit=replace(settings.audit, path=tmp_path / "remote-audit.jsonl"),
    )
    remote = start_sidecar(remote_settings)

    a, b = embedded.stub.Evaluate(req), remote.stub.Evaluate(req)

    assert (a.action, a.target.name, list(a.reasons)) == (b.action, b.target.name, list(b.reasons))
    assert not a.fallback and not b.fallback


def test_an_unreachable_opa_falls_back(start_sidecar, settings, loopback_opa):
    remote = start_sidecar(
        replace(settings, policy=replace(settings.policy, engine="opa", opa_url=loopback_opa.url, opa_timeout_s=0.5))
    )
    loopback_opa.stop()
    try:
        decision = remote.stub.Evaluate(request("Explain the CAP theorem"))
    finally:
        loopback_opa.start()

    assert decision.fallback and decision.target.name == "local" and decision.action == A.ROUTE_SELF_HOSTED
