"""aerleon differential, session 29: term options and header options the shape tests do not draw, rendered by
aerleon, read by us, and judged against what the vendor documents (aerleon's ``AclCheck`` does not model these
options, so each expected decision here is written from the vendor's documentation, cited at its test).

Also: ``explain --filter`` on a filter whose device default is not a deny (a Windows Firewall's outbound default,
an SRX's ``default-policy permit-all``) ends as the device ends it, not in an invented implicit deny.
"""

from __future__ import annotations

import logging

logging.getLogger("absl").setLevel(logging.ERROR)

from aerleon import api  # noqa: E402
from aerleon.lib import naming  # noqa: E402

from auditor.api import decision_json, make_packet  # noqa: E402
from parsers import parse_text  # noqa: E402

NETWORKS = {"S": {"values": [{"address": "10.0.1.0/24"}]}, "S6": {"values": [{"address": "2001:db8::/64"}]}}
SERVICES = {"WEB": [{"port": "80", "protocol": "tcp"}]}


def render(target: str, header: str, terms: list[dict]) -> str:
    """aerleon's text for one filter of ``terms`` under ``target: header``."""
    pol = {"filename": "s29", "filters": [{"header": {"targets": {target: header}}, "terms": terms}]}
    defs = naming.Naming()
    defs.ParseDefinitionsObject({"networks": NETWORKS, "services": SERVICES}, "")
    out = api.Generate([pol], defs)
    return next(iter(out.values()))


def decide(text: str, fname: str, *pkt) -> dict:
    return decision_json(parse_text(text, "aerleon-s29"), make_packet(*pkt), fname)


# --- explain --filter: the filter ends as the device ends it ------------------------------------------------------

def test_windows_outbound_filter_alone_ends_in_the_default_allow():
    """aerleon's ``windows_advfirewall`` ``out`` filter (netsh ``add rule ... dir=out``).  Windows Firewall's default
    outbound action is Allow ("Specifies the default action for outbound traffic. These settings are Allow by
    default.": INetFwPolicy2::put_DefaultOutboundAction,
    https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwpolicy2-put_defaultoutboundaction), and
    inbound Block (INetFwPolicy2::get_DefaultInboundAction).  ``explain --filter 'windows firewall outbound'``
    said DENY, "implicit deny at the end of windows firewall outbound", for a packet no rule matches."""
    terms = [{"name": "t0", "destination-address": "S", "protocol": ["tcp"], "destination-port": "WEB",
              "action": "deny"}]
    text = render("windows_advfirewall", "out inet", terms)
    assert "dir=out" in text and "action=block" in text
    blocked = decide(text, "windows firewall outbound", "192.168.5.5", "10.0.1.9", "tcp", 1024, 80)
    assert blocked["decision"] == "deny" and "action=block" in blocked["rule"], blocked
    other = decide(text, "windows firewall outbound", "192.168.5.5", "10.0.2.9", "tcp", 1024, 80)
    assert other["decision"] == "permit", other
    assert "default outbound action: allow" in other["reason"], other
    inbound = decide(text, "windows firewall inbound", "10.0.2.9", "192.168.5.5", "tcp", 1024, 80)
    assert inbound["decision"] == "deny" and "default inbound action: block" in inbound["reason"], inbound


def test_srx_zone_pair_alone_ends_in_default_policy_permit_all():
    """A real SRX config with ``set security policies default-policy permit-all``: "permit-all—Permit all traffic
    that does not match a policy" (Juniper, "default-policy", JUNOS Software CLI Reference,
    https://juniper.net/documentation/software/junos-es/junos-es93/junos-es-swcmdref/default-policy.html).
    ``explain --filter untrust->untrust`` said DENY, "implicit deny at the end of untrust->untrust"."""
    text = open("tests/fixtures/corpus/junos/bf-srx-testbed-2.conf").read()
    assert "set security policies default-policy permit-all" in text
    got = decide(text, "untrust->untrust", "10.0.1.5", "10.9.9.9", "tcp", 1024, 4444)
    assert got["decision"] == "permit", got
    assert got["default_line"] == 1 + text.splitlines().index("set security policies default-policy permit-all")


