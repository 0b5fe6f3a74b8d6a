"""ASA 8.3+ NAT reverse-path check: a connection whose reply would match a NAT rule its first packet did not match.

From 8.3 on the ASA looks up a new connection's reverse flow in the NAT table too, and drops the connection where the
two lookups disagree: packet-tracer phase "NAT / rpf-check ... Result: DROP", syslog "%ASA-5-305013: Asymmetric NAT
rules matched for forward and reverse flows; Connection for tcp src outside:... dst inside:... denied due to NAT
reverse path failure" (Cisco support forums, "Denied due to NAT reverse path failure",
https://supportforums.cisco.com/discussion/10807946/denied-due-nat-reverse-path-failure).  Sources:

* TechTarget IT Knowledge Exchange, "What is the error 'rpf-check Result: DROP' in Cisco ASA Packet-tracer?"
  (https://itknowledgeexchange.techtarget.com/network-technologies/error-rpf-check-result-drop-cisco-asa-packet-tracer/):
  a server with ``object network ... nat (DMZ,OUTSIDE) static ...`` and an ACL written on its real address;
  ``packet-tracer input OUTSIDE tcp 222.222.222.222 443 192.168.1.50 443`` (to the REAL address) gives "Phase: 7
  Type: NAT Subtype: rpf-check Result: DROP Config: object network obj-192.168.1.50 nat (DMZ,OUTSIDE) static ...";
  "the UN-NAT must be equal to NAT RPF-CHECK for the packet to be passed (otherwise it will be dropped)"; to the
  mapped (public) address it passes.
* Cisco community (Jay Johnston, Cisco TAC), "ASA NAT Migration problems when upgrading to 8.3; Syslog
  %ASA-5-305013: Asymmetric NAT rules matched for forward and reverse flows"
  (https://supportforums.cisco.com/t5/security-documents/asa-nat-migration-problems-when-upgrading-to-8-3-syslog-quot-asa/ta-p/3126102):
  the VPN case (a NAT exemption needed ahead of the inside's dynamic NAT); and its notice on CSCti36048 (the upgrade
  added ``unidirectional`` to NAT exemption lines): "This issue most commonly causes a problem with remote VPN subnets
  attempting to send traffic inbound to the ASA; after the upgrade this traffic might fail. Removing the
  'unidirectional' keyword will allow inbound connections from the VPN client to match these manual nat
  translations": a unidirectional rule is not matched by a connection from its mapped side, while that connection's
  reply (from the real side) matches it, so the connection is dropped even for identity NAT.
* Cisco TAC, "ASA NAT Configuration Troubleshooting" (document 116388, "Traffic fails due to NAT Reverse Path Failure
  (RPF)"): all packets are evaluated against the NAT table from the top, section 1 first, the first match wins.

Expected values written from these sources, not from the tool.
"""

from auditor.api import decision_json, make_packet
from auditor.core.packets import ISet, PacketSet, addr_to_int, cube
from auditor.engine import DENY, PERMIT, evaluate
from parsers.cisco_asa import parse

HEAD = "ASA Version 9.8(4)\n"
IFACES = ("interface GigabitEthernet0/0\n nameif outside\n security-level 0\n ip address 198.51.100.1 255.255.255.0\n"
          "interface GigabitEthernet0/1\n nameif inside\n security-level 100\n ip address 10.20.0.1 255.255.255.0\n"
          "route outside 0.0.0.0 0.0.0.0 198.51.100.254\n")
ACL = ("access-list OUT_IN extended permit tcp any host 10.20.0.11 eq 445\n"
       "access-group OUT_IN in interface outside\n")
SRV2 = "object network SRV2\n host 10.20.0.11\n nat (inside,outside) static 203.0.113.11\n"


def cfg_of(text, head=HEAD):
    return parse(head + IFACES + text, "t.cfg")


def decide(cfg, src, dst, dport=445):
    return decision_json(cfg, make_packet(src, dst, "tcp", None, dport))


def line_of(cfg_text, needle, head=HEAD):
    lines = (head + IFACES + cfg_text).splitlines()
    return next(i for i, t in enumerate(lines, 1) if needle in t)


