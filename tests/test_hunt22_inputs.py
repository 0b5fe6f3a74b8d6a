"""Hunt 22: the inputs around the configs (site roles, --host, several inputs in one audit, the packs).

Each case is a wrong verdict found by probing, with the document that says what the device does.
"""

from __future__ import annotations

from auditor.api import audit, combine_inputs, load_config
from auditor.policy import load_site

ROLES = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]

ASA = """ASA Version 9.8(1)
hostname fw
interface GigabitEthernet0/0
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
access-list WS extended deny tcp any any eq 445
access-list WS extended permit ip 10.30.0.0 255.255.255.0 any
access-group WS in interface workshop
timeout conn 10:00:00
"""

WIN_OFF = "netsh advfirewall set allprofiles state off\n"


def test_host_names_the_windows_servers_addresses_not_the_network_firewalls():
    # An ASA in front of the Prinergy server, audited together with the server's own Windows Firewall
    # export (README: "Several inputs given to audit are one network"), with --host primary: the flag
    # says whose host firewall the Windows export is. It was applied to every input, the ASA too, so
    # the server's address became the ASA's "own" address, and workshop -> primary traffic was taken
    # for traffic to the ASA itself, which its access rules do not decide (Cisco ASA general
    # configuration guide, "Management Access": "The ASA does not support traffic to or from the ASA's
    # own interfaces through the access rules",
    # https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/general/asa-916-general-config/admin-management.html).
    # The ASA's "deny tcp any any eq 445" (line 11) was never evaluated: verdict PASS although SMB,
    # "445 TCP SMB" in Kodak's Ports required table (shared/reference/kodak-prinergy-8-ports-required.txt),
    # is blocked. The ASA keeps its own interface addresses; only the host firewall gets the host's.
    site = load_site(None, ROLES)
    asa = load_config("asa.cfg", "cisco-asa", text=ASA)
    win = load_config("win.txt", "windows-firewall", text=WIN_OFF)
    for host in (None, "primary", "10.20.0.10"):
        cfgs = combine_inputs([asa, win], host, site)
        result = audit(cfgs, site)
        smb = [f for f in result.findings if f.rule_id == "PRN100" and f.key.startswith("smb:")]
        assert result.verdict == "fail", host
        assert [(f.source.path, f.source.line) for f in smb] == [("asa.cfg", 11)], host
    cfgs = combine_inputs([asa, win], "primary", site)
    assert cfgs[0].local_addresses == asa.local_addresses  # the ASA's own (its interfaces'), unchanged
    assert cfgs[1].local_addresses is not None and cfgs[1].local_addresses.overlaps(site.addresses("primary"))


ASA_ORBACUS = ASA.replace(
    "access-list WS extended deny tcp any any eq 445\n",
    "access-list WS extended deny tcp any any eq 49100\naccess-list WS extended deny tcp any any eq 49102\n")


def test_prinergy_9_requires_49101_from_workshop_not_the_other_orbacus_ports():
    # Kodak's newer "Ports required" table (prinergy-9) keeps "49100 - 49102 TCP Orbacus connection for
    # daemons" and adds "49101 must be accessible from Workshop clients" (shared/reference/
    # prinergy-requirements.md, section 2 and the 49100-49102 row of section 4: "primary<->secondary;
    # workshop -> servers on 49101"). The pack required all three ports from Workshop (inferred), so a
    # firewall that opens 49101 to Workshop as Kodak says, and not 49100/49102, failed with two errors.
    # The 8.0 table has no such note: prinergy-8 still infers 49100-49102 from Workshop.
    site = load_site(None, ROLES)
    asa = load_config("asa.cfg", "cisco-asa", text=ASA_ORBACUS)
    r9 = audit([asa], site, "prinergy-9")
    assert [f for f in r9.findings if f.rule_id == "PRN100"] == []
    assert r9.verdict == "pass"
    assert {f["flow"]: f["status"] for f in r9.flows}["orbacus-workshop:workshop->primary"] == "pass"
    r8 = audit([asa], site, "prinergy-8")
    assert sorted(f.source.line for f in r8.findings if f.rule_id == "PRN100" and f.key.startswith("orbacus:")) \
        == [11, 12]
    # and 49101 blocked from Workshop is still an error under prinergy-9
    blocked = load_config("asa.cfg", "cisco-asa", text=ASA.replace("eq 445", "eq 49101"))
    found = [f for f in audit([blocked], site, "prinergy-9").findings if f.rule_id == "PRN100"]
    assert [(f.key, f.severity, f.source.line) for f in found] == [("orbacus-workshop:workshop->primary", "error", 11)]


