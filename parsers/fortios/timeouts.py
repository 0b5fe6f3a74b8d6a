"""Idle timeouts (``session-ttl``) of one VDOM, in FortiOS's order of precedence.

Fortinet KB "Technical Tip: Priority of session-ttl settings in FortiGate": a custom
service's ``session-ttl`` overrides a policy's, which overrides ``config system
session-ttl`` (its ``config port`` entries, then its ``default``).  The default is 3600 s
(Fortinet KB "Technical Tip: Session timeout settings"); ``never`` disables the timeout
(FortiOS Administration Guide, "No session timeout"); ``0`` on a service or policy means
"not set" (the next level applies).  A service's TTL applies to connections of that
service whichever policy permits them (the KB's example: a policy with service ``ALL`` and
the ``FTP`` service's TTL); a policy's only to connections it permits (``rule=``).
"""

from __future__ import annotations

from auditor.core.model import Impact, Timeout
from auditor.core.packets import ALL, ALL_PORTS, ALL_PROTO, ISet, PacketSet, cube
from parsers.fortios.policy import profile_setting
from parsers.fortios.services import number

DEFAULT_TTL = 3600
# the values the CLI takes: a policy's or a custom service's 'session-ttl' "Enter an integer value from <300> to
# <2764800> or (special = <0>)" (Fortinet KB 195971, "Technical Tip: Change session TTL on firewall policy"; KB
# 191228, "Technical Tip: Session timeout settings", for the service), 'config system session-ttl' 'set default'
# "value range (300 - 2764800)", a 'config port' entry's 'timeout' "value range (1 - 2764800)" (KB 191228); the CLI
# refuses another value (and other than ASCII digits), so the setting keeps its default
TTL_MIN, TTL_MAX = 300, 2764800


def ttl_value(word: str, low: int = TTL_MIN) -> int | None | str:
    """A ``session-ttl`` word -> seconds, None for ``never``, "" for 0 (not set); ValueError if bad or out of
    ``low``-``TTL_MAX``."""
    w = word.lower()
    if w == "never":
        return None
    v = number(w)
    if v == 0:
        return ""
    if not low <= v <= TTL_MAX:
        raise ValueError("session-ttl %s is out of range (%d-%d)" % (word, low, TTL_MAX))
    return v


def _why(ex: Exception) -> str:
    """': <the reason>' of a value refused (nothing when the exception gives none)."""
    return ": %s (FortiOS refuses the line)" % ex if isinstance(ex, ValueError) and str(ex) else ""


