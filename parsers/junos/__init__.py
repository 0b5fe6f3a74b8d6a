"""Juniper Junos: SRX security policies and Junos firewall filters -> the vendor-neutral rule graph.

Input: ``show configuration`` (hierarchical) or ``show configuration | display set``; both are
read into the same statements (``tree``) and the same model.  The parts:

* ``tree``: the two text forms -> statements (``inactive:``, ``deactivate``, ``delete``);
* ``groups``: ``apply-groups`` inheritance (exact cases expanded, the rest reported);
* ``topology``: interfaces, zones, static routes (``next-table`` too);
* ``instances``: routing instances, each with its own routing table;
* ``objects``: address books and applications (``data``: predefined applications, timeouts);
* ``policies``: zone-pair, global and default policies, per-application idle timeouts;
* ``filters``: stateless firewall filters on interfaces;
* ``nat``: static, destination and source NAT;
* ``build``: the paths between interfaces and the ``Config``;
* ``change``: change requests as ``set``/``delete``/``deactivate``/``insert`` commands.
"""

from __future__ import annotations

import re

from auditor.core.model import Config
from parsers.junos import tree
from parsers.kit import InputError, LineByLine, Lines, Vendor
from parsers.kit.vendor import lazy

NAME = "junos"

# (also inside a configuration group, 'set groups NAME ...', which a chassis cluster's node0/node1 groups and
# shops that keep their policies in groups write: "Configuration Groups Overview", Juniper)
_SET_STRONG = re.compile(r"^(?:set|deactivate) (?:groups \S+ )?(?:security (?:policies|zones|address-book|nat)|"
                         r"applications application|firewall (?:family \S+ )?filter|interfaces \S+ unit \d+ family|"
                         r"routing-options static|system host-name)\b", re.M)
_HIER_STRONG = re.compile(r"^\s*(?:(?:inactive: |replace: )?(?:security|firewall|applications|interfaces|"
                          r"routing-options|system|policies|zones|address-book)\s*\{|from-zone \S+ to-zone \S+\s*\{|"
                          r"security-zone \S+\s*\{|term \S+\s*\{|family inet6? \{|version \d[\w.\-]*;)", re.M)
# a pasted configuration-mode session whose set commands are all relative to an 'edit' level: its 'edit' of a
# Junos top-level statement ("edit statement-path: move inside the specified statement hierarchy", Junos OS CLI
# User Guide, command summary 'edit'), counted only with the session's 'configure' or 'commit' ("configure: enter
# configuration mode", "commit: commit the set of changes to the database"); VyOS's own statements under
# 'firewall' and 'interfaces' (its sessions look the same) are not Junos's
_EDIT_STRONG = re.compile(r"^edit (?:security|applications|routing-options|system|"
                          r"firewall(?! (?:name|ipv6-name|ipv4|ipv6|group|global-options)\b)|"
                          r"interfaces(?! (?:ethernet|bonding|bridge|loopback|wireguard|pppoe|vti|tunnel|dummy|"
                          r"openvpn|wireless|vxlan|pseudo-ethernet|macsec|geneve)\b))(?:\s|$)", re.M)
_SESSION = re.compile(r"^(?:configure(?: private| exclusive)?|commit(?: (?:check|and-quit|confirmed(?: \d+)?|"
                      r"comment .*))?)\s*$", re.M)
