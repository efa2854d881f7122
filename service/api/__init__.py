"""Generated gRPC stubs for residency.v1 (see proto/generate.py)."""
