"""IOS NAT as ``Config.nat`` records (ios_helpers.NAT_ORDER: inside-to-outside translation after
routing, outside-to-inside before it; static translations before dynamic ones)."""

from __future__ import annotations

from ios_helpers import cfg, line_of

from auditor.core.model import Impact
from auditor.core.packets import ALL_PORTS, addr_to_int

IFS = ("interface Gi0\n ip address 203.0.113.2 255.255.255.0\n ip nat outside\n"
       "interface Gi1\n ip address 10.20.0.1 255.255.255.0\n ip nat inside\n")


def tables(c):
    return {n.name: n for n in c.nat}


def test_static_host_translation_is_two_records():
    text = IFS + "ip nat inside source static 10.20.0.10 203.0.113.10\n"
    c = cfg(text)
    t = tables(c)
    pre = t["ip nat inside source static (outside to inside)"]
    post = t["ip nat inside source (inside to outside)"]
    assert pre.when == "pre-routing" and post.when == "post-routing"
    [r] = pre.rules
    assert r.ingress == ("Gi0",) and r.egress == ()
    assert r.match.cubes[0].dims[1].iv == ((addr_to_int("203.0.113.10"),) * 2,)
    [rw] = r.rewrites
    assert rw.dim == 1 and rw.offset == addr_to_int("10.20.0.10") - addr_to_int("203.0.113.10")
    [r2] = post.rules
    assert r2.ingress == ("Gi1",) and r2.egress == ("Gi0",)
    assert r2.rewrites[0].dim == 0 and r2.rewrites[0].offset == -rw.offset
    assert r.source.line == line_of(text, "ip nat inside source static 10.20.0.10 203.0.113.10")


def test_static_port_forward():
    c = cfg(IFS + "ip nat inside source static tcp 10.20.0.10 8443 203.0.113.10 443 extendable\n")
    [r] = tables(c)["ip nat inside source static (outside to inside)"].rules
    d = r.match.cubes[0].dims
    assert d[2].iv == ((6, 6),) and d[4].iv == ((443, 443),)
    assert {(w.dim, w.offset) for w in r.rewrites} >= {(4, 8000)}


def test_static_network_translation():
    c = cfg(IFS + "ip nat inside source static network 10.20.0.0 198.51.100.0 /24\n")
    [r] = tables(c)["ip nat inside source static (outside to inside)"].rules
    assert r.match.cubes[0].dims[1].size() == 256


def test_dynamic_overload_on_the_interface():
    text = IFS + ("ip access-list standard NAT\n permit 10.20.0.0 0.0.0.255\n"
                  "ip nat inside source list NAT interface Gi0 overload\n")
    c = cfg(text)
    [r] = tables(c)["ip nat inside source (inside to outside)"].rules
    assert r.match.cubes[0].dims[0].iv == ((addr_to_int("10.20.0.0"), addr_to_int("10.20.0.255")),)
    pools = {w.dim: w.pool for w in r.rewrites}
    assert pools[0].iv == ((addr_to_int("203.0.113.2"),) * 2,) and pools[3] == ALL_PORTS


def test_dynamic_pool_and_statics_first():
    text = IFS + ("ip nat pool P 198.51.100.10 198.51.100.20 netmask 255.255.255.0\n"
                  "access-list 10 permit 10.20.0.0 0.0.0.255\n"
                  "ip nat inside source list 10 pool P\n"
                  "ip nat inside source static 10.20.0.10 203.0.113.10\n")
    c = cfg(text)
    rules = tables(c)["ip nat inside source (inside to outside)"].rules
    assert [r.label.split()[0] for r in rules] == ["static", "dynamic"]
    assert rules[1].rewrites[0].pool.size() == 11 and len(rules[1].rewrites) == 1


def test_outside_source_static():
    c = cfg(IFS + "ip nat outside source static 198.51.100.7 10.20.9.7 add-route\n")
    t = tables(c)
    [pre] = t["ip nat outside source (outside to inside)"].rules
    assert pre.match.cubes[0].dims[0].iv == ((addr_to_int("198.51.100.7"),) * 2,)
    assert pre.rewrites[0].dim == 0 and pre.rewrites[0].offset == addr_to_int("10.20.9.7") - addr_to_int("198.51.100.7")
    [post] = t["ip nat outside source (inside to outside)"].rules
    assert post.rewrites[0].dim == 1 and post.egress == ("Gi0",)


def test_nat_not_understood_is_reported():
    c = cfg(IFS + "ip nat inside source static 10.20.0.10 203.0.113.10 route-map RM\n")
    [d] = c.unrecognized
    assert d.impact is Impact.GLOBAL
    # (a dynamic translation by a route map not defined: its packets, inside to outside, are unknown)
    c = cfg(IFS + "ip nat inside source route-map RM interface Gi0 overload\n")
    [r] = tables(c)["ip nat inside source (inside to outside)"].rules
    assert not r.match and r.maybe
    assert "RM" in " ".join(d.message for d in c.diagnostics)


