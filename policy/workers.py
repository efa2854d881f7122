"""Detection in worker processes, batched across concurrent requests.

    request threads ──(text, future)──▶ queue ──▶ one feeder thread per worker
                                                    │  takes what is waiting (≤ max_batch)
                                                    ▼
                                        worker process: SpanAnalyzer.spans(batch)
                                                    │  spaCy once over the batch, then Presidio
                                                    ▼
                                        futures resolved ─▶ request threads

gRPC Python holds the GIL, so detection, the costly part, runs in processes of its own:
each loads the model once and analyses whole batches. A feeder only takes the next
batch when its worker is free, and then its share of what waits, so under load batches
grow, and when idle a request's new messages are spread over the workers: no timer adds
latency. Policy evaluation, redaction and the audit log stay in
the server process, which keeps one audit chain and one policy in force.

A worker that dies fails the batch it held (DetectionError, so those requests fall
back to self-hosted) and is replaced. Workers start with the "spawn" method: no gRPC or
thread state is forked.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from multiprocessing.connection import Connection

from policy.detect import DetectionSettings, Span, SpanAnalyzer
from policy.errors import ConfigError, DetectionError

log = logging.getLogger("residency.workers")

DEFAULT_MAX_BATCH = 32
DEFAULT_RESULT_TIMEOUT_S = 30.0
_CALLER_SLACK_S = 5.0
_IDLE_FORGET_S = 1.0
_STOP = None


class DetectionWorkers:
    def __init__(
        self,
        settings: DetectionSettings,
        *,
        processes: int,
        max_batch: int = DEFAULT_MAX_BATCH,
        result_timeout_s: float = DEFAULT_RESULT_TIMEOUT_S,
    ) -> None:
        if processes < 1:
            raise ConfigError(f"detection.workers must be >= 1, got {processes}")
        self._settings = settings
        self._processes = processes
        self._max_batch = max_batch
        self._result_timeout_s = result_timeout_s
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._feeders: list[threading.Thread] = []
        self._context = multiprocessing.get_context("spawn")
        self.batches = 0
        self.texts = 0

    def start(self) -> None:
        """Start the workers and wait until each has loaded the model; on failure, none is left running."""
        workers = [self._spawn() for _ in range(self._processes)]  # load in parallel
        try:
            for worker in workers:
                self._await_ready(*worker)
        except BaseException:
            for process, connection in workers:
                process.kill()
                connection.close()
            raise
        for number, worker in enumerate(workers):
            feeder = threading.Thread(
                target=self._feed, args=(worker,), name=f"residency-detect-{number}", daemon=True
            )
            feeder.start()
            self._feeders.append(feeder)

    def spans(self, texts: Sequence[str]) -> list[tuple[Span, ...]]:
        """Spans per text, from whichever workers are free; raises DetectionError.

        A worker that does not answer within `result_timeout_s` is killed and replaced, and
        its batch fails; a request thread never waits much longer than that (the pipeline's
        own, shorter timeout usually decides first).
        """
        futures: list[Future] = []
        for text in texts:
            future: Future = Future()
            self._queue.put((text, future))
            futures.append(future)
        # Longer than a feeder waits on its worker, so that the feeder's own verdict comes first.
        deadline = time.monotonic() + self._result_timeout_s + _CALLER_SLACK_S
        try:
            return [future.result(timeout=max(0.0, deadline - time.monotonic())) for future in futures]
        except FutureTimeout:
            raise DetectionError("detection workers did not answer in time") from None

    def close(self) -> None:
        for _ in self._feeders:
            self._queue.put(_STOP)
        for feeder in self._feeders:
            feeder.join(timeout=10)
        self._feeders.clear()

    def _spawn(self) -> tuple[multiprocessing.Process, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self._settings), name="residency-detect-worker", daemon=True
        )
        process.start()
        child.close()
        return process, parent

    @staticmethod
    def _await_ready(process: multiprocessing.Process, connection: Connection) -> None:
        try:
            status, detail = connection.recv()
        except EOFError:
            raise ConfigError(f"a detection worker exited while loading (exit code {process.exitcode})") from None
        if status != "ready":
            raise ConfigError(detail)

    def _feed(self, worker: tuple[multiprocessing.Process, Connection]) -> None:
        process, connection = worker
        while True:
            batch = self._next_batch()
            if batch is None:
                try:
                    connection.send(_STOP)
                except OSError:
                    pass  # the worker is already gone
                process.join(timeout=10)
                return
            try:
                connection.send([text for text, _ in batch])
                if connection.poll(self._result_timeout_s):
                    status, payload = connection.recv()
                else:
                    # A worker stuck on one batch holds every later one: replace it.
                    process.kill()
                    process.join(timeout=5)
                    status, payload = "error", f"detection worker overran {self._result_timeout_s} s and was replaced"
            except (EOFError, OSError):
                process.join(timeout=1)  # reap it, for its exit code
                status, payload = "error", f"detection worker died (exit code {process.exitcode})"
            self.batches += 1
            self.texts += len(batch)
            for index, (_, future) in enumerate(batch):
                if status == "ok":
                    future.set_result(payload[index])
                else:
                    future.set_exception(DetectionError(payload))
            if not process.is_alive():
                log.error("detection worker %d died (exit code %s); starting a new one", process.pid, process.exitcode)
                connection.close()
                process, connection = self._replace_until_ready(process)

    def _replace_until_ready(self, dead: multiprocessing.Process) -> tuple[multiprocessing.Process, Connection]:
        """A new worker; while none will start, keep trying with backoff: the other feeders serve meanwhile."""
        dead.join(timeout=1)
        delay_s = 0.5
        while True:
            try:
                worker = self._spawn()
                self._await_ready(*worker)
                return worker
            except (ConfigError, OSError) as exc:
                log.error("cannot start a detection worker (%s); retrying in %.1f s", exc, delay_s)
                time.sleep(delay_s)
                delay_s = min(delay_s * 2, 30.0)

    def _next_batch(self) -> list[tuple[str, Future]] | None:
        first = self._queue.get()
        if first is _STOP:
            return None
        batch = [first]
        # A fair share of what is waiting, so that the new messages of one request (a chat
        # turn brings two) are analysed side by side when the workers are idle.
        share = min(self._max_batch, -(-(1 + self._queue.qsize()) // self._processes))
        while len(batch) < share:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                self._queue.put(_STOP)  # for this feeder's next turn
                break
            batch.append(item)
        return batch


def _worker_main(connection: Connection, settings: DetectionSettings) -> None:
    """A worker process: load once, then analyse batches until told to stop."""
    try:
        analyzer = SpanAnalyzer.load(settings)
    except Exception as exc:  # noqa: BLE001 — reported to the parent, which refuses to start
        connection.send(("error", f"detection worker could not load: {exc}"))
        return
    connection.send(("ready", ""))
    while True:
        if not connection.poll(_IDLE_FORGET_S):
            analyzer.forget_words()  # idle: no word of a prompt waits in memory for the next batch
        try:
            texts = connection.recv()
        except EOFError:
            return
        if texts is _STOP:
            return
        try:
            connection.send(("ok", analyzer.spans(texts)))
        except DetectionError as exc:
            connection.send(("error", str(exc)))
