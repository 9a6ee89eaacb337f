"""Work in forked processes: one call in the background, or a list split over several processes."""

from __future__ import annotations

import multiprocessing
import os
from typing import Any


class ProcessError(Exception):
    """A forked process failed or ended without an answer."""


class BackgroundCall:
    """`function(*args)` computed in a forked process while this one goes on; `result()` waits for it."""

    def __init__(self, function, *args):
        self._owner = os.getpid()
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=self._run, args=(send, function, args), daemon=True)
        self._process.start()
        send.close()

    @staticmethod
    def _run(send, function, args) -> None:
        try:
            send.send((None, function(*args)))
        except BaseException as error:  # the caller must hear of any failure
            send.send((f"{type(error).__name__}: {error}", None))

    def result(self) -> Any:
        try:
            error, value = self._receive.recv()
        except EOFError:
            error, value = "the process ended without an answer", None
        self._process.join()
        if error is not None:
            raise ProcessError(
                f"{getattr(self._process, 'name', 'background call')}: {error} (exit code {self._process.exitcode})"
            )
        return value

    def stop(self) -> None:
        if os.getpid() != self._owner:  # a forked copy (a language worker) does not own the process
            return
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def map_in_processes(function, items: list, jobs: int) -> list:
    """`function(chunk)` for `jobs` interleaved chunks of `items`: the first here, the others in
    forked processes meanwhile. The results, in chunk order."""
    chunks = [items[index::jobs] for index in range(max(1, jobs))]
    calls = [BackgroundCall(function, chunk) for chunk in chunks[1:] if chunk]
    try:
        return [function(chunks[0]), *(call.result() for call in calls)]
    finally:
        for call in calls:
            call.stop()
