"""The Residency sidecar: gRPC server, configuration and the `residency` CLI. Imports `policy`, never the reverse."""
