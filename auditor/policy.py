"""Policy packs and site files: the flows Prinergy needs between roles, and where the roles are.

A pack lists the flows Prinergy needs between roles; a site says where the roles are.  Together
they give the concrete ``RequiredFlow`` packet sets the checks evaluate.  Both files are
validated by pydantic models (``PackFile``, ``SiteFile``; their JSON Schemas are published in
``schemas/``), and every error names the file, line and column, so a typo in a pack or a site is
a clear error, never a silent pass.

Packs are bundled (``policies/<name>.yaml``) or written by a site: a pack file may ``extends``
another pack (a bundled name, or a path relative to the file) and add, override or remove
flows (``add_flows``, ``override_flows``, ``remove_flows``) and roles (``roles``, which adds a
role or replaces one, and ``remove_roles``).  ``load_pack`` resolves the chain into one ``Pack``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema, field_validator

from auditor.core.model import Source
from auditor.core.packets import (
    ALL_ADDR,
    EMPTY,
    MAX_PORT,
    PROTO_TCP,
    PROTO_UDP,
    ISet,
    PacketSet,
    cube,
    network_to_iset,
)

POLICY_DIR = Path(__file__).resolve().parent.parent / "policies"
EPHEMERAL = ISet.of(1024, MAX_PORT)
Severity = Literal["error", "warning", "info"]
_NAME = r"^[A-Za-z][A-Za-z0-9_.-]*$"


class PolicyError(Exception):
    """A policy pack or site file that cannot be used; one clear line (``file:line:column: ...``)."""


# --- the files, as pydantic models (the JSON Schemas in schemas/ are generated from these) --------

def _ports_ok(v: str) -> str:
    parse_ports(v)
    return v


class FlowSpec(BaseModel):
    """One flow Prinergy needs: a protocol and destination ports, from some roles to others."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(pattern=_NAME, description="Unique name of the flow within the pack (e.g. smb).")
    label: str = Field(description="What the flow is for, in words.")
    kodak: str = Field(description="Kodak's wording for the ports, or where the requirement comes from.")
    proto: Literal["tcp", "udp"]
    ports: str = Field(description="Destination ports: '445', '1521,2481', '49152-65535'.",
                       examples=["445", "80,443", "49100-49102"])
    from_: list[str] = Field(alias="from", min_length=1, description="Roles the connections come from.")
    to: list[str] = Field(min_length=1, description="Roles the connections go to.")
    severity: Severity = Field(description="Severity of PRN100 when the flow is blocked.")
    direction: Literal["documented", "inferred"] = Field(
        description="Whether Kodak states the direction, or it follows the role model.")
    note: str | None = Field(default=None, description="What a network admin should know of the flow that the "
                             "audit does not check (a broadcast, a page Kodak does not publish); shown by "
                             "'policies show'.")

    @field_validator("ports")
    @classmethod
    def _ports(cls, v: str) -> str:
        return _ports_ok(v)


