"""Palo Alto Networks PAN-OS firewalls -> the rule graph.

Inputs: the running configuration as XML (``show config running`` with XML output, a saved
``running-config.xml``, the XML API's export), as ``set`` commands (``set cli
config-output-format set`` then ``show``), or in the CLI's hierarchical form; Panorama-pushed
policy (``policy panorama ...``) is read with the firewall's own (a firewall that names its Panorama
server without it is reported: the rules Panorama pushes are not known; the pushed policy alone, ``show
config pushed-shared-policy``, is refused).  One package, small modules:

* ``scan``: the three forms -> statements (defusedxml for XML), PAN-OS secrets redacted;
* ``collect``: statements -> definitions, every line used, ignored with a reason, or reported;
* ``objects``: addresses, services, applications resolved (vsys, Panorama, shared);
* ``policy``: the security rulebase -> one filter per zone pair, the default rules;
* ``network``: interfaces, zones, static routes, paths;
* ``nat``: NAT rules as PAN-OS evaluates them;
* ``timeouts``: TCP session timeouts;
* ``change``: change requests as ``set``/``delete`` commands (``check-change``).

What each models, and the PAN-OS documents it follows, is in each module's docstring.
"""

from __future__ import annotations

import re

from auditor.core.model import Config, Filter
from parsers.kit import InputError, Vendor
from parsers.kit.vendor import lazy, line_regex
from parsers.panos import scan
from parsers.panos.collect import Collector
from parsers.panos.nat import NatBuilder
from parsers.panos.network import Network
from parsers.panos.objects import Objects, named_objects
from parsers.panos.policy import Policy
from parsers.panos.scan import PANORAMA, PanLines
from parsers.panos.timeouts import timeouts

NAME = "paloalto-panos"

_SET_TOP = frozenset({"deviceconfig", "network", "rulebase", "address", "address-group", "service",
                      "service-group", "zone", "vsys", "shared", "mgt-config", "application", "application-group",
                      "import", "profiles", "tag", "policy", "external-list", "schedule", "log-settings",
                      "config"})
_SET_STRONG = line_regex(r"^set (?:deviceconfig|rulebase (?:security|nat)|address-group|service-group|"
                         r"zone \S+ network|vsys \S+ (?:rulebase|zone)|network interface ethernet|"
                         r"network virtual-router|mgt-config|config (?:devices|shared|mgt-config))\b")
