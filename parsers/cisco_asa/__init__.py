"""Cisco ASA running-config (``show running-config``) -> the vendor-neutral rule graph.

A package of small modules, each owning one part of the device:

* ``scan``: the pass over the lines (every line used, ignored with its reason, or reported);
* ``objects``: objects and object-groups; ``services``: protocols, ports, ICMP types;
* ``acl``: access lists (a fast token walker, checked against ``grammar``'s pyparsing
  reference grammar by the tests);
* ``topology``: interfaces, security levels, routes, access-group bindings and the paths;
* ``nat``: object NAT, twice NAT and the pre-8.3 static/nat/global;
* ``mpf``: ``timeout conn`` and the Modular Policy Framework's connection timeouts and DCD;
* ``vpn``: where VPNs terminate, whose decrypted traffic bypasses the access lists (``sysopt connection permit-vpn``);
* ``names``: the ASA's own port, protocol and ICMP names and the ignored-command lists (data);
* ``change``: change requests in the ASA's own commands (``check-change``).
"""

from __future__ import annotations

import re

from auditor.core.model import Config
from parsers.cisco_asa import acl, mpf, nat, objects, scan, topology
from parsers.cisco_asa.acl import Ace, parse_ace_tokens
from parsers.cisco_asa.services import AceError, parse_hms
from parsers.kit import InputError, Lines, Vendor
from parsers.kit.routes import learned_space
from parsers.kit.vendor import lazy, score, signs

NAME = "cisco-asa"
_SHOW_ACL = re.compile(r"^access-list \S+; \d+ elements; name hash: 0x[0-9a-f]+", re.M)
_INTERFACE = re.compile(r"^interface \S", re.M)


# (pattern, points): shapes the ASA prints; an IOS access list or interface binding counts against
_SIGNS = signs(
    (r"^(?:: Saved|ASA Version|: Hardware:\s+ASA)", 60),
    (r"^access-list \S+ (line \d+ )?extended ", 30),
    # (an ASA command, "clear configure access-list [acl_id]": an ACL written as a script that resets it first, as
    # aerleon's ciscoasa output, is one even when all its entries are remarks)
    (r"^clear configure access-list \S+$", 30),
    (r"^\s+nameif \S+", 25),
    (r"^\s+security-level \d+", 15),
    (r"^access-group \S+ (in|out) interface ", 25),
    (r"^object-group (network|service|protocol|icmp-type) ", 10),
    (r"^(ip access-list|interface \S+\n\s+ip access-group)", -30),
)


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is an ASA config."""
    return score(text[:200000], _SIGNS)


def parse(text: str, path: str) -> Config:
    """Parse an ASA running-config into the normalized rule graph."""
    return parse_accounted(text, path)[0]


def parse_accounted(text: str, path: str) -> tuple[Config, Lines]:
    """``parse``, with the ``Lines`` that say what became of each line (the tests read it)."""
    if "elements; name hash: 0x" in text and _SHOW_ACL.search(text) and not _INTERFACE.search(text):
        # `show access-list`: each list's heading ("access-list NAME; 3 elements; name hash: 0x..."), its entries
        # with hit counts and their objects expanded; without the interfaces and access-group bindings
        raise InputError("%s: this is the output of `show access-list` (hit counts, objects expanded), not a "
                         "configuration: it has no interfaces, access-group bindings or NAT, which decide what "
                         "passes; give `show running-config`" % path)
    st = scan.Asa(text, path)
    scan.scan(st)
    filters = acl.build_filters(st)
    interfaces, routes, paths = topology.build(st, filters)
    nat_tables = nat.build(st, filters, interfaces, routes)
    timeouts = mpf.build(st, filters)
    named = objects.named_objects(st)
    lines = st.lines
    return Config(
        path=path, vendor=NAME, lines=len(lines), filters=filters, paths=tuple(paths), verdicts_only=True,
        interfaces=tuple(interfaces), routes=tuple(routes), timeouts=tuple(timeouts),
        diagnostics=tuple(lines.diagnostics), address_refs=tuple(st.address_refs),
        ignored_lines=lines.ignored, remarks=tuple(st.remarks), objects=named, nat=nat_tables,
        head=lines.head(), learned_routes=tuple(st.learned),
        learned_space=learned_space(st.learned_families), local_addresses=topology.own_addresses(st),
        unsettled_routes=tuple(st.unsettled),
    ), lines


VENDOR = Vendor(
    NAME, "Cisco ASA", "show running-config", detect, parse,
    apply_change=lazy("parsers.cisco_asa.change", "apply_change"),
    fix=lazy("parsers.cisco_asa.fix", "fix"),
    advice={
        "CFG300": "Compare the line with `show running-config` output for your ASA release; lines from another "
                  "platform (IOS `ip access-list`, FTD-only commands) do not belong in an ASA config.",
        "CFG301": "Define the `object` / `object-group` / `access-list` before binding it, or fix the name (names "
                  "are case-sensitive); `show running-config object-group id NAME`.",
        "PRN100": "Insert a permit before the blocking line, e.g. `access-list WORKSHOP_IN line 1 extended permit "
                  "tcp object-group WORKSHOP object-group PRINERGY-SERVERS eq 445`, or remove the deny "
                  "(`no access-list ... deny ...`); check the result with `prinergy-audit check-change`.",
        "PRN120": "Match the Workshop <-> server traffic in a class-map and set `set connection timeout idle "
                  "1:00:00 dcd` in the service policy (DCD keeps live idle connections), or raise `timeout conn` "
                  "to at least the shift (`timeout conn 8:00:00`).",
        "PRN150": "Narrow the source of the permitting line on the outside interface's ACL to the site's networks "
                  "or a VPN pool (`object-group network WORKSHOP`), or remove it.",
        "PRN160": "Remove the `eq 548` permit (`no access-list NAME extended permit tcp ... eq 548`) once no "
                  "legacy Mac mounts volumes over AFP; to accept it meanwhile, add a remark `prinergy-audit: ignore "
                  "PRN160 until YYYY-MM-DD reason` to that ACL.",
    })

__all__ = ["NAME", "VENDOR", "Ace", "AceError", "detect", "parse", "parse_accounted", "parse_ace_tokens", "parse_hms"]