def test_static_object_nat_real_address_from_outside_is_dropped():
    text = SRV2 + ACL
    cfg = cfg_of(text)
    d = decide(cfg, "8.8.8.8", "10.20.0.11")
    assert d["decision"] == "deny"
    assert d["default_line"] == line_of(text, "nat (inside,outside) static 203.0.113.11")
    assert d["reason"].startswith("NAT reverse-path check: ")
    assert "its reply would be translated by 'nat (inside,outside) static 203.0.113.11'" in d["reason"]
    # the mapped address itself: untranslated by the rule whose reverse the reply matches: permitted, as before
    d = decide(cfg, "8.8.8.8", "203.0.113.11")
    assert d["decision"] == "permit" and d["line"] == line_of(text, "access-list OUT_IN")


def test_set_evaluation_agrees_with_the_single_packet():
    text = SRV2 + ACL
    cfg = cfg_of(text)
    flows = PacketSet([cube(src=ISet.of(addr_to_int("8.8.8.0"), addr_to_int("8.8.8.255")),
                            dst=ISet.of(addr_to_int("10.20.0.11")), proto=ISet.of(6), dport=ISet.of(445)),
                       cube(src=ISet.of(addr_to_int("8.8.8.0"), addr_to_int("8.8.8.255")),
                            dst=ISet.of(addr_to_int("203.0.113.11")), proto=ISet.of(6), dport=ISet.of(445))])
    outs = evaluate(cfg, flows)
    kinds = {o.kind for o in outs}
    assert kinds == {DENY, PERMIT}
    [deny] = [o for o in outs if o.kind == DENY]
    assert deny.source.line == line_of(text, "nat (inside,outside) static 203.0.113.11")
    assert deny.packets.example()[1] == addr_to_int("10.20.0.11")
    [permit] = [o for o in outs if o.kind == PERMIT]
    assert permit.packets.example()[1] == addr_to_int("203.0.113.11")


def test_dynamic_pat_of_the_subnet_drops_connections_to_real_addresses():
    # the classic VPN case: the inside's PAT matches the reply of a connection from the remote subnet
    text = ("object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
            + ACL)
    cfg = cfg_of(text)
    d = decide(cfg, "192.168.1.5", "10.20.0.11")
    assert d["decision"] == "deny"
    assert d["default_line"] == line_of(text, "nat (inside,outside) dynamic interface")


def test_identity_nat_exemption_matched_first_passes():
    text = ("object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
            "object network VPN\n subnet 192.168.1.0 255.255.255.0\n"
            "nat (inside,outside) source static INSIDE INSIDE destination static VPN VPN\n" + ACL)
    cfg = cfg_of(text)
    d = decide(cfg, "192.168.1.5", "10.20.0.11")
    assert d["decision"] == "permit" and d["line"] == line_of(text, "access-list OUT_IN")
    # from outside the exemption's destination: the PAT rule matches the reply
    d = decide(cfg, "8.8.8.8", "10.20.0.11")
    assert d["decision"] == "deny"
    assert d["default_line"] == line_of(text, "nat (inside,outside) dynamic interface")


def test_unidirectional_exemption_is_not_matched_from_the_vpn_side():
    # CSCti36048's notice: with 'unidirectional' the inbound VPN connections fail; without it they match the rule
    text = ("object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
            "object network VPN\n subnet 192.168.1.0 255.255.255.0\n"
            "nat (inside,outside) source static INSIDE INSIDE destination static VPN VPN unidirectional\n" + ACL)
    cfg = cfg_of(text)
    d = decide(cfg, "192.168.1.5", "10.20.0.11")
    assert d["decision"] == "deny"
    assert d["default_line"] == line_of(text, "unidirectional")
    # the same rule without it: the inbound connection matches the rule both ways
    cfg = cfg_of(text.replace(" unidirectional", ""))
    assert decide(cfg, "192.168.1.5", "10.20.0.11")["decision"] == "permit"


def test_twice_nat_destination_condition_drops_only_its_sources():
    text = ("object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n"
            "object network PARTNER\n subnet 172.16.5.0 255.255.255.0\n"
            "nat (inside,outside) source dynamic INSIDE interface destination static PARTNER PARTNER\n" + ACL)
    cfg = cfg_of(text)
    d = decide(cfg, "172.16.5.9", "10.20.0.11")
    assert d["decision"] == "deny"
    assert d["default_line"] == line_of(text, "source dynamic INSIDE interface")
    # a source outside the rule's destination: the reply matches no rule, no check fails
    d = decide(cfg, "8.8.8.8", "10.20.0.11")
    assert d["decision"] == "permit" and d["line"] == line_of(text, "access-list OUT_IN")


