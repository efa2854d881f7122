"""The shipped bundle's own Rego tests, the test runner, and compile errors with file:line:col."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from policy.bundles import load_bundle
from policy.errors import PolicyEvaluationError, PolicyLoadError
from policy.rego import RegoEngine
from tests.conftest import SHIPPED_POLICY


@pytest.fixture(scope="module")
def shipped() -> RegoEngine:
    return RegoEngine(load_bundle(SHIPPED_POLICY))


def write_bundle(root: Path, modules: dict[str, str], data: dict | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, source in modules.items():
        (root / name).write_text(source)
    if data is not None:
        (root / "data.json").write_text(json.dumps(data))
    return root


def test_shipped_policy_tests_all_pass(shipped):
    results = shipped.run_tests()

    assert len(results) >= 40
    failed = [(r.name, r.error) for r in results if not r.passed]
    assert failed == []
    assert all(r.location.startswith("decision_test.rego:") for r in results)


def test_a_failing_test_is_named(tmp_path):
    engine = RegoEngine(load_bundle(write_bundle(tmp_path, {"p.rego": (
        "package residency\nimport rego.v1\nx := 1\n"
        "test_x_is_one if x == 1\n"
        "test_x_is_two if x == 2\n"
    )})))

    results = {r.name: r.passed for r in engine.run_tests()}

    assert results == {"data.residency.test_x_is_one": True, "data.residency.test_x_is_two": False}


def test_with_keyword_mocks_input_and_data(tmp_path):
    engine = RegoEngine(load_bundle(write_bundle(tmp_path, {
        "p.rego": "package residency\nimport rego.v1\nallowed if input.n < data.residency.limit\n",
        "p_test.rego": (
            "package residency_test\nimport rego.v1\n"
            "test_mocked if data.residency.allowed with input as {\"n\": 1} with data.residency.limit as 2\n"
        ),
    })))

    assert [r.passed for r in engine.run_tests()] == [True]


def test_syntax_error_names_file_line_and_column(tmp_path):
    root = write_bundle(tmp_path, {"broken.rego": "package residency\nimport rego.v1\n\nx := {\n"})

    with pytest.raises(PolicyLoadError, match=r"broken\.rego:\d+:\d+: error:"):
        RegoEngine(load_bundle(root))


def test_runtime_error_is_a_policy_error(tmp_path):
    engine = RegoEngine(load_bundle(write_bundle(tmp_path, {"p.rego": (
        "package residency\nimport rego.v1\ndecision := to_number(input.x)\n"
    )})))

    with pytest.raises(PolicyEvaluationError, match=r"p\.rego:3:\d+"):
        engine.evaluate("data.residency.decision", {"x": "not a number"})


def test_undefined_is_none(tmp_path):
    engine = RegoEngine(load_bundle(write_bundle(tmp_path, {"p.rego": (
        "package residency\nimport rego.v1\ndecision := 1 if input.never\n"
    )})))

    assert engine.evaluate("data.residency.decision", {}) is None


def test_revision_is_a_digest_of_modules_and_data(tmp_path):
    a = load_bundle(write_bundle(tmp_path / "a", {"p.rego": "package residency\nx := 1\n"}, {"residency": {"k": 1}}))
    b = load_bundle(write_bundle(tmp_path / "b", {"p.rego": "package residency\nx := 1\n"}, {"residency": {"k": 2}}))
    again = load_bundle(tmp_path / "a")

    assert a.revision.startswith("sha256:") and a.revision == again.revision != b.revision


def test_manifest_revision_wins(tmp_path):
    root = write_bundle(tmp_path, {"p.rego": "package residency\nx := 1\n"})
    (root / ".manifest").write_text(json.dumps({"revision": "2026-11-24.1"}))

    assert load_bundle(root).revision == "2026-11-24.1"


def test_nested_data_json_lands_at_its_folder_path(tmp_path):
    root = write_bundle(tmp_path, {"p.rego": "package residency\nimport rego.v1\nv := data.residency.tables.k\n"})
    (root / "residency" / "tables").mkdir(parents=True)
    (root / "residency" / "tables" / "data.json").write_text('{"k": 7}')

    assert RegoEngine(load_bundle(root)).evaluate("data.residency.v", {}) == 7


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param({}, "no .rego files", id="empty"),
        pytest.param({"p.rego": "package residency\n", "data.json": "{nope"}, r"data\.json:1:2: invalid JSON",
                     id="bad-json"),
        pytest.param({"p.rego": "package residency\n", "data.json": "[1]"}, "must hold a JSON object", id="json-array"),
    ],
)
def test_bad_bundles_are_refused(tmp_path, files, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)

    with pytest.raises(PolicyLoadError, match=message):
        RegoEngine(load_bundle(tmp_path))


def test_each_thread_gets_a_working_engine(shipped):
    results: list = []
    clean = {"caller": {"service": "s", "tenant": "t", "jurisdiction": "EU"},
             "request": {"requested_target": "hosted-us", "labels": {}},
             "findings": [], "summary": {"categories": [], "types": {}}, "detection": {"complete": True}}

    def worker():
        for _ in range(20):
            results.append(shipped.evaluate("data.residency.decision", clean)["target"])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert results == ["hosted-us"] * 80
