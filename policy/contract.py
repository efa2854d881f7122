"""The decision contract: a policy must answer every representative input with a decision we can act on.

    contract_inputs(targets, tenants) ─▶ named input documents
        jurisdictions EU, DE (an EU member), US, ZZ (in no table), "" (not stated)
      × findings      none, and one finding of each Category
      × targets       "" (the default) and every target of data.residency.targets
      + labels        classification "confidential", for every jurisdiction and target
      + tenants       every tenant with an exception, with each kind of finding
    check_contract(policy) ─▶ evaluate each ─▶ check_result ─▶ ContractReport(cases, failures)

A case fails when evaluation raises, the decision is undefined, its action is unknown,
its target is not in data.residency.targets, or `check_result` refuses it for any other
reason (a self-hosted route to an external target, a floor category sent out). Such a
policy would fail closed on that input in production, every time: the reload gate and
`residency policy check` refuse it before it serves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from policy.categories import CATEGORY_BY_ENTITY, Category
from policy.decision import DEFAULT_FLOOR_CATEGORIES, Caller, EvaluationRequest, Target, build_input, check_result
from policy.detect import Finding, Message
from policy.errors import PolicyError

JURISDICTIONS = ("EU", "DE", "US", "ZZ", "")
CONTRACT_TENANT = "contract-check"
LOCAL_CLASSIFICATION = "confidential"
# The contract's prompt is a placeholder: findings carry offsets only, and no text is ever needed.
_MESSAGE = Message("user", "")


class PolicyLike(Protocol):
    """What the pipeline needs of a policy: `policy.pipeline.Policy`, or `policy.opa_remote.RemoteOpaPolicy`."""

    @property
    def revision(self) -> str: ...

    @property
    def targets(self) -> Mapping[str, Target]: ...

    def evaluate(self, input_document: Mapping[str, Any]) -> Any: ...


@dataclass(frozen=True, slots=True)
class ContractCase:
    name: str  # e.g. "jurisdiction=EU findings=PCI target=hosted-us"
    input: dict[str, Any]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class ContractFailure:
    case: str
    error: str


@dataclass(frozen=True)
class ContractReport:
    cases: int
    failures: tuple[ContractFailure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        if self.passed:
            return f"{self.cases} inputs, every decision defined, with a known action and target"
        first = self.failures[0]
        return f"{len(self.failures)} of {self.cases} inputs fail; first: {first.case}: {first.error}"


def check_contract(
    policy: PolicyLike,
    *,
    tenants: tuple[str, ...] = (),
    floor_categories: frozenset[str] = DEFAULT_FLOOR_CATEGORIES,
) -> ContractReport:
    """Evaluate every contract input and keep what `check_result` refuses."""
    targets = policy.targets
    failures = []
    cases = 0
    for case in contract_inputs(targets, tenants):
        cases += 1
        try:
            check_result(
                policy.evaluate(case.input), targets=targets, findings=case.findings, floor_categories=floor_categories
            )
        except PolicyError as exc:
            failures.append(ContractFailure(case.name, str(exc)))
    return ContractReport(cases, tuple(failures))


def tenants_with_exceptions(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The tenants of `data.residency.tenants`, so that each exception is exercised too."""
    residency = data.get("residency")
    tenants = residency.get("tenants") if isinstance(residency, Mapping) else None
    return tuple(sorted(tenants)) if isinstance(tenants, Mapping) else ()


def contract_inputs(targets: Mapping[str, Target], tenants: tuple[str, ...] = ()) -> Iterator[ContractCase]:
    requested = ("", *sorted(targets))
    for jurisdiction in JURISDICTIONS:
        for label, findings in _finding_sets():
            for target in requested:
                yield _case(jurisdiction, findings, target, f"findings={label}")
        for target in requested:
            yield _case(jurisdiction, (), target, f"labels=classification:{LOCAL_CLASSIFICATION}",
                        labels={"classification": LOCAL_CLASSIFICATION})
    for tenant in tenants:
        for label, findings in _finding_sets():
            for target in requested:
                yield _case("EU", findings, target, f"tenant={tenant} findings={label}", tenant=tenant)


def _finding_sets() -> Iterator[tuple[str, tuple[Finding, ...]]]:
    yield "none", ()
    for category in Category:
        yield str(category), (_finding(category),)


def _finding(category: Category) -> Finding:
    # A category no recognizer emits yet (SPECIAL) is exercised with its own name as the type.
    entity_type = next((t for t, c in CATEGORY_BY_ENTITY.items() if c is category), str(category))
    return Finding(entity_type, category, message_index=0, start=0, end=8, score=1.0, recognizer="contract")


def _case(
    jurisdiction: str,
    findings: tuple[Finding, ...],
    target: str,
    detail: str,
    *,
    tenant: str = CONTRACT_TENANT,
    labels: Mapping[str, str] | None = None,
) -> ContractCase:
    request = EvaluationRequest(
        caller=Caller(service="residency-contract", tenant=tenant, jurisdiction=jurisdiction),
        messages=(_MESSAGE,),
        request_id="contract",
        requested_target=target,
        labels=dict(labels or {}),
    )
    name = f"jurisdiction={jurisdiction or '(none)'} {detail} target={target or '(default)'}"
    return ContractCase(name, build_input(request, findings, complete=True), findings)
