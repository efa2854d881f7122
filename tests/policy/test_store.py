"""PolicyStore: hot reload from a directory, a .tar.gz and a URL, its gates, and the decision contract."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from policy.bundles import build_bundle, load_bundle
from policy.categories import Category
from policy.contract import JURISDICTIONS, check_contract, contract_inputs
from policy.errors import PolicyLoadError
from policy.pipeline import Policy
from policy.rego import RegoEngine
from policy.store import (
    ArchiveSource,
    DirectorySource,
    PolicyStore,
    UrlSource,
    policy_source,
)
from tests.conftest import SHIPPED_POLICY

POLL_S = 0.05
WITHIN_S = 5.0
# Personal data of tenant acme in the EU, to an EU target: sent as it is, unless acme gets a redact exception.
ACME_EMAIL_TO_EU = {
    "caller": {"service": "tests", "tenant": "acme", "jurisdiction": "EU"},
    "request": {"requested_target": "hosted-eu", "labels": {}},
    "findings": [{"type": "EMAIL_ADDRESS", "category": "PII", "score": 1.0, "message": 0, "role": "user",
                  "start": 0, "end": 20}],
    "summary": {"categories": ["PII"], "types": {"EMAIL_ADDRESS": 1}},
    "detection": {"complete": True},
}


def wait_for(condition: Callable[[], bool], what: str, within_s: float = WITHIN_S) -> None:
    deadline = time.monotonic() + within_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within_s} s: {what}")
        time.sleep(0.02)


def edit_json(path: Path, edit: Callable[[dict], None]) -> None:
    document = json.loads(path.read_text())
    edit(document)
    path.write_text(json.dumps(document, indent=2))


def redact_for_acme(document: dict) -> None:
    document["residency"]["tenants"]["acme"] = {"personal_data": "redact"}


@pytest.fixture
def policy_dir(tmp_path) -> Path:
    return Path(shutil.copytree(SHIPPED_POLICY, tmp_path / "policy"))


@pytest.fixture
def run_store() -> Iterator[Callable[..., PolicyStore]]:
    stores: list[PolicyStore] = []

    def run(source, **options) -> PolicyStore:
        options.setdefault("poll_interval_s", POLL_S)
        store = PolicyStore(source, **options)
        store.start()
        stores.append(store)
        return store

    yield run
    for store in stores:
        store.stop()


def action_for_acme(store: PolicyStore) -> str:
    return store.current().evaluate(ACME_EMAIL_TO_EU)["action"]


# -- directory -----------------------------------------------------------------------


def test_an_edited_directory_serves_its_new_revision(policy_dir, run_store):
    store = run_store(DirectorySource(policy_dir))
    first = store.current().revision
    assert action_for_acme(store) == "allow_external"

    edit_json(policy_dir / "data.json", redact_for_acme)

    wait_for(lambda: store.current().revision != first, "the edited bundle serves")
    status = store.status()
    assert action_for_acme(store) == "redact"
    assert (status.revision, status.reloads, status.reload_failures, status.last_error) == (
        store.current().revision, 1, 0, "")
    assert status.last_reload_time is not None


@pytest.mark.parametrize(
    ("file", "text", "error"),
    [
        pytest.param("broken.rego", "package residency\nimport rego.v1\n\nx := {\n", r"broken\.rego:\d+:\d+: error:",
                     id="syntax-error"),
        pytest.param("failing_test.rego",
                     "package residency_test\nimport rego.v1\ntest_fails if data.residency.default_target == \"x\"\n",
                     r"1 of \d+ policy tests fail; first: data\.residency_test\.test_fails at failing_test\.rego:3",
                     id="failing-test"),
        pytest.param("data.json", "{\"residency\": ", r"data\.json:1:\d+: invalid JSON", id="bad-json"),
    ],
)
def test_a_bad_edit_is_refused_and_the_old_revision_keeps_serving(policy_dir, run_store, file, text, error):
    store = run_store(DirectorySource(policy_dir))
    first = store.current()

    (policy_dir / file).write_text(text)

    wait_for(lambda: store.status().reload_failures == 1, "the bad edit is refused")
    status = store.status()
    assert store.current() is first and status.revision == first.revision and status.reloads == 0
    assert re.search(error, status.last_error)


def test_a_contract_breaking_edit_is_refused(policy_dir, run_store):
    (policy_dir / "decision_test.rego").unlink()  # otherwise the shipped tests refuse it first
    store = run_store(DirectorySource(policy_dir))
    first = store.current()

    rules = policy_dir / "decision.rego"
    rules.write_text(rules.read_text().replace(
        "no_regulated_data_decision := allow_external(requested_target, [",
        'no_regulated_data_decision := allow_external("hosted-nowhere", ['))

    wait_for(lambda: store.status().reload_failures == 1, "the edit is refused")
    assert store.current() is first
    assert "decision contract:" in store.status().last_error
    assert "unknown target 'hosted-nowhere'" in store.status().last_error


def test_an_edit_that_removes_the_fallback_target_is_refused(policy_dir, run_store):
    (policy_dir / "decision_test.rego").unlink()  # the shipped tests expect a self-hosted `local`
    store = run_store(DirectorySource(policy_dir), fallback_target="local")

    edit_json(policy_dir / "data.json", lambda d: d["residency"]["targets"]["local"].update(self_hosted=False))

    wait_for(lambda: store.status().reload_failures == 1, "the edit is refused")
    assert "fallback target 'local' is not a self-hosted target" in store.status().last_error


def test_a_rewrite_that_changes_nothing_is_not_a_reload(policy_dir, run_store, monkeypatch):
    store = run_store(DirectorySource(policy_dir))
    reads = []
    read = DirectorySource._read
    monkeypatch.setattr(DirectorySource, "_read", lambda self: reads.append(1) or read(self))

    (policy_dir / "data.json").write_text((policy_dir / "data.json").read_text() + "\n")
    wait_for(lambda: reads, "the rewritten file is read")

    assert (store.status().reloads, store.status().reload_failures) == (0, 0)


def test_a_first_bundle_that_fails_is_an_error(tmp_path):
    (tmp_path / "p.rego").write_text("package residency\n\nx := [\n")
    store = PolicyStore(DirectorySource(tmp_path), poll_interval_s=POLL_S)

    with pytest.raises(PolicyLoadError, match=r"p\.rego:\d+:\d+"):
        store.start()
    with pytest.raises(PolicyLoadError, match="not been started"):
        store.current()


# -- archive ---------------------------------------------------------------------------


def test_a_rebuilt_archive_serves_its_manifest_revision(policy_dir, tmp_path, run_store):
    archive = tmp_path / "bundle.tar.gz"
    build_bundle(policy_dir, archive, revision="2026-01-01.1")
    store = run_store(ArchiveSource(archive))
    assert store.current().revision == "2026-01-01.1"

    edit_json(policy_dir / "data.json", redact_for_acme)
    build_bundle(policy_dir, archive, revision="2026-01-01.2")

    wait_for(lambda: store.current().revision == "2026-01-01.2", "the rebuilt archive serves")
    assert action_for_acme(store) == "redact"


# -- URL ---------------------------------------------------------------------------------


class BundleServer:
    """A loopback HTTP server publishing one bundle archive, with an ETag and 304 answers."""

    def __init__(self) -> None:
        self.archive = b""
        self.status = 200
        self.answers: list[int] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                etag = '"' + hashlib.sha256(server.archive).hexdigest()[:16] + '"'
                if server.status != 200:
                    status, body = server.status, b"unavailable"
                elif self.headers.get("If-None-Match") == etag:
                    status, body = 304, b""
                else:
                    status, body = 200, server.archive
                server.answers.append(status)
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                """Quiet."""

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/bundles/residency.tar.gz"
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def publish(self, directory: Path, tmp_path: Path, revision: str) -> None:
        output = tmp_path / f"{revision}.tar.gz"
        build_bundle(directory, output, revision=revision)
        self.archive = output.read_bytes()

    def __enter__(self) -> BundleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._http.shutdown()
        self._http.server_close()


def test_a_published_bundle_is_picked_up_by_etag_and_a_304_is_not_a_reload(policy_dir, tmp_path, run_store):
    with BundleServer() as server:
        server.publish(policy_dir, tmp_path, "v1")
        store = run_store(UrlSource(server.url, timeout_s=2.0))
        assert store.current().revision == "v1"

        wait_for(lambda: server.answers.count(304) >= 3, "conditional polls are answered 304")
        assert (store.current().revision, store.status().reloads) == ("v1", 0)

        edit_json(policy_dir / "data.json", redact_for_acme)
        server.publish(policy_dir, tmp_path, "v2")

        wait_for(lambda: store.current().revision == "v2", "the new bundle serves")
        assert action_for_acme(store) == "redact"
        assert store.status().reloads == 1


def test_a_failing_bundle_server_keeps_the_old_revision(policy_dir, tmp_path, run_store):
    with BundleServer() as server:
        server.publish(policy_dir, tmp_path, "v1")
        store = run_store(UrlSource(server.url, timeout_s=2.0))

        server.status = 503
        wait_for(lambda: store.status().reload_failures >= 1, "the failure is recorded")

        assert store.current().revision == "v1"
        assert "HTTP 503" in store.status().last_error


# -- sources ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "kind"),
    [
        pytest.param("https://bundles.example/residency.tar.gz", UrlSource, id="url"),
        pytest.param("bundle.tar.gz", ArchiveSource, id="archive"),
        pytest.param(str(SHIPPED_POLICY), DirectorySource, id="directory"),
    ],
)
def test_policy_source_follows_the_location(location, kind):
    assert isinstance(policy_source(location), kind)


def test_policy_source_refuses_anything_else(tmp_path):
    with pytest.raises(PolicyLoadError, match="neither a bundle directory"):
        policy_source(tmp_path / "policy.zip")


# -- the decision contract ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Policy:
    return Policy(RegoEngine(load_bundle(SHIPPED_POLICY)))


def test_the_shipped_policy_meets_the_contract(shipped):
    report = check_contract(shipped, tenants=("acme-redact",))

    assert report.passed, report.summary()
    assert report.cases > 200


def test_contract_inputs_cover_every_category_and_jurisdiction(shipped):
    cases = list(contract_inputs(shipped.targets))
    categories = {f["category"] for case in cases for f in case.input["findings"]}
    jurisdictions = {case.input["caller"]["jurisdiction"] for case in cases}

    assert categories == {str(c) for c in Category}
    assert jurisdictions == set(JURISDICTIONS)
    assert any(case.input["request"]["labels"] == {"classification": "confidential"} for case in cases)
    assert len({case.name for case in cases}) == len(cases)


TARGETS = {"residency": {"targets": {"ext": {"self_hosted": False}, "local": {"self_hosted": True}}}}


@pytest.mark.parametrize(
    ("rego", "error"),
    [
        pytest.param('decision := {"action": "route_self_hosted", "target": "local"} if input.caller.tenant == "x"',
                     "is undefined for this input", id="undefined"),
        pytest.param('decision := {"action": "send", "target": "ext"}', "unknown action 'send'", id="unknown-action"),
        pytest.param('decision := {"action": "allow_external", "target": "nowhere"}', "unknown target 'nowhere'",
                     id="unknown-target"),
        pytest.param('decision := {"action": "route_self_hosted", "target": "ext"}',
                     "route_self_hosted names external target 'ext'", id="self-hosted-route-to-external"),
        pytest.param('decision := {"action": "allow_external", "target": "ext"}', "would carry PCI data",
                     id="floor-category-sent-out"),
        pytest.param('decision := {"action": to_number(input.caller.jurisdiction), "target": "ext"}', "could not parse",
                     id="evaluation-error"),
    ],
)
def test_a_policy_that_breaks_the_contract_is_named(tmp_path, rego, error):
    (tmp_path / "p.rego").write_text(f"package residency\nimport rego.v1\n{rego}\n")
    (tmp_path / "data.json").write_text(json.dumps(TARGETS))

    report = check_contract(Policy(RegoEngine(load_bundle(tmp_path))))

    assert not report.passed
    assert any(error in failure.error for failure in report.failures), report.failures[:3]
    assert report.summary().startswith(f"{len(report.failures)} of {report.cases} inputs fail; first: jurisdiction=")
