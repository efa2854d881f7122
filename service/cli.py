"""The `residency` command.

    residency serve        [--config FILE] [--port N | --listen ADDR] [--policy PATH] [--audit-log PATH] [--workers N]
    residency check TEXT   [--jurisdiction EU] [--target hosted-us] [--tenant T] [--label k=v] …
    residency policy test|check|build …
    residency audit verify|summary|query|replay …

Exit codes: 0 success, 1 a check failed (a policy test), 2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TextIO

from policy.bundles import load_bundle
from policy.errors import ResidencyError
from service.audit_cli import add_audit_commands
from service.commands import EXIT_OK, EXIT_USAGE
from service.policy_cli import add_policy_commands


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage error (or --help)
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    out, err = out or sys.stdout, err or sys.stderr
    try:
        return args.run(args, out, err)
    except ResidencyError as exc:
        print(f"residency: {exc}", file=err)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="residency", description="Data-residency policy engine for LLM traffic.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the gRPC sidecar")
    _settings_flags(serve)
    serve.add_argument("--port", type=int, help="port on 127.0.0.1 (default 50051)")
    serve.add_argument("--listen", help="host:port to listen on (overrides --port)")
    serve.add_argument("--audit-log", help="audit log file (default ./residency-audit.jsonl)")
    serve.add_argument("--workers", type=int, help="detection worker processes (detection.workers; 0: in-process)")
    serve.set_defaults(run=run_serve)

    check = commands.add_parser("check", help="decide one prompt without a server and print the decision as JSON")
    _settings_flags(check)
    check.add_argument("text", help="the prompt (one user message)")
    check.add_argument("--jurisdiction", default="", help="caller jurisdiction, e.g. EU, DE, US")
    check.add_argument("--target", default="", help="requested target (default: the policy's default)")
    check.add_argument("--tenant", default="cli")
    check.add_argument("--service", default="residency-cli")
    check.add_argument("--purpose", default="")
    check.add_argument("--label", action="append", default=[], metavar="KEY=VALUE")
    check.add_argument("--audit-log", help="also record the decision in this audit log")
    check.add_argument("--explain", action="store_true", help="also print the policy input and the raw policy result")
    check.set_defaults(run=run_check)

    add_policy_commands(commands)
    add_audit_commands(commands)
    return parser


def _settings_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="YAML configuration file")
    parser.add_argument("--policy", help="policy bundle directory (default: the shipped rego/)")


def _load_settings(args: argparse.Namespace, **overrides: Any):
    from service.config import load_settings

    return load_settings(args.config, overrides={"policy.path": args.policy, **overrides})


def run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from service.logs import configure_logging
    from service.server import serve

    listen = args.listen or (f"127.0.0.1:{args.port}" if args.port is not None else None)
    settings = _load_settings(args, listen=listen, **{"audit.path": args.audit_log, "detection.workers": args.workers})
    configure_logging(settings.log)
    serve(settings)
    return EXIT_OK


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from policy.audit import AuditLog
    from policy.decision import Caller, EvaluationRequest
    from policy.detect import Message, PresidioDetector
    from policy.pipeline import Pipeline, Policy
    from policy.rego import RegoEngine

    labels = {}
    for item in args.label:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"residency: --label takes KEY=VALUE, got {item!r}", file=err)
            return EXIT_USAGE
        labels[key] = value
    settings = _load_settings(args)
    policy = Policy(RegoEngine(load_bundle(settings.policy.path)))
    detector = PresidioDetector.load(settings.detection.detection_settings())
    audit = AuditLog(args.audit_log).open() if args.audit_log else _NotRecorded()
    with ThreadPoolExecutor(max_workers=2) as executor:
        pipeline = Pipeline(
            detector=detector,
            policy=lambda: policy,
            audit=audit,
            executor=executor,
            fallback_target=settings.policy.fallback_target or None,
            floor_categories=frozenset(settings.policy.floor_categories),
        )
        request = EvaluationRequest(
            caller=Caller(service=args.service, tenant=args.tenant, jurisdiction=args.jurisdiction.upper(),
                          purpose=args.purpose),
            messages=(Message("user", args.text),),
            requested_target=args.target,
            labels=labels,
        )
        decision = pipeline.evaluate(request)
    if isinstance(audit, AuditLog):
        audit.close()
    verdict = decision.verdict
    explanation = {"input": decision.input, "policy_result": decision.policy_result} if args.explain else {}
    print(
        json.dumps(
            {
                "decision_id": decision.decision_id,
                "action": str(verdict.action),
                "target": verdict.target.name if verdict.target else "",
                "reasons": list(verdict.reasons),
                "findings": [
                    {"type": f.entity_type, "category": str(f.category), "start": f.start, "end": f.end,
                     "score": f.score}
                    for f in decision.findings
                ],
                "policy_revision": decision.policy_revision,
                "fallback": verdict.fallback,
                "fallback_reason": verdict.fallback_reason,
                **explanation,
            },
            indent=2,
        ),
        file=out,
    )
    return EXIT_OK


class _NotRecorded:
    """The audit sink of `residency check` without --audit-log: a dry run that nothing acts on."""

    def append(self, record: dict) -> dict:
        return record


if __name__ == "__main__":
    sys.exit(main())
