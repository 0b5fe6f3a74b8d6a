"""Worker processes for long checks.

Workers are forked, so they share the parent's parsed configs without copying
them, and send their results over a queue as they go.  A ``Crew`` is the
processes started for one purpose; ``collect`` reads the messages of several
crews as they arrive, until every worker has ended, and raises when one fails
(raises, or dies without ending) instead of leaving the parent waiting.

A worker may ``share`` a list of tasks with helpers it forks itself (after it
has built something they need, e.g. an index): the tasks are claimed from a
shared counter, so a slow task does not hold the others back.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

_END, _ERR = "end", "error"
_KEPT: list = []  # (in a worker: what it built, until its exit)


def cores() -> int:
    """How many processes long checks may run at once (1: no workers).

    ``PRINERGY_AUDIT_WORKERS=N`` says so (1 turns the workers off, e.g. when embedding the
    library in a threaded program).  Otherwise: the cores this process may run on
    (``os.sched_getaffinity``) less the processes running on them now (``_busy``): on a busy
    machine workers would only share the same cores with the other processes, paying for
    their start and for the memory they copy.  Workers need the ``fork`` start method (Linux,
    macOS), which shares the parsed data.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cap = os.environ.get("PRINERGY_AUDIT_WORKERS", "")
    if cap.isdecimal():
        return max(int(cap), 1)
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # (macOS)
        n = os.cpu_count() or 1
    return max(1, min(n, int(n - _busy() + 0.5)))


def _busy() -> float:
    """How many other tasks are running now: the kernel's count of runnable tasks
    (``/proc/loadavg``'s fourth field, this process included) less this one.  Where there is
    no such count, the 1-minute load average (a lagging figure: a minute of a program that
    has just ended still counts there)."""
    try:
        with open("/proc/loadavg") as fh:
            return max(0, int(fh.read().split()[3].split("/")[0]) - 1)
    except (OSError, IndexError, ValueError):
        pass
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


MEMORY = 1_000_000_000  # what the audit's processes may hold together (``PRINERGY_AUDIT_MEMORY_MB``)
COPY = 0.5  # the share of the parent's memory a worker is taken to copy (writes to shared pages)


