"""Helpers for the PAN-OS tests: a small site firewall in ``set`` form, parsing, one packet's decision."""

from __future__ import annotations

from auditor.api import decision_json, make_packet
from parsers import parse_text
from parsers.panos import parse as panos_parse

# servers 10.20.0.0/24 (ethernet1/1), Workshop 10.30.0.0/24 and 10.31.0.0/24 (ethernet1/2 and
# ethernet1/4, one zone), the Internet through ethernet1/3, and ethernet1/5 in no zone
BASE = """\
set deviceconfig system hostname site-fw
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network interface ethernet ethernet1/3 layer3 ip 203.0.113.2/24
set network interface ethernet ethernet1/4 layer3 ip 10.31.0.1/24
set network interface ethernet ethernet1/5 layer3 ip 10.50.0.1/24
set network virtual-router default interface [ ethernet1/1 ethernet1/2 ethernet1/3 ethernet1/4 ethernet1/5 ]
set network virtual-router default routing-table ip static-route inet destination 0.0.0.0/0 \
nexthop ip-address 203.0.113.1
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 [ ethernet1/2 ethernet1/4 ]
set zone untrust network layer3 ethernet1/3
"""


def rule(name: str, **attrs) -> str:
    """``set rulebase security rules NAME KEY VALUE`` lines (a list value as ``[ a b ]``)."""
    out = []
    for k, v in attrs.items():
        key = k.replace("_", "-")
        val = "[ %s ]" % " ".join(v) if isinstance(v, (list, tuple)) else str(v)
        out.append("set rulebase security rules %s %s %s" % (name, key, val))
    return "\n".join(out) + "\n"


def allow(name: str, frm="workshop", to="servers", src="any", dst="any", app="any", svc="any", action="allow",
          **more) -> str:
    """A whole security rule."""
    return rule(name, **{"from": frm, "to": to, "source": src, "destination": dst, "application": app,
                         "service": svc, "action": action}, **more)


def cfg_of(text: str, path: str = "fw.set"):
    return panos_parse(text, path)


def decide(cfg, src: str, dst: str, proto: str = "tcp", dport: int | None = 445, sport: int | None = 40000,
           filter_name: str | None = None) -> str:
    if proto not in ("tcp", "udp"):
        sport = None
    return decision_json(cfg, make_packet(src, dst, proto, sport, dport), filter_name)["decision"]


def explain_of(cfg, src: str, dst: str, proto: str = "tcp", dport: int | None = 445) -> dict:
    return decision_json(cfg, make_packet(src, dst, proto, 40000 if proto in ("tcp", "udp") else None, dport))


def auto(text: str, path: str = "fw"):
    """Parsed with auto-detection."""
    return parse_text(text, path)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``needle``."""
    for n, ln in enumerate(text.splitlines(), 1):
        if needle in ln:
            return n
    raise AssertionError(needle)
