"""Detection in worker processes: the same findings as in-process, batched, and a dead worker fails closed."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from policy.detect import DetectionSettings, Message, PresidioDetector
from policy.errors import DetectionError
from policy.workers import DetectionWorkers

TEXTS = [
    "Hi, I am Jean Dupont; mail jean.dupont@example.fr or call +33 1 42 68 53 00",
    "Explain the CAP theorem",
    "Card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE",
    "Angela Merkel met Barack Obama in Berlin on 3 March 2015.",
] + [f"Ticket {n}: customer john{n}@example.com asked about order {n * 7}" for n in range(40)]


@pytest.fixture(scope="module")
def workers():
    pool = DetectionWorkers(DetectionSettings(), processes=2, max_batch=8)
    pool.start()
    yield pool
    pool.close()


def test_workers_find_what_in_process_detection_finds(workers, detector):
    settings = DetectionSettings(cache_size=0)
    pooled = PresidioDetector(workers.spans, settings)
    messages = [[Message("user", text)] for text in TEXTS]

    with ThreadPoolExecutor(max_workers=16) as clients:
        from_workers = list(clients.map(pooled.detect, messages))

    assert from_workers == [detector.detect(m) for m in messages]
    assert workers.texts >= len(TEXTS) and workers.batches < workers.texts  # concurrent requests were batched


def test_killed_workers_fail_their_batch_and_are_replaced(workers):
    import multiprocessing

    for process in multiprocessing.active_children():
        if process.name == "residency-detect-worker":
            os.kill(process.pid, signal.SIGKILL)

    with pytest.raises(DetectionError, match="detection worker died"):
        workers.spans(["Explain the CAP theorem"])

    # Each feeder replaces its worker when it finds it dead; then detection works again.
    errors = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            found = workers.spans(["mail jane@example.com"])
            break
        except DetectionError as error:
            errors.append(str(error))
    else:
        raise AssertionError(f"detection did not recover: {errors}")
    assert found[0][0].entity_type == "EMAIL_ADDRESS"
    assert set(errors) <= {"detection worker died (exit code -9)"}


def test_a_worker_that_overruns_is_replaced():
    # A deadline no analysis can meet stands for a worker stuck on a hostile input.
    pool = DetectionWorkers(DetectionSettings(), processes=1, result_timeout_s=0.001)
    pool.start()
    try:
        first = pool._feeders[0]
        with pytest.raises(DetectionError, match="overran 0.001 s and was replaced"):
            pool.spans(["Explain the CAP theorem"])
        assert first.is_alive()  # the feeder carries on with a new worker
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("waiting", "processes", "max_batch", "taken"),
    [(2, 2, 32, 1), (5, 2, 32, 3), (40, 2, 8, 8), (3, 1, 32, 3), (1, 4, 32, 1)],
)
def test_a_feeder_takes_its_share_of_what_waits(waiting, processes, max_batch, taken):
    pool = DetectionWorkers(DetectionSettings(), processes=processes, max_batch=max_batch)  # never started
    for n in range(waiting):
        pool._queue.put((f"text {n}", None))

    batch = pool._next_batch()

    assert [text for text, _ in batch] == [f"text {n}" for n in range(taken)]