def build(p, built) -> list[Timeout]:
    """The idle-timeout records of parser ``p`` (policies as placed in ``built``), by precedence."""
    ln = p.lines
    out: list[Timeout] = []
    # 1. services
    for name, e in p.book.svc.items():
        if "session-ttl" not in e.settings:
            continue
        at = e.at("session-ttl")
        try:
            v = ttl_value(e.get("session-ttl")[0])
        except (ValueError, IndexError) as ex:
            ln.unrecognized(ln.source(at), "session-ttl not understood%s" % _why(ex), Impact.FILTER, "timeouts")
            continue
        if v == "":
            continue
        match = p.book.service_packets(name)
        # (which of two services' TTLs a session of both gets is not documented: reported, both kept)
        other = next((t for t in out if t.idle_seconds != v and t.match.overlaps(match)), None)
        if other is not None:
            ln.unrecognized(ln.source(at), "service %s's session-ttl and %s cover some of the same connections: "
                            "which one applies is not documented" % (name, other.label), Impact.FILTER, "timeouts")
        out.append(Timeout(match, v, ln.source(at), label="service %s session-ttl" % name))
    # 0. application control: Fortinet KB FD36001 "Technical Note: Session TTL values and Policy RST for
    # Sessions" (https://community.fortinet.com/t5/FortiGate/Technical-Note-Session-TTL-values-and-Policy-RST-
    # for-Sessions/ta-p/198311): an Application Control Sensor entry's session-ttl comes first, before the
    # custom service's, the policy's and the system's; which connections its applications are is not known
    told: set[int] = set()
    for ent, _placed in built.placed:
        if ent.one("status") == "disable":
            continue
        for name in profile_setting(p, ent, "application-list"):  # (its own, or its profile group's)
            for line in p.app_ttl.get(name, ()):
                if line not in told:
                    told.add(line)
                    ln.unrecognized(ln.source(line), "application list %s's session-ttl applies to the "
                                    "connections of the applications it matches, before any other TTL (policy %s "
                                    "uses it): which connections those are is not known" % (name, ent.name),
                                    Impact.FILTER, "timeouts")
    # 2. policies (connections each one permits, in each pair filter it is in)
    for ent, placed in built.placed:
        if "session-ttl" not in ent.settings or ent.one("status") == "disable":
            continue
        at = ent.at("session-ttl")
        try:
            v = ttl_value(ent.get("session-ttl")[0])
        except (ValueError, IndexError) as ex:
            ln.unrecognized(ln.source(at), "session-ttl not understood%s" % _why(ex), Impact.FILTER, "timeouts")
            continue
        if v == "":
            continue
        for fname, idx in placed:
            rule = built.filters[fname].rules[idx]
            match = rule.match.union(rule.maybe) if rule.maybe else rule.match
            out.append(Timeout(match, v, ln.source(at), label="policy %s session-ttl" % ent.name,
                               rule=(fname, idx)))
    # 3. system session-ttl port ranges (start-port and end-port default to 0: FortiOS CLI Reference, "config
    # system session-ttl", https://docs.fortinet.com/document/fortigate/7.4.1/cli-reference/58620; "You must
    # configure both the start-port and end-port", 6.0.0 CLI Reference, .../6.0.0/cli-reference/476602)
    ports: list[Timeout] = []
    doubts: list[Timeout] = []  # (where two entries of different timeouts overlap: before them, unknown)
    for e in p.ttl_ports:
        try:
            number(e.name)  # ('edit <id>', an integer 0-65535: the CLI refuses another)
            proto = number(e.get("protocol", ["0"])[0])
            if proto in (0, 6, 17, 132) and e.get("start-port") is None and e.get("end-port") is None:
                ln.unrecognized(ln.source(e.line), "session-ttl port entry %s sets no start-port or end-port (both "
                                "0 by default): which ports it covers is not documented" % e.name, Impact.FILTER,
                                "timeouts")
                continue
            lo = number(e.get("start-port", ["0"])[0])
            hi = number(e.get("end-port", ["0"])[0])
            v = ttl_value(e.get("timeout", ["300"])[0], low=1)
            if not (0 <= proto <= 255 and 0 <= lo <= hi <= 65535) or v == "":
                raise ValueError("a protocol, port or timeout out of range")
        except (ValueError, IndexError) as ex:
            ln.unrecognized(ln.source(e.line), "session-ttl port entry not understood%s" % _why(ex), Impact.FILTER,
                            "timeouts")
            continue
        match = PacketSet([cube(proto=ALL_PROTO if proto == 0 else ISet.of(proto),
                                dport=ISet.of(lo, hi) if proto in (0, 6, 17, 132) else ALL_PORTS)])
        src = ln.source(e.at("timeout") if e.get("timeout") else e.line)
        # (which of two entries covering one port applies, no document says: KB 191228 and the CLI Reference
        # give each entry's range, not an order among them)
        for other in ports:
            if other.idle_seconds != v and other.match.overlaps(match):
                doubts.append(Timeout(other.match.intersect(match), None, src, unknown=True,
                                      label="%s and system session-ttl port %s cover the same ports with different "
                                            "timeouts: which one applies is not documented" % (other.label, e.name)))
        ports.append(Timeout(match, v, src, label="system session-ttl port %s" % e.name))
    out += doubts + ports
    # 4. the default
    if p.session_ttl:
        st = p.session_ttl[-1]
        try:
            v = ttl_value(st.args[0])
            if v == "":
                raise ValueError("a default of 0")
            out.append(Timeout(ALL, v, ln.source(st.line), label="system session-ttl default", default=True))
        except (ValueError, IndexError) as ex:
            ln.unrecognized(ln.source(st.line), "session-ttl default not understood%s" % _why(ex), Impact.FILTER,
                            "timeouts")
            out.append(Timeout(ALL, DEFAULT_TTL, None, label="FortiOS default session TTL (3600 s)", default=True))
    else:
        out.append(Timeout(ALL, DEFAULT_TTL, None, label="FortiOS default session TTL (3600 s; no 'config system "
                                                          "session-ttl' default)", default=True))
    return out
