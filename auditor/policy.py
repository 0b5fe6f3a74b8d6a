"""Policy packs (``policies/<name>.yaml``) and site files: roles -> addresses.

A pack lists the flows Prinergy needs between roles; a site says where the
roles are.  Together they give the concrete ``RequiredFlow`` packet sets the
checks evaluate.  Both files are validated by pydantic, so a typo in a pack
or a site is a clear error, not a silent pass.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


class PolicyError(Exception):
    """A policy pack or site file that cannot be used; one clear line."""


class FlowSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str
    label: str
    kodak: str
    proto: Literal["tcp", "udp"]
    ports: str
    from_: list[str] = Field(alias="from")
    to: list[str]
    severity: Severity
    direction: Literal["documented", "inferred"]

    @field_validator("ports")
    @classmethod
    def _ports(cls, v: str) -> str:
        parse_ports(v)
        return v


class IdleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    roles: list[str]
    servers: list[str]
    kodak: str


class Pack(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    status: str
    source: str
    server_roles: list[str]
    windows_firewall: Severity
    idle: IdleSpec
    flows: list[FlowSpec]

    def roles(self) -> list[str]:
        """Every role the pack names, in the order it first names them."""
        names = list(self.server_roles) + list(self.idle.roles) + list(self.idle.servers)
        for f in self.flows:
            names += f.from_ + f.to
        return list(dict.fromkeys(names))


def check_roles(pack: Pack, site: "Site") -> None:
    """``PolicyError`` for a role of ``site`` that no pack knows (a typo silently leaves
    flows unchecked), naming the closest known role."""
    import difflib

    known = list(pack.roles())
    for name in list_packs():
        if name != pack.name:
            known += [r for r in load_pack(name).roles() if r not in known]
    for role, entries in site.roles.items():
        if role in known:
            continue
        where = entries[0].source.where() if entries and entries[0].source.path != "--role" else "--role"
        lower = {k.lower().replace("-", "_"): k for k in known}
        guess = lower.get(role.lower().replace("-", "_")) or next(iter(difflib.get_close_matches(role, known, 1, 0.6)),
                                                                  None)
        hint = " (did you mean '%s'?)" % guess if guess else " (roles: %s)" % ", ".join(known)
        raise PolicyError("%s: unknown role '%s'%s" % (where, role, hint))


def parse_ports(text: str) -> ISet:
    """``"80,443,1024-9000"`` -> the port set."""
    out = []
    for part in str(text).split(","):
        part = part.strip()
        lo, _, hi = part.partition("-")
        a, b = int(lo), int(hi or lo)
        if not 0 <= a <= b <= MAX_PORT:
            raise ValueError("bad port range '%s'" % part)
        out.append((a, b))
    return ISet(out)


def list_packs() -> list[str]:
    """The names of the bundled policy packs."""
    return sorted(p.stem for p in POLICY_DIR.glob("*.yaml"))


def load_pack(name: str) -> Pack:
    """A bundled policy pack by name, validated (``PolicyError`` with the first problem)."""
    path = POLICY_DIR / ("%s.yaml" % name)
    if not path.is_file():
        raise PolicyError("unknown policy '%s' (available: %s)" % (name, ", ".join(list_packs())))
    try:
        return Pack.model_validate(yaml.safe_load(path.read_text()))
    except (ValidationError, yaml.YAMLError) as e:
        raise PolicyError("policy %s is invalid: %s" % (name, _first_error(e))) from None


@dataclass(frozen=True)
class RoleEntry:
    """One address written for a role, and where."""

    role: str
    addresses: ISet
    text: str
    source: Source


@dataclass(frozen=True)
class Site:
    policy: str | None
    shift_hours: float
    roles: dict[str, tuple[RoleEntry, ...]]
    path: str = ""
    through: tuple[str, ...] = ()  # devices the traffic passes, e.g. aws-nat-gateway, azure-load-balancer

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


class _SiteModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    policy: str | None = None
    shift_hours: float = Field(default=8, gt=0, le=24 * 7)
    roles: dict[str, list[str]] = {}
    through: list[str] = []


def _addr(text: str) -> ISet:
    text = str(text).strip()
    if "-" in text and "/" not in text:
        lo, hi = text.split("-", 1)
        from auditor.core.packets import addr_to_int
        a, b = addr_to_int(lo.strip()), addr_to_int(hi.strip())
        if b < a:
            raise ValueError("empty range")
        return ISet.of(a, b)
    return network_to_iset(ipaddress.ip_network(text, strict=False))


def load_site(path: str | None, role_flags: list[str] | None = None, shift_hours: float | None = None) -> Site:
    """A site from a YAML file and/or ``--role NAME=ADDR[,ADDR]`` flags (flags add to the file)."""
    roles: dict[str, list[RoleEntry]] = {}
    policy = None
    shift = 8.0
    through: tuple[str, ...] = ()
    if path:
        try:
            text = Path(path).read_text()
        except OSError as e:
            raise PolicyError("cannot read site file %s: %s" % (path, e.strerror)) from None
        try:
            data = yaml.safe_load(text) or {}
            model = _SiteModel.model_validate(data)
            lines = _role_lines(text)
        except (ValidationError, yaml.YAMLError) as e:
            raise PolicyError("site file %s is invalid: %s" % (path, _first_error(e))) from None
        policy, shift = model.policy, model.shift_hours
        through = tuple(model.through)
        src_lines = text.splitlines()
        for role, addrs in model.roles.items():
            for k, a in enumerate(addrs):
                ln = lines.get((role, k), 1)
                entry_src = Source(path, ln, src_lines[ln - 1].rstrip() if ln <= len(src_lines) else str(a))
                roles.setdefault(role, []).append(_entry(role, a, entry_src))
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
    return Site(policy, shift, {k: tuple(v) for k, v in roles.items()}, path or "", through)


def _entry(role: str, a: str, src: Source) -> RoleEntry:
    try:
        return RoleEntry(role, _addr(a), str(a), src)
    except ValueError:
        raise PolicyError("%s: role %s: '%s' is not an address, network or range" % (src.where(), role, a)) from None


def _role_lines(text: str) -> dict[tuple[str, int], int]:
    """(role, index) -> 1-based line of each role address in the YAML text."""
    out: dict[tuple[str, int], int] = {}
    node = yaml.compose(text)
    if node is None or not isinstance(node, yaml.MappingNode):
        return out
    for k, v in node.value:
        if k.value == "roles" and isinstance(v, yaml.MappingNode):
            for rk, rv in v.value:
                if isinstance(rv, yaml.SequenceNode):
                    for i, item in enumerate(rv.value):
                        out[(rk.value, i)] = item.start_mark.line + 1
    return out


def _first_error(e: Exception) -> str:
    if isinstance(e, ValidationError):
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        return "%s: %s" % (loc, err["msg"])
    return str(e).splitlines()[0]


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

    def describe(self) -> str:
        return "%s (%s/%s) %s -> %s" % (self.spec.label, self.spec.ports, self.spec.proto,
                                        self.src_role, self.dst_role)


def required_flows(pack: Pack, site: Site) -> tuple[list[RequiredFlow], list[tuple[str, str, tuple]]]:
    """The checkable flows, and (flow key, reason, missing roles) for those the site cannot check."""
    flows, unchecked = [], []
    for spec in pack.flows:
        proto = ISet.of(PROTO_TCP if spec.proto == "tcp" else PROTO_UDP)
        ports = parse_ports(spec.ports)
        for a in spec.from_:
            for b in spec.to:
                if a == b:
                    continue
                key = "%s:%s->%s" % (spec.id, a, b)
                missing = [r for r in (a, b) if not site.roles.get(r)]
                if missing:
                    unchecked.append((key, "not defined by the site: %s" % ", ".join(missing), tuple(missing)))
                    continue
                src, dst = site.addresses(a), site.addresses(b)
                ps = PacketSet([cube(src=src, dst=dst, proto=proto, sport=EPHEMERAL, dport=ports)])
                flows.append(RequiredFlow(spec, a, b, ps))
    return flows, unchecked


def outside_roles(site: Site) -> ISet:
    """Every address that is not one of the site's roles (the rest of the world)."""
    return ALL_ADDR.subtract(site.all_addresses())
