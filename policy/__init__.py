"""Residency's engine, usable without gRPC: detection, policy input, Rego evaluation, decisions, audit.

    from policy.pipeline import Pipeline      # detect → build input → evaluate → check → audit
"""
