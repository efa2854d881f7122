"""The `residency` command: check and policy test."""

from __future__ import annotations

import json
import shutil

import pytest

from service.cli import main
from service.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tests.conftest import SHIPPED_POLICY


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "action", "target"),
    [
        pytest.param(["check", "My card is 4111 1111 1111 1111", "--jurisdiction", "EU", "--target", "hosted-us"],
                     "route_self_hosted", "local", id="card"),
        pytest.param(["check", "Explain the CAP theorem", "--jurisdiction", "eu"], "allow_external", "hosted-us",
                     id="clean"),
    ],
)
def test_check_prints_the_decision(capsys, argv, action, target):
    code, out, _ = run(argv, capsys)

    decision = json.loads(out)
    assert code == EXIT_OK
    assert (decision["action"], decision["target"]) == (action, target)
    assert decision["policy_revision"].startswith("sha256:")


def test_check_records_only_when_asked(capsys, tmp_path):
    log = tmp_path / "audit.jsonl"

    run(["check", "Explain the CAP theorem"], capsys)
    assert not log.exists()
    run(["check", "Explain the CAP theorem", "--audit-log", str(log)], capsys)
    assert len(log.read_text().splitlines()) == 1


def test_policy_test_lists_tests_and_passes(capsys):
    code, out, _ = run(["policy", "test", str(SHIPPED_POLICY)], capsys)

    assert code == EXIT_OK
    assert "PASS  data.residency_test." in out
    assert out.rstrip().splitlines()[-1].endswith("passed, 0 failed")


def test_policy_test_fails_on_a_failing_test(tmp_path, capsys):
    bundle = tmp_path / "bundle"
    shutil.copytree(SHIPPED_POLICY, bundle)
    (bundle / "extra_test.rego").write_text(
        "package residency_test\nimport rego.v1\ntest_fail_on_purpose if data.residency.default_target == \"x\"\n"
    )

    code, out, _ = run(["policy", "test", str(bundle)], capsys)

    assert code == EXIT_FAILED
    assert "FAIL  data.residency_test.test_fail_on_purpose  extra_test.rego:3" in out
    assert ", 1 failed" in out


def test_policy_test_reports_syntax_errors(tmp_path, capsys):
    (tmp_path / "p.rego").write_text("package residency\n\nx := [\n")

    code, _, err = run(["policy", "test", str(tmp_path)], capsys)

    assert code == EXIT_USAGE
    assert "p.rego:" in err and "error:" in err


def test_bad_label_flag(capsys):
    code, _, err = run(["check", "hi", "--label", "novalue"], capsys)

    assert code == EXIT_USAGE and "KEY=VALUE" in err


def test_check_explain_prints_input_and_raw_result(capsys):
    code, out, _ = run(["check", "Email jane.doe@example.com", "--jurisdiction", "DE", "--explain"], capsys)

    decision = json.loads(out)
    assert code == EXIT_OK
    assert decision["input"]["caller"]["jurisdiction"] == "DE"
    assert decision["input"]["summary"]["types"]["EMAIL_ADDRESS"] == 1
    assert decision["policy_result"]["target"] == decision["target"] == "hosted-eu"