def test_an_access_list_deny_stays_the_access_lists():
    # the check comes after the access rules: a packet they deny is denied by their line
    text = SRV2 + ("access-list OUT_IN extended deny tcp any host 10.20.0.11 eq 445\n"
                   "access-list OUT_IN extended permit ip any any\n"
                   "access-group OUT_IN in interface outside\n")
    cfg = cfg_of(text)
    d = decide(cfg, "8.8.8.8", "10.20.0.11")
    assert d["decision"] == "deny" and d["line"] == line_of(text, "extended deny tcp any host 10.20.0.11")
    # and the implicit deny stays the implicit deny (no access list entry for port 80)
    cfg = cfg_of(SRV2 + ACL)
    d = decide(cfg, "8.8.8.8", "10.20.0.11", dport=80)
    assert d["decision"] == "deny" and "reverse-path" not in d.get("reason", "")


def test_connections_from_the_real_side_are_not_affected():
    text = ("object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
            + SRV2 + ACL)
    cfg = cfg_of(text)
    assert decide(cfg, "10.20.0.11", "8.8.8.8", dport=443)["decision"] == "permit"
    assert decide(cfg, "10.20.0.50", "8.8.8.8", dport=443)["decision"] == "permit"


def test_a_reply_matching_another_rule_than_the_first_packet_is_unknown():
    # the first packet is untranslated by the server's static rule (section 2), its reply matches the section 1
    # dynamic PAT first: which rule the ASA holds the connection to is not modelled: unknown, never a permit
    text = ("object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n"
            "nat (inside,outside) source dynamic INSIDE interface\n" + SRV2 + ACL)
    cfg = cfg_of(text)
    d = decide(cfg, "8.8.8.8", "203.0.113.11")
    assert d["decision"] == "unknown"
    assert d["default_line"] == line_of(text, "source dynamic INSIDE interface")
    # written 'after-auto' (section 3), the static rule comes first for the reply too
    cfg = cfg_of(text.replace("nat (inside,outside) source", "nat (inside,outside) after-auto source"))
    assert decide(cfg, "8.8.8.8", "203.0.113.11")["decision"] == "permit"


def test_before_8_3_unchanged():
    # pre-8.3 NAT (static/nat/global) is another model: no reverse-path check is applied
    text = ("static (inside,outside) 203.0.113.11 10.20.0.11 netmask 255.255.255.255\n"
            "access-list OUT_IN extended permit tcp any host 10.20.0.11 eq 445\n"
            "access-group OUT_IN in interface outside\n")
    cfg = cfg_of(text, head="PIX Version 8.0(4)\n")
    assert cfg.nat and not any(t.rpf_check for t in cfg.nat)
    d = decide(cfg, "8.8.8.8", "10.20.0.11")
    assert d["decision"] == "permit" and "reverse-path" not in d.get("reason", "")


def test_twice_static_nat_real_address_from_outside_is_dropped():
    # the same server written as twice NAT: a packet to its real address does not match the rule from the mapped
    # side (its destination is not the mapped source), the reply matches it from the real side
    text = ("object network SRV\n host 10.20.0.11\nobject network SRV-PUB\n host 203.0.113.11\n"
            "nat (inside,outside) source static SRV SRV-PUB\n" + ACL)
    cfg = cfg_of(text)
    d = decide(cfg, "8.8.8.8", "10.20.0.11")
    assert d["decision"] == "deny"
    assert d["default_line"] == line_of(text, "source static SRV SRV-PUB")
    # ...and it is not translated by the rule on its way in either (the rule is not matched)
    assert "nat_out" not in decide(cfg_of(text.replace(ACL, "access-list OUT_IN extended permit ip any any\n"
                                                       "access-group OUT_IN in interface outside\n")),
                                   "8.8.8.8", "10.20.0.50")
    d = decide(cfg, "8.8.8.8", "203.0.113.11")
    assert d["decision"] == "permit" and d["translated"]["dst"] == "10.20.0.11"


TWICE_DST = ("object network LAN\n subnet 10.20.0.0 255.255.255.0\n"
             "object network LAN-M\n subnet 100.64.20.0 255.255.255.0\n"
             "object network PEER-M\n subnet 10.99.0.0 255.255.255.0\n"
             "object network PEER\n subnet 172.16.9.0 255.255.255.0\n"
             "nat (inside,outside) source static LAN LAN-M destination static PEER-M PEER\n"
             "access-list OUT_IN extended permit tcp any any eq 445\naccess-group OUT_IN in interface outside\n")


