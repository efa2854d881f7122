"""A loopback stand-in for an OPA server, speaking OPA's Data API and evaluating with our embedded engine.

OPA itself cannot be installed here. `LoopbackOpaDataApi` answers the requests that
`policy.opa_remote` makes, in the shapes OPA v1 answers them:

    GET  /v1/data/<path>                     {"result": value}, or {} when undefined
    GET  /v1/data/system/bundles             {"result": {<name>: {"manifest": {"revision", "roots"}}}}
    POST /v1/data/<rule>[?provenance=true]   {"result": value, "provenance": {"bundles": {<name>: {"revision"}}}}
    an evaluation error                      HTTP 500 {"code": "internal_error", "message": "…"}

It is what it looks like: a test double for the wire format. Its Rego is regorus, not
OPA's evaluator, so it shows that our client speaks the Data API correctly and that
the same bundle decides the same way through it — not OPA's own semantics. One thread
serves every request (HTTP/1.0, one connection each), so that one regorus engine,
bound to that thread, serves them all. `fault` makes it misbehave on purpose.
"""

from __future__ import annotations

import enum
import json
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from policy.errors import PolicyError
from policy.rego import Bundle, RegoEngine


class Fault(enum.Enum):
    NONE = "none"
    SLOW = "slow"  # sleeps `delay_s` before answering
    SERVER_ERROR = "server_error"  # HTTP 500 with OPA's error body
    MALFORMED_JSON = "malformed_json"  # HTTP 200 with a body that is not JSON


class LoopbackOpaDataApi:
    """Serves `bundle` on 127.0.0.1 as OPA serves the bundle `bundle_name`.

    With bundle_name=None it stands for an OPA fed through its Policy API: no bundle
    under data.system.bundles, and no bundle revision in provenance.
    """

    def __init__(self, bundle: Bundle, *, bundle_name: str | None = "residency", delay_s: float = 2.0) -> None:
        self.bundle_name = bundle_name
        self.delay_s = delay_s
        self.fault = Fault.NONE
        self.requests: list[str] = []  # "METHOD /path?query", in order
        self._engine = RegoEngine(bundle)
        self._server: HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def activate(self, bundle: Bundle) -> None:
        """Switch to another bundle, as OPA does when its bundle plugin downloads a new revision."""
        self._engine = RegoEngine(bundle)

    def start(self) -> LoopbackOpaDataApi:
        self._server = HTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="loopback-opa", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> LoopbackOpaDataApi:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def answer(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        """(status, JSON body) for one request; runs on the server's one thread."""
        parts = urlsplit(path)
        self.requests.append(f"{method} {path}")
        if not parts.path.startswith("/v1/data"):
            return 404, {"code": "resource_not_found", "message": f"{parts.path} is not served here"}
        segments = [s for s in parts.path.removeprefix("/v1/data").split("/") if s]
        if segments == ["system", "bundles"]:
            if self.bundle_name is None:
                return 200, {}
            return 200, {"result": {self.bundle_name: {"manifest": self._manifest()}}}
        engine = self._engine
        if method == "GET":
            value = _lookup(engine.bundle.data, segments)
            return 200, ({} if value is None else {"result": value})
        document = json.loads(body or b"{}")
        try:
            value = engine.evaluate("data." + ".".join(segments), document.get("input", {}))
        except PolicyError as exc:
            return 500, {"code": "internal_error", "message": str(exc)}
        answer: dict[str, Any] = {} if value is None else {"result": value}
        if parse_qs(parts.query).get("provenance", [""])[0].lower() == "true":
            answer["provenance"] = {"version": "loopback-stand-in"}
            if self.bundle_name is not None:
                answer["provenance"]["bundles"] = {self.bundle_name: {"revision": engine.revision}}
        return 200, answer

    def _manifest(self) -> dict[str, Any]:
        roots = sorted({path.split("/")[0] for path in self._engine.bundle.data} | {"residency"})
        return {"revision": self._engine.revision, "roots": roots}


def _lookup(data: Mapping[str, Any], segments: list[str]) -> Any:
    value: Any = data
    for segment in segments:
        if not isinstance(value, Mapping) or segment not in value:
            return None
        value = value[segment]
    return value


def _handler_for(api: LoopbackOpaDataApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._respond("GET")

        def do_POST(self) -> None:
            self._respond("POST")

        def _respond(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            fault = api.fault
            if fault is Fault.SLOW:
                time.sleep(api.delay_s)
            if fault is Fault.SERVER_ERROR:
                status, payload = 500, json.dumps({"code": "internal_error", "message": "stand-in failure"}).encode()
            elif fault is Fault.MALFORMED_JSON:
                status, payload = 200, b'{"result": {"action": '
            else:
                status, answer = api.answer(method, self.path, body)
                payload = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout), as it should

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read `requests` instead."""

    return Handler
