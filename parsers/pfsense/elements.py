"""Which config.xml elements matter to filtering, as data: the ones that do not, with the reason.

An element not handled by the parser and not listed here is reported (CFG300): in a rule it makes
the rule uncertain, elsewhere it could change any verdict.  Sections that only matter when they
hold something (a VPN with tunnels, installed packages) are in ``WHEN_CONFIGURED``.
"""

from __future__ import annotations

# Top-level sections with no effect on which packets pass (section -> why).
NEUTRAL_SECTIONS: dict[str, str] = {
    "version": "config schema version",
    "lastchange": "change bookkeeping",
    "revision": "change history (who changed the configuration, and when)",
    "theme": "web GUI theme",
    "trigger_initial_wizard": "setup wizard flag",
    "snmpd": "the firewall's own SNMP agent (a service on the firewall, not filtering)",
    "diag": "diagnostics page settings",
    "syslog": "logging",
    "cron": "scheduled maintenance jobs",
    "wol": "wake-on-LAN host list",
    "rrd": "monitoring graphs",
    "widgets": "dashboard layout",
    "unbound": "DNS resolver service on the firewall",
    "dnsmasq": "DNS forwarder / DHCP service on the firewall",
    "dhcpd": "DHCP server service (its generated rules only pass DHCP to the firewall itself)",
    "dhcpdv6": "DHCPv6 server service (its generated rules only pass DHCPv6 to the firewall itself)",
    "dhcrelay": "DHCP relay service (its generated rules only pass DHCP broadcasts)",
    "dhcrelay6": "DHCPv6 relay service",
    "ntpd": "time service on the firewall",
    "cert": "certificates (cryptographic material, not filtering)",
    "ca": "certificate authorities (cryptographic material, not filtering)",
    "crl": "certificate revocation lists",
    "notifications": "alert notification settings",
    "proxyarp": "proxy ARP entries (answer ARP, no filtering)",
    "vlans": "VLAN devices (interface assignments carry the addresses)",
    "qinqs": "QinQ devices (interface assignments carry the addresses)",
    "laggs": "link aggregation devices",
    "wireless": "wireless devices",
    "ppps": "PPP link settings (the interface assignment says it is PPP)",
    "gifs": "GIF tunnel devices (assigned as interfaces)",
    "gres": "GRE tunnel devices (assigned as interfaces)",
    "shaper": "ALTQ traffic shaper (bandwidth queues, not pass/block)",
    "dnshaper": "limiters (bandwidth, not pass/block)",
    "dyndnses": "dynamic DNS client",
    "dnsupdates": "RFC 2136 DNS updates",
    "hasync": "high-availability configuration sync",
    "sysctl": "kernel tunables",
    "voucher": "captive portal vouchers",
    "igmpproxy": "IGMP proxy (multicast group membership)",
    "switches": "switch chip settings",
    "ifgroups_order": "interface group display order",
    "sshdata": "SSH host keys",
    "ipsec_keys": "IPsec keys",
    "ovpnserver": "OpenVPN wizard leftovers",
    "nat64": "NAT64 prefix settings (no NAT64 rule uses them unless one is configured)",
    "unboundplus": "DNS resolver service on the firewall",
    "ntp": "time service",
    "openssh": "SSH service settings",
    # (pfSense 2.7.1+: which DHCP server runs, ISC or Kea: pfsense-utils.inc dhcp_get_backend; filter.inc does
    # not read it, the DHCP rules follow the DHCP server settings either way)
    "dhcpbackend": "DHCP server backend (ISC or Kea): which DHCP daemon runs",
    # (pfSense's setup wizard keeps its answers here until it applies them: wizard.php, setup_wizard.xml)
    "wizardtemp": "setup wizard scratch values",
    # (pfSense's Diagnostics > Backup & Restore appends the monitoring graphs' data to a downloaded backup unless
    # "Skip RRD data" is ticked: diag_backup.php rrd_data_xml, '<rrddata><rrddatafile><filename>..<xmldata>';
    # a restore writes it back to /var/db/rrd and unsets it from the configuration, restore_rrddata)
    "rrddata": "monitoring graph data a backup carries (restored to /var/db/rrd, not configuration)",
}

# Sections that change filtering, NAT or routing only when they hold something: section ->
# (the children that make it configured, why it matters). Empty ones are ignored as "not configured".
WHEN_CONFIGURED: dict[str, tuple[tuple[str, ...], str]] = {
    "ipsec": (("phase1", "phase2", "client", "mobilekey"),
              "IPsec tunnels add remote networks, routes and an 'IPsec' rule tab that the audit does not model"),
    "openvpn": (("openvpn-server", "openvpn-client", "openvpn-csc"),
                "OpenVPN servers and clients add tunnel networks, routes and an 'OpenVPN' rule tab that the "
                "audit does not model"),
    "captiveportal": (("*",), "a captive portal blocks clients of its interfaces until they log in"),
    "installedpackages": (("*",), "packages can add firewall and NAT rules that are not in <filter>/<nat>"),
    "load_balancer": (("virtual_server", "lbpool", "lbaction"),
                      "load balancer virtual servers redirect traffic (relayd)"),
    "bridges": (("bridged",), "bridged interfaces are filtered per member; bridging is not modelled"),
    "l2tp": (("mode",), "an L2TP VPN server adds client networks and an 'L2TP VPN' rule tab"),
    "pppoes": (("pppoe",), "a PPPoE server adds client networks and a 'PPPoE Server' rule tab"),
    "pptpd": (("mode",), "a PPTP VPN server adds client networks"),
    "wireguard": (("tunnels", "peers"), "WireGuard tunnels add networks, routes and a rule tab"),
}

