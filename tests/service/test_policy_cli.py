"""`residency policy test|check|build` on directories and .tar.gz bundles."""

from __future__ import annotations

import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest

from service.cli import main
from service.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tests.conftest import REPO, SHIPPED_POLICY

FAILING_TEST = 'package residency_test\nimport rego.v1\ntest_fail_on_purpose if data.residency.default_target == "x"\n'


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["policy", *argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def policy_dir(tmp_path) -> Path:
    return Path(shutil.copytree(SHIPPED_POLICY, tmp_path / "policy"))


@pytest.fixture
def archive(tmp_path) -> Path:
    output = tmp_path / "bundle.tar.gz"
    assert run("build", str(SHIPPED_POLICY), "-o", str(output), "--revision", "2026-11-24.1")[0] == EXIT_OK
    return output


# -- test ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [pytest.param("directory", id="directory"), pytest.param("archive", id="archive")])
def test_policy_test_lists_every_test_and_passes(kind, archive):
    path = SHIPPED_POLICY if kind == "directory" else archive

    code, out, _ = run("test", str(path))

    lines = out.rstrip().splitlines()
    assert code == EXIT_OK
    assert lines[0].startswith("PASS  data.residency_test.test_") and "  decision_test.rego:" in lines[0]
    assert lines[-1].endswith(" passed, 0 failed")


def test_policy_test_names_a_failing_test(policy_dir):
    (policy_dir / "extra_test.rego").write_text(FAILING_TEST)

    code, out, _ = run("test", str(policy_dir))

    assert code == EXIT_FAILED
    assert "FAIL  data.residency_test.test_fail_on_purpose  extra_test.rego:3" in out
    assert out.rstrip().endswith(", 1 failed")


def test_policy_test_reports_a_syntax_error_with_file_line_and_column(tmp_path):
    (tmp_path / "p.rego").write_text("package residency\n\nx := [\n")

    code, _, err = run("test", str(tmp_path))

    assert code == EXIT_USAGE
    assert "p.rego:4:1: error:" in err


def test_policy_test_fails_without_tests(tmp_path):
    (tmp_path / "p.rego").write_text("package residency\nx := 1\n")

    code, out, err = run("test", str(tmp_path))

    assert code == EXIT_FAILED
    assert "0 passed, 0 failed" in out and "no test_* rules found" in err


# -- check -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [pytest.param("directory", id="directory"), pytest.param("archive", id="archive")])
def test_policy_check_says_what_it_checked(kind, archive):
    path = SHIPPED_POLICY if kind == "directory" else archive

    code, out, _ = run("check", str(path))

    assert code == EXIT_OK
    assert f"bundle    {path} ({kind})" in out
    assert "compile   2 modules: decision.rego, decision_test.rego" in out
    assert "targets   hosted-eu, hosted-us, local" in out
    assert re.search(r"^tests     \d+ passed, 0 failed$", out, re.M)
    assert "inputs, every decision defined, with a known action and target" in out
    assert "fallback  local is a self-hosted target" in out
    assert out.rstrip().endswith("OK: the sidecar would put this bundle in force")
    if kind == "archive":
        assert "revision 2026-11-24.1" in out


def test_policy_check_fails_on_a_failing_test(policy_dir):
    (policy_dir / "extra_test.rego").write_text(FAILING_TEST)

    code, out, _ = run("check", str(policy_dir))

    assert code == EXIT_FAILED
    assert "  FAIL  data.residency_test.test_fail_on_purpose  extra_test.rego:3" in out
    assert out.rstrip().endswith("FAILED: tests")


def test_policy_check_lists_the_inputs_that_break_the_contract(policy_dir):
    (policy_dir / "decision_test.rego").unlink()
    rules = policy_dir / "decision.rego"
    rules.write_text(rules.read_text().replace(
        "no_regulated_data_decision := allow_external(requested_target, [",
        'no_regulated_data_decision := allow_external("hosted-nowhere", ['))

    code, out, _ = run("check", str(policy_dir))

    assert code == EXIT_FAILED
    assert "contract  " in out and " inputs fail" in out
    assert "  FAIL  jurisdiction=EU findings=none target=(default): unknown target 'hosted-nowhere'" in out
    assert "… and " in out
    assert out.rstrip().endswith("FAILED: contract")


def test_policy_check_uses_the_configured_fallback_target(tmp_path):
    config = tmp_path / "residency.yaml"
    config.write_text("policy:\n  fallback_target: hosted-eu\n")

    code, out, _ = run("check", str(SHIPPED_POLICY), "--config", str(config))

    assert code == EXIT_FAILED
    assert "fallback  the fallback target 'hosted-eu' is not a self-hosted target" in out


def test_policy_check_refuses_a_bundle_that_does_not_compile(tmp_path):
    (tmp_path / "p.rego").write_text("package residency\n\nx := [\n")

    code, _, err = run("check", str(tmp_path))

    assert code == EXIT_USAGE and "p.rego:4:1: error:" in err


# -- build -----------------------------------------------------------------------------


def test_policy_build_writes_an_opa_bundle(archive):
    with tarfile.open(archive) as bundle:
        manifest = json.loads(bundle.extractfile(".manifest").read())

    assert manifest == {"revision": "2026-11-24.1", "roots": ["residency", "residency_test"]}


def test_policy_build_is_reproducible(tmp_path):
    first, second = tmp_path / "first.tar.gz", tmp_path / "second.tar.gz"

    code, out, _ = run("build", str(SHIPPED_POLICY), "-o", str(first))
    run("build", str(SHIPPED_POLICY), "-o", str(second))

    assert code == EXIT_OK and out.startswith(f"wrote {first}: 2 modules, revision sha256:")
    assert first.read_bytes() == second.read_bytes()


def test_policy_build_refuses_a_bundle_that_does_not_compile(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "p.rego").write_text("package residency\n\nx := [\n")

    code, _, err = run("build", str(tmp_path / "src"), "-o", str(tmp_path / "b.tar.gz"))

    assert code == EXIT_USAGE and "p.rego:4:1: error:" in err
    assert not (tmp_path / "b.tar.gz").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(("test", "no/such/path"), "not a bundle directory or a .tar.gz bundle", id="test-missing-path"),
        pytest.param(("check", str(REPO / "README.md")), "not a bundle directory or a .tar.gz bundle",
                     id="check-not-a-bundle"),
        pytest.param(("build", "no/such/dir", "-o", "b.tar.gz"), "not a directory", id="build-missing-dir"),
        pytest.param(("build", str(SHIPPED_POLICY), "-o", "bundle.zip"), "must end in .tar.gz", id="build-bad-output"),
        pytest.param(("build", str(SHIPPED_POLICY), "-o", "b.tar.gz", "--revision", " "), "must not be empty",
                     id="build-blank-revision"),
    ],
)
def test_usage_errors_exit_2(argv, message):
    code, out, err = run(*argv)

    assert code == EXIT_USAGE and message in err and out == ""
