"""Residency's own Presidio recognizers, for what Presidio does not ship.

`policy.detect.build_analyzer` adds `residency_recognizers()` to the registry built from
policy/recognizers.yaml.
"""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from policy.recognizers.secrets import SECRET_ENTITY_TYPES, SecretsRecognizer

__all__ = ["SECRET_ENTITY_TYPES", "SecretsRecognizer", "residency_recognizers"]


def residency_recognizers() -> list[EntityRecognizer]:
    """A fresh instance of each of our recognizers (they are stateless and thread-safe)."""
    return [SecretsRecognizer()]