# Children of <system> that the rule generator reads and that the parser models (handled in
# parsers.pfsense) are not listed; these are read by the generator but change no pass/block
# decision of a connection (setting -> why).  Any other <system> child is not read by the rule
# generator (pfSense filter.inc, OPNsense filter.lib.inc) at all.
SYSTEM_NO_FILTER_EFFECT: dict[str, str] = {
    "maximumtableentries": "table size limit",
    "maximumstates": "state table size limit",
    "maximumfrags": "fragment reassembly limit",
    "srctrack": "source tracking timeout",
    "scrubnodf": "packet normalisation (DF bit)",
    "scrubrnid": "packet normalisation (IP id)",
    "disablescrub": "packet normalisation",
    "scrub_interface_disable": "packet normalisation",
    "maxmss_enable": "TCP MSS clamping for VPN traffic",
    "maxmss": "TCP MSS clamping for VPN traffic",
    "vpn_scrubnodf": "packet normalisation for VPN traffic",
    "vpn_fragment_reassemble": "fragment reassembly for VPN traffic",
    "syncookies": "SYN cookies (SYN flood protection)",
    "syncookies_adaptstart": "SYN cookies (SYN flood protection)",
    "syncookies_adaptend": "SYN cookies (SYN flood protection)",
    "keepcounters": "rule counters",
    "pfdebug": "pf debug level",
    "lb_use_sticky": "sticky connections over load-balanced gateways (routing)",
    "disablereplyto": "reply routing (reply-to) of WAN rules",
    "skip_rules_gw_down": "policy-routed rules whose gateway is down at run time",
    "gw_down_kill_states": "killing states when a gateway goes down (run time)",
    "dpinger_dont_add_static_routes": "gateway monitoring routes",
    "schedule_states": "whether states of expired schedule rules are cleared",
    "aliasesresolveinterval": "how often host names in aliases are resolved",
    "disablevpnrules": "IPsec automatic rules (IPsec is reported separately when configured)",
    "use_if_pppoe": "PPPoE interface naming",
    "disable_auto_floating_states": "IPsec state policy",
    "enablebinatreflection": "NAT reflection for 1:1 NAT (clients reaching a server by its external address)",
    "reflectiontimeout": "NAT reflection proxy timeout",
    "allow_nat64_prefix_override": "NAT64 prefix (no NAT64 rule is modelled)",
    "pf_share_forward": "shared forwarding between pf and ipfw (policy routing)",
    "pf_disable_force_gw": "gateway forcing of the firewall's own outbound traffic",
    "bogons": "bogon list update interval (bogon blocking is an interface option)",
    "syncookies_adapt": "SYN cookies",
}

