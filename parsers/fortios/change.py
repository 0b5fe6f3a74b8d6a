"""Change requests in FortiOS CLI (stub; implemented below)."""

from __future__ import annotations

from parsers.kit import InputError


def apply_change(config_text: str, change_text: str, change_path: str, origins: list | None = None) -> str:
    """Not yet."""
    raise InputError("%s: FortiOS change requests are not supported yet" % change_path)