def test_user_chain_alone_ends_by_returning_to_its_caller():
    """aerleon's iptables filter under a chain name that is not built in (``MYCHAIN inet``: aerleon warns "a
    non-standard chain that will not apply to traffic unless linked from INPUT, OUTPUT or FORWARD") and the per-term
    chains it jumps to (``I_t0``).  A packet that no rule of a user-defined chain decides goes back to the chain that
    jumped to it ("If the packet with a RETURN target matches a rule in a chain called from another chain, the packet
    is returned to the first chain to resume rule checking where it left off": Red Hat Enterprise Linux 4 Reference
    Guide, 18.3.5 Target Options, https://docs.redhat.com/en/documentation/Red_Hat_Enterprise_Linux/4/html/
    reference_guide/s2-iptables-options-target; "If it is not ACCEPTed or DROPped in the new chain, processing
    returns to the original chain and resumes at the next rule after the jump").  ``explain --filter MYCHAIN`` said
    DENY, "implicit deny at the end of MYCHAIN": the chain's end decides nothing, so unknown."""
    terms = [{"name": "t0", "source-address": "S", "protocol": ["tcp"], "destination-port": "WEB", "action": "accept"}]
    text = render("iptables", "MYCHAIN inet", terms)
    assert "-N MYCHAIN" in text and "-A MYCHAIN -j M_t0" in text
    for chain in ("MYCHAIN", "M_t0"):
        hit = decide(text, chain, "10.0.1.5", "10.9.9.9", "tcp", 1024, 80)
        assert hit["decision"] == "permit" and "-j ACCEPT" in hit["rule"], hit
        miss = decide(text, chain, "10.0.2.5", "10.9.9.9", "tcp", 1024, 80)
        assert miss["decision"] == "unknown" and "back to the chain that jumped to it" in miss["reason"], miss
    # (the built-in chain's own end is its policy: certain)
    text = render("iptables", "INPUT DROP inet", terms)
    assert decide(text, "INPUT", "10.0.2.5", "10.9.9.9", "tcp", 1024, 80)["rule"] == "-P INPUT DROP"
    assert decide(text, "I_t0", "10.0.2.5", "10.9.9.9", "tcp", 1024, 80)["decision"] == "unknown"


def test_nftables_regular_chain_alone_ends_by_returning_to_its_caller():
    """aerleon's nftables render: a regular chain per term, jumped to from the base chain ``root0``.  ``jump``: "The
    current position in the ruleset is pushed to a call stack and evaluation will continue there when the new chain
    is entirely evaluated or a return verdict is issued" (nft(8), VERDICT STATEMENT,
    https://www.netfilter.org/projects/nftables/manpage.html): a regular chain's end decides nothing."""
    terms = [{"name": "t0", "source-address": "S", "protocol": ["tcp"], "action": "accept"},
             {"name": "t1", "protocol": ["udp"], "action": "deny"}]
    text = render("nftables", "inet input", terms)
    assert "jump t0" in text
    got = decide(text, "ip/filtering_policies/t1", "10.0.1.5", "10.9.9.9", "tcp", 1024, 80)
    assert got["decision"] == "unknown", got
    assert decide(text, "ip/filtering_policies/t1", "10.0.1.5", "10.9.9.9", "udp", 1024, 80)["decision"] == "deny"
    got = decide(text, "ip/filtering_policies/root0", "10.0.2.5", "10.9.9.9", "tcp", 1024, 80)
    assert got["decision"] == "deny" and "policy drop" in got["rule"], got


# --- Junos first-fragment: "an alias for fragment-offset 0" ------------------------------------------------------

