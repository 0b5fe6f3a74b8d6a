"""Keep Python's cycle collector out of the way of large parses and audits.

A 100k-line config makes millions of small immutable records; the cyclic
garbage collector would rescan them again and again while they are being
built (the parse of the benchmark config takes about twice as long with it).
They hold no reference cycles, so reference counting frees everything that
becomes garbage; the collector is paused for the duration and restored after,
with what was built frozen out of its generations.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while a large config is built and audited (see the module doc)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # what was built survives as long-lived, acyclic data: move it out of the
        # collector's generations so later collections do not rescan it (reference
        # counting still frees it when it is dropped)
        gc.freeze()
        if was:
            gc.enable()