_PUSHED = re.compile(r"<policy>\s*<panorama>")
# (``pre-rulebase``/``post-rulebase``: the policy Panorama pushed, 'show config pushed-shared-policy' in the
# hierarchical form, which ``parse`` refuses naming what to audit; Junos has no such word)
_TREE_STRONG = line_regex(r"^\s*(?:deviceconfig|rulebase|localhost\.localdomain|vsys|mgt-config|pre-rulebase|"
                          r"post-rulebase)\s*\{")


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is a PAN-OS configuration, in any of its forms."""
    head = text[:200000]
    form = scan.form_of(head)
    if form == "xml":
        if not re.search(r"<config\b", head):
            # the policy Panorama pushed to a firewall ('show config pushed-shared-policy'): refused by ``parse``
            # with what to audit instead, when alone
            return 90 if _PUSHED.search(head) else 0
        if "localhost.localdomain" in head or ("<devices>" in head and "<vsys>" in head):
            return 95
        if re.search(r"<(?:rulebase|vsys|deviceconfig|mgt-config)\b", head):
            return 75
        return 0
    if form == "set":
        cmds = [ln.split(None, 2) for ln in head.splitlines() if ln.startswith("set ")]
        if not cmds:
            return 0
        ours = sum(1 for c in cmds if len(c) > 1 and c[1] in _SET_TOP)
        if ours * 10 < len(cmds) * 6:
            return 0
        return 90 if _SET_STRONG.search(head) else 40
    if form == "tree":
        return 90 if _TREE_STRONG.search(head) else 0
    return 0


def parse(text: str, path: str) -> Config:
    """Build the model of one PAN-OS configuration."""
    return parse_with_lines(text, path)[0]


def parse_with_lines(text: str, path: str) -> tuple[Config, PanLines]:
    """The model, and the lines with what became of each (used, ignored, reported)."""
    lines = PanLines(text, path)
    col = Collector(lines)
    try:
        sc = scan.read(text, lines.raw, col.feed, col.fast_rule, col.fast_setting)
    except InputError as e:  # (the scanner's errors are about the text: the file is named here)
        raise InputError("%s: %s" % (path, e)) from None
    col.managed_by_panorama()
    col.other_rules()
    for i in sc.structure:
        lines.ignore(i, "block structure (opens or closes a section)")
    for i in sc.comments:
        lines.ignore(i, "a comment")
    head = lines.head()
    if PANORAMA in col.spaces and not col.vsys_order and not col.interfaces and not col.vrs:
        # (the rules and objects Panorama pushed to a firewall, 'show config pushed-shared-policy', alone: they
        # name its zones, but its interfaces, zones and routes, and its own rules between the pre- and the
        # post-rules, are in its own configuration)
        at = next((i for i, t in enumerate(lines.raw) if "panorama" in t), 0)
        raise InputError("%s:%d: the policy Panorama pushed to a Palo Alto Networks firewall ('show config "
                         "pushed-shared-policy'), without the firewall's own configuration (interfaces, zones, "
                         "routes, its own rules): audit the firewall's configuration; this version reads Panorama's "
                         "rules only written in it ('policy panorama pre-rulebase ...')" % (path, at + 1))
    objs = Objects(col)
    vsyses = [v for v in col.vsys_order] or ["vsys1"]
    if PANORAMA in col.spaces and not col.vsys_order:
        col.space("vsys1")
    prefix = len(vsyses) > 1
    policies = {}
    for v in vsyses:
        pol = Policy(col, objs, v, "%s/" % v if prefix else "")
        pol.build()
        policies[v] = pol
    pano = col.spaces.get(PANORAMA)
    if pano is not None and prefix:
        for name, d in pano.defaults.items():
            # (a default rule override Panorama pushed to one virtual system of several: which one is not written;
            # its rules are placed by their zones, Collector.pushed_homes)
            lines.unrecognized(lines.source(d.line), "default rule %s pushed by Panorama to one of the firewall's "
                               "virtual systems: which one is not in the configuration" % name)
    net = Network(col, objs, policies, head)
    net.build()
    filters: dict[str, Filter] = {}
    remarks = []
    refs = []
    for pol in policies.values():
        for name, rules in pol.filters.items():
            filters[name] = Filter(name, tuple(rules), rules[0].source if rules else None, kind="zone-pair")
        remarks.extend(pol.remarks)
        refs.extend(pol.address_refs)
    if col.panorama and not any(f.rules for f in filters.values()):
        # (a Panorama's own configuration: its device groups' rules are pushed, with a template's zones and
        # interfaces, to firewalls it names by serial number; none of them is this file as written)
        raise InputError("%s:%d: a Palo Alto Networks Panorama configuration (device groups, templates), not a "
                         "firewall's: audit each managed firewall's own configuration (on the firewall, `show "
                         "config merged` holds the rules Panorama pushed to it)" % (path, col.panorama[0] + 1))
    if col.cloud and not any(f.rules for f in filters.values()):
        # (a cloud-managed Prisma Access configuration: folders and snippets that Palo Alto Networks' cloud applies
        # to its mobile users, remote networks and service connections; no firewall of the site holds it)
        raise InputError("%s:%d: a Palo Alto Networks Prisma Access configuration managed in the cloud (Strata Cloud "
                         "Manager folders and snippets), not a firewall's: its policy is applied by Palo Alto "
                         "Networks' cloud, which this version does not audit; audit the site's own firewalls"
                         % (path, col.cloud[0] + 1))
    for name, rules in net.extra_filters.items():
        filters[name] = Filter(name, tuple(rules), None, kind="derived")
    nat = []
    for v in vsyses:
        t = NatBuilder(col, objs, net, v, "%s NAT" % v if prefix else "NAT").build()
        if t is not None:
            nat.append(t)
    objects = named_objects(col, objs)
    tos = timeouts(policies, objs, col.settings, lines, col.app_timers)
    # (a security rule allows or drops; NAT and policy-based forwarding are rulebases of their own)
    return Config(path=path, vendor=NAME, lines=len(lines), filters=filters, paths=tuple(net.paths), verdicts_only=True,
                  interfaces=tuple(net.interfaces), routes=tuple(net.routes), timeouts=tuple(tos),
                  diagnostics=tuple(lines.diagnostics), address_refs=tuple(refs), ignored_lines=lines.ignored,
                  head=head, remarks=tuple(remarks), nat=tuple(nat), objects=objects,
                  aux={"form": sc.form}, learned_routes=tuple(net.learned), learned_space=net.learned_space,
                  local_addresses=net.own_addresses(), unsettled_routes=tuple(net.unsettled)), lines


ADVICE = {
    "PRN100": "Add a security rule above the blocking one, from the client's zone to the server's zone "
              "(the zone after NAT), with the addresses the client sends to (before NAT) and a service "
              "object for the ports, e.g. 'set service prinergy-tcp protocol tcp port 80,443,445,1000-20000' "
              "then 'set rulebase security rules Prinergy-WS from workshop to servers source WORKSHOP "
              "destination PRINERGY-SERVERS application any service prinergy-tcp action allow' and "
              "'move rulebase security rules Prinergy-WS before <blocking rule>'. Prefer 'application any' with "
              "explicit services: with App-ID applications and 'application-default' the ports depend on "
              "App-ID and the auditor cannot confirm them.",
    "PRN120": "Give Workshop <-> server TCP sessions an idle timeout of at least one shift with a service "
              "object whose session-timeout override the rule that permits the traffic uses ('set service "
              "prinergy-tcp protocol tcp override yes timeout 28800'): it decides those sessions' timer whatever "
              "application App-ID names them (PAN-OS 8.1+, 'Maintain Custom Timeouts for Data Center "
              "Applications'). The global 'set deviceconfig setting session timeout-tcp' (Device > Setup > "
              "Session) is in force only where App-ID gives the application no timeout of its own, which the "
              "configuration does not say. PAN-OS has no dead connection detection.",
    "PRN150": "Narrow the rule that exposes the server: limit 'from' to the site's zones and 'source' to the "
              "site's address objects, or add a deny rule above it for sources outside the site.",
    "ACL200": "The rule is shadowed by the rules named: move it above them ('move rulebase security rules X "
              "before Y') or delete it ('delete rulebase security rules X').",
    "ACL201": "The rule changes nothing: delete it ('delete rulebase security rules X'), or narrow the earlier "
              "rule that already decides its traffic.",
    "ACL210": "Replace 'source any' / 'destination any' / 'service any' in the allow rule with address groups "
              "and service objects for what must pass.",
    "CFG300": "The auditor could not read this line: check it against your PAN-OS version's CLI reference; if "
              "it is valid, report it so the parser learns it. Until then a verdict it could change is "
              "'unknown'.",
    "CFG301": "Define the object the rule names ('set address NAME ip-netmask A.B.C.D/NN', 'set service ...', "
              "'set zone NAME network layer3 ...') or correct the name; PAN-OS refuses to commit a reference "
              "to an undefined object.",
}


VENDOR = Vendor(NAME, "Palo Alto Networks PAN-OS",
                "running config as XML ('show config running', saved running-config.xml) or 'set' commands "
                "('set cli config-output-format set', then 'show' in configuration mode)",
                detect, parse,
                apply_change=lazy("parsers.panos.change", "apply_change"),
                fix=lazy("parsers.panos.fix", "fix"),
                advice=ADVICE, redact=lambda text: PanLines(text, "").quoted())
