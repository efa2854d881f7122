"""Residency's exceptions, one tree with stable codes.

    ResidencyError                 code
    ├── ConfigError                "config_invalid"       a setting is missing, malformed or conflicting
    ├── DetectionError             "detection_failed"     a recognizer or the NLP model raised
    ├── PolicyError
    │   ├── PolicyLoadError        "policy_load_failed"   a bundle cannot be read or compiled (file:line:col)
    │   └── PolicyEvaluationError  "policy_error"         the engine raised during evaluation
    │       └── InvalidDecisionError "policy_invalid_result"  undefined, unknown action/target, unsafe route
    └── AuditError                 "audit_failed"         see policy.audit for its subclasses

Messages never contain prompt text: they name types, fields, files and positions only.
Third-party exceptions are converted at the boundary with ``raise … from``.
"""

from __future__ import annotations


class ResidencyError(Exception):
    code = "residency_error"


class ConfigError(ResidencyError):
    code = "config_invalid"


class DetectionError(ResidencyError):
    code = "detection_failed"


class PolicyError(ResidencyError):
    code = "policy_error"


class PolicyLoadError(PolicyError):
    code = "policy_load_failed"


class PolicyEvaluationError(PolicyError):
    code = "policy_error"


class InvalidDecisionError(PolicyEvaluationError):
    code = "policy_invalid_result"