# Elements of a filter rule with no effect on which packets it matches or how it decides them
# (pfSense and OPNsense spellings), element -> why.
RULE_NO_EFFECT: dict[str, str] = {
    "descr": "description", "description": "description", "tracker": "rule tracking id",
    "id": "rule id", "uuid": "rule id", "created": "change bookkeeping", "updated": "change bookkeeping",
    "log": "logging", "associated-rule-id": "link to a port forward (the forward is read from <nat>)",
    "label": "label", "labels": "labels", "category": "GUI category", "categories": "GUI categories",
    "sequence": "GUI ordering number (OPNsense orders by it; read with the rule)",
    "nosync": "HA config sync", "nopfsync": "HA state sync", "tag": "sets a tag (read by 'tagged' rules)",
    "vlanprioset": "sets 802.1p priority", "set-prio": "sets queue priority", "set-prio-low": "sets queue priority",
    "defaultqueue": "ALTQ queue (bandwidth)", "ackqueue": "ALTQ queue (bandwidth)",
    "dnpipe": "limiter (bandwidth)", "pdnpipe": "limiter (bandwidth)", "shaper1": "shaper (bandwidth)",
    "shaper2": "shaper (bandwidth)",
    "disablereplyto": "reply routing", "reply-to": "reply routing", "replyto": "reply routing",
    "allowopts": "IP options (packets with IP options are otherwise blocked; ordinary traffic carries none)",
    # (the limits the generator writes are reported by RuleReader.limits; these are the ones it does not write:
    # empty, of a block rule, a rule without state, or a protocol they do not apply to)
    "max": "state limit not written for this rule", "max-src-nodes": "state limit not written for this rule",
    "max-src-conn": "state limit not written for this rule", "max-src-states": "state limit not written for this rule",
    "max-src-conn-rate": "connection rate limit not written for this rule",
    "max-src-conn-rates": "connection rate limit (its period; the limit is read with max-src-conn-rate)",
    "max-pkt-rate": "packet rate limit (pfSense does not write it)",
    "max-pkt-rate-number": "packet rate limit not written for this rule",
    "max-pkt-rate-seconds": "packet rate limit (its period; the limit is read with max-pkt-rate-number)",
    "overload": "rate limit overload table",
    "statepolicy": "state policy (which interfaces a state is matched on)",
    "state-policy": "state policy (which interfaces a state is matched on)",
    "source-track": "source tracking", "udp-first": "UDP state timeout (the idle-timeout check is about TCP)",
    "udp-multiple": "UDP state timeout (the idle-timeout check is about TCP)",
    "udp-single": "UDP state timeout (the idle-timeout check is about TCP)",
    "adaptivestart": "adaptive state timeouts (scale timeouts down under load)",
    "adaptiveend": "adaptive state timeouts (scale timeouts down under load)",
    "icmp6type": "ICMPv6 types (read with the protocol)", "os": "", "enabled": "",
    "tcpflags_any": "", "separator": "GUI separator", "nottagged": "", "gateway": "", "sched": "", "tagged": "",
}
# (entries with an empty reason are read by the rule parser itself)
RULE_NO_EFFECT = {k: v for k, v in RULE_NO_EFFECT.items() if v}

# Children of an interface assignment that only concern the link or address acquisition
# (the parser reads if, descr, enable, ipaddr, subnet, ipaddrv6, subnetv6, gateway, gatewayv6,
# blockpriv, blockbogons).
INTERFACE_NO_EFFECT = "link-layer or address-acquisition setting of the interface"

# Children of an alias that are documentation or update settings.
ALIAS_NO_EFFECT: dict[str, str] = {
    "descr": "description", "description": "description", "detail": "per-entry descriptions",
    "updatefreq": "URL table refresh interval", "counters": "statistics", "proto": "",
    "uuid": "alias id", "categories": "GUI categories", "interface": "",
    # (OPNsense 25.7's Alias model 1.0.1 writes these on every alias, empty but on the types that use them: the
    # JSON path of a 'urljson' alias, the credentials a URL alias is fetched with, how long an 'external' alias keeps
    # its entries; those types' content is fetched or set at run time and reported by type)
    "path_expression": "JSON path of a URL table (JSON) alias' download",
    "username": "credentials a URL alias is downloaded with", "password": "credentials a URL alias is downloaded with",
    "authtype": "credentials a URL alias is downloaded with",
    "expire": "how long an external alias keeps its entries",
}
ALIAS_NO_EFFECT = {k: v for k, v in ALIAS_NO_EFFECT.items() if v}

# Package entries known not to add firewall or NAT rules (package name, lower case -> why).
PACKAGES_NO_FILTER: dict[str, str] = {
    "open-vm-tools": "VMware guest tools",
    "openvpn-client-export": "builds OpenVPN client bundles",
    "nut": "UPS monitoring",
    "iperf": "bandwidth test tool",
    "sudo": "privilege delegation",
    "arpwatch": "ARP monitoring",
    "ntopng": "traffic monitoring",
    "darkstat": "traffic monitoring",
    "status_traffic_totals": "traffic statistics",
    "bandwidthd": "traffic statistics",
}

# OPNsense MVC models (children of <OPNsense>) with no effect on filtering (model -> why).
OPNSENSE_NEUTRAL: dict[str, str] = {
    "cron": "scheduled jobs", "Syslog": "logging", "Netflow": "flow export", "monit": "service monitoring",
    "unboundplus": "DNS resolver service", "Kea": "DHCP service", "Dnsmasq": "DNS/DHCP service",
    "DHCRelay": "DHCP relay", "TrafficShaper": "traffic shaper (bandwidth, not pass/block)",
    "Hostdiscovery": "host discovery", "Backup": "configuration backup", "Auth": "authentication servers",
    "Trust": "certificates", "trust": "certificate trust store settings (Trust/General.xml)",
    "Diagnostics": "diagnostics", "Gateways": "", "Interfaces": "",
    "Firewall": "", "IDS": "", "captiveportal": "", "wireguard": "", "OpenVPN": "", "Swanctl": "",
    "IPsec": "", "Routes": "", "routing": "", "Ntpd": "time service", "Syslogng": "logging",
    "Monit": "service monitoring", "Nginx": "web server plugin (no rules)", "Postfix": "mail relay plugin",
    "Cron": "scheduled jobs", "Users": "users", "System": "", "Core": "core settings",
}
OPNSENSE_NEUTRAL = {k: v for k, v in OPNSENSE_NEUTRAL.items() if v}
