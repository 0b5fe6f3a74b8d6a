"""Cisco IOS / IOS-XE running-config -> the vendor-neutral rule graph.

Modules: ``scan`` (blocks), ``names`` (IOS keywords and ignored commands, as data),
``operands`` (addresses, wildcard masks, ports, ICMP), ``objects`` (object groups), ``acl``
(access lists), ``zbf`` (the zone-based firewall), ``nat``, ``topology`` (interfaces, routes,
stages, paths, timeouts), ``parser`` (the dispatch), ``change`` (change requests as IOS
commands).  ``detect`` tells IOS from the ASA (which shares much of the syntax) by IOS-only
shapes.
"""

from __future__ import annotations

from auditor.core.model import Config
from parsers.kit import InputError, Vendor
from parsers.kit.vendor import lazy, line_regex, score, signs

NAME = "cisco-ios"

# (pattern, weight): shapes only IOS / IOS-XE prints
_SIGNS = signs(
    (r"^version 1[2-7]\.\d+\s*$", 40),
    (r"^ip access-list (extended|standard) \S+\s*$", 35),
    (r"^ipv4 access-list \S+\s*$", 30),
    (r"^zone-pair security \S+ source \S+ destination \S+", 40),
    (r"^ zone-member security \S+", 30),
    (r"^class-map type inspect (match-any|match-all) \S+\s*$", 25),
    (r"^policy-map type inspect \S+\s*$", 25),
    (r"^hostname \S+\s*$", 10),
    (r"^interface \S+\n(?: [^\n]*\n)*? ip address \d+\.\d+\.\d+\.\d+ \d+\.\d+\.\d+\.\d+", 15),
    (r"^ ip access-group \S+ (in|out)\s*$", 25),
    (r"^ ipv6 traffic-filter \S+ (in|out)\s*$", 25),
    # (the ASA writes 'access-list NAME extended|standard ...', never a number then the action)
    (r"^access-list \d+ (permit|deny|remark|dynamic) ", 30),
    (r"^ip nat (inside|outside) source ", 25),
    (r"^ip route \d+\.\d+\.\d+\.\d+ \d+\.\d+\.\d+\.\d+ ", 10),
    (r"^(boot-start-marker|Building configuration|Current configuration : |! Last configuration change "
                r"at |! NVRAM config last updated at )", 25),
    # an IPv6 list as a block (the ASA's old IPv6 lists are one line per entry)
    (r"^ipv6 access-list \S+\s*\n (sequence \d+ )?(permit|deny|remark) ", 30),
    (r"^no (ip |ipv6 )?access-list ", 10),
    # the boilerplate of an IOS running-config, for one whose header was cut (an edited file, a paste):
    # IOS numbers its lines ('line con 0', 'line vty 0 4': Cisco IOS-XE data model "Line", consoles/vtys/
    # auxes by number, https://netascode.cisco.com/docs/data_models/iosxe/device/line/), where NX-OS writes
    # 'line console' / 'line vty' and IOS-XR 'line console' / 'line default' (Cisco IOS-XR data model
    # "Line", https://netascode.cisco.com/docs/data_models/iosxr/device/line); 'ip cef' and
    # 'ip forward-protocol nd' no other Cisco OS writes ('service timestamps' and 'control-plane', which
    # IOS-XR writes too, are not signs)
    (r"^line (con|aux) 0\s*$", 10),
    (r"^line vty \d+ \d+\s*$", 10),
    (r"^ip cef( distributed)?\s*$", 10),
    (r"^ip forward-protocol nd\s*$", 10),
)
_ASA = line_regex(r"^(?:: Saved|ASA Version|: Hardware:\s+ASA| nameif \S+| security-level \d+)")


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is an IOS / IOS-XE running-config (or an IOS ACL script)."""
    head = text[:200000]
    return score(head, _SIGNS + ((_ASA, -60),))


def parse(text: str, path: str) -> Config:
    """Parse an IOS / IOS-XE running-config into the model."""
    from parsers.cisco_ios.parser import IosParser

    if not text.strip():
        raise InputError("%s is empty" % path)
    return IosParser(text, path).build()


ADVICE = {
    "PRN100": "Insert a permit before the blocking entry of the access list on the interface the flow "
              "enters or leaves, e.g. `ip access-list extended WORKSHOP-IN` / `5 permit tcp 10.30.0.0 "
              "0.0.0.255 host 10.20.0.10 eq 445`, or remove the deny (`no 40`); a router ACL is stateless, so "
              "also permit the replies in the other direction (`permit tcp host 10.20.0.10 eq 445 10.30.0.0 "
              "0.0.0.255 established`). With the zone-based firewall, match the flow in a class-map of the "
              "zone-pair's policy and `inspect` it (`class-map type inspect match-any PRINERGY` / `match "
              "access-group name PRINERGY`; `policy-map type inspect WS-TO-SRV` / `class type inspect "
              "PRINERGY` / `inspect`). Check it first with `prinergy-audit check-change`.",
    "PRN120": "Give the zone-based firewall's inspected Prinergy traffic a parameter map with an idle time "
              "of at least the shift: `parameter-map type inspect PRINERGY-PM` / `tcp idle-time 28800`, used by "
              "`inspect PRINERGY-PM` in the class that matches it (the default `tcp idle-time` is 3600 s); for "
              "reflexive access lists raise `ip reflexive-list timeout` or the entry's `reflect NAME timeout "
              "28800`.",
    "PRN150": "Narrow the source of the permitting entry on the outside interface's inbound access list "
              "(`ip access-group OUTSIDE-IN in`) to the site's networks or a VPN pool, or remove it; with the "
              "zone-based firewall, narrow the class-map of the outside-to-inside zone-pair.",
    "ACL200": "Move the entry above the entries that cover it (IOS: re-enter it with a lower sequence number, "
              "`ip access-list extended NAME` / `15 permit ...`, then `no 90`), or delete it (`no 90`).",
    "ACL201": "Delete the redundant entry by its sequence number (`ip access-list extended NAME` / `no 90`); "
              "`show ip access-lists NAME` shows the numbers.",
    "ACL210": "Replace `permit ip any any` (or `permit tcp any host SERVER`) with entries for the Kodak ports "
              "from the site's networks only, e.g. `permit tcp 10.30.0.0 0.0.0.255 host 10.20.0.10 eq 445`.",
    "CFG300": "Compare the line with `show running-config` of your IOS / IOS-XE release; lines from an ASA "
              "(`access-list NAME extended ...`, `nameif`) or NX-OS / EOS (`ip access-list NAME` without "
              "`standard`/`extended`) do not belong in an IOS config. Classic CBAC (`ip inspect`), policy "
              "routing and layer-7 policies are reported because they change what passes.",
    "CFG301": "Define the access list, object-group, class-map, policy-map or zone before using it (names are "
              "case-sensitive): `show running-config | section NAME`. Note that IOS passes every packet through "
              "an `ip access-group` naming a list that does not exist.",
}


VENDOR = Vendor(NAME, "Cisco IOS / IOS-XE", "show running-config", detect, parse,
                apply_change=lazy("parsers.cisco_ios.change", "apply_change"),
                fix=lazy("parsers.cisco_ios.fix", "fix"),
                advice=ADVICE)
