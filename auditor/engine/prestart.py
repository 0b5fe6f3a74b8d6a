"""Let long checks start on a filter as soon as a parser has built it.

A parser calls ``filter_built(f, total)`` for each filter it has finished
(``total``: the rules the whole config will have, as far as it knows).  Inside
``enabled()`` (the CLI's audit runs its parse and audit in it), each check
module that defines ``prestart(filter, total)`` may start work on the filter
then, in the background, while the parser goes on with the rest of the file;
the check claims that work when the audit runs it (if the filter is still the
one it checks), and anything not claimed is stopped when ``enabled()`` ends.
Outside ``enabled()`` the call does nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

_state: dict = {"hooks": None, "handles": []}


@contextmanager
def enabled() -> Iterator[None]:
    from auditor.checks import modules

    _state["hooks"] = [m.prestart for m in modules() if hasattr(m, "prestart")]
    try:
        yield
    finally:
        _state["hooks"] = None
        handles, _state["handles"] = _state["handles"], []
        for h in handles:
            h.close()


def filter_built(f, total: int) -> None:
    """A parser has built filter ``f`` of a config with about ``total`` rules."""
    hooks = _state["hooks"]
    if not hooks:
        return
    for hook in hooks:
        handle = hook(f, total)
        if handle is not None:
            _state["handles"].append(handle)
