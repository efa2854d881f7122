"""docs/policy-guide.md runs as written: its data edits, inputs, decisions, test module and test output.

The guide's fenced blocks carry a role after the language:

    ```json input        an input document; evaluated against the policy as edited so far
    ```json decision     what that input must decide
    ```json data.json    merged into data.json (objects key by key; lists and values replace)
    ```rego NAME.rego    a module added to the policy
    ```text              the output of `residency policy test`, "…" standing for elided lines

They are replayed in order on a copy of the shipped rego/, as a reader would apply them.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from policy.bundles import load_bundle
from policy.contract import check_contract, tenants_with_exceptions
from policy.pipeline import Policy
from policy.rego import RegoEngine
from service.cli import main
from service.commands import EXIT_OK
from tests.conftest import REPO, SHIPPED_POLICY

GUIDE = REPO / "docs" / "policy-guide.md"
JSON_ROLES = ("input", "decision", "data.json")


@dataclass(frozen=True)
class Block:
    language: str
    role: str
    text: str
    line: int

    def where(self) -> str:
        return f"docs/policy-guide.md:{self.line} ({self.language} {self.role})"


def guide_blocks() -> list[Block]:
    text = GUIDE.read_text(encoding="utf-8")
    return [
        Block(match["language"], match["role"].strip(), match["body"], text.count("\n", 0, match.start()) + 1)
        for match in re.finditer(r"^```(?P<language>\w*)(?P<role>[^\n]*)\n(?P<body>.*?)^```", text, flags=re.M | re.S)
    ]


def merge(target: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = value


@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> Path:
    """The shipped policy with every edit of the guide applied, each documented decision checked on the way."""
    policy = Path(shutil.copytree(SHIPPED_POLICY, tmp_path_factory.mktemp("guide") / "my-policy"))
    pending_input: Block | None = None
    for block in guide_blocks():
        if block.language == "json" and block.role == "data.json":
            data = json.loads((policy / "data.json").read_text())
            merge(data, json.loads(block.text))
            (policy / "data.json").write_text(json.dumps(data, indent=2))
        elif block.language == "json" and block.role == "input":
            pending_input = block
        elif block.language == "json" and block.role == "decision":
            assert pending_input is not None, f"{block.where()}: a decision with no input before it"
            engine = RegoEngine(load_bundle(policy))
            decided = engine.evaluate("data.residency.decision", json.loads(pending_input.text))
            assert decided == json.loads(block.text), f"{pending_input.where()} decides otherwise"
            pending_input = None
        elif block.language == "rego":
            (policy / block.role).write_text(block.text)
    return policy


def test_every_json_and_rego_block_has_a_role_the_replay_knows():
    for block in guide_blocks():
        if block.language == "json":
            assert block.role in JSON_ROLES, f"{block.where()}: not exercised"
        if block.language == "rego":
            assert block.role.endswith(".rego"), f"{block.where()}: name the file the module goes in"


def test_the_guide_has_each_recipe():
    roles = [(b.language, b.role) for b in guide_blocks()]

    assert roles.count(("json", "data.json")) >= 3  # a target, a jurisdiction rule, a tenant exception
    assert roles.count(("json", "input")) == roles.count(("json", "decision")) >= 4
    assert ("rego", "tenant_test.rego") in roles


def test_the_edited_policy_passes_its_tests_and_the_contract(replayed):
    engine = RegoEngine(load_bundle(replayed))

    failed = [(r.name, r.error) for r in engine.run_tests() if not r.passed]
    report = check_contract(Policy(engine), tenants=tenants_with_exceptions(engine.bundle.data))

    assert failed == []
    assert report.passed, report.summary()
    assert {"hosted-ca", "local"} <= set(Policy(engine).targets)


def test_the_documented_test_output_is_what_policy_test_prints(replayed):
    [documented] = [b for b in guide_blocks() if b.language == "text"]
    out, err = io.StringIO(), io.StringIO()

    code = main(["policy", "test", str(replayed)], out, err)

    printed = out.getvalue().splitlines()
    assert code == EXIT_OK
    for line in documented.text.splitlines():
        if line != "…":
            assert line in printed, f"{documented.where()}: {line!r} is not printed"
    assert printed[-1] == documented.text.splitlines()[-1]
