"""`residency policy`: test, check and build policy bundles.

    residency policy test  PATH                               every test_* rule, as `opa test` does
    residency policy check PATH [--config FILE]               what the sidecar checks before a bundle serves
    residency policy build DIR -o OUT.tar.gz [--revision R]   an OPA bundle archive, byte-identical for the same DIR

PATH is a bundle directory or a .tar.gz bundle. Each subcommand is: argparse namespace
─▶ validate ─▶ params (a frozen dataclass) ─▶ core function (params, out, err) -> exit code.

    check:  load ─▶ compile ─▶ test_* rules ─▶ decision contract (policy.contract)
            ─▶ the fallback target is a self-hosted target — the gates of a hot reload (policy.store)

Exit codes: 0 ok; 1 a test or a contract case failed; 2 a usage error, or a bundle that
does not load or compile (the message names file:line:col).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from policy.errors import ConfigError
from service.commands import EXIT_FAILED, EXIT_OK, UsageError, command

_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
_CONTRACT_FAILURES_SHOWN = 20



# -- the command group -----------------------------------------------------------


def add_policy_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register `policy test|check|build` on the `residency` subparsers."""
    policy = subparsers.add_parser("policy", help="test, check and build policy bundles")
    commands = policy.add_subparsers(required=True, metavar="ACTION")
    path_help = "bundle directory or .tar.gz bundle"

    test = commands.add_parser("test", help="run every test_* rule of a bundle, as `opa test` does")
    test.add_argument("path", help=path_help)
    test.set_defaults(run=command(policy_test_params, run_policy_test))

    check = commands.add_parser("check", help="compile, run the tests and check the decision contract")
    check.add_argument("path", help=path_help)
    check.add_argument("--config", help="YAML configuration: policy.fallback_target and policy.floor_categories")
    check.set_defaults(run=command(policy_check_params, run_policy_check))

    build = commands.add_parser("build", help="write a bundle directory as an OPA bundle .tar.gz")
    build.add_argument("directory", help="bundle directory")
    build.add_argument("-o", "--output", required=True, help="the .tar.gz to write")
    build.add_argument("--revision", help="manifest revision (default: the digest of modules and data)")
    build.set_defaults(run=command(policy_build_params, run_policy_build))



def _bundle_path(value: str) -> Path:
    path = Path(value)
    if path.is_dir() or (path.is_file() and path.name.endswith(_ARCHIVE_SUFFIXES)):
        return path
    raise UsageError(f"{value}: not a bundle directory or a .tar.gz bundle")


# -- test ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyTestParams:
    path: Path


def policy_test_params(args: argparse.Namespace) -> PolicyTestParams:
    return PolicyTestParams(_bundle_path(args.path))


def run_policy_test(params: PolicyTestParams, out: TextIO, err: TextIO) -> int:
    from policy.bundles import load_bundle
    from policy.rego import RegoEngine

    results = RegoEngine(load_bundle(params.path)).run_tests()
    failed = _print_tests(results, out)
    if not results:
        print("residency: no test_* rules found", file=err)
        return EXIT_FAILED
    return EXIT_FAILED if failed else EXIT_OK


def _print_tests(results, out: TextIO) -> int:
    """`PASS  name  file:line` lines and the `N passed, M failed` line; returns M."""
    for result in results:
        status = "PASS" if result.passed else "FAIL"
        detail = f" ({result.error})" if result.error else ""
        print(f"{status}  {result.name}  {result.location}{detail}", file=out)
    failed = sum(not result.passed for result in results)
    print("-" * 40, file=out)
    print(f"{len(results) - failed} passed, {failed} failed", file=out)
    return failed


# -- check ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyCheckParams:
    path: Path
    fallback_target: str | None
    floor_categories: frozenset[str]


def policy_check_params(args: argparse.Namespace) -> PolicyCheckParams:
    from service.config import load_settings

    path = _bundle_path(args.path)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    return PolicyCheckParams(
        path=path,
        fallback_target=settings.policy.fallback_target or None,
        floor_categories=frozenset(settings.policy.floor_categories),
    )


def run_policy_check(params: PolicyCheckParams, out: TextIO, err: TextIO) -> int:
    from policy.bundles import load_bundle
    from policy.contract import check_contract, tenants_with_exceptions
    from policy.pipeline import Policy
    from policy.rego import RegoEngine
    from policy.store import fallback_problem

    bundle = load_bundle(params.path)
    kind = "directory" if params.path.is_dir() else "archive"
    print(f"bundle    {params.path} ({kind}), revision {bundle.revision}", file=out)
    engine = RegoEngine(bundle)
    print(f"compile   {len(bundle.modules)} modules: {', '.join(path for path, _ in bundle.modules)}", file=out)
    policy = Policy(engine)
    print(f"targets   {', '.join(sorted(policy.targets)) or '(none)'}", file=out)

    failures = []
    results = engine.run_tests()
    passed = sum(result.passed for result in results)
    print(f"tests     {passed} passed, {len(results) - passed} failed", file=out)
    for result in results:
        if not result.passed:
            detail = f" ({result.error})" if result.error else ""
            print(f"  FAIL  {result.name}  {result.location}{detail}", file=out)
    if passed < len(results):
        failures.append("tests")

    tenants = tenants_with_exceptions(bundle.data)
    report = check_contract(policy, tenants=tenants, floor_categories=params.floor_categories)
    outcome = report.summary() if report.passed else f"{len(report.failures)} of {report.cases} inputs fail"
    print(f"contract  {outcome}", file=out)
    for failure in report.failures[:_CONTRACT_FAILURES_SHOWN]:
        print(f"  FAIL  {failure.case}: {failure.error}", file=out)
    if len(report.failures) > _CONTRACT_FAILURES_SHOWN:
        print(f"  … and {len(report.failures) - _CONTRACT_FAILURES_SHOWN} more", file=out)
    if not report.passed:
        failures.append("contract")

    if params.fallback_target:
        problem = fallback_problem(policy.targets, params.fallback_target)
        print(f"fallback  {problem or f'{params.fallback_target} is a self-hosted target'}", file=out)
        if problem:
            failures.append("fallback")

    if failures:
        print(f"FAILED: {', '.join(failures)}", file=out)
        return EXIT_FAILED
    print("OK: the sidecar would put this bundle in force", file=out)
    return EXIT_OK


# -- build ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyBuildParams:
    directory: Path
    output: Path
    revision: str | None


def policy_build_params(args: argparse.Namespace) -> PolicyBuildParams:
    directory = Path(args.directory)
    if not directory.is_dir():
        raise UsageError(f"{args.directory}: not a directory")
    output = Path(args.output)
    if not output.name.endswith(_ARCHIVE_SUFFIXES):
        raise UsageError(f"-o {args.output}: the bundle archive must end in .tar.gz")
    if args.revision is not None and not args.revision.strip():
        raise UsageError("--revision must not be empty")
    return PolicyBuildParams(directory, output, args.revision)


def run_policy_build(params: PolicyBuildParams, out: TextIO, err: TextIO) -> int:
    from policy.bundles import build_bundle, load_bundle
    from policy.rego import RegoEngine

    RegoEngine(load_bundle(params.directory))  # refuse what does not compile, as `opa build` does
    bundle = build_bundle(params.directory, params.output, params.revision)
    print(f"wrote {params.output}: {len(bundle.modules)} modules, revision {bundle.revision}", file=out)
    return EXIT_OK
