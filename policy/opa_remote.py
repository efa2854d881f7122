"""Decisions from a remote OPA server over its Data API, behind the interface of `Policy`.

    RemoteOpaPolicy.connect(OpaDataApi(url, timeout_s))
      ├─ GET  /v1/data/residency/targets   ─▶ .targets
      └─ GET  /v1/data/system/bundles      ─▶ .revision: the manifest revision of the bundle holding `residency`
    RemoteOpaPolicy.evaluate(input)
      └─ POST /v1/data/residency/decision?provenance=true  {"input": …}  ─▶ the raw result, for check_result()
    OpaSource    for PolicyStore: polls data.system.bundles; a new revision becomes a new RemoteOpaPolicy,
                 which passes the store's contract gate before it serves

Revision. OPA keeps each activated bundle's manifest under `data.system.bundles`, and
with `provenance=true` it names the bundle revision behind each decision. So the
revision comes from OPA itself, and a decision made by another revision than the one
whose targets we hold is refused — it fails closed until the store has gated the new
revision (within one poll). An OPA fed through its Policy API has no bundle: then the
revision is the configured one (`revision=`, e.g. policy.opa_revision), and connect()
refuses to guess without it. OPA's /v1/status needs its status plugin; it is not used.

Transport. opa-python-client's OpaClient (requests): its timeout applies to every
request (to connect, and to each read), retries are turned off because a retry would
spend the decision's time budget, and each thread has its own client because a
requests Session is not thread-safe. Its client has no path prefix, so the URL is
scheme://host:port only.

Errors. An unreachable, slow or failing OPA, an HTTP error, malformed JSON or a body
that is not an object raises PolicyEvaluationError from evaluate() — the pipeline then
uses its fallback, never an external target — and PolicyLoadError from connect().
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from opa_client import OpaClient
from opa_client.errors import PolicyNotFoundError

from policy.decision import Target, targets_from_data
from policy.errors import PolicyError, PolicyEvaluationError, PolicyLoadError
from policy.store import Candidate

DEFAULT_OPA_TIMEOUT_S = 0.5  # below policy.timeout_s, so that the error names OPA rather than a generic timeout
DECISION_PACKAGE = "residency"
DECISION_RULE_NAME = "decision"
TARGETS_PATH = "residency/targets"
TENANTS_PATH = "residency/tenants"
BUNDLES_PATH = "system/bundles"
_UNDEFINED = "PolicyNotFoundError"  # opa_client's code when OPA answers 200 without a result


class OpaDataApi:
    """OPA's Data API at `url`, through one opa_client.OpaClient per thread."""

    def __init__(self, url: str, *, timeout_s: float = DEFAULT_OPA_TIMEOUT_S) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise PolicyLoadError(f"policy.opa_url {url!r} must be http(s)://host:port, without a path")
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self._host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._ssl = parts.scheme == "https"
        self._local = threading.local()
        self._clients: list[OpaClient] = []
        self._clients_lock = threading.Lock()

    def get(self, path: str, *, error: type[PolicyError]) -> Any:
        """The value at data/<path>, or None when it is undefined."""
        try:
            return self._client().get_data(path)["result"]
        except PolicyNotFoundError as exc:
            if exc.expression == _UNDEFINED:
                return None
            raise error(f"OPA at {self.url}: GET /v1/data/{path}: {exc.expression}: {exc.message}") from exc
        except Exception as exc:  # noqa: BLE001 — every transport failure is a policy error
            raise error(f"OPA at {self.url}: GET /v1/data/{path}: {self._describe(exc)}") from exc

    def decide(self, input_document: Mapping[str, Any]) -> Mapping[str, Any]:
        """OPA's whole answer to POST /v1/data/residency/decision?provenance=true."""
        try:
            body = self._client().query_rule(
                dict(input_document), DECISION_PACKAGE, DECISION_RULE_NAME, query_params={"provenance": "true"}
            )
        except Exception as exc:  # noqa: BLE001
            raise PolicyEvaluationError(
                f"OPA at {self.url}: POST /v1/data/residency/decision: {self._describe(exc)}"
            ) from exc
        if not isinstance(body, Mapping):
            raise PolicyEvaluationError(f"OPA at {self.url} answered with a JSON {type(body).__name__}, not an object")
        return body

    def close(self) -> None:
        with self._clients_lock:
            for client in self._clients:
                client.close_connection()
            self._clients.clear()

    def _client(self) -> OpaClient:
        client = getattr(self._local, "client", None)
        if client is None:
            client = OpaClient(host=self._host, port=self._port, ssl=self._ssl, retries=0, timeout=self.timeout_s)
            # Only the configured OPA: no proxy from the environment, no redirect elsewhere.
            client._session.trust_env = False
            client._session.max_redirects = 0
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def _describe(self, exc: Exception) -> str:
        if isinstance(exc, requests.exceptions.JSONDecodeError):
            return "answered with malformed JSON"
        if isinstance(exc, requests.exceptions.Timeout):
            return f"no answer within {self.timeout_s} s"
        if isinstance(exc, requests.exceptions.ConnectionError):
            return "unreachable"
        if isinstance(exc, requests.exceptions.HTTPError):
            return f"HTTP {exc.response.status_code}{_opa_error(exc.response)}"
        return f"{type(exc).__name__}: {exc}"