def test_twice_nat_matches_source_and_destination_as_sent_together():
    cfg = cfg_of(TWICE_DST)
    # the peer to the mapped source: matched both ways, permitted
    d = decide(cfg, "172.16.9.7", "100.64.20.5")
    assert d["decision"] == "permit" and d["translated"]["dst"] == "10.20.0.5"
    assert d["leaves"]["src"] == "10.99.0.7"
    # the peer to the real address: not the rule's packet (its destination is not the mapped source), and its reply
    # (to the peer's real address, not to PEER-M) is not either: no translation, no reverse-path drop
    d = decide(cfg, "172.16.9.7", "10.20.0.5")
    assert d["decision"] == "permit" and "nat_out" not in d
    # inside to the peer's real address (not PEER-M): not the rule's packet, its source is not translated
    d = decide(cfg, "10.20.0.5", "172.16.9.7")
    assert d["decision"] == "permit" and "nat_out" not in d and "nat" not in d
    d = decide(cfg, "10.20.0.5", "10.99.0.7")
    assert d["translated"]["dst"] == "172.16.9.7" and d["leaves"]["src"] == "100.64.20.5"
    # with the inside's PAT after it, the peer's connection to the real address has a reply the PAT translates
    text = TWICE_DST + "object network LAN2\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n"
    d = decide(cfg_of(text), "172.16.9.7", "10.20.0.5")
    assert d["decision"] == "deny" and d["default_line"] == line_of(text, "nat (inside,outside) dynamic interface")


def test_identity_nat_matched_both_ways_never_drops():
    # identity NAT (real == mapped): a packet from the mapped side to the address matches the rule's reverse, its
    # reply the rule itself: the same rule, no drop; object NAT and twice NAT alike
    for nat in ("object network SRV\n host 10.20.0.11\n nat (inside,outside) static SRV\n",
                "object network SRV\n host 10.20.0.11\nnat (inside,outside) source static SRV SRV\n"):
        text = nat + ("object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n"
                      " nat (inside,outside) dynamic interface\n") + ACL
        d = decide(cfg_of(text), "8.8.8.8", "10.20.0.11")
        assert d["decision"] == "permit" and d["line"] == line_of(text, "access-list OUT_IN"), nat
        # another host of the subnet, which only the PAT matches: dropped
        text2 = text.replace("host 10.20.0.11 eq 445", "10.20.0.0 255.255.255.0 eq 445")
        d = decide(cfg_of(text2), "8.8.8.8", "10.20.0.12")
        assert d["decision"] == "deny" and d["default_line"] == line_of(text2, "dynamic interface"), nat


def test_dynamic_nat_to_a_pool_drops_connections_to_real_addresses():
    text = ("object network POOL\n range 203.0.113.100 203.0.113.110\n"
            "object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic POOL\n" + ACL)
    d = decide(cfg_of(text), "8.8.8.8", "10.20.0.11")
    assert d["decision"] == "deny" and d["default_line"] == line_of(text, "nat (inside,outside) dynamic POOL")


def test_a_required_flow_the_check_drops_is_told_to_exempt_it_from_nat():
    # the remote Workshop's SMB to the primary's real address, which the list permits: the ASA drops it at the PAT
    # line (its reply would be translated); a permit cannot help, a NAT exemption (identity NAT matched first) or
    # publishing the server with static NAT does (the Cisco community document on %ASA-5-305013 above)
    from auditor.api import audit
    from auditor.checks import all_rules
    from auditor.policy import load_site
    from auditor.report import NAT_FIX, fix_hint

    text = "object network INSIDE\n subnet 10.20.0.0 255.255.255.0\n nat (inside,outside) dynamic interface\n" + ACL
    res = audit([cfg_of(text)], load_site(None, ["workshop=192.0.2.0/24", "primary=10.20.0.11"]))
    smb = [f for f in res.findings if f.rule_id == "PRN100" and f.key == "smb:workshop->primary"]
    assert len(smb) == 1 and smb[0].source.line == line_of(text, "nat (inside,outside) dynamic interface")
    assert smb[0].extra.get("blocked_by") == "nat" and fix_hint(res, smb[0], all_rules()) == NAT_FIX
    assert "Insert a permit" not in NAT_FIX and "NAT exemption" in NAT_FIX
    # the flows the access list's implicit deny blocks keep the permit advice
    other = [f for f in res.findings if f.rule_id == "PRN100" and f.key != "smb:workshop->primary"]
    assert other and all("blocked_by" not in f.extra for f in other)
    assert fix_hint(res, other[0], all_rules()).startswith("Insert a permit before the blocking line")
