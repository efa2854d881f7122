"""Rego bundles and the embedded engine adapter.

    policy.bundles.load_bundle(path) ─▶ Bundle ─▶ RegoEngine(bundle)
                                                        ├─ evaluate(rule, input)   one call per decision
                                                        └─ run_tests()             every `test_*` rule

The embedded engine is regorus (PyPI `gordon-to-regorus`, pinned exactly). Its engines
are bound to the thread that made them, so each thread lazily builds its own from the
bundle's sources and drops it on that same thread. Every regorus failure — including
pyo3's PanicException, a BaseException — becomes a PolicyError. `regorus` is imported
here only: this module is the adapter another engine (celine-regorus, regopy) would replace.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policy.errors import PolicyEvaluationError, PolicyLoadError

# A set RUST_BACKTRACE (some machines set it to 1) appends a Rust backtrace to every
# error message regorus raises; it must be 0 before regorus is imported.
os.environ["RUST_BACKTRACE"] = "0"

import regorus  # noqa: E402

_ENGINES_PER_THREAD = 4


@dataclass(frozen=True)
class Bundle:
    """A policy bundle: Rego modules, the data document and a revision (policy.bundles loads them)."""

    modules: tuple[tuple[str, str], ...]  # (path relative to the root, source)
    data: Mapping[str, Any]
    revision: str


@dataclass(frozen=True, slots=True)
class TestResult:
    name: str  # data.<package>.<rule>
    location: str  # file:line
    passed: bool
    error: str = ""


class RegoEngine:
    """A compiled bundle, evaluated from any thread."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self._tests = _discover_tests(self._engine())  # compiles in this thread: fails fast

    @property
    def revision(self) -> str:
        return self.bundle.revision

    def evaluate(self, rule: str, input_document: Mapping[str, Any]) -> Any:
        """The value of `rule` (e.g. "data.residency.decision"), or None when undefined."""
        value, error = _call(_eval_rule, self._engine(), rule, input_document)
        if error:
            raise PolicyEvaluationError(f"{rule}: {error}")
        return value

    def run_tests(self) -> list[TestResult]:
        """Evaluate every `test_*` rule of the bundle, as `opa test` does."""
        results = []
        for name, location in self._tests:
            outcome, error = _call(_eval_query, self._engine(), name)
            passed = not error and bool(outcome.get("result")) and all(
                expression.get("value") is True
                for row in outcome["result"]
                for expression in row.get("expressions", [])
            )
            results.append(TestResult(name, location, passed, error))
        return results

    def _engine(self):
        """This thread's engine for this bundle, built on first use."""
        cache: OrderedDict[int, Any] | None = getattr(_thread_engines, "by_bundle", None)
        if cache is None:
            cache = _thread_engines.by_bundle = OrderedDict()
        key = id(self)
        engine = cache.get(key)
        if engine is not None and engine[0] is self:
            cache.move_to_end(key)
            return engine[1]
        built = _compile(self.bundle)
        cache[key] = (self, built)
        while len(cache) > _ENGINES_PER_THREAD:
            cache.popitem(last=False)  # dropped here, on the thread that made it
        return built


# Per-thread engines live in one module-level slot so that they are dropped on their
# own thread (regorus refuses a drop from another one), at most a few per thread.
_thread_engines = threading.local()


def _compile(bundle: Bundle):
    engine = regorus.Engine()
    for path, source in bundle.modules:
        _, error = _call(engine.add_policy, path, source)
        if error:
            raise PolicyLoadError(f"policy does not compile: {error}")
    _, error = _call(engine.add_data, dict(bundle.data))
    if error:
        raise PolicyLoadError(f"policy data rejected: {error}")
    return engine


def _eval_rule(engine, rule: str, input_document: Mapping[str, Any]) -> Any:
    engine.set_input(input_document)
    return engine.eval_rule(rule)


def _eval_query(engine, query: str) -> dict[str, Any]:
    engine.set_input({})
    return engine.eval_query(query)


def _call(function, *args) -> tuple[Any, str]:
    """Call into regorus; return (value, "") or (None, error text). Never raises.

    Errors come back as values, not exceptions, so that no traceback keeps an engine's
    frame alive: an engine freed later by the garbage collector would be dropped on
    the wrong thread, which regorus refuses. pyo3 panics are BaseExceptions.
    """
    try:
        return function(*args), ""
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001
        return None, _first_line(exc)


def _discover_tests(engine) -> tuple[tuple[str, str], ...]:
    tests = []
    for module in json.loads(engine.get_ast_as_json()):
        package = "data." + _ref_text(module["ast"]["package"]["refr"])
        for rule in module["ast"].get("rules", []):
            head = rule.get("Spec", {}).get("head", {})
            ref = head.get("Compr", {}).get("refr", {})
            name = ref.get("Var", {}).get("value", "")
            if name.startswith("test_"):
                line = ref["Var"]["span"]["line"]
                tests.append((f"{package}.{name}", f"{module['source']['file']}:{line}"))
    return tuple(dict.fromkeys(tests))  # a rule with several bodies is one test


def _ref_text(ref: Mapping[str, Any]) -> str:
    if "Var" in ref:
        return ref["Var"]["value"]
    if "RefDot" in ref:
        return f"{_ref_text(ref['RefDot']['refr'])}.{ref['RefDot']['field'][1]}"
    raise PolicyLoadError(f"unsupported package path in AST: {sorted(ref)}")


def _first_line(exc: BaseException) -> str:
    """regorus's `--> file:line:col`, caret excerpt and `error: …` as one line: `file:line:col: …`."""
    lines = [line.strip() for line in str(exc).strip().splitlines()]
    location = next((line[3:].strip() for line in lines if line.startswith("-->")), "")
    message = next((line for line in lines if line.startswith("error:")), "")
    if location and message:
        return f"{location}: {message}"
    return lines[0] if lines else type(exc).__name__