class FlowOverride(BaseModel):
    """Changes to a flow of the parent pack: the fields given replace the parent's."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(description="The parent's flow to change.")
    label: str | None = None
    kodak: str | None = None
    proto: Literal["tcp", "udp"] | None = None
    ports: str | None = Field(default=None, description="Destination ports: '445', '1521,2481', '49152-65535'.")
    from_: list[str] | None = Field(default=None, alias="from", min_length=1)
    to: list[str] | None = Field(default=None, min_length=1)
    severity: Severity | None = None
    direction: Literal["documented", "inferred"] | None = None
    note: str | None = None

    @field_validator("ports")
    @classmethod
    def _ports(cls, v: str | None) -> str | None:
        return None if v is None else _ports_ok(v)


class RoleSpec(BaseModel):
    """A role: a kind of host the site file places (``roles:`` there)."""

    model_config = ConfigDict(extra="forbid")
    description: str
    server: bool = Field(default=False, description="A Prinergy server: checked for exposure (PRN150), "
                                                    "AFP (PRN160) and least privilege (PRN170).")
    external: bool = Field(default=False, description="Hosts outside the site (the internet, a partner): their "
                           "addresses still count as outside the site's roles for PRN150, except for the flows "
                           "the pack requires from them.")
    like: str | None = Field(default=None, description="Another role whose every flow (and idle-timeout rule) "
                             "this role takes part in too, e.g. Workshop clients over a VPN like workshop.")
    one_host: bool = Field(default=False, description="The role is one host (Prinergy's primary server): its "
                           "addresses are that host's own, so a flow naming the role on both sides is its own "
                           "traffic. A flow naming another role on both sides (the secondary servers) is "
                           "required between each two of its hosts.")


class IdleSpec(BaseModel):
    """Which connections must survive a shift idle (PRN120)."""

    model_config = ConfigDict(extra="forbid")
    roles: list[str] = Field(description="Client roles.")
    servers: list[str] = Field(description="Server roles.")
    kodak: str


class PackFile(BaseModel):
    """A policy pack file (``policies/*.yaml``, or a site's own pack given with ``--policy PATH``)."""

    model_config = ConfigDict(extra="forbid", title="prinergy-audit policy pack", populate_by_name=True)
    name: str = Field(pattern=_NAME, description="The pack's name, shown in reports.")
    extends: str | None = Field(default=None, description="The pack this one builds on: a bundled pack's name "
                                                          "(prinergy-8, prinergy-9) or a path relative to this file.")
    title: str | None = Field(default=None, description="Required unless the pack extends another.")
    status: str | None = Field(default=None, description="published, inferred-version, site, ...")
    source: str | None = Field(default=None, description="Where the requirements come from.")
    roles: dict[str, RoleSpec] = Field(default_factory=dict, description="Roles this pack declares (a role "
                                       "of the parent with the same name is replaced).")
    remove_roles: list[str] = Field(default_factory=list, description="Roles of the parent to drop: they leave "
                                    "every flow; a flow left without a source or destination role is dropped.")
    windows_firewall: Severity | None = Field(default=None, description="Severity of PRN140.")
    idle: IdleSpec | None = None
    flows: list[FlowSpec] | None = Field(default=None, description="Every flow (a pack that extends none).")
    add_flows: list[FlowSpec] = Field(default_factory=list, description="Flows added to the parent's.")
    override_flows: list[FlowOverride] = Field(default_factory=list, description="Changes to the parent's flows.")
    remove_flows: list[str] = Field(default_factory=list, description="IDs of the parent's flows to drop.")

    @field_validator("roles")
    @classmethod
    def _role_names(cls, v: dict) -> dict:
        import re

        for k in v:
            if not re.match(_NAME, k):
                raise ValueError("role name '%s' must start with a letter (letters, digits, _ . -)" % k)
        return v


def _one_alone(value):
    """A role's addresses: a list, or one written alone ('primary: 10.20.0.10', the list of one)."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError("a list of addresses, networks or ranges, or one of them alone")
    return value


_Addresses = Annotated[list[str], BeforeValidator(_one_alone),
                       WithJsonSchema({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]})]


class SiteFile(BaseModel):
    """A site file: where Prinergy's roles are at this site."""

    model_config = ConfigDict(extra="forbid", title="prinergy-audit site file")
    policy: str | None = Field(default=None, description="The policy pack: a bundled name (prinergy-8, "
                                                         "prinergy-9) or a path relative to this file.")
    shift_hours: float = Field(default=8, gt=0, le=24 * 7, strict=True,  # (a number: not "8", not true, not .nan)
                               allow_inf_nan=False,
                               description="A production shift, in hours (PRN120).")
    roles: dict[str, _Addresses] = Field(default_factory=dict, description="Role -> addresses, networks "
                                         "(10.30.0.0/24) or ranges (10.30.0.10-10.30.0.40): a list, or one of "
                                         "them alone.")
    through: list[str] = Field(default_factory=list, description="Devices the traffic passes whose idle timeouts "
                                                                  "count: aws-nat-gateway, azure-load-balancer, ...")


# --- the resolved pack -------------------------------------------------------------------------

@dataclass(frozen=True)
class Pack:
    """A pack with its ``extends`` chain applied: what the checks read."""

    name: str
    title: str
    status: str
    source: str
    windows_firewall: str
    idle: IdleSpec
    flows: list[FlowSpec]
    role_specs: dict[str, RoleSpec] = field(default_factory=dict)
    path: str = ""  # the file it was read from
    chain: tuple[str, ...] = ()  # the packs it extends, nearest first
    origins: dict[str, Source] = field(default_factory=dict, compare=False)  # flow id -> where it was written

    @property
    def server_roles(self) -> list[str]:
        return [r for r, spec in self.role_specs.items() if spec.server]

    def server_addresses(self, site: "Site") -> ISet:
        """The addresses ``site`` gives the pack's server roles."""
        out = EMPTY
        for r in self.server_roles:
            out = out.union(site.addresses(r))
        return out

    def roles(self) -> list[str]:
        """Every role the pack declares or names, in the order it first names them."""
        names = list(self.role_specs) + list(self.idle.roles) + list(self.idle.servers)
        for f in self.flows:
            names += f.from_ + f.to
        return list(dict.fromkeys(names))

    def flow(self, flow_id: str) -> FlowSpec | None:
        return next((f for f in self.flows if f.id == flow_id), None)


def show_pack(pack: Pack, rules: dict) -> str:
    """``policies show``: what a network admin needs of a pack: its roles, every flow (roles, protocol,
    ports, severity, whether Kodak states the direction, Kodak's words, a note) and the rules that are
    not flows (idle timeouts, Windows Firewall, link-local addresses, exposure, AFP); ``rules``: rule ID ->
    ``RuleInfo`` (``auditor.checks.all_rules()``)."""
    import textwrap

    out = ["%s: %s" % (pack.name, pack.title), "status: %s" % pack.status, "source: %s" % pack.source]
    if pack.chain:
        out.append("extends: %s" % " -> ".join(pack.chain))

    def wrapped(label: str, text: str) -> list[str]:
        return textwrap.wrap(" ".join(str(text).split()), 100, initial_indent="      %s: " % label,
                             subsequent_indent="        ")

    out += ["", "roles (the site file's 'roles:' says where each is):"]
    for name in pack.roles():
        spec = pack.role_specs.get(name)
        flags = [w for w, on in (("server", spec and spec.server), ("outside the site", spec and spec.external),
                                 ("one host", spec and spec.one_host)) if on]
        if spec is not None and spec.like:
            flags.append("like %s" % spec.like)
        out.append("  %-18s %s%s" % (name, spec.description if spec else "(not declared)",
                                     "  [%s]" % ", ".join(flags) if flags else ""))
    out += ["", "flows (PRN100; FROM -> TO: who opens the connection, the replies return on it; "
            "'documented': Kodak states the direction, 'inferred': the pack's role model):"]
    for f in pack.flows:
        out.append("  %-18s %-4s %-24s %s -> %s  [%s, %s]" % (
            f.id, f.proto, f.ports, ",".join(f.from_), ",".join(f.to), f.severity, f.direction))
        out += wrapped("what", f.label) + wrapped("Kodak", f.kodak)
        if f.note:
            out += wrapped("note", f.note)
    shift = SiteFile.model_fields["shift_hours"].default
    out += ["", "not flows:",
            "  PRN120 idle timeouts [%s]: TCP between %s and %s must survive a production shift idle "
            "(the site's shift_hours, %g h unless set): dead connection detection, no idle timeout, or one "
            "at least that long" % (rules["PRN120"].severity, ",".join(pack.idle.roles), ",".join(pack.idle.servers),
                                    shift)]
    out += wrapped("Kodak", pack.idle.kodak)
    out.append("  PRN140 Windows Firewall [%s in this pack]: %s" % (pack.windows_firewall, rules["PRN140"].summary))
    for rid in ("PRN130", "PRN150", "PRN160", "PRN170"):
        out.append("  %s %s [%s]: %s" % (rid, rules[rid].name, rules[rid].severity, rules[rid].summary))
    out.append("  (each rule's reasons, Kodak's words and fixes: docs/rules/PRN*.md)")
    return "\n".join(out) + "\n"


def check_roles(pack: Pack, site: "Site", also: tuple[str, ...] = ()) -> None:
    """``PolicyError`` for a role of ``site`` that no pack knows (a typo silently leaves
    flows unchecked), naming the closest known role; ``also``: more role names to accept."""
    import difflib

    known = list(dict.fromkeys(list(pack.roles()) + list(also)))
    for name in list_packs():
        if name != pack.name:
            known += [r for r in load_pack(name).roles() if r not in known]
    for role in site.roles:
        _not_everything(pack, site, role)
        if role in known:
            continue
        where = site.role_keys.get(role) or "--role"
        lower = {k.lower().replace("-", "_"): k for k in known}
        guess = lower.get(role.lower().replace("-", "_")) or next(iter(difflib.get_close_matches(role, known, 1, 0.6)),
                                                                  None)
        hint = " (did you mean '%s'?)" % guess if guess else " (roles: %s)" % ", ".join(known)
        raise PolicyError("%s: unknown role '%s'%s" % (where, role, hint))


def _not_everything(pack: Pack, site: "Site", role: str) -> None:
    """``PolicyError`` for a role of the site, not one of the pack's ``external`` roles, given every
    IPv4 or every IPv6 address (``0.0.0.0/0``): the internet would be that role, and no server could
    be reachable from outside the site's roles (PRN150 would never fire)."""
    from auditor.core.packets import V4_BASE, V4_MAX

    spec = pack.role_specs.get(role)
    if spec is not None and spec.external:
        return
    got = site.addresses(role)
    v4 = ISet.of(V4_BASE, V4_MAX)
    whole = [family for family, space in (("IPv4", v4), ("IPv6", ALL_ADDR.subtract(v4))) if space.issubset(got)]
    if not whole:
        return
    entries = site.roles[role]
    e = max(entries, key=lambda x: x.addresses.size())  # (the line that makes it everything)
    where = e.source.where() + (":%d" % e.column if e.column else "")
    external = [r for r, s in pack.role_specs.items() if s.external]
    raise PolicyError("%s: role %s is every %s address (%s): the internet would count as %s and no Prinergy server "
                      "could be found reachable from outside the site's roles; give the role's own networks%s"
                      % (where, role, " and every ".join(whole), ", ".join(x.text for x in entries), role,
                         " (roles outside the site may be anywhere: %s)" % ", ".join(external) if external else ""))


def parse_ports(text: str) -> ISet:
    """``"80,443,1024-9000"`` -> the port set."""
    out = []
    for part in str(text).split(","):
        part = part.strip()
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            raise ValueError("bad port '%s' (a number 0-65535 or a range like 1024-9000)" % part) from None
        if not 0 <= a <= b <= MAX_PORT:
            raise ValueError("bad port range '%s'" % part)
        out.append((a, b))
    return ISet(out)


def list_packs() -> list[str]:
    """The names of the bundled policy packs."""
    return sorted(p.stem for p in POLICY_DIR.glob("*.yaml"))


def is_pack_path(ref: str) -> bool:
    """Whether a ``--policy`` / ``policy:`` / ``extends:`` value is a path rather than a bundled name."""
    return "/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))


_CACHE: dict[tuple, Pack] = {}
_LOADED: dict[str, Path] = {}  # name -> file of the packs loaded from a path (``AuditResult.policy`` is a name)


def load_pack(ref: str, base: str | Path | None = None) -> Pack:
    """A policy pack by bundled name, or from a file (a path, relative to ``base``, a folder, or
    the working directory), with its ``extends`` chain applied; ``PolicyError`` with the file,
    line and column of the first problem."""
    path = _pack_path(ref, base)
    if path is None and str(ref).strip() in _LOADED:
        path = _LOADED[str(ref).strip()]  # (a site pack loaded before, named as reports name it)
    if path is None:
        raise PolicyError("unknown policy '%s' (bundled: %s; or a path to a pack file)"
                          % (ref, ", ".join(list_packs())))
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = (str(path), stamp)
    got = _CACHE.get(key)
    if got is None:
        got = _CACHE[key] = _resolve(path, (), None)
    if path.parent != POLICY_DIR:
        _LOADED.setdefault(got.name, path)
    return got


def _pack_path(ref: str, base: str | Path | None) -> Path | None:
    ref = str(ref).strip()
    if not ref:
        return None
    if not is_pack_path(ref):
        p = POLICY_DIR / ("%s.yaml" % ref)
        return p if p.is_file() else None
    p = Path(ref).expanduser()
    if not p.is_absolute() and base is not None:
        p = Path(base) / p
    return p.resolve()


def _shown(path: Path) -> str:
    """A pack file's path as errors show it: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class _Doc:
    """A YAML file: its path as shown, text, data and node tree (for line and column)."""

    path: str
    text: str
    data: object
    node: object

    def where(self, loc: tuple = (), key: bool = False) -> str:
        line, col = locate(self.node, loc, key)
        return "%s:%d:%d" % (self.path, line, col)

    def source(self, loc: tuple = ()) -> Source:
        line, _col = locate(self.node, loc)
        lines = self.text.splitlines()
        return Source(self.path, line, lines[line - 1].rstrip() if 0 < line <= len(lines) else "")


MAX_YAML_BYTES = 64 << 20  # a site, pack, waivers file or site map; far more than any is
MAX_YAML_NODES = 200_000  # values a YAML file may hold, each alias counted as often as it is used


def read_user_text(path: str | Path, what: str, shown: str | None = None, error: type | None = None) -> str:
    """The text of a file the user names (``-``: standard input), at most ``MAX_YAML_BYTES``: UTF-8, or UTF-16
    with its byte-order mark (YAML 1.2.2, 5.2 "Character Encodings": "All characters mentioned in this specification
    are Unicode code points. ... On input, a YAML processor must support the UTF-8 and UTF-16 character encodings",
    told apart by the BOM; Windows PowerShell 5.1's ``prinergy-audit init fw.cfg > site.yaml`` writes UTF-16LE with
    a BOM); ``error`` (default ``PolicyError``) with one line for a file that cannot be read."""
    import sys

    error = error or PolicyError
    shown = shown or ("<stdin>" if str(path) == "-" else str(path))
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(MAX_YAML_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_YAML_BYTES + 1)
    except OSError as e:
        raise error("cannot read %s %s: %s" % (what, shown, e.strerror or type(e).__name__)) from None
    if len(data) > MAX_YAML_BYTES:
        raise error("%s %s is larger than %d MiB" % (what, shown, MAX_YAML_BYTES >> 20))
    enc = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "UTF-8"
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        raise error("%s %s is not %s text" % (what, shown, enc)) from None


def check_yaml_size(node, shown: str, what: str, error: type | None = None) -> None:
    """Refuse a composed YAML document that expands past ``MAX_YAML_NODES`` values (an alias
    bomb: a few lines that name a list of lists ... billions of times) or whose aliases refer to
    themselves; counted without expanding anything."""
    import yaml

    error = error or PolicyError
    if node is None:
        return

    def kids(n):
        if isinstance(n, yaml.MappingNode):
            return [x for pair in n.value for x in pair]
        return n.value if isinstance(n, yaml.SequenceNode) else ()

    size: dict[int, int] = {}
    path: set[int] = set()
    todo = [(node, False)]
    while todo:
        n, done = todo.pop()
        k = id(n)
        if done:
            path.discard(k)
            size[k] = 1 + sum(size[id(c)] for c in kids(n))
            if size[k] > MAX_YAML_NODES:
                raise error("%s: %s expands to more than %d values (YAML aliases used over and over?)"
                            % (shown, what, MAX_YAML_NODES))
            continue
        if k in size:
            continue
        path.add(k)
        todo.append((n, True))
        for c in kids(n):
            if id(c) in path:
                mark = c.start_mark
                raise error("%s:%d:%d: %s: an alias refers to the value that holds it"
                            % (shown, mark.line + 1, mark.column + 1, what))
            if id(c) not in size:
                todo.append((c, False))


MAX_YAML_DEPTH = 100  # [ ] and { } open at once


def flow_depth(text: str) -> int:
    """The deepest nesting of YAML's flow brackets ([ ] and { }) in ``text``, brackets in quotes and
    comments left out (an estimate: enough to refuse thousands of brackets quickly)."""
    deepest = depth = 0
    for line in text.splitlines():
        if "[" not in line and "{" not in line and not depth:
            continue
        quote = ""
        for k, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "#" and (k == 0 or line[k - 1] in " \t"):
                break
            elif ch in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif ch in "]}" and depth:
                depth -= 1
    return deepest


def load_yaml(text: str, shown: str, what: str, error: type | None = None):
    """(node tree, data) of a YAML text: ``error`` (default ``PolicyError``, file:line:column) for
    bad YAML, an alias bomb, nesting too deep for the reader, or a value it cannot build."""
    import yaml

    error = error or PolicyError
    if flow_depth(text) > MAX_YAML_DEPTH:  # (the reader takes seconds to find it out, then overflows)
        raise error("%s: %s is nested too deeply" % (shown, what))
    try:
        # (libyaml's reader where PyYAML has it: the pack's 0.15 s -> 0.02 s; the data are built
        # from the node tree already read, not from a second reading of the text)
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        check_yaml_size(node, shown, what, error)
        data = None if node is None else yaml.constructor.SafeConstructor().construct_document(node)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None) or getattr(e, "context", None) or "not valid YAML"
        if mark is not None:
            raise error("%s:%d:%d: %s is not valid YAML: %s" % (shown, mark.line + 1, mark.column + 1, what,
                                                                problem)) from None
        raise error("%s: %s is not valid YAML: %s" % (shown, what, problem)) from None
    except RecursionError:
        raise error("%s: %s is nested too deeply" % (shown, what)) from None
    except ValueError as e:  # (a constructor's: an integer of thousands of digits, a date that is none)
        raise error("%s: %s has a value that cannot be read: %s" % (shown, what, str(e).split(";")[0])) from None
    return node, data


def read_yaml(path: str | Path, what: str, shown: str | None = None, text: str | None = None) -> _Doc:
    """A YAML file (``-``: standard input; ``text``: its text, already read) read for validation:
    ``PolicyError`` (file:line:column) for an unreadable file, bad YAML, an alias bomb or a key
    written twice."""
    shown = shown or ("<stdin>" if str(path) == "-" else str(path))
    if text is None:
        text = read_user_text(path, what, shown)
    node, data = load_yaml(text, shown, what)
    _no_duplicate_keys(node, shown)
    return _Doc(shown, text, data, node)


def _no_duplicate_keys(node, shown: str) -> None:
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, yaml.MappingNode):
            seen: set = set()
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        raise PolicyError("%s:%d:%d: '%s' is given twice" % (shown, k.start_mark.line + 1,
                                                                            k.start_mark.column + 1, k.value))
                    seen.add(k.value)
                todo.append(v)
        elif isinstance(n, yaml.SequenceNode):
            todo.extend(n.value)


def locate(node, loc: tuple, key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of the value at ``loc`` (keys and list indexes, as pydantic gives
    them) in a YAML node tree; of its key with ``key``; the deepest node found when part of the
    path is missing (a missing field: the mapping that lacks it)."""
    cur = node
    at = node
    for k, part in enumerate(loc):
        last = k == len(loc) - 1
        if isinstance(cur, yaml.MappingNode):
            hit = next(((kn, vn) for kn, vn in cur.value if isinstance(kn, yaml.ScalarNode) and kn.value == str(part)),
                       None)
            if hit is None:
                break
            at = hit[0] if (key and last) else hit[1]
            cur = hit[1]
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(cur.value):
            cur = at = cur.value[part]
        else:
            break
    if at is None:
        return 1, 1
    return at.start_mark.line + 1, at.start_mark.column + 1


def validation_error(doc: _Doc, e: ValidationError, what: str, model: type[BaseModel] | None = None) -> PolicyError:
    """A pydantic error as one line: ``file:line:column: what: field: message``; an unknown field
    of ``model`` (or of a model inside it) names the nearest known one."""
    err = e.errors()[0]
    loc = tuple(err["loc"])
    where = doc.where(loc, key=err["type"] == "extra_forbidden")
    field_name = ".".join(str(x) for x in loc) or "(top level)"
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        import difflib

        known = _fields_at(model, loc[:-1]) if model and loc else []
        near = difflib.get_close_matches(str(loc[-1]), known, 1, 0.6) if known else []
        msg = "unknown field" + (" (did you mean '%s'?)" % near[0] if near else
                                 " (fields: %s)" % ", ".join(known) if known else "")
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return PolicyError("%s: %s is invalid: %s: %s" % (where, what, field_name, msg))


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names (as YAML writes them) of the model at ``loc`` inside ``model``; [] if none."""
    import types
    import typing

    def names(m) -> dict[str, str]:
        return {f.alias or n: n for n, f in m.model_fields.items()}

    cur: object = model
    for part in loc + (None,):
        if typing.get_origin(cur) in (typing.Union, types.UnionType):  # M | None: M
            args = [a for a in typing.get_args(cur) if a is not type(None)]
            cur = args[0] if len(args) == 1 else None
        if part is None:
            break
        if typing.get_origin(cur) in (list, dict, tuple):  # this part is an index or a key
            cur = typing.get_args(cur)[-1]
        elif isinstance(cur, type) and issubclass(cur, BaseModel) and part in names(cur):
            cur = cur.model_fields[names(cur)[part]].annotation
        else:
            return []
    return list(names(cur)) if isinstance(cur, type) and issubclass(cur, BaseModel) else []


def _resolve(path: Path, seen: tuple[Path, ...], referrer: tuple[_Doc, tuple] | None) -> Pack:
    if path in seen:
        doc, loc = referrer
        chain = " -> ".join(_shown(p) for p in seen + (path,))
        raise PolicyError("%s: extends: a cycle of packs: %s" % (doc.where(loc), chain))
    bundled = path.parent == POLICY_DIR
    doc = read_yaml(path, "policy pack", _shown(path))
    if not isinstance(doc.data, dict):
        raise PolicyError("%s: a policy pack is a YAML mapping (name, title, flows, ...)" % doc.where())
    try:
        pf = PackFile.model_validate(doc.data)
    except ValidationError as e:
        err = validation_error(doc, e, "policy pack", PackFile)
        if bundled:
            raise PolicyError("policy %s is invalid: %s" % (path.stem, err)) from None
        raise err from None
    if pf.extends is None:
        return _root_pack(pf, doc, path)
    parent_path = _pack_path(pf.extends, path.parent)
    if parent_path is None or not parent_path.is_file():
        raise PolicyError("%s: extends: no pack '%s' (bundled: %s; or a path relative to this file)"
                          % (doc.where(("extends",)), pf.extends, ", ".join(list_packs())))
    parent = _resolve(parent_path, seen + (path,), (doc, ("extends",)))
    return _child_pack(pf, doc, path, parent)


def _root_pack(pf: PackFile, doc: _Doc, path: Path) -> Pack:
    for k in ("add_flows", "override_flows", "remove_flows", "remove_roles"):
        if getattr(pf, k):
            raise PolicyError("%s: %s needs a parent: a pack that extends none lists all its flows under 'flows'"
                              % (doc.where((k,), key=True), k))
    for k in ("title", "status", "source", "windows_firewall", "idle", "flows"):
        if getattr(pf, k) is None:
            raise PolicyError("%s: policy pack is invalid: '%s' is required (or 'extends' a pack that has it)"
                              % (doc.where(), k))
    origins = {f.id: doc.source(("flows", i)) for i, f in enumerate(pf.flows)}
    _unique_ids(pf.flows, doc, "flows")
    flows, idle = _expand_like(pf.roles, list(pf.flows), pf.idle, doc)
    pack = Pack(pf.name, pf.title, pf.status, pf.source, pf.windows_firewall, idle, flows,
                dict(pf.roles), str(path), (), origins)
    _declared(pack, doc, {f.id: ("flows", i) for i, f in enumerate(pf.flows)})
    return pack


def _expand_like(roles: dict[str, RoleSpec], flows: list[FlowSpec], idle: IdleSpec, doc: _Doc,
                 only: set[str] | None = None) -> tuple[list[FlowSpec], IdleSpec]:
    """Each role declared ``like: OTHER`` (of ``only``, when given) joins every flow and idle rule
    OTHER is in, right after it."""
    likes = {r: spec.like for r, spec in roles.items() if spec.like and (only is None or r in only)}
    for r, other in likes.items():
        if other not in roles and not any(other in f.from_ + f.to for f in flows):
            raise PolicyError("%s: role '%s' is like '%s', which is not a role of the pack%s"
                              % (doc.where(("roles", r, "like")), r, other, _role_hint(other, set(roles))))
        if other in likes:
            raise PolicyError("%s: role '%s' is like '%s', which is itself like another role: name that one"
                              % (doc.where(("roles", r, "like")), r, other))

    def grow(names: list[str]) -> list[str]:
        out = list(names)
        for r, other in likes.items():
            if other in out and r not in out:
                out.insert(out.index(other) + 1, r)
        return out

    if not likes:
        return flows, idle
    flows = [f.model_copy(update={"from_": grow(f.from_), "to": grow(f.to)}) for f in flows]
    idle = idle.model_copy(update={"roles": grow(idle.roles), "servers": grow(idle.servers)})
    return flows, idle


def _unique_ids(flows, doc: _Doc, key: str) -> None:
    seen: set[str] = set()
    for i, f in enumerate(flows):
        if f.id in seen:
            raise PolicyError("%s: flow '%s' is listed twice" % (doc.where((key, i, "id")), f.id))
        seen.add(f.id)


def _child_pack(pf: PackFile, doc: _Doc, path: Path, parent: Pack) -> Pack:
    if pf.flows is not None:
        raise PolicyError("%s: a pack that extends another changes its flows with add_flows, override_flows and "
                          "remove_flows, not 'flows'" % doc.where(("flows",), key=True))
    roles = dict(parent.role_specs)
    flows = list(parent.flows)
    origins = dict(parent.origins)
    idle = parent.idle
    where_of: dict[str, tuple] = {}
    # roles: removed first, then declared (added or replaced)
    for i, r in enumerate(pf.remove_roles):
        if r not in parent.roles():
            raise PolicyError("%s: remove_roles: '%s' is not a role of %s (roles: %s)"
                              % (doc.where(("remove_roles", i)), r, parent.name, ", ".join(parent.roles())))
        roles.pop(r, None)
        kept = []
        for f in flows:
            src = [x for x in f.from_ if x != r]
            dst = [x for x in f.to if x != r]
            if src and dst:
                kept.append(f.model_copy(update={"from_": src, "to": dst}) if (src, dst) != (f.from_, f.to) else f)
        flows = kept
        idle = idle.model_copy(update={"roles": [x for x in idle.roles if x != r],
                                       "servers": [x for x in idle.servers if x != r]})
    roles.update(pf.roles)
    if pf.idle is not None:
        idle = pf.idle
    # the roles this pack declares 'like' another join the parent's flows (and an idle rule it
    # gives joins every such role); an override's from/to is then taken as written, and the
    # flows it adds get every 'like' of the chain
    mine = {r for r, spec in pf.roles.items() if spec.like}
    flows, idle = _expand_like(roles, flows, idle, doc, None if pf.idle is not None else mine)
    # flows: removed, overridden, added, in that order
    ids = [f.id for f in flows]
    every = [f.id for f in parent.flows]
    for i, fid in enumerate(pf.remove_flows):
        if fid not in ids:
            raise PolicyError("%s: remove_flows: '%s' is not a flow of %s%s"
                              % (doc.where(("remove_flows", i)), fid, parent.name, _ids_hint(fid, every)))
        flows = [f for f in flows if f.id != fid]
        origins.pop(fid, None)
        ids.remove(fid)
    for i, ov in enumerate(pf.override_flows):
        if ov.id not in ids:
            raise PolicyError("%s: override_flows: '%s' is not a flow of %s%s"
                              % (doc.where(("override_flows", i, "id")), ov.id, parent.name, _ids_hint(ov.id, ids)))
        k = ids.index(ov.id)
        update = {name: v for name, v in ov.model_dump(exclude_unset=True).items() if name != "id"}
        flows[k] = FlowSpec.model_validate({**flows[k].model_dump(), **update})
        origins[ov.id] = doc.source(("override_flows", i))
        where_of[ov.id] = ("override_flows", i)
    _unique_ids(pf.add_flows, doc, "add_flows")
    for i, f in enumerate(pf.add_flows):
        if f.id in ids:
            raise PolicyError("%s: add_flows: '%s' is already a flow of %s (change it with override_flows)"
                              % (doc.where(("add_flows", i, "id")), f.id, parent.name))
        flows.append(_expand_like(roles, [f], idle, doc)[0][0])
        ids.append(f.id)
        origins[f.id] = doc.source(("add_flows", i))
        where_of[f.id] = ("add_flows", i)
    pack = Pack(pf.name, pf.title or parent.title, pf.status or "site", pf.source or parent.source,
                pf.windows_firewall or parent.windows_firewall, idle, flows, roles, str(path),
                (parent.name,) + parent.chain, origins)
    _declared(pack, doc, where_of, ("idle",) if pf.idle is not None else None)
    return pack


def _ids_hint(fid: str, ids: list[str]) -> str:
    import difflib

    guess = difflib.get_close_matches(fid, ids, 1, 0.6)
    return " (did you mean '%s'?)" % guess[0] if guess else " (flows: %s)" % ", ".join(ids)


def _declared(pack: Pack, doc: _Doc, where_of: dict[str, tuple], idle_at: tuple | None = ("idle",)) -> None:
    """Every role a flow (or the idle rule) names is declared under ``roles``: a typo there is
    an error at the line that names it, never a flow no site can check."""
    known = set(pack.role_specs)
    for f in pack.flows:
        for side, names in (("from", f.from_), ("to", f.to)):
            for j, r in enumerate(names):
                if r in known:
                    continue
                loc = where_of.get(f.id)
                at = doc.where(loc + (side, j)) if loc is not None else (
                    "%s (flow %s of %s)" % (doc.where(), f.id, pack.chain[0] if pack.chain else pack.name))
                raise PolicyError("%s: role '%s' is not declared under 'roles'%s" % (at, r, _role_hint(r, known)))
    if idle_at is not None:
        for side in ("roles", "servers"):
            for j, r in enumerate(getattr(pack.idle, side)):
                if r not in known:
                    raise PolicyError("%s: role '%s' is not declared under 'roles'%s"
                                      % (doc.where(idle_at + (side, j)), r, _role_hint(r, known)))


def _role_hint(r: str, known: set[str]) -> str:
    import difflib

    guess = difflib.get_close_matches(r, sorted(known), 1, 0.6)
    return " (did you mean '%s'?)" % guess[0] if guess else ""


# --- sites --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoleEntry:
    """One address written for a role, and where."""

    role: str
    addresses: ISet
    text: str
    source: Source
    column: int = 0


@dataclass(frozen=True)
class Site:
    policy: str | None
    shift_hours: float
    roles: dict[str, tuple[RoleEntry, ...]]
    path: str = ""
    through: tuple[str, ...] = ()  # devices the traffic passes, e.g. aws-nat-gateway, azure-load-balancer
    role_keys: dict[str, str] = field(default_factory=dict)  # role -> "file:line:column" of its name in the file

    def addresses(self, role: str) -> ISet:
        out = EMPTY
        for e in self.roles.get(role, ()):
            out = out.union(e.addresses)
        return out

    def all_addresses(self) -> ISet:
        out = EMPTY
        for role in self.roles:
            out = out.union(self.addresses(role))
        return out


class AddressError(ValueError):
    """A role's address that reads as two things: its message says both."""


def _addr(text: str) -> ISet:
    text = str(text).strip()
    if "-" in text and "/" not in text:
        lo, hi = text.split("-", 1)
        from auditor.core.packets import V4_BASE, V4_MAX, addr_to_int
        a, b = addr_to_int(lo.strip()), addr_to_int(hi.strip())
        if b < a:
            raise ValueError("empty range")
        if (V4_BASE <= a <= V4_MAX) != (V4_BASE <= b <= V4_MAX):
            raise AddressError("'%s' runs from an IPv4 to an IPv6 address: give each family its own range" % text)
        return ISet.of(a, b)
    net = ipaddress.ip_network(text, strict=False)
    if "/" in text and net.network_address != ipaddress.ip_interface(text).ip:
        # 10.1.0.5/16: the network (as an interface's address is written) or the host with its mask?
        raise AddressError("'%s' has host bits set: write the network %s, or the host %s"
                           % (text, net, ipaddress.ip_interface(text).ip))
    return network_to_iset(net)


def load_site(path: str | None, role_flags: list[str] | None = None, shift_hours: float | None = None,
              text: str | None = None) -> Site:
    """A site from a YAML file (its ``text`` when given, ``path`` then only naming it) and/or
    ``--role NAME=ADDR[,ADDR]`` flags (flags add to the file).

    A ``policy:`` that is a path is taken relative to the site file."""
    roles: dict[str, list[RoleEntry]] = {}
    policy = None
    shift = 8.0
    through: tuple[str, ...] = ()
    role_keys: dict[str, str] = {}
    if path:
        doc = read_yaml(path, "site file", text=text)
        data = doc.data
        if data is None:  # (no document, or only comments: a file cut short, an 'init > site.yaml' that failed)
            raise PolicyError("%s: site file is empty: a site file is a YAML mapping (policy, roles, ...); "
                              "'prinergy-audit init CONFIG' proposes one" % doc.where())
        if not isinstance(data, dict):
            raise PolicyError("%s: site file is invalid: a site file is a YAML mapping (policy, roles, ...)"
                              % doc.where())
        try:
            model = SiteFile.model_validate(data)
        except ValidationError as e:
            raise validation_error(doc, e, "site file", SiteFile) from None
        policy, shift = model.policy, model.shift_hours
        if policy is not None and is_pack_path(policy) and not Path(policy).is_absolute():
            policy = str(Path(path).parent / policy)
        through = tuple(model.through)
        for role, addrs in model.roles.items():
            role_keys[role] = doc.where(("roles", role), key=True)
            for k, a in enumerate(addrs):
                src = doc.source(("roles", role, k))
                col = locate(doc.node, ("roles", role, k))[1]
                roles.setdefault(role, []).append(_entry(role, a, src, col))
    for flag in role_flags or []:
        name, sep, value = flag.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise PolicyError("--role takes NAME=ADDR[,ADDR...], got '%s'" % flag)
        for a in value.split(","):
            roles.setdefault(name.strip(), []).append(_entry(name.strip(), a, Source("--role", 1, flag)))
    if shift_hours is not None:
        import math

        if not (math.isfinite(shift_hours) and 0 < shift_hours <= 24 * 7):
            raise PolicyError("--shift-hours must be a number of hours above 0 and at most 168, got %s"
                              % shift_hours)
        shift = shift_hours
    return Site(policy, shift, {k: tuple(v) for k, v in roles.items()}, path or "", through, role_keys)


def _entry(role: str, a: str, src: Source, column: int = 0) -> RoleEntry:
    try:
        return RoleEntry(role, _addr(a), str(a), src, column)
    except ValueError as e:
        where = src.where() + (":%d" % column if column else "")
        why = str(e) if isinstance(e, AddressError) else "'%s' is not an address, network or range%s" % (
            a, _address_hint(str(a)))
        raise PolicyError("%s: role %s: %s" % (where, role, why)) from None


def _address_hint(text: str) -> str:
    """What a role's value that is no address probably is: several in one string, or a host name."""
    if "," in text or len(text.split()) > 1:
        return " (several addresses: write them as a list, [10.20.0.11, 10.20.0.12])"
    if _host_name(text):
        return " (a host name? names are not resolved: give its address)"
    return ""


def _host_name(text: str) -> bool:
    """Whether ``text`` reads as a DNS host name (RFC 1123 labels, not all digits): prinergy-pri.example.com."""
    import re

    labels = text.strip().rstrip(".").split(".")
    return bool(labels[0]) and not labels[-1].isdigit() and all(
        re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", x) for x in labels)


@dataclass(frozen=True)
class RequiredFlow:
    """One flow of a pack between two roles of a site, as a packet set."""

    spec: FlowSpec
    src_role: str
    dst_role: str
    packets: PacketSet

    @property
    def key(self) -> str:
        return "%s:%s->%s" % (self.spec.id, self.src_role, self.dst_role)

    @property
    def any_sport(self) -> PacketSet:
        """The flow's packets from any source port (what a rule opening the flow's service opens)."""
        from auditor.core.packets import ALL_PORTS, Cube

        return PacketSet([Cube.from_dims(c.dims[:3] + (ALL_PORTS,) + c.dims[4:]) for c in self.packets.cubes])

    def describe(self) -> str:
        return "%s (%s/%s) %s -> %s" % (self.spec.label, self.spec.ports, self.spec.proto,
                                        self.src_role, self.dst_role)


# (at most this many addresses shared by a flow's two roles are taken out one by one: ``flow_packets``)
SELF_LIMIT = 1024


def flow_packets(spec: FlowSpec, src: ISet, dst: ISet) -> PacketSet:
    """The packets of a flow between two address sets: its protocol, ephemeral source ports, its ports.

    A host's packets to one of its own addresses never reach the network (Linux: ip-route(8), a
    route of type ``local``: "the packets are looped back and delivered locally", from the ``local``
    table that ip-rule(8) looks up first; Windows: the host route of each own address is on-link
    through the loopback interface), so where the roles share addresses (a primary server that is
    also the license server) the packets from such an address to itself are no part of the flow.
    Up to ``SELF_LIMIT`` shared addresses; beyond that (two roles naming the same large network)
    they stay."""
    proto = ISet.of(PROTO_TCP if spec.proto == "tcp" else PROTO_UDP)
    ports = parse_ports(spec.ports)
    both = src.intersect(dst)
    if not both or both.size() > SELF_LIMIT:
        return PacketSet([cube(src=src, dst=dst, proto=proto, sport=EPHEMERAL, dport=ports)])
    rest = src.subtract(both)
    cubes = [cube(src=rest, dst=dst, proto=proto, sport=EPHEMERAL, dport=ports)] if rest else []
    for lo, hi in both.iv:
        for a in range(lo, hi + 1):
            others = dst.subtract(ISet.of(a))
            if others:
                cubes.append(cube(src=ISet.of(a), dst=others, proto=proto, sport=EPHEMERAL, dport=ports))
    return PacketSet(cubes)


def required_flows(pack: Pack, site: Site) -> tuple[list[RequiredFlow], list[tuple[str, str, tuple]]]:
    """The checkable flows, and (flow key, reason, missing roles) for those the site cannot check.

    A flow naming a role on both sides (the servers' SMB, daemons and ephemeral ports) is required
    between each two hosts of that role (two secondary servers), unless the pack declares the role
    ``one_host`` (the primary: its addresses are its own).

    An ``external`` role (the internet) stands for its addresses outside the site's other roles:
    ``internet: [0.0.0.0/0]`` is every address but the site's own."""
    flows, unchecked = [], []
    inside = ALL_ADDR.subtract(outside_roles(site, pack))

    def addresses(role: str) -> ISet:
        spec = pack.role_specs.get(role)
        got = site.addresses(role)
        return got.subtract(inside) if spec is not None and spec.external else got

    for spec in pack.flows:
        for a in spec.from_:
            for b in spec.to:
                if a == b:
                    # (between two hosts of the role, two render stations; a one_host role's traffic between
                    # its own addresses never reaches a firewall)
                    own = addresses(a)
                    one = pack.role_specs.get(a)
                    if own and not (one is not None and one.one_host):
                        packets = flow_packets(spec, own, own)
                        if packets:
                            flows.append(RequiredFlow(spec, a, b, packets))
                    continue
                key = "%s:%s->%s" % (spec.id, a, b)
                missing = [r for r in (a, b) if not site.roles.get(r)]
                if missing:
                    unchecked.append((key, "not defined by the site: %s" % ", ".join(missing), tuple(missing)))
                    continue
                src, dst = addresses(a), addresses(b)
                if not src or not dst:
                    unchecked.append((key, "with no address of their own: %s" % ", ".join(
                        r for r, x in ((a, src), (b, dst)) if not x), ()))
                    continue
                packets = flow_packets(spec, src, dst)
                if not packets:
                    unchecked.append((key, "%s and %s are the same host: its traffic to itself never reaches a "
                                      "firewall" % (a, b), ()))
                    continue
                flows.append(RequiredFlow(spec, a, b, packets))
    return flows, unchecked


def outside_roles(site: Site, pack: Pack | None = None) -> ISet:
    """Every address that is not one of the site's roles (the rest of the world); the addresses
    of the pack's ``external`` roles (the internet, a partner) count as outside too."""
    inside = EMPTY
    for role in site.roles:
        spec = pack.role_specs.get(role) if pack is not None else None
        if spec is None or not spec.external:
            inside = inside.union(site.addresses(role))
    return ALL_ADDR.subtract(inside)
