"""How to fix each finding on pfSense / OPNsense, in the GUI's own terms (rule ID -> advice).

pfSense and OPNsense have no command-line change syntax: changes are made in the web GUI (or a
config.xml is restored), so the advice names the GUI pages and fields.
"""

ADVICE: dict[str, str] = {
    "PRN100": "Firewall > Rules, on the tab of the interface the traffic arrives on (e.g. the Workshop "
              "interface): add a Pass rule for the flow (Protocol TCP, Source the Workshop network or an "
              "alias, Destination the Prinergy server alias, Destination Port Range the Kodak ports) and drag "
              "it above the rule the finding names; a quick Block on the Floating tab applies before every "
              "interface tab, so change or narrow that rule instead.  For a port forward, the associated "
              "filter rule must pass the internal address and port.  Apply Changes.",
    "PRN120": "Raise the idle timeout for established TCP states to at least the shift: System > Advanced > "
              "Firewall & NAT, Firewall Optimization Options 'Normal' (24 h) or 'Conservative' (5 days) "
              "instead of 'Aggressive' (5 h), and State Timeouts > TCP Established (seconds, e.g. 28800 or "
              "more); on OPNsense, Firewall > Settings > Advanced.  A rule's Advanced Options > State Timeout "
              "sets only the state where its connections enter (the state where they leave keeps the global "
              "timeout, and the shorter ends them): clear it or raise it, and raise the global timeout too.  "
              "pf has no dead connection detection, so the timeout itself must cover the shift.",
    "PRN150": "Firewall > Rules on the WAN (or other outside) tab, and Firewall > NAT > Port Forward: restrict "
              "the Source of the passing rule or port forward to the site's addresses (an alias), or remove "
              "it and reach the server over a VPN.",
    "ACL200": "The rule never matches: rules above it (on its tab, on the Floating tab, or the rules the "
              "firewall generates, e.g. 'Block private networks' on the interface) cover it.  Drag it above "
              "the covering rules if it should decide, narrow those, or delete it.  Remember that Floating "
              "rules with Quick ticked are evaluated before every interface tab.",
    "ACL201": "The rule changes nothing: the rules named in the finding already decide the same for all it "
              "matches.  Delete it (or disable it first), or merge it into those rules with an alias.",
    "ACL210": "Replace the any-to-any Pass (e.g. the default 'Default allow LAN to any rule') with rules for "
              "the Kodak ports from the site's networks, using aliases for the Prinergy servers and ports.",
    "CFG300": "The element is not understood by the audit (or depends on something config.xml does not hold, "
              "e.g. a URL table alias, a host name alias, a schedule, a downloaded bogon list).  Check it in "
              "the GUI; if it is valid, report it so the parser learns it.  Export the configuration with "
              "Diagnostics > Backup & Restore > Download configuration as XML (OPNsense: System > "
              "Configuration > Backups), not a hand-edited file.",
    "CFG301": "A rule or port forward names an alias, interface, gateway or schedule that is not defined: pfSense "
              "skips such a rule when it loads the ruleset ('Unresolvable source alias').  Create the alias "
              "under Firewall > Aliases (names are case-sensitive), or edit the rule to use an existing one.",
}
