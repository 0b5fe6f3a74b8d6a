"""The one error a parser raises for input it cannot read at all."""

from __future__ import annotations


class InputError(Exception):
    """Input that cannot be audited; the message is one clear line (never a secret, never a traceback)."""