def fits(processes: int) -> bool:
    """Whether ``processes`` more processes, each copying ``COPY`` of this one's resident
    memory, keep the whole tree within ``MEMORY`` (and within the memory available now):
    forked workers share the parent's pages only until they write to them, and reference
    counting writes to every object a worker reads."""
    limit = MEMORY
    mb = os.environ.get("PRINERGY_AUDIT_MEMORY_MB", "")
    if mb.isdecimal():
        limit = int(mb) << 20
    try:
        with open("/proc/self/statm") as fh:
            rss = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    limit = min(limit, rss + int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        return True  # (no /proc: nothing to go by)
    return rss * (1 + COPY * processes) <= limit


class Crew:
    """Forked worker processes sending messages over one queue."""

    def __init__(self) -> None:
        self._ctx = multiprocessing.get_context("fork")
        self.queue = self._ctx.Queue()
        self.procs: list = []
        self.sealed = False

    def start(self, fn: Callable, *args) -> None:
        """Run ``fn(out, *args)`` in a new worker; ``out.send(msg)`` delivers a message.
        What ``fn`` returns is kept until the worker has reported its end."""
        if self.sealed:
            raise RuntimeError("no worker can join a sealed crew")
        proc = self._ctx.Process(target=_run, args=(fn, args, self.queue), daemon=True)
        proc.start()
        self.procs.append(proc)

    def seal(self) -> None:
        """No more workers: the parent closes its copy of the queue's writing end (it never
        sends), so that reading ends (EOFError) once every worker and helper is gone, even
        one killed halfway through writing a message, whose rest a reader would wait for."""
        if not self.sealed:
            self.sealed = True
            self.queue._writer.close()  # (a Queue's write end, as multiprocessing's own pools use it)

    def close(self) -> None:
        """Stop the workers still running (their helpers notice and stop too) and free the queue."""
        if self.queue is None:
            return
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self.procs:
            proc.join()
        self.procs = []
        self.queue.close()
        self.queue = None


class _Out:
    """What a worker sends with."""

    def __init__(self, queue) -> None:
        self.queue = queue

    def send(self, msg: tuple) -> None:
        self.queue.put(msg)

    def flush(self) -> None:
        """Wait until what was sent is in the pipe (before a helper's ``os._exit``)."""
        self.queue.close()
        self.queue.join_thread()


def _run(fn: Callable, args: tuple, queue) -> None:
    out = _Out(queue)
    try:
        built = fn(out, *args)
    except BaseException as e:  # (reported by the parent, which waits for this worker)
        out.send((_ERR, "%s: %s" % (type(e).__name__, e)))
    else:
        out.send((_END, os.getpid()))
        out.flush()
        # what ``fn`` returned (e.g. an index) is never freed one object at a time: that
        # takes longer than the work's last task, holding the lock the queue's sending
        # thread needs, and the process's exit frees it at once
        _KEPT.append(built)


def share(out: _Out, count: int, helpers: int, task: Callable[[int], tuple]) -> None:
    """Run ``task(0) .. task(count - 1)`` here and in ``helpers`` forked helpers, each once,
    sending each result; returns when all are done.

    Call it before this worker has sent anything (a helper is forked with a plain
    ``os.fork``, which must not copy a half-used queue).  A helper whose worker is
    gone (stopped by the parent) stops at its next task, or at once when it is waiting
    (``_orphan_exit``).
    """
    counter = multiprocessing.get_context("fork").Value("q", 0)
    lock = counter.get_lock()
    me = os.getpid()
    kids: set[int] = set()
    failed: list[int] = []

    @contextmanager
    def held() -> Iterator[None]:
        _take(lock, kids if os.getpid() == me else None, failed)
        try:
            yield
        finally:
            lock.release()

    def claim() -> Iterator[int]:
        while True:
            with held():
                n = counter.value
                counter.value = n + 1
            if n >= count:
                return
            yield n

    for _ in range(min(helpers, count - 1)):
        pid = os.fork()
        if pid == 0:  # a helper: never returns into the worker's code
            _orphan_exit(me)
            code = 0
            try:
                for n in claim():
                    if os.getppid() != me:
                        break
                    out.send(task(n))
            except BaseException as e:
                out.send((_ERR, "%s: %s" % (type(e).__name__, e)))
                code = 1
            finally:
                try:
                    out.flush()
                finally:
                    os._exit(code)
        kids.add(pid)
    try:
        for n in claim():
            out.send(task(n))
    except BaseException:
        with held():
            counter.value = count  # the helpers take no more tasks
        raise
    finally:
        _reap(kids, failed, block=True)
    if failed:
        raise RuntimeError("a helper stopped (exit code %s)" % failed[0])


def _take(lock, kids: set[int] | None, failed: list[int], every: float = 0.5) -> None:
    """Acquire the task counter's ``lock``; in a worker (``kids``: its helpers), not waiting
    forever for a lock that a killed helper held (see ``_reap``)."""
    while not lock.acquire(timeout=every):
        if kids is not None:
            _reap(kids, failed, block=False)


def _reap(kids: set[int], failed: list[int], block: bool) -> None:
    """In a worker: wait for its helpers ``kids`` to end (or, not blocking, look at those that
    have); each leaves ``kids``, and a non-zero exit code goes to ``failed``.

    A helper killed by a signal (the kernel's out-of-memory killer, say) may have died
    holding a lock it shares with its worker (the queue's, the task counter's) or halfway
    through writing a message: neither the queue nor the counter can be trusted, and a send
    or a wait could hang.  The worker says so on stderr and exits at once, unfinished; the
    parent then reports that it stopped (``collect``), and its other helpers end
    (``_orphan_exit``).
    """
    while kids:
        pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
        if pid == 0:
            return  # (not blocking: none has ended)
        if pid not in kids:
            continue
        kids.discard(pid)
        if os.WIFSIGNALED(status):
            os.write(2, b"prinergy-audit: a helper process was killed by signal %d\n" % os.WTERMSIG(status))
            os._exit(70)
        if status:
            failed.append(os.waitstatus_to_exitcode(status))


def _orphan_exit(worker: int, every: float = 0.1) -> None:
    """In a helper: exit as soon as its worker is gone.

    The parent stops a worker with a signal, which may come while the worker holds a lock
    it shares with its helpers (the queue's writing lock, the task counter's): a helper
    waiting for that lock, or for its queue to flush, would wait forever, holding the
    audit's output open.  A watching thread ends it instead.
    """
    def watch() -> None:
        while os.getppid() == worker:
            time.sleep(every)
        os._exit(1)  # (nobody waits for this exit code: the worker is gone)

    threading.Thread(target=watch, daemon=True).start()


def collect(crews: Iterable[Crew], timeout: float = 1.0) -> Iterator[tuple]:
    """The crews' messages as they arrive, until all their workers have ended.

    RuntimeError when a worker raises, or stops without ending its work.
    """
    import queue as queue_mod
    from multiprocessing.connection import wait

    pending = {c: {p.pid for p in c.procs} for c in crews}
    for c in pending:
        c.seal()
    readers = {c.queue._reader: c for c in pending}  # (a Queue's read end, as multiprocessing's own pools use it)
    while any(pending.values()):
        live = [r for r, c in readers.items() if pending[c]]
        ready = wait(live, timeout)
        if not ready:
            for c, pids in pending.items():
                for p in c.procs:
                    if p.pid in pids and p.exitcode is not None:
                        try:  # what it sent last may still be on its way
                            msg = c.queue.get(timeout=timeout)
                        except (queue_mod.Empty, EOFError, OSError):
                            raise _stopped(p) from None
                        yield from _handle(msg, pids)
            continue
        for r in ready:
            c = readers[r]
            try:
                msg = c.queue.get()
            except (EOFError, OSError):  # every writer is gone (see ``Crew.seal``), a worker unended
                # (OSError: the pipe ended halfway through a message)
                p = next(p for p in c.procs if p.pid in pending[c])
                p.join(timeout)
                raise _stopped(p) from None
            yield from _handle(msg, pending[c])


def _stopped(proc) -> RuntimeError:
    return RuntimeError("a worker stopped (exit code %s)" % proc.exitcode)


def _handle(msg: tuple, pids: set) -> Iterator[tuple]:
    tag = msg[0]
    if tag == _END:
        pids.discard(msg[1])
    elif tag == _ERR:
        raise RuntimeError("a worker failed: %s" % msg[1])
    else:
        yield msg
