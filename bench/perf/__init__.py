"""Performance benchmark: Residency end to end over gRPC against plain Presidio (issue #7).

    python -m bench.perf.run [--quick]      the benchmark (run.py), corpus in corpus.py
    python -m bench.perf.profile            where the time of one request path goes (cProfile)

Results and how to read them: bench/README.md, section "Performance".
"""
