"""``prinergy-audit init``: a site file proposed from the names in a config.

An audit needs to know where Prinergy's roles are.  A config usually says so in its own
words: an object group named WORKSHOP, a host named PRINERGY-PRIMARY, an interface or zone
called workshop.  ``suggest(configs)`` reads those names from the model alone (vendor-neutral:
``NamedObject``s, the lines that write an address, interface and zone names with their
networks) and proposes addresses per role; ``site_yaml`` writes them as a site file in which
every address is marked as a guess, with the line it came from.  Nothing here is certain: a
name is what a person typed, so the file says to check each line before auditing with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor.core.model import Config, Source
from auditor.core.packets import ALL_ADDR, ALL_V4, ALL_V6, V4_BASE, ISet, format_addr
from parsers import THROUGH_DEVICES

LINK_LOCAL = ISet.of(V4_BASE + (169 << 24 | 254 << 16), V4_BASE + (169 << 24 | 254 << 16 | 0xFFFF))


@dataclass(frozen=True)
class Guess:
    """One address proposed for a role, why, and the line it came from."""

    role: str
    value: str  # an address, a network or a range, as a site file takes it
    why: str
    source: Source
    also: tuple[str, ...] = ()  # other lines that say the same

    def comment(self) -> str:
        more = "; also %s" % ", ".join(self.also) if self.also else ""
        return "guess: %s (%s:%d)%s" % (self.why, self.source.path, self.source.line, more)


def _tokens(name: str) -> set[str]:
    parts = re.split(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])", name)
    return {p.upper() for p in parts if p}


def _has(tokens: set[str], *prefixes: str) -> bool:
    return any(t.startswith(p) for t in tokens for p in prefixes)


# role -> does a name with these tokens name it (words people use for Prinergy's parts)
_RULES = {
    "primary": lambda t: "PRIMARY" in t or ("PRINERGY" in t and bool(t & {"PRI", "MAIN", "MASTER"})),
    "secondary": lambda t: _has(t, "SECONDAR") or ("PRINERGY" in t and "SEC" in t),
    "workshop": lambda t: _has(t, "WORKSHOP"),
    "admin": lambda t: bool(t & {"ADMIN", "ADMINS", "ADMINPC", "ADMINISTRATOR"}),
    "license_server": lambda t: bool(t & {"LICENSE", "LICENCE", "FLEXLM", "FLM", "LICSERVER"}),
    "veris": lambda t: "VERIS" in t,
    "colorflow": lambda t: "COLORFLOW" in t or {"COLOR", "FLOW"} <= t,
    "storage": lambda t: bool(t & {"STORAGE", "NAS", "SAN", "FILER", "ISILON", "NETAPP"}),
    "mis_link": lambda t: "MIS" in t,
    "digital_front_end": lambda t: bool(t & {"DFE", "FIERY"}) or {"DIGITAL", "FRONT"} <= t,
    "kodak_cloud": lambda t: {"KODAK", "CLOUD"} <= t,
}


# words that make a name the address a role is published at, not its own (PUB-PRIMARY: the public
# address a NAT rule maps to the primary; auditing it as the primary blocks every flow to it)
_PUBLISHED = {"PUB", "PUBLIC", "NAT", "NATTED", "EXT", "EXTERNAL", "MAPPED", "WAN"}


def roles_named(name: str) -> list[str]:
    """The roles a name names (none, one, or several when it is ambiguous)."""
    t = _tokens(name)
    if t & _PUBLISHED:
        return []
    return [r for r, rule in _RULES.items() if rule(t)]


def _server_group(name: str) -> bool:
    t = _tokens(name)
    return "PRINERGY" in t and _has(t, "SERVER", "SRV") and not roles_named(name)


def addresses_text(s: ISet) -> list[str]:
    """An address set as site-file entries: hosts, CIDR networks, else ranges."""
    import ipaddress

    out = []
    for lo, hi in s.iv:
        if lo == hi:
            out.append(format_addr(lo))
            continue
        a, b = format_addr(lo), format_addr(hi)
        try:
            nets = list(ipaddress.summarize_address_range(ipaddress.ip_address(a), ipaddress.ip_address(b)))
        except (TypeError, ValueError):
            nets = []
        if len(nets) == 1:
            out.append(str(nets[0]))
        elif hi - lo < 16:  # a few hosts, not one network: each host
            out.extend(format_addr(x) for x in range(lo, hi + 1))
        else:
            out.append("%s-%s" % (a, b))
    return out


def _useful(s: ISet | None) -> bool:
    return bool(s) and s not in (ALL_ADDR, ALL_V4, ALL_V6)


def suggest(configs: list[Config], roles: list[str] | None = None) -> list[Guess]:
    """Guesses per role from the names in ``configs``, first the most direct (an object named
    for the role), each address once per role with the other lines that say the same."""
    found: dict[tuple[str, str], Guess] = {}
    order: list[tuple[str, str]] = []

    taken: dict[str, ISet] = {}

    def add(role: str, s: ISet, why: str, src: Source) -> None:
        if roles is not None and role not in roles:
            return
        s = s.subtract(LINK_LOCAL)  # never a role's address (PRN130)
        if not s:
            return
        if s.issubset(taken.get(role, ISet())):
            # said already: note the line on the first guess it meets
            for k in order:
                g = found[k]
                here = "%s (%s:%d)" % (why, src.path, src.line)
                if k[0] == role and _parse(g.value).intersect(s):
                    if (src.path, src.line) != (g.source.path, g.source.line) and here not in g.also:
                        found[k] = Guess(g.role, g.value, g.why, g.source, g.also + (here,))
                    return
            return
        taken[role] = taken.get(role, ISet()).union(s)
        for value in addresses_text(s):
            k = (role, value)
            if k not in found:
                found[k] = Guess(role, value, why, src)
                order.append(k)

    def single(name: str) -> str | None:
        named = roles_named(name)
        return named[0] if len(named) == 1 else None

    for cfg in configs:
        for o in cfg.objects:
            role = single(o.name)
            if o.kind == "address" and role and _useful(o.addresses):
                add(role, o.addresses, "named %s" % o.name, o.source)
        for ref in cfg.address_refs:
            words = {w: roles_named(w) for w in re.findall(r"[A-Za-z][\w.-]*", ref.source.text)}
            named = {r for rs in words.values() for r in rs}
            if len(named) == 1 and _useful(ref.addresses):
                word = next(w for w, rs in words.items() if rs)
                add(named.pop(), ref.addresses, "written as %s" % word, ref.source)
        for iface in cfg.interfaces:
            for label, name in (("interface", iface.name), ("zone", iface.zone)):
                role = single(name) if name else None
                if role and _useful(iface.networks):
                    add(role, iface.networks, "%s %s's network" % (label, name), iface.source)
    # a group of Prinergy servers: those that are not the primary are likely its secondaries
    primary = ISet()
    for (role, _v), g in found.items():
        if role == "primary":
            primary = primary.union(_parse(g.value))
    if primary:
        for cfg in configs:
            for o in cfg.objects:
                if o.kind == "address" and _server_group(o.name) and _useful(o.addresses):
                    rest = o.addresses.subtract(primary).subtract(LINK_LOCAL)
                    if rest and rest != o.addresses and len(addresses_text(rest)) <= 16:
                        add("secondary", rest, "in group %s and not the primary" % o.name, o.source)
    return [found[k] for k in order]


def _parse(value: str) -> ISet:
    from auditor.policy import _addr

    return _addr(value)


def site_yaml(guesses: list[Guess], configs: list[Config], policy: str, command: str,
              policy_as: str | None = None) -> str:
    """A site file of ``guesses`` (each marked as a guess with its line), the roles left to fill
    listed in comments; ``command`` is the audit to run with it; ``policy_as``: how the file
    names a pack given as a path (relative to the site file, where ``policy:`` is read from)."""
    import json

    from auditor.policy import load_pack

    roles = load_pack(policy).roles()
    paths = ", ".join(c.path for c in configs)
    written = policy_as or policy
    if not re.fullmatch(r"[\w./\\-]+", written):  # a path with spaces, '#', ': ': quoted (JSON is YAML)
        written = json.dumps(written)
    out = ["# Site file proposed by prinergy-audit init from %s." % _one_line(paths),
           "# Every address below is a GUESS from a name in the config, with the line it came from:",
           "# check each one, remove what is wrong and add what is missing, then audit with",
           "#   %s" % _one_line(command),
           "policy: %s" % written,
           "shift_hours: 8  # the default: a production shift, in hours (PRN120 compares idle timeouts with it)",
           "# through: []  # cloud devices the traffic passes, whose idle timeouts count (none by default): %s"
           % ", ".join(THROUGH_DEVICES),
           ]
    by_role: dict[str, list[Guess]] = {}
    for g in guesses:
        by_role.setdefault(g.role, []).append(g)
    if by_role:
        out.append("roles:")
        for role in [r for r in roles if r in by_role] + sorted(set(by_role) - set(roles)):
            out.append("  %s:" % role)
            for g in by_role[role]:
                out.append("    - %s  # %s" % (g.value, _one_line(g.comment())))
    else:
        out.append("roles: {}")
    left = [r for r in roles if r not in by_role]
    if left:
        out.append("# No name in the config suggests these roles; add the addresses the site has:")
        out.extend("#  %s: []" % r for r in left)
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    from auditor.core.secrets import redact

    return redact(text).replace("\r", " ").replace("\n", " ")


def role_flags(guesses: list[Guess], policy: str = "prinergy-8") -> list[str]:
    """``--role NAME=ADDR[,ADDR]`` arguments for the guesses, one per role, in the pack's order."""
    from auditor.policy import load_pack

    by_role: dict[str, list[str]] = {}
    for g in guesses:
        by_role.setdefault(g.role, []).append(g.value)
    roles = load_pack(policy).roles()
    ordered = [r for r in roles if r in by_role] + sorted(set(by_role) - set(roles))
    return ["--role %s=%s" % (r, ",".join(by_role[r])) for r in ordered]
