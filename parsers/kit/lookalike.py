"""Formats the auditor does not read, recognized by their shape, so an error can name them.

When no registered vendor recognizes an input, ``parsers.detect`` asks ``name_of(text)``: an
input that looks like a SonicWall or MikroTik export is told so ("looks like a SonicWall
SonicOS configuration, which this version does not read") instead of getting a generic hint.
A shape whose ``vendor`` is registered is never claimed: that vendor is read, and an input it
does not recognize gets the generic message.

Each shape is a few lines that only that format writes (from the vendors' own CLI and export
references): ``need`` of its patterns must match, each anchored at a line start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    """A format: its registry name if it has (or will have) one, its title, and its telltale lines."""

    vendor: str | None
    title: str
    patterns: tuple[str, ...]
    need: int = 1
    decisive: str | None = None  # a line no registered format writes: named even over a weak detection

    def matches(self, head: str) -> bool:
        return sum(1 for p in self.patterns if re.search(p, head, re.M)) >= self.need


SHAPES: tuple[Shape, ...] = (
    # not read by this version
    Shape(None, "SonicWall SonicOS configuration",
          (r"^\s*address-object (?:ipv4|ipv6|fqdn|mac) ", r"^\s*access-rule (?:ipv4 |ipv6 )?from \S+ to \S+",
           r"^\s*service-object \"", r"^\s*zone \"[^\"]+\"\s*$"), 1),
    Shape(None, "Juniper ScreenOS configuration",
          (r"^set policy id \d+ ", r"^set zone \"[^\"]+\"", r"^set interface \"?ethernet\S+\"? zone "), 1,
          decisive=r"^set policy id \d+ (?:name \"[^\"]*\" )?from \"[^\"]+\" to \""),
    Shape(None, "MikroTik RouterOS export",
          (r"^/ip firewall (?:filter|nat|mangle|raw|address-list)\s*$", r"^add .*\bchain=(?:forward|input|output)\b"),
          1),
    Shape(None, "OpenBSD/FreeBSD pf ruleset (pf.conf)",
          (r"^(?:pass|block)(?: (?:in|out|drop|return|log|quick))+ .*\b(?:on|proto|from|to)\b",
           r"^set skip on ", r"^(?:match|antispoof|table <\w+>) ", r"^\w+_if\s*=\s*\"?\w+"), 2,
          # a table named in angle brackets is pf's ("table names are always enclosed in < > angled brackets":
          # OpenBSD PF FAQ, "Tables", https://www.openbsd.org/faq/pf/tables.html), never an nftables table,
          # whose name is an identifier: named even over nftables' weak claim on 'table X {' (as aerleon's
          # packetfilter output was: read as nftables, its pass/block lines reported one by one)
          decisive=r"^table <[^>\s]+>\s"),
    Shape(None, "VyOS/EdgeOS firewall configuration",
          (r"^set firewall (?:name|ipv6-name|ipv4|ipv6) \S+ .*rule \d+ ",), 1),
    Shape(None, "VyOS/EdgeOS firewall configuration",
          (r"^\s+rule \d+ \{\s*$", r"^\s+action (?:accept|drop|reject)\s*$", r"^firewall \{\s*$"), 2),
    Shape(None, "Huawei USG or H3C security policy",
          (r"^security-policy(?: ip)?\s*$", r"^\s+rule (?:\d+ )?name \S+", r"^\s+(?:source|destination)-zone \S+",
           r"^\s+action (?:permit|deny|pass|drop)\s*$"), 2),
    Shape(None, "WatchGuard Fireware configuration (XML)",
          (r"<policy-list>|<abs-policy-list>", r"<for-fireware>|<fireware-version>|<profile>\s*$"), 1),
    Shape(None, "Sophos Firewall (SFOS) export (XML)",
          (r"<Configuration APIVersion=", r"<FirewallRule[ >]"), 1),
    Shape(None, "firewalld zone (XML)", (r"^<zone(?: [^>]*)?>\s*$", r"^\s*<(?:service|port|rule) "), 2),
    # `firewall-cmd --list-all` (firewall-cmd(1): "List everything added or enabled in zone": the zone's name,
    # "(active)", then its settings, indented, "target:", "services:", "masquerade:", "rich rules:"): one zone's
    # settings, not the rules firewalld builds from every zone and policy
    Shape(None, "firewalld zone listing (`firewall-cmd --list-all` shows one zone's settings, not the rules in force: "
          "give `nft list ruleset` (firewalld's nftables backend) or `iptables-save` (its iptables backend), which "
          "the nftables and iptables parsers read)",
          (r"^\S+ \((?:default, )?active\)\s*$", r"^\s+target: (?:default|ACCEPT|DROP|%%REJECT%%)\s*$",
           r"^\s+services:", r"^\s+masquerade: (?:yes|no)\s*$", r"^\s+rich rules:"), 3),
    # `ufw status` (ufw(8): "status: show status of firewall and ufw managed rules"): ufw's rules as the user added
    # them, which ufw writes as iptables rules in its ufw-* chains
    Shape(None, "ufw status output (ufw's own rule list, not the rules in force: give `iptables-save`, whose "
          "ufw-* chains the iptables parser reads)",
          (r"^Status: (?:active|inactive)\s*$", r"^To\s+Action\s+From\s*$"), 1),
    Shape(None, "Google Cloud firewall rules (JSON)", (r"\"kind\"\s*:\s*\"compute#firewall\"",), 1),
    # `iptables -L` (iptables(8), "-L, --list": a "Chain NAME (policy P)" heading per chain, a column
    # heading, a rule a line): the iptables parser reads the same rules as `iptables-save` prints them
    Shape(None, "listing of `iptables -L` (give the output of `iptables-save`, which the iptables parser reads)",
          (r"^Chain \S+ \((?:policy (?:ACCEPT|DROP)|\d+ references)",
           r"^\s*(?:num\s+)?(?:pkts\s+bytes\s+)?target\s+prot\s+opt\s+"), 1,
          decisive=r"^Chain \S+ \(policy (?:ACCEPT|DROP)\b"),
    # `nft -j list ruleset` (libnftables-json(5): one object whose "nftables" array starts with a
    # "metainfo" object): the nftables parser reads the same ruleset as `nft list ruleset` prints it
    Shape(None, "JSON nftables ruleset (`nft -j list ruleset`; give the output of `nft list ruleset`, "
          "which the nftables parser reads)", (r"^\s*\{?\s*\"nftables\"\s*:\s*\[",), 1,
          decisive=r"^\s*\{?\s*\"nftables\"\s*:\s*\[\s*\{?\s*\"metainfo\"|^\s*\"metainfo\"\s*:\s*\{"),
    # `az network watcher show-topology` (Network Watcher "Get Topology": resources, each with its associations,
    # TopologyAssociation.associationType "Associated" or "Contains"): which resource is tied to which, no rule
    Shape(None, "Azure Network Watcher topology (`az network watcher show-topology`: resources and their "
          "associations, no security rule; give `az network nic list-effective-nsg`, which the azure-nsg parser "
          "reads)", (r"\"associationType\"\s*:\s*\"(?:Associated|Contains)\"",), 1,
          decisive=r"\"associationType\"\s*:\s*\"(?:Associated|Contains)\""),
    # `netsh advfirewall show allprofiles` in a language other than English (netsh prints its labels in the display
    # language: "Einstellungen für Privates Profil:", "Status EIN", "Firewallrichtlinie BlockInbound,AllowOutbound";
    # the policy's values are netsh's keywords, as `netsh advfirewall set ... firewallpolicy` takes them); the
    # Windows parser reads the English headers ("Domain Profile Settings:") only, and Get-NetFirewallProfile's
    # property names (MSFT_NetFirewallProfile's) in any language
    Shape(None, "netsh advfirewall output in a language other than English (give the output of "
          "`Get-NetFirewallProfile | Format-List`, whose property names are English in every display language)",
          (r"^\S[^\n]*:[ \t]*\r?\n[ \t]*-{10,}[ \t]*\r?$",
           r"^\S.*?[ \t]{2,}(?:BlockInbound(?:Always)?|AllowInbound|NotConfigured),"
           r"(?:BlockOutbound|AllowOutbound|NotConfigured)[ \t]*\r?$"), 2),
    # `Get-NetFirewallRule | ConvertTo-Json` (MSFT_NetFirewallRule's properties, as Get-NetFirewallRule's and
    # Copy-NetFirewallRule's parameters name them: EdgeTraversalPolicy, LooseSourceMapping, LocalOnlyMapping,
    # PolicyStoreSourceType; learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule): the rules
    # without their ports and addresses, which Windows keeps in the associated port and address filters
    Shape(None, "Windows Firewall rule list in JSON (`Get-NetFirewallRule | ConvertTo-Json` holds no ports or "
          "addresses: Windows keeps them in Get-NetFirewallPortFilter and Get-NetFirewallAddressFilter; give "
          "`Show-NetFirewallRule -PolicyStore ActiveStore`, which the windows-firewall parser reads)",
          (r"\"EdgeTraversalPolicy\"\s*:", r"\"LooseSourceMapping\"\s*:", r"\"LocalOnlyMapping\"\s*:",
           r"\"PolicyStoreSourceType\"\s*:"), 3),
    # `Get-NetFirewallRule | Export-Csv` (Windows PowerShell 5.1 writes "#TYPE ...MSFT_NetFirewallRule" first unless
    # -NoTypeInformation; the header row names MSFT_NetFirewallRule's properties): the rules without their ports
    # and addresses, as in the JSON above
    Shape(None, "Windows Firewall rule list in CSV (`Get-NetFirewallRule | Export-Csv` holds no ports or "
          "addresses: Windows keeps them in Get-NetFirewallPortFilter and Get-NetFirewallAddressFilter; give "
          "`Show-NetFirewallRule -PolicyStore ActiveStore`, which the windows-firewall parser reads)",
          (r"^#TYPE \S*MSFT_NetFirewallRule\s*$",
           r"^\"?Name\"?,.*\"?EdgeTraversalPolicy\"?,.*\"?LooseSourceMapping\"?,"), 1),
    # `Get-NetFirewallPortFilter` alone (MSFT_NetFirewallPortFilter's properties, one block per rule: Protocol,
    # LocalPort, RemotePort, IcmpType, DynamicTarget): ports without the rules (action, direction, profile) they
    # belong to, which `Show-NetFirewallRule` prints above each filter
    Shape(None, "Windows Firewall port-filter listing (`Get-NetFirewallPortFilter` alone does not say which rule, "
          "action or direction each belongs to; give `Show-NetFirewallRule -PolicyStore ActiveStore`, which the "
          "windows-firewall parser reads)",
          (r"^Protocol\s*:\s*\S", r"^LocalPort\s*:\s*\S", r"^RemotePort\s*:\s*\S", r"^DynamicTarget\s*:\s*\S"), 4),
    # a CloudFormation template in YAML (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
    # template-formats.html: JSON or YAML; the top-level "AWSTemplateFormatVersion" and "Resources" sections, each
    # resource's "Type: AWS::..."): the aws parser reads templates in JSON only
    Shape(None, "CloudFormation template in YAML (the aws parser reads templates in JSON: convert it, or give "
          "the groups as deployed, `aws ec2 describe-security-groups`)",
          (r"^AWSTemplateFormatVersion:\s", r"^Resources:\s*$", r"^\s+Type:\s*[\"']?AWS::[A-Za-z0-9]+::"), 2),
    # Terraform's JSON (`terraform show -json`: "format_version" and "terraform_version"; a terraform.tfstate:
    # "version", "terraform_version", "resources") in which neither cloud parser found its resources
    Shape(None, "Terraform state or plan JSON with no AWS security group or Azure NSG where detection looks (its "
          "aws_security_group and azurerm_network_security_group resources, and their rules, are read: give "
          "`--vendor aws` or `--vendor azure-nsg` if they come later in the file)",
          (r"^\s*\{?\s*\"(?:format_version|version)\"\s*:[^\n]*\"terraform_version\"",
           r"^\s*\"terraform_version\"\s*:"), 1),
    # IOS `show access-lists` (and `show ip access-lists`): a heading per list, "Extended IP access list NAME",
    # then its entries with their hit counts, "10 permit tcp ... (12 matches)"; no interfaces nor the
    # `ip access-group` lines that bind the lists, which `show running-config` has
    Shape(None, "Cisco IOS `show access-lists` output (the lists without the interfaces that apply them; give "
          "`show running-config`, which the cisco-ios parser reads)",
          (r"^(?:Standard|Extended|Reflexive) IP access list \S+\s*$", r"^IPv6 access list \S+"), 1,
          decisive=r"^(?:Standard|Extended) IP access list \S+\s*$"),
    # Junos's configuration in XML or JSON (`show configuration | display xml` / `| display json`, NETCONF's
    # get-config): the junos namespace or its commit attributes ("junos:commit-seconds", ...; Junos CLI User
    # Guide, "Display the Configuration in XML" / "in JSON"); the junos parser reads the set and text forms
    Shape(None, "Juniper Junos configuration in XML (the junos parser reads `show configuration | display set` "
          "or `show configuration`: give one of those)",
          (r"<rpc-reply\b[^>]*xmlns:junos=\"http://xml\.juniper\.net/junos/",
           r"^\s*<configuration\b[^>]*\bjunos:(?:commit|changed)-(?:seconds|localtime|user)="), 1),
    Shape(None, "Juniper Junos configuration in JSON (the junos parser reads `show configuration | display set` "
          "or `show configuration`: give one of those)",
          (r"^\s*\{?\s*\"configuration\"\s*:\s*\{", r"\"junos:(?:commit|changed)-(?:seconds|localtime|user)\"\s*:"), 2),
    Shape(None, "Kubernetes NetworkPolicy", (r"^kind:\s*(?:Global)?NetworkPolicy\s*$",), 1),
    # a Panorama's own configuration, in set form (its XML is read by the PAN-OS parser, which refuses it
    # the same way): device groups and templates, pushed to the firewalls it manages
    Shape(None, "Palo Alto Networks Panorama configuration (audit each managed firewall's own configuration: "
          "on the firewall, `show config merged` holds the rules Panorama pushed to it)",
          (r"^set (?:device-group|template|template-stack) \S+ ",), 1,
          decisive=r"^set (?:device-group|template|template-stack) \S+ "),
    # registered (or being added by now): named only while the registry lacks them
    Shape("junos", "Juniper Junos configuration",
          (r"^set (?:security|firewall family|interfaces|system host-name) ", r"^\s*security \{\s*$",
           r"^\s*(?:policies|zones|address-book) \{\s*$"), 1),
    Shape("fortios", "Fortinet FortiOS configuration",
          (r"^config (?:firewall policy|firewall address|system interface|system global)\s*$", r"^\s+edit \S+",
           r"^\s+set (?:srcintf|dstintf|srcaddr|dstaddr|action) "), 2),
    Shape("paloalto-panos", "Palo Alto Networks PAN-OS configuration",
          (r"<config [^>]*version=\"\d", r"<rulebase>|<security>\s*$", r"^set (?:rulebase|deviceconfig|network) ",
           r"<entry name=\"vsys\d+\">"), 2),
    Shape("cisco-ios", "Cisco IOS configuration",
          (r"^ip access-list (?:extended|standard) \S+", r"^\s+ip access-group \S+ (?:in|out)\s*$",
           r"^access-list \d+ (?:permit|deny) ", r"^version 1[0-9]\.\d"), 1),
    Shape("pfsense", "pfSense configuration (config.xml)", (r"^\s*<pfsense>",), 1),
    Shape("opnsense", "OPNsense configuration (config.xml)", (r"^\s*<opnsense>",), 1),
    Shape("checkpoint", "Check Point policy export",
          (r"\"type\"\s*:\s*\"access-(?:rule|section|layer)\"", r"\"(?:rulebase|access-layer|policy-package)\"",
           r"\"uid\"\s*:\s*\"[0-9a-f-]{36}\""), 2),
)


def decisive_name(text: str, registered) -> str | None:
    """The title of a format not in ``registered`` whose decisive line ``text`` has (a format whose
    lines another vendor's detection may half claim, as ScreenOS's ``set`` lines), else None."""
    head = text[:200000]
    for shape in SHAPES:
        if shape.decisive and (shape.vendor is None or shape.vendor not in registered) \
                and re.search(shape.decisive, head, re.M):
            return shape.title
    return None


def name_of(text: str, registered) -> str | None:
    """The title of the format ``text`` looks like, among those not in ``registered``; else None."""
    head = text[:200000]
    for shape in SHAPES:
        if shape.vendor is not None and shape.vendor in registered:
            continue
        if shape.matches(head):
            return shape.title
    return None
