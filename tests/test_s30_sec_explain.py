"""``explain --filter`` of an SRX zone pair no path of the model holds (session 30, sec).

Juniper, "Global Security Policies" (https://juniper.net/documentation/us/en/software/junos/security-policies/
topics/topic-map/security-global-policies.html): a session's lookup goes through its context's (zone pair's)
policies, then the global policies; JUNOS ``default-policy`` reference: "the default security policy that defines
the actions the device takes on a packet that does not match any user-defined policy", ``deny-all`` "This is the
default".  A zone with no interface yet, or a policy fragment without zones, has no path in the model: its zone
pair's filter still goes on to the global policies, then the default policy, never an implicit deny of its own.
"""

from auditor.api import explain, load_config

FRAGMENT = """\
set security policies from-zone trust to-zone untrust policy allow-web match source-address any
set security policies from-zone trust to-zone untrust policy allow-web match destination-address any
set security policies from-zone trust to-zone untrust policy allow-web match application junos-https
set security policies from-zone trust to-zone untrust policy allow-web then permit
set security policies global policy allow-dns match source-address any
set security policies global policy allow-dns match destination-address any
set security policies global policy allow-dns match application junos-dns-udp
set security policies global policy allow-dns then permit
set security policies default-policy %s
"""

ZONED = """\
set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/24
set interfaces ge-0/0/1 unit 0 family inet address 10.30.0.1/24
set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set security zones security-zone dmz
set security policies from-zone dmz to-zone untrust policy dmz-web match source-address any
set security policies from-zone dmz to-zone untrust policy dmz-web match destination-address any
set security policies from-zone dmz to-zone untrust policy dmz-web match application junos-http
set security policies from-zone dmz to-zone untrust policy dmz-web then permit
set security policies global policy allow-dns match source-address any
set security policies global policy allow-dns match destination-address any
set security policies global policy allow-dns match application junos-dns-udp
set security policies global policy allow-dns then permit
"""


def _cfg(tmp_path, text):
    p = tmp_path / "srx.conf"
    p.write_text(text)
    return load_config(str(p), "junos")


def test_fragment_zone_pair_goes_on_to_the_global_policies(tmp_path):
    cfg = _cfg(tmp_path, FRAGMENT % "deny-all")
    got = explain(cfg, "10.30.0.5", "8.8.8.8", "udp", dport=53, filter_name="trust->untrust")
    assert got["decision"] == "unknown"
    assert "goes on to global" in got["reason"]
    assert "implicit deny" not in got["reason"]
    # (its own policy still decides what it matches)
    got = explain(cfg, "10.30.0.5", "8.8.8.8", "tcp", dport=443, filter_name="trust->untrust")
    assert (got["decision"], got["line"]) == ("permit", 1)


def test_fragment_global_policies_end_in_the_default_policy(tmp_path):
    cfg = _cfg(tmp_path, FRAGMENT % "permit-all")
    got = explain(cfg, "10.30.0.5", "8.8.8.8", "tcp", dport=25, filter_name="global")
    assert got["decision"] == "permit"
    assert "permit-all" in got["reason"]
    cfg = _cfg(tmp_path, FRAGMENT % "deny-all")
    got = explain(cfg, "10.30.0.5", "8.8.8.8", "tcp", dport=25, filter_name="global")
    assert got["decision"] == "deny"
    assert "deny-all" in got["reason"]


def test_zone_without_interfaces_goes_on_to_the_global_policies(tmp_path):
    cfg = _cfg(tmp_path, ZONED)
    got = explain(cfg, "10.50.0.5", "8.8.8.8", "udp", dport=53, filter_name="dmz->untrust")
    assert got["decision"] == "unknown"
    assert "goes on to global" in got["reason"]
