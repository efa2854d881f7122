"""The sidecar: a gRPC server with Residency, health checking and reflection.

    Sidecar(settings).start()   listener up, health NOT_SERVING
          └─ load()             spaCy model, policy bundle, audit log ─▶ health SERVING
    Sidecar.stop(grace)         health NOT_SERVING, finish in-flight calls, close the audit log

Loading happens after the listener is up so that orchestrators see NOT_SERVING rather
than a refused connection; Evaluate answers UNAVAILABLE until then.
"""

from __future__ import annotations

import enum
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from policy.audit import AuditLog, AuditTornTailError
from policy.detect import Detector, PresidioDetector
from policy.errors import ConfigError
from policy.opa_remote import OpaDataApi, OpaSource
from policy.pipeline import AuditSink, Pipeline
from policy.store import PolicyStore, policy_source
from policy.workers import DetectionWorkers
from service.api import residency_pb2, residency_pb2_grpc
from service.auth import Authenticator, CallerProfile, read_tokens_file
from service.config import Settings
from service.metrics import Metrics
from service.servicer import ResidencyServicer

log = logging.getLogger("residency.server")

SERVICE_NAME = residency_pb2.DESCRIPTOR.services_by_name["Residency"].full_name
# gRPC's own size check sits above ours, so that ours answers with the clearer message.
_TRANSPORT_SLACK_BYTES = 256 * 1024


class State(enum.Enum):
    NEW = "new"
    LOADING = "loading"
    SERVING = "serving"
    STOPPING = "stopping"
    STOPPED = "stopped"


class Sidecar:
    def __init__(self, settings: Settings, *, detector: Detector | None = None, audit: AuditSink | None = None) -> None:
        self.settings = settings
        self.state = State.NEW
        self._detector = detector
        self._audit = audit
        self._audit_log: AuditLog | None = None
        self._workers: DetectionWorkers | None = None
        self.metrics = Metrics()
        self._servicer = ResidencyServicer(settings.limits, build_authenticator(settings), self.metrics)
        self._health = health.HealthServicer()
        self._executor = ThreadPoolExecutor(max_workers=settings.server.workers, thread_name_prefix="residency-rpc")
        self._steps = ThreadPoolExecutor(max_workers=settings.server.workers, thread_name_prefix="residency-step")
        max_message = 2 * settings.limits.max_request_text_bytes + _TRANSPORT_SLACK_BYTES
        self._server = grpc.server(
            self._executor,
            options=[("grpc.max_receive_message_length", max_message), ("grpc.so_reuseport", 0)],
            # Calls beyond this get RESOURCE_EXHAUSTED at once instead of waiting in an unbounded queue.
            maximum_concurrent_rpcs=settings.limits.max_concurrent,
        )
        residency_pb2_grpc.add_ResidencyServicer_to_server(self._servicer, self._server)
        health_pb2_grpc.add_HealthServicer_to_server(self._health, self._server)
        reflection.enable_server_reflection(
            (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), self._server
        )
        self.port = 0
        self.policy_store: PolicyStore | None = None

    def start(self) -> int:
        """Open the listener; returns the bound port (useful with port 0)."""
        self._set_health(health_pb2.HealthCheckResponse.NOT_SERVING)
        self.port = _bind(self._server, self.settings)
        self._server.start()
        if self.settings.metrics.listen:
            self.metrics.serve(self.settings.metrics.listen)
        log.info("listening on %s (port %d), loading", self.settings.listen, self.port)
        return self.port

    def load(self) -> None:
        """Load the model, the policy and the audit log, then report SERVING."""
        self.state = State.LOADING
        settings = self.settings
        fallback_target = settings.policy.fallback_target
        self.policy_store = _policy_store(settings)
        self.policy_store.start()  # the first policy must pass every gate, or the sidecar does not serve
        detector = self._detector or self._load_detector()
        audit = self._audit
        if audit is None:
            self._audit_log = audit = _open_audit_log(settings)
        pipeline = Pipeline(
            detector=detector,
            policy=self.policy_store.current,
            audit=audit,
            executor=self._steps,
            fallback_target=fallback_target or None,
            floor_categories=frozenset(settings.policy.floor_categories),
            detect_timeout_s=settings.detection.timeout_s,
            policy_timeout_s=settings.policy.timeout_s,
        )
        if isinstance(detector, PresidioDetector):
            self.metrics.watch_cache(detector.cache)
        self.metrics.watch_policy(self.policy_store)
        self._servicer.ready(pipeline)
        self.state = State.SERVING
        self._set_health(health_pb2.HealthCheckResponse.SERVING)
        log.info("serving policy revision %s", self.policy_store.current().revision)

    def _load_detector(self) -> PresidioDetector:
        config = self.settings.detection
        settings = config.detection_settings()
        if config.workers == 0:
            return PresidioDetector.load(settings)
        self._workers = DetectionWorkers(settings, processes=config.workers, max_batch=config.max_batch)
        self._workers.start()
        return PresidioDetector(self._workers.spans, settings)

    def stop(self, grace_s: float | None = None) -> None:
        """Stop taking calls, let in-flight ones finish within the grace period, close the log."""
        if self.state is State.STOPPED:
            return
        self.state = State.STOPPING
        self._health.enter_graceful_shutdown()
        grace = self.settings.server.grace_s if grace_s is None else grace_s
        self._server.stop(grace).wait()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self.policy_store is not None:
            self.policy_store.stop()
        self._steps.shutdown(wait=False, cancel_futures=True)
        if self._workers is not None:
            self._workers.close()
        self.metrics.close()
        if self._audit_log is not None:
            self._audit_log.close()
        self.state = State.STOPPED

    def wait(self) -> None:
        self._server.wait_for_termination()

    def _set_health(self, status) -> None:
        for service in ("", SERVICE_NAME):
            self._health.set(service, status)


