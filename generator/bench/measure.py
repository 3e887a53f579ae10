"""Measuring for the benchmark: medians of timed calls, child processes with their peak memory,
a quiet local HTTP server and waiting for a condition."""

from __future__ import annotations

import contextlib
import functools
import os
import socket
import statistics
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]
"""The project's root: mkdocs.yml and the folders it names."""


def median_time(
    run: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None
) -> tuple[float, float, Any]:
    """Median wall and CPU time of ``repeat`` calls, and the last call's result; ``before``
    runs ahead of each call, untimed.

    CPU time is what the targets are judged on: on a shared machine wall time also counts
    the other processes' turns.
    """
    times, cpu, result = [], [], None
    for _ in range(repeat):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return round(statistics.median(times), 3), round(statistics.median(cpu), 3), result


def run_child(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float, int]:
    """Run a command; return its wall time, its CPU time and its peak memory in bytes."""
    seconds, cpu, peak, _ = run_logged(command, env, cwd)
    return seconds, cpu, peak


def run_logged(
    command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float, int, str]:
    """As :func:`run_child`, and what the command wrote to its standard error."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{err.decode(errors='replace')[-3000:]}")
    return (
        elapsed,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss * 1024,
        err.decode(errors="replace"),
    )


def environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def wait_for(condition: Callable[[], bool], timeout: float, every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout} s")
        time.sleep(every)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def http_server(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