def test_junos_first_fragment_is_fragment_offset_0_so_unknown():
    """aerleon's ``option: first-fragment`` renders Junos ``first-fragment;``.  Juniper documents it as "a text alias
    for the bit-field match condition fragment-offset 0" ("Firewall Filter Match Conditions Based on Bit-Field
    Values", Table 2, https://juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/
    firewall-filter-stateless-match-conditions-bit-field-values.html): an unfragmented packet has fragment offset 0
    too, though the same row says it "indicates the first fragment of a fragmented packet".  We read
    ``fragment-offset`` as not modelled (unknown); its alias was read as matching fragments only, so a filter that
    discards ``first-fragment`` before accepting the web was a certain PERMIT of every unfragmented web packet,
    which the alias discards.  Now unknown, reported; ``is-fragment`` ("fragment-offset 0 except") still never
    matches an unfragmented packet."""
    terms = [{"name": "frag", "source-address": "S", "option": ["first-fragment"], "action": "deny"},
             {"name": "web", "protocol": ["tcp"], "destination-port": "WEB", "action": "accept"}]
    text = render("juniper", "F inet", terms)
    assert "first-fragment;" in text
    cfg = parse_text(text, "aerleon-first-fragment")
    assert any("first-fragment" in d.message for d in cfg.diagnostics), [d.message for d in cfg.diagnostics]
    got = decision_json(cfg, make_packet("10.0.1.5", "10.9.9.9", "tcp", 1024, 80), "F")
    assert got["decision"] == "unknown" and got["rule"].strip() == "term frag {", got
    got = decision_json(cfg, make_packet("10.0.2.5", "10.9.9.9", "tcp", 1024, 80), "F")
    assert got["decision"] == "permit" and got["rule"].strip() == "term web {", got
    terms[0]["option"] = ["is-fragment"]
    text = render("juniper", "F inet", terms)
    got = decide(text, "F", "10.0.1.5", "10.9.9.9", "tcp", 1024, 80)
    assert got["decision"] == "permit" and got["rule"].strip() == "term web {", got


# --- ciscoasa: a list of remarks only ------------------------------------------------------------------------------

def test_asa_render_of_remarks_only_is_read_as_an_asa_list():
    """aerleon's ciscoasa output starts with ``clear configure access-list NAME`` (an ASA command: Cisco ASA Series
    Command Reference, "clear configure access-list"); when every term is expired (aerleon leaves it out: "is
    expired and will not be rendered") or of the other address family (``inet6``: "not rendered due to
    protocol/AF mismatch"), the rest is remarks.  That text was refused as "could not recognise the configuration
    format"; it is an ASA list with no entry: its implicit deny decides, as aclcheck's default does."""
    terms = [{"name": "t0", "source-address": "S", "protocol": ["tcp"], "action": "accept",
              "expiration": "2001-01-01"}]
    text = render("ciscoasa", "ORACLE-ACL", terms)
    assert text.startswith("clear configure access-list ORACLE-ACL") and " extended " not in text
    cfg = parse_text(text, "aerleon-asa-remarks")
    assert cfg.vendor == "cisco-asa" and not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    got = decision_json(cfg, make_packet("10.0.1.5", "10.9.9.9", "tcp", 1024, 80), "ORACLE-ACL")
    assert got["decision"] == "deny" and "implicit deny" in got["reason"], got


def test_srx_zone_pair_alone_goes_on_to_the_global_policies():
    """SRX policy lookup checks a zone pair's policies, then the global ones (Juniper, "Global Security Policies":
    the policies are checked intrazone, then interzone, then global,
    https://juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/
    security-global-policies.html).  ``explain --filter trust->untrust`` said DENY, "implicit deny at the end of
    trust->untrust", for a packet no zone-pair policy matches and a global policy permits: that end decides
    nothing, so unknown, naming what comes next; the whole device permits."""
    text = "\n".join([
        "set interfaces ge-0/0/0 unit 0 family inet address 10.0.1.1/24",
        "set interfaces ge-0/0/1 unit 0 family inet address 10.9.9.1/24",
        "set security zones security-zone trust interfaces ge-0/0/0.0",
        "set security zones security-zone untrust interfaces ge-0/0/1.0",
        "set security policies from-zone trust to-zone untrust policy no-web match source-address any",
        "set security policies from-zone trust to-zone untrust policy no-web match destination-address any",
        "set security policies from-zone trust to-zone untrust policy no-web match application junos-http",
        "set security policies from-zone trust to-zone untrust policy no-web then deny",
        "set security policies global policy all match source-address any destination-address any application any",
        "set security policies global policy all then permit", ""])
    got = decide(text, "trust->untrust", "10.0.1.5", "10.9.9.9", "tcp", 1024, 443)
    assert got["decision"] == "unknown" and "goes on to global" in got["reason"], got
    assert decide(text, "trust->untrust", "10.0.1.5", "10.9.9.9", "tcp", 1024, 80)["decision"] == "deny"
    assert decide(text, "global", "10.0.1.5", "10.9.9.9", "tcp", 1024, 443)["decision"] == "permit"
    assert decide(text, None, "10.0.1.5", "10.9.9.9", "tcp", 1024, 443)["decision"] == "permit"