_OTHERS = re.compile(r"^\s*(?:set )?(?:rulebase|deviceconfig|vsys|config firewall|config system|"
                     r"access-list|object-group|\*filter|table inet)\b", re.M)


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is a Junos configuration (either form)."""
    head = text[:200000]
    strong = len(_SET_STRONG.findall(head)) + len(_HIER_STRONG.findall(head))
    if _SESSION.search(head):
        strong += len(_EDIT_STRONG.findall(head))
    if not strong:
        return 0
    if len(_OTHERS.findall(head)) > strong:
        return 10
    return min(100, 40 + 10 * strong)


def parse(text: str, path: str) -> Config:
    """Parse a Junos configuration (hierarchical or ``display set``) into the rule graph."""
    return parse_lines(text, path)[0]


def parse_lines(text: str, path: str) -> tuple[Config, Lines]:
    """``parse``, with the ``Lines`` that account for every input line (for tests and tools)."""
    from parsers.junos.build import build

    if not text or text.isspace():  # (no copy of the text, as strip() makes)
        raise InputError("%s is empty" % path)
    lines = LineByLine(text, path)  # (a parse quotes about a third of the lines)
    try:
        doc = tree.read(text, lines.raw)
    except tree.TooDeep as e:
        raise InputError("%s:%d: braces nested more than %d deep (not a Junos configuration)"
                         % (path, e.line + 1, tree.MAX_DEPTH)) from None
    if not doc.stmts:
        raise InputError("%s: not a Junos configuration (no statement could be read)" % path)
    return build(lines, doc, path, NAME), lines


ADVICE = {
    "PRN100": "Add a policy for the zone pair above the one that blocks the flow, e.g. "
              "`set security policies from-zone WORKSHOP to-zone SERVERS policy prinergy-smb match "
              "source-address WORKSHOP-NET destination-address PRINERGY-SERVERS application junos-smb-session`, "
              "`set ... then permit`, then `insert security policies from-zone WORKSHOP to-zone SERVERS policy "
              "prinergy-smb before policy BLOCKING-POLICY`. For a firewall filter, add a term with "
              "`then accept` and `insert firewall family inet filter F term NEW before term BLOCKING-TERM`.",
    "PRN120": "Give the application used by the Workshop <-> server policy a timeout of at least a shift: "
              "`set applications application PRINERGY-TCP protocol tcp destination-port 1024-65535` and "
              "`set applications application PRINERGY-TCP inactivity-timeout 28800` (or `never`); "
              "predefined junos-* applications use the default (TCP 1800 s); `any`, application sets and policies "
              "of several applications take the timeout of a custom application on the session's port, else the "
              "default.",
    "PRN150": "Narrow the permitting policy's `match source-address` to the site's address-book entries "
              "(`delete security policies from-zone untrust to-zone SERVERS policy P match source-address any`, "
              "`set ... match source-address WORKSHOP-NET`), or deactivate it.",
    "ACL200": "The policy or term never matches: earlier ones cover it. Delete it "
              "(`delete security policies from-zone A to-zone B policy P`) or move it up with "
              "`insert security policies from-zone A to-zone B policy P before policy EARLIER`.",
    "ACL201": "The policy or term is redundant: removing it changes nothing. "
              "`delete security policies from-zone A to-zone B policy P` (or `deactivate` it first).",
    "ACL210": "Replace `source-address any` / `destination-address any` / `application any` with "
              "address-book entries and the applications Prinergy needs.",
    "CFG300": "Check the statement's syntax for your Junos release; if the device accepts it, report it so the "
              "parser learns it. Inactive statements (`deactivate`) are left out on purpose.",
    "CFG301": "Define the missing object (`set security address-book global address NAME PREFIX`, "
              "`set applications application NAME protocol tcp destination-port N`, "
              "`set firewall family inet filter NAME ...`) or fix the name.",
}


def redact_text(text: str) -> str:
    """``text`` as its lines are quoted, every secret masked (``Vendor.redact``; a trap group's name,
    the community of its traps, is the shared redaction's: ``auditor.core.secrets``)."""
    return LineByLine(text, "").quoted()


VENDOR = Vendor(
    NAME, "Juniper Junos (SRX security policies, firewall filters)",
    "show configuration | display set (or show configuration)",
    detect, parse,
    apply_change=lazy("parsers.junos.change", "apply_change"),
    fix=lazy("parsers.junos.fix", "fix"),
    advice=ADVICE, redact=redact_text)