IPT_ROUTER = """*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -s 10.30.0.0/24 -d 10.20.0.0/24 -j ACCEPT
COMMIT
"""


def sysctl(seconds: int) -> str:
    return "net.ipv4.ip_forward = 1\nnet.netfilter.nf_conntrack_tcp_timeout_established = %d\n" % seconds


def test_two_sysctl_dumps_that_disagree_make_the_conntrack_timeout_unknown():
    # net.netfilter.nf_conntrack_tcp_timeout_established is the idle timeout of an established TCP
    # connection's conntrack entry, one value per host (Linux kernel documentation, "Netfilter Conntrack
    # Sysctl", https://docs.kernel.org/networking/nf_conntrack-sysctl.html: default 432000, 5 days). Two
    # sysctl dumps in one run that give different values (two hosts, or one host at two times) cannot both
    # be the firewall's; the first one given was taken, so "5 days, 300 s" passed and "300 s, 5 days"
    # failed: the verdict depended on the order of the arguments. Now PRN120 is unknown, naming both lines.
    site = load_site(None, ROLES)
    ipt = load_config("rules.v4", "iptables", text=IPT_ROUTER)
    long_, short = (load_config(n, "linux-sysctl", text=sysctl(s)) for n, s in (("a.txt", 432000), ("b.txt", 300)))
    for order in ([long_, short], [short, long_]):
        result = audit(combine_inputs([ipt] + order), site)
        prn120 = [f for f in result.findings if f.rule_id == "PRN120"]
        assert [(f.status, f.severity) for f in prn120] == [("unknown", "warning")]
        cfg300 = sorted(f.source.path for f in result.findings if f.rule_id == "CFG300")
        assert cfg300 == ["a.txt", "b.txt"]
        assert result.verdict == "unknown"
    # one dump, or two that agree, decide it as before
    assert [f.status for f in audit(combine_inputs([ipt, short]), site).findings if f.rule_id == "PRN120"] == ["fail"]
    again = load_config("c.txt", "linux-sysctl", text=sysctl(300))
    assert [f.status for f in audit(combine_inputs([ipt, short, again]), site).findings
            if f.rule_id == "PRN120"] == ["fail"]
    assert audit(combine_inputs([ipt, long_, load_config("c.txt", "linux-sysctl", text=sysctl(432000))]),
                 site).verdict == "pass"


WIN_RULES = ("netsh advfirewall firewall add rule name=blk dir=in action=block protocol=tcp localport=445\n"
             "netsh advfirewall firewall add rule name=all dir=in action=allow protocol=any\n")


def test_two_windows_profile_states_that_disagree_do_not_depend_on_the_argument_order():
    # A profile's state decides whether its rules filter at all (Microsoft, Set-NetFirewallProfile
    # -Enabled, https://learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile; netsh
    # advfirewall set allprofiles state on|off). Given a rule dump and two profile-state inputs, one
    # "state off" and one "state on" (two hosts, or two times), the first one given was merged and the
    # other dropped silently: "off, on" passed (the 445 block rule never applied) and "on, off" failed.
    # Now both states are possible regimes (what they decide differently is unknown) and each state
    # line is reported; the verdict no longer depends on the order.
    site = load_site(None, ROLES)
    rules = load_config("rules.txt", "windows-firewall", text=WIN_RULES)
    off = load_config("off.txt", "windows-firewall", text=WIN_OFF)
    on = load_config("on.txt", "windows-firewall", text=WIN_OFF.replace("off", "on"))
    got = []
    for order in ([off, on], [on, off]):
        result = audit(combine_inputs([rules] + order, "primary", site), site, "prinergy-9")
        smb = [f for f in result.findings if f.rule_id == "PRN100" and f.key == "smb:workshop->primary"]
        assert [(f.status, f.source.line) for f in smb] == [("unknown", 1)]
        cfg300 = sorted((f.source.path, f.source.line) for f in result.findings if f.rule_id == "CFG300")
        assert cfg300 == [("off.txt", 1), ("on.txt", 1)]
        got.append((result.verdict, sorted((f.rule_id, f.status, f.source.path, f.source.line)
                                           for f in result.findings)))
    assert got[0] == got[1]
    # two inputs that agree merge as before: nothing reported, the block rule decides SMB
    result = audit(combine_inputs([rules, on, load_config("on2.txt", "windows-firewall",
                                                          text=WIN_OFF.replace("off", "on"))], "primary", site), site)
    assert not [f for f in result.findings if f.rule_id == "CFG300"]
    assert [f.status for f in result.findings if f.key == "smb:workshop->primary"] == ["fail"]
