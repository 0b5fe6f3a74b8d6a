"""Progress on stderr for long audits, only when stderr is a terminal.

Library code calls ``report(label, done, total)`` freely: it costs a
function call and does nothing unless the CLI turned reporting on with
``enable()``.  Nothing is shown for work that ends within ``delay`` seconds,
and updates are rate-limited, so short audits print nothing at all.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_state: dict = {"stream": None}


def enable(stream: TextIO | None = None, delay: float = 2.0, interval: float = 0.2, plain: bool = False) -> None:
    """Show progress on ``stream`` (stderr) for work longer than ``delay`` seconds, when it is a terminal;
    ``plain``: without any escape sequence (NO_COLOR), the line cleared with blanks."""
    stream = stream or sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return
    now = time.monotonic()
    _state.update(stream=stream, start=now, last=0.0, delay=delay, interval=interval, shown=False, plain=plain,
                  width=0)


def report(label: str, done: int | None = None, total: int | None = None) -> None:
    """Progress of long work (``label``, ``done`` of ``total``), at most every ``interval`` seconds."""
    stream = _state.get("stream")
    if stream is None:
        return
    now = time.monotonic()
    if now - _state["start"] < _state["delay"] or now - _state["last"] < _state["interval"]:
        return
    _state["last"] = now
    text = label
    if done is not None and total:
        text += " %d/%d (%d%%)" % (done, total, 100 * done // total)
    if _state.get("prefix"):
        text = "%s: %s" % (_state["prefix"], text)
    from auditor.core.secrets import redact

    line = "prinergy-audit: %s" % redact(text)[:100]
    if _state.get("plain"):
        stream.write("\r%-*s" % (_state["width"], line))
        _state["width"] = max(_state["width"], len(line))
    else:
        stream.write("\r\033[K" + line)
    stream.flush()
    _state["shown"] = True


def bar(done: int, total: int, width: int = 24) -> str:
    """A text progress bar: ``[#########---------------] done/total``."""
    full = width * done // total if total else width
    return "[%s%s] %d/%d" % ("#" * full, "-" * (width - full), done, total)


def prefix(text: str | None) -> None:
    """Show ``text`` before every later report (an outer task's progress, e.g. a fleet's bar),
    until ``prefix(None)``."""
    _state["prefix"] = text


def finish() -> None:
    """Clear the progress line and stop showing progress."""
    stream = _state.get("stream")
    if stream is not None and _state.get("shown"):
        stream.write("\r%s\r" % (" " * _state["width"]) if _state.get("plain") else "\r\033[K")
        stream.flush()
    _state["stream"] = None