class RemoteOpaPolicy:
    """A policy evaluated by OPA: the same `.revision`, `.targets` and `.evaluate()` as `Policy`."""

    def __init__(self, api: OpaDataApi, *, targets: Mapping[str, Target], revision: str, bundle: str | None) -> None:
        self._api = api
        self.targets = targets
        self.revision = revision
        self.bundle = bundle  # the OPA bundle whose revision every decision must carry; None when pinned

    @classmethod
    def connect(cls, api: OpaDataApi, *, revision: str | None = None) -> RemoteOpaPolicy:
        """Read the targets and the revision OPA serves; raises PolicyLoadError."""
        for _ in range(3):
            # The revision is read on both sides of the targets, so the targets belong to it.
            bundle, served = served_bundle(api)
            targets = api.get(TARGETS_PATH, error=PolicyLoadError)
            if served_bundle(api) == (bundle, served):
                break
        else:
            raise PolicyLoadError(f"OPA at {api.url} kept changing its bundle revision while being read")
        if not isinstance(targets, Mapping) or not targets:
            raise PolicyLoadError(f"OPA at {api.url} has no data.residency.targets object")
        if bundle is None:
            if not revision:
                raise PolicyLoadError(
                    f"OPA at {api.url} serves no bundle that holds data.residency, so its revision is unknown: "
                    "configure one (policy.opa_revision)"
                )
            served = revision
        return cls(api, targets=targets_from_data({"residency": {"targets": targets}}), revision=served, bundle=bundle)

    def evaluate(self, input_document: Mapping[str, Any]) -> Any:
        body = self._api.decide(input_document)
        if self.bundle is not None:
            served = _dig(body, "provenance", "bundles", self.bundle, "revision")
            if served != self.revision:
                raise PolicyEvaluationError(
                    f"OPA decided with bundle {self.bundle!r} at revision {served!r}, not {self.revision!r}: "
                    "a new revision serves only once it has passed the reload gates"
                )
        return body.get("result")


class OpaSource:
    """PolicyStore's source for a remote OPA: a new bundle revision there is a new candidate here."""

    def __init__(self, api: OpaDataApi, *, revision: str | None = None) -> None:
        self.location = api.url
        self._api = api
        self._revision = revision
        self._seen = ""

    def load(self) -> Candidate:
        policy = RemoteOpaPolicy.connect(self._api, revision=self._revision)
        self._seen = policy.revision
        tenants = self._api.get(TENANTS_PATH, error=PolicyLoadError)
        return Candidate(policy, tuple(sorted(tenants)) if isinstance(tenants, Mapping) else ())

    def poll(self) -> Candidate | None:
        _, served = served_bundle(self._api)
        if served is None or served == self._seen:
            return None
        return self.load()

    def close(self) -> None:
        self._api.close()


def served_bundle(api: OpaDataApi) -> tuple[str | None, str | None]:
    """(name, revision) of the bundle whose roots hold data.residency, or (None, None) when OPA serves none."""
    bundles = api.get(BUNDLES_PATH, error=PolicyLoadError)
    holding = sorted(
        (name, _dig(bundle, "manifest", "revision"))
        for name, bundle in (bundles.items() if isinstance(bundles, Mapping) else ())
        if _holds_residency(_dig(bundle, "manifest", "roots"))
    )
    if not holding:
        return None, None
    if len(holding) > 1:
        names = ", ".join(name for name, _ in holding)
        raise PolicyLoadError(f"OPA at {api.url} serves several bundles that hold data.residency: {names}")
    name, revision = holding[0]
    if not isinstance(revision, str) or not revision:
        raise PolicyLoadError(f"OPA at {api.url}: bundle {name!r} has no manifest revision")
    return name, revision


def _holds_residency(roots: Any) -> bool:
    if roots is None:
        return True  # a manifest without roots claims the whole data tree
    return isinstance(roots, list) and any(root in ("", DECISION_PACKAGE) for root in roots)


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _opa_error(response: requests.Response) -> str:
    """OPA's own `code: message` from an error body, when it sent one."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, Mapping):
        return ""
    return f" {body.get('code', '')}: {body.get('message', '')}".rstrip(": ")
