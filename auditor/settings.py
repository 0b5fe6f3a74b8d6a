"""Project settings and the ``--fail-on`` threshold.

Settings come from ``.prinergy-audit.toml`` (keys at the top level) or the
``[tool.prinergy-audit]`` table of ``pyproject.toml``, whichever is found
first from the working directory upward (``.prinergy-audit.toml`` wins in
the same directory).  Keys: ``site``, ``policy``, ``fail-on``, ``waivers``,
``format`` (a name or a list).  Relative paths are relative to the file that
names them.  Command-line flags win over the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FILE_NAME = ".prinergy-audit.toml"
TABLE = "prinergy-audit"
FAIL_ON = ("error", "warning", "info")
KEYS = ("site", "policy", "fail-on", "waivers", "format")


class SettingsError(ValueError):
    """A settings file that cannot be used; one line naming the file."""


@dataclass(frozen=True)
class Settings:
    """Values from a settings file (``None``: not set there)."""

    site: str | None = None
    policy: str | None = None
    fail_on: str | None = None
    waivers: str | None = None
    formats: tuple[str, ...] = ()
    path: str | None = None  # the file they came from
    sources: dict = field(default_factory=dict, compare=False)


def find_settings_file(start: str | Path | None = None) -> tuple[Path, dict] | None:
    """The nearest settings file from ``start`` (default: cwd) upward, and its table."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        own = d / FILE_NAME
        if own.is_file():
            return own, _read(own)
        pp = d / "pyproject.toml"
        if pp.is_file():
            table = _read(pp).get("tool", {}).get(TABLE)
            if table is not None:
                if not isinstance(table, dict):
                    raise SettingsError("%s: [tool.%s] must be a table" % (pp, TABLE))
                return pp, table
    return None


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError("%s: not valid TOML (%s)" % (path, e)) from None
    except OSError as e:
        raise SettingsError("cannot read %s: %s" % (path, e.strerror or type(e).__name__)) from None


def load_settings(config: str | None = None, start: str | Path | None = None,
                  known_formats: tuple[str, ...] | None = None) -> Settings:
    """Settings from ``config`` (an explicit file) or the nearest file found upward.

    ``known_formats`` validates the ``format`` key when given.
    """
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise SettingsError("settings file %s: no such file" % config)
        data = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get(TABLE, {})
    else:
        found = find_settings_file(start)
        if found is None:
            return Settings()
        path, data = found
    return _validate(path, data, known_formats)


def _validate(path: Path, data: dict, known_formats) -> Settings:
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise SettingsError("%s: unknown setting '%s' (allowed: %s)" % (path, unknown[0], ", ".join(KEYS)))

    def text(key: str) -> str | None:
        v = data.get(key)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip():
            raise SettingsError("%s: '%s' must be a non-empty string" % (path, key))
        return v

    def rel(v: str | None) -> str | None:
        if v is None or Path(v).is_absolute():
            return v
        return str(path.parent / v)

    fail_on = text("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise SettingsError("%s: fail-on must be one of %s, not '%s'" % (path, ", ".join(FAIL_ON), fail_on))
    fmts = data.get("format", ())
    if isinstance(fmts, str):
        fmts = (fmts,)
    if not isinstance(fmts, (list, tuple)) or not all(isinstance(f, str) for f in fmts):
        raise SettingsError("%s: 'format' must be a format name or a list of names" % path)
    if known_formats is not None:
        for f in fmts:
            if f not in known_formats:
                raise SettingsError("%s: unknown format '%s' (available: %s)" % (path, f, ", ".join(known_formats)))
    sources = {k: str(path) for k in data}
    return Settings(rel(text("site")), text("policy"), fail_on, rel(text("waivers")), tuple(fmts), str(path), sources)
