"""Project settings and the ``--fail-on`` threshold.

Settings come from ``.prinergy-audit.toml`` (keys at the top level) or the
``[tool.prinergy-audit]`` table of ``pyproject.toml``, whichever is found
first from the working directory upward (``.prinergy-audit.toml`` wins in
the same directory).  Keys: ``site``, ``policy``, ``fail-on``, ``waivers``,
``format`` (a name or a list).  Relative paths are relative to the file that
names them.  Command-line flags win over the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FILE_NAME = ".prinergy-audit.toml"
TABLE = "prinergy-audit"
FAIL_ON = ("error", "warning", "info")


class SettingsFile(BaseModel):
    """prinergy-audit settings: .prinergy-audit.toml, or [tool.prinergy-audit] in pyproject.toml.
    Command-line flags win over them."""

    # (schemas/settings.schema.json is made from this model; every settings file is validated with it)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, title="prinergy-audit settings")
    site: str | None = Field(default=None, min_length=1, description="Site file, relative to this file.")
    policy: str | None = Field(default=None, min_length=1, description="Policy pack: a bundled name (prinergy-8, "
                               "prinergy-9) or a pack file, relative to this file.")
    fail_on: Literal["error", "warning", "info"] | None = Field(default=None, alias="fail-on",
                                                                description="Lowest severity that fails.")
    waivers: str | None = Field(default=None, min_length=1, description="Waivers file, relative to this file.")
    format: str | list[str] | None = Field(default=None, description="Output format(s): text, json, sarif, junit, "
                                           "markdown, github, html.")
    select: str | list[str] | None = Field(default=None, description="Rule IDs or prefixes to report (as ruff: "
                                           "the most specific prefix decides; ALL for every rule).")
    ignore: str | list[str] | None = Field(default=None, description="Rule IDs or prefixes not to report.")


KEYS = tuple(f.alias or name for name, f in SettingsFile.model_fields.items())


class SettingsError(ValueError):
    """A settings file that cannot be used; one line naming the file, line and column."""


@dataclass(frozen=True)
class Settings:
    """Values from a settings file (``None``: not set there)."""

    site: str | None = None
    policy: str | None = None
    fail_on: str | None = None
    waivers: str | None = None
    formats: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
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
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        where = "%s:%s:%s" % (path, m.group(1), m.group(2)) if m else "%s:1:1" % path
        raise SettingsError("%s: not valid TOML (%s)" % (where, e)) from None
    except UnicodeDecodeError:
        raise SettingsError("%s: not valid TOML (not UTF-8 text)" % path) from None
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
            raise SettingsError("settings file %s: %s" % (config, "a folder, not a file" if path.is_dir()
                                                          else "no such file"))
        data = _read(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get(TABLE, {})
    else:
        found = find_settings_file(start)
        if found is None:
            return Settings()
        path, data = found
    return _validate(path, data, known_formats)


def key_position(path: Path, key: str) -> tuple[int, int]:
    """1-based (line, column) of ``key`` in a settings file (in ``[tool.prinergy-audit]`` of a
    ``pyproject.toml``); (1, 1) when it cannot be found (TOML keeps no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1, 1
    want = "tool.%s" % TABLE if path.name == "pyproject.toml" else None
    table = None
    pattern = re.compile(r"""^(\s*)(["']?)%s\2\s*=""" % re.escape(key))
    for n, raw in enumerate(lines, 1):
        s = raw.strip()
        if s.startswith("["):
            table = s.strip("[]").strip().replace('"', "")
            continue
        m = pattern.match(raw)
        if m and table == want:
            return n, len(m.group(1)) + 1
    return 1, 1


def _validate(path: Path, data: dict, known_formats) -> Settings:
    def at(key: str | None = None) -> str:
        return "%s:%d:%d" % ((path,) + (key_position(path, key) if key else (1, 1)))

    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise SettingsError("%s: unknown setting '%s' (allowed: %s)" % (at(unknown[0]), unknown[0], ", ".join(KEYS)))

    def text(key: str) -> str | None:
        v = data.get(key)
        if v is None:
            return None
        if not isinstance(v, str) or not v.strip():
            raise SettingsError("%s: '%s' must be a non-empty string" % (at(key), key))
        return v

    def rel(v: str | None) -> str | None:
        if v is None or Path(v).is_absolute():
            return v
        return str(path.parent / v)

    fail_on = text("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise SettingsError("%s: fail-on must be one of %s, not '%s'" % (at("fail-on"), ", ".join(FAIL_ON), fail_on))
    fmts = data.get("format", ())
    if isinstance(fmts, str):
        fmts = (fmts,)
    if not isinstance(fmts, (list, tuple)) or not all(isinstance(f, str) for f in fmts):
        raise SettingsError("%s: 'format' must be a format name or a list of names" % at("format"))
    if known_formats is not None:
        for f in fmts:
            if f not in known_formats:
                raise SettingsError("%s: unknown format '%s' (available: %s)" % (at("format"), f,
                                                                                 ", ".join(known_formats)))
    rules = {}
    for key in ("select", "ignore"):
        v = data.get(key, ())
        if isinstance(v, str):
            v = (v,)
        if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) for x in v):
            raise SettingsError("%s: '%s' must be a rule ID or prefix, or a list of them" % (at(key), key))
        try:
            from auditor.audit import check_rule_prefixes

            rules[key] = check_rule_prefixes(v, key)
        except ValueError as e:
            raise SettingsError("%s: %s" % (at(key), e)) from None
    site, policy, waivers = text("site"), text("policy"), text("waivers")
    try:
        SettingsFile.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        key = str(err["loc"][0]) if err["loc"] else None
        raise SettingsError("%s: '%s': %s" % (at(key), key, err["msg"])) from None
    if policy is not None and ("/" in policy or policy.endswith((".yaml", ".yml"))):
        policy = rel(policy)  # a pack file, relative to this file (a bundled name stays a name)
    sources = {k: str(path) for k in data}
    return Settings(rel(site), policy, fail_on, rel(waivers), tuple(fmts), rules["select"], rules["ignore"],
                    str(path), sources)