# NAT Virtual Interface: 'ip nat enable' on interfaces, 'ip nat source ...' without inside or outside; its
# translations follow a second route lookup (nat.NVI_DOC), not modelled: only the packets a rule may translate,
# entering an interface that uses NAT, are unknown (they made every verdict unknown)
NVI = ("interface Gi0\n ip address 203.0.113.2 255.255.255.0\n ip nat enable\n"
       "interface Gi1\n ip address 10.20.0.1 255.255.255.0\n ip nat enable\n"
       "interface Gi2\n ip address 10.30.0.1 255.255.255.0\n"
       "ip route 0.0.0.0 0.0.0.0 203.0.113.1\n")


def test_nvi_static_leaves_only_its_packets_unknown():
    from ios_helpers import decide

    from parsers.cisco_ios.nat import NVI_DOC
    assert "NAT Virtual Interface" in NVI_DOC
    text = NVI + "ip nat source static tcp 10.20.0.20 443 203.0.113.2 443\n"
    c = cfg(text)
    at = line_of(text, "ip nat source static tcp 10.20.0.20 443 203.0.113.2 443")
    assert [d.source.line for d in c.diagnostics if d.impact is Impact.FILTER] == [at]
    assert not [d for d in c.diagnostics if d.impact is Impact.GLOBAL]
    # the global address and port arriving on a NAT interface; the local one leaving from it
    assert decide(c, "198.51.100.7", "203.0.113.2", dport=443)["decision"] == "unknown"
    assert decide(c, "10.20.0.20", "198.51.100.7", sport=443, dport=50000)["decision"] == "unknown"
    # anything else goes through as routed, untranslated
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"
    assert decide(c, "10.20.0.10", "10.30.0.5", sport=445, dport=50000)["decision"] == "permit"
    assert decide(c, "10.20.0.20", "198.51.100.7", sport=50000, dport=443)["decision"] == "permit"


def test_nvi_dynamic_list_and_interfaces_without_nat():
    from ios_helpers import decide
    text = NVI + "access-list 10 permit 10.20.0.0 0.0.0.255\nip nat source list 10 interface Gi0 overload\n"
    c = cfg(text)
    assert decide(c, "10.20.0.10", "198.51.100.7", dport=443)["decision"] == "unknown"
    # the pool (the interface's address) as destination: its translations' replies
    assert decide(c, "198.51.100.7", "203.0.113.2", sport=443, dport=50000)["decision"] == "unknown"
    # a source the list does not permit, or one entering an interface that does not use NAT
    assert decide(c, "203.0.113.9", "10.20.0.10", dport=445)["decision"] == "permit"
    assert decide(c, "10.30.0.5", "10.20.0.10", dport=445)["decision"] == "permit"
    # no interface uses NAT: nothing is translated, the line is reported with no impact
    c = cfg(text.replace(" ip nat enable\n", ""))
    assert decide(c, "10.20.0.10", "198.51.100.7", dport=443)["decision"] == "permit"
    assert [d.impact for d in c.diagnostics] == [Impact.NONE]


# "route-map name permit sequence: Defines a route map permitting those addresses that are to be translated" /
# "ip nat inside source route-map name pool name: Establishes dynamic source translation, specifying the route map"
# (Cisco IOS IP Configuration Guide, 'Configuring Network Address Translation', 'Configuring Dynamic Translation with a
# Route Map'); a route map's entries in sequence order, first match (Cisco IOS IP Routing Protocol-Independent Command
# Reference, 'route-map'): it was 'not modelled', every verdict unknown
def test_dynamic_translation_by_route_map():
    text = IFS + ("access-list 10 permit 10.20.0.0 0.0.0.255\n"
                  "ip access-list extended NO-NAT\n permit ip 10.20.0.0 0.0.0.255 10.99.0.0 0.0.255.255\n"
                  "route-map NAT-RM deny 5\n match ip address NO-NAT\n"
                  "route-map NAT-RM permit 10\n match ip address 10\n"
                  "ip nat inside source route-map NAT-RM interface Gi0 overload\n")
    c = cfg(text)
    assert not c.diagnostics
    [r] = tables(c)["ip nat inside source (inside to outside)"].rules
    assert not r.maybe
    from auditor.core.packets import PacketSet, cube
    from parsers.cisco_ios.operands import host_set

    def one(src, dst):
        return PacketSet([cube(src=host_set(src, 4), dst=host_set(dst, 4))])
    # 10.20.0.0/24 to anything but 10.99.0.0/16 (the deny entry comes first); no other source
    assert r.match.overlaps(one("10.20.0.5", "198.51.100.7"))
    assert not r.match.overlaps(one("10.20.0.5", "10.99.1.1"))
    assert not r.match.overlaps(one("10.30.0.5", "198.51.100.7"))
    assert {w.dim for w in r.rewrites} == {0, 3}


def test_route_map_with_other_match_lines_is_uncertain():
    text = IFS + ("access-list 10 permit 10.20.0.0 0.0.0.255\n"
                  "route-map ISP1 permit 10\n match ip address 10\n match interface Gi0\n"
                  "ip nat inside source route-map ISP1 interface Gi0 overload\n")
    [r] = tables(cfg(text))["ip nat inside source (inside to outside)"].rules
    assert not r.match and r.maybe
