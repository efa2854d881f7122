"""Prometheus metrics on their own HTTP port (`metrics.listen`), never on the gRPC port.

Labels are closed sets (actions, target names from the policy data, fallback codes),
so a caller cannot blow up cardinality, and no label ever carries request content.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from policy.pipeline import Decision

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.decisions = Counter(
            "residency_decisions", "Decisions made, by action, target and fallback code.",
            ["action", "target", "fallback"], registry=self.registry,
        )
        self.rejected = Counter(
            "residency_rejected_requests", "Requests refused without a decision, by gRPC status.",
            ["code"], registry=self.registry,
        )
        self.detect_seconds = Histogram(
            "residency_detect_seconds", "Time to detect regulated data in a request.",
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.policy_seconds = Histogram(
            "residency_policy_seconds", "Time to evaluate and check the policy.",
            buckets=_LATENCY_BUCKETS, registry=self.registry,
        )
        self.reload_failures = Gauge(
            "residency_policy_reload_failures", "Policy versions refused since start (the old one kept serving).",
            registry=self.registry,
        )
        self.last_reload = Gauge(
            "residency_policy_last_reload_timestamp_seconds", "When the policy in force went into force.",
            registry=self.registry,
        )

    def observe(self, decision: Decision) -> None:
        verdict = decision.verdict
        self.decisions.labels(
            action=str(verdict.action),
            target=verdict.target.name if verdict.target else "",
            fallback=verdict.fallback_code,
        ).inc()
        self.detect_seconds.observe(decision.timings.detect_ms / 1000)
        self.policy_seconds.observe(decision.timings.policy_ms / 1000)

    def watch_policy(self, store) -> None:
        """Export a PolicyStore's status, read at scrape time."""
        self.reload_failures.set_function(lambda: store.status().reload_failures)
        self.last_reload.set_function(lambda: store.status().last_reload_time or 0)
        self.registry.register(_RevisionCollector(store))

    def watch_cache(self, cache) -> None:
        """Export a detector cache's hit and miss counters (read at scrape time)."""
        self.registry.register(_CacheCollector(cache))

    def serve(self, listen: str) -> None:
        host, _, port = listen.rpartition(":")
        self._http, _ = start_http_server(int(port), addr=host or "127.0.0.1", registry=self.registry)

    def close(self) -> None:
        http = getattr(self, "_http", None)
        if http is not None:
            http.shutdown()
            http.server_close()


class _RevisionCollector(Collector):
    def __init__(self, store) -> None:
        self._store = store

    def collect(self):
        info = GaugeMetricFamily(
            "residency_policy_revision_info", "The policy revision in force (value 1).", labels=["revision"]
        )
        info.add_metric([self._store.status().revision], 1)
        yield info


class _CacheCollector(Collector):
    def __init__(self, cache) -> None:
        self._cache = cache

    def collect(self):
        counter = CounterMetricFamily(
            "residency_detection_cache_lookups", "Detection cache lookups, by result.", labels=["result"]
        )
        counter.add_metric(["hit"], self._cache.hits)
        counter.add_metric(["miss"], self._cache.misses)
        yield counter