def _bind(server: grpc.Server, settings: Settings) -> int:
    """Listen on host:port or a unix socket, with TLS or mutual TLS when configured."""
    credentials = None
    tls = settings.tls
    if tls.cert_file is not None:
        client_ca = _read_file(tls.client_ca_file, "tls.client_ca_file") if tls.client_ca_file else None
        credentials = grpc.ssl_server_credentials(
            [(_read_file(tls.key_file, "tls.key_file"), _read_file(tls.cert_file, "tls.cert_file"))],
            root_certificates=client_ca,
            require_client_auth=client_ca is not None,
        )
    unix = settings.listen.startswith("unix:")
    # A unix socket is created by bind(); the umask keeps other users from connecting to it.
    previous_umask = os.umask(0o177) if unix else None
    try:
        if credentials is None:
            port = server.add_insecure_port(settings.listen)
        else:
            port = server.add_secure_port(settings.listen, credentials)
    except RuntimeError as exc:
        raise ConfigError(f"cannot listen on {settings.listen}: {exc}") from None
    finally:
        if previous_umask is not None:
            os.umask(previous_umask)
    if port == 0 and not unix:
        raise ConfigError(f"cannot listen on {settings.listen}")
    return port


def _policy_store(settings: Settings) -> PolicyStore:
    policy = settings.policy
    if policy.engine == "opa":
        api = OpaDataApi(policy.opa_url, timeout_s=policy.opa_timeout_s)
        source = OpaSource(api, revision=policy.opa_revision or None)
    else:
        source = policy_source(policy.path, fetch_timeout_s=policy.fetch_timeout_s)
    return PolicyStore(
        source,
        poll_interval_s=policy.poll_interval_s,
        floor_categories=frozenset(policy.floor_categories),
        fallback_target=policy.fallback_target or None,
    )


def build_authenticator(settings: Settings) -> Authenticator:
    auth = settings.auth
    return Authenticator(
        profiles={
            name: CallerProfile(name, p.services, p.tenants, tuple(j.upper() for j in p.jurisdictions))
            for name, p in auth.profiles.items()
        },
        certificate_identities=auth.certificate_identities,
        token_digests=read_tokens_file(auth.tokens_file) if auth.tokens_file else {},
    )


def _read_file(path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{setting}: cannot read {path}: {exc.strerror}") from exc


def _open_audit_log(settings: Settings) -> AuditLog:
    config = settings.audit
    log_file = AuditLog(
        config.path,
        hmac_key=_read_key(settings),
        fsync=config.fsync,
        batch_interval_ms=config.batch_interval_ms,
        max_bytes=config.max_bytes,
        max_age_s=config.max_age_s,
    )
    try:
        return log_file.open()
    except AuditTornTailError as torn:
        # A crash cut the last write short, so its decision was never returned. Keep the
        # torn bytes as evidence beside the log, then continue the chain without them.
        evidence = _keep_torn_tail(Path(torn.path), torn.offset)
        log_file.open(repair=True)
        log.warning("audit log %s ended in a torn line (%d bytes): moved to %s", torn.path, torn.torn_bytes, evidence)
        return log_file


def _keep_torn_tail(path: Path, offset: int) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    evidence = path.with_name(f"{path.name}.torn-{stamp}")
    with path.open("rb") as source:
        source.seek(offset)
        torn = source.read()
    descriptor = os.open(evidence, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as target:
        target.write(torn)
        target.flush()
        os.fsync(target.fileno())
    return evidence


def _read_key(settings: Settings) -> bytes | None:
    path = settings.audit.hmac_key_file
    if path is None:
        return None
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"audit.hmac_key_file: cannot read {path}: {exc.strerror}") from exc
    if len(key) < 16:
        raise ConfigError("audit.hmac_key_file must hold a key of at least 16 bytes")
    return key


def serve(settings: Settings) -> None:
    """Run the sidecar until SIGTERM or SIGINT."""
    import signal

    sidecar = Sidecar(settings)
    stopped = threading.Event()

    def on_signal(signum, _frame) -> None:
        log.info("signal %d: shutting down", signum)
        threading.Thread(target=lambda: (sidecar.stop(), stopped.set()), daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    sidecar.start()
    try:
        sidecar.load()
    except BaseException:
        sidecar.stop(0)
        raise
    stopped.wait()
