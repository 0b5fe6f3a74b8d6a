"""Issue 20, "no quadratic input": an address group (set, alias) of many members is built once
from its members, in every vendor that has them.  Joined one member at a time, each join
re-sorted the growing set: a group of 20,000 members took 60 s to parse on FortiOS, 164 s on
PAN-OS, 155 s on pfSense and 60 s on Junos (and an IOS object-group alike).  Checked by the work done (the intervals put
through normalisation while the config is parsed), never by time: with 5,000 members the old
code normalised about 12.5 million intervals; the bound here is 20 per member."""

from __future__ import annotations

import pytest

from parsers import parse_text

N = 5000


def _ip(k: int) -> str:
    k = k * 7 + 1
    return "10.%d.%d.%d" % (k >> 16 & 255, k >> 8 & 255, k & 255 or 1)


def junos(n: int) -> str:
    out = ["set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/8",
           "set interfaces ge-0/0/1 unit 0 family inet address 192.168.0.1/16",
           "set security zones security-zone trust interfaces ge-0/0/0.0",
           "set security zones security-zone untrust interfaces ge-0/0/1.0"]
    out += ["set security address-book global address A%d %s/32" % (k, _ip(k)) for k in range(n)]
    out += ["set security address-book global address-set BIG address A%d" % k for k in range(n)]
    pol = "set security policies from-zone trust to-zone untrust policy P "
    out += [pol + "match source-address BIG", pol + "match destination-address any",
            pol + "match application any", pol + "then permit"]
    return "\n".join(out) + "\n"


def fortios(n: int) -> str:
    out = ["#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0", "config system interface",
           '    edit "port1"', "        set ip 10.0.0.1 255.0.0.0", "    next", '    edit "port2"',
           "        set ip 192.168.0.1 255.255.0.0", "    next", "end", "config firewall address"]
    for k in range(n):
        out += ['    edit "A%d"' % k, "        set subnet %s 255.255.255.255" % _ip(k), "    next"]
    out += ["end", "config firewall addrgrp", '    edit "BIG"',
            "        set member " + " ".join('"A%d"' % k for k in range(n)), "    next", "end",
            "config firewall policy", "    edit 1", '        set srcintf "port1"', '        set dstintf "port2"',
            '        set srcaddr "BIG"', '        set dstaddr "all"', "        set action accept",
            '        set schedule "always"', '        set service "ALL"', "    next", "end"]
    return "\n".join(out) + "\n"


def panos(n: int) -> str:
    out = ["set network interface ethernet ethernet1/1 layer3 ip 10.0.0.1/8",
           "set network interface ethernet ethernet1/2 layer3 ip 192.168.0.1/16",
           "set zone trust network layer3 ethernet1/1", "set zone untrust network layer3 ethernet1/2"]
    out += ["set address A%d ip-netmask %s/32" % (k, _ip(k)) for k in range(n)]
    out += ["set address-group BIG static [ " + " ".join("A%d" % k for k in range(n)) + " ]",
            "set rulebase security rules R from trust to untrust source BIG destination any application any "
            "service any action allow"]
    return "\n".join(out) + "\n"


def ios(n: int) -> str:
    out = ["version 17.3", "hostname r1", "interface GigabitEthernet1", " ip address 10.0.0.1 255.0.0.0",
           " ip access-group A in", "!", "object-group network BIG"]
    out += [" host %s" % _ip(k) for k in range(n)]
    out += ["ip access-list extended A", " 10 permit ip object-group BIG any"]
    return "\n".join(out) + "\n"


def pfsense(n: int) -> str:
    addrs = " ".join("%s/32" % _ip(k) for k in range(n))
    return ('<?xml version="1.0"?>\n<pfsense><version>22.2</version><interfaces>'
            "<lan><enable></enable><if>em1</if><ipaddr>10.0.0.1</ipaddr><subnet>8</subnet></lan>"
            "<wan><enable></enable><if>em0</if><ipaddr>192.168.0.1</ipaddr><subnet>16</subnet></wan></interfaces>\n"
            "<aliases><alias><name>BIG</name><type>network</type><address>%s</address></alias></aliases>\n"
            "<filter><rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol>"
            "<source><address>BIG</address></source><destination><any/></destination></rule></filter>\n"
            "</pfsense>\n" % addrs)


@pytest.mark.parametrize("make", [junos, fortios, panos, pfsense, ios], ids=lambda f: f.__name__)
def test_a_large_group_is_built_once_from_its_members(make, normalised):
    cfg = parse_text(make(N), "big.cfg")
    # the group is really there: a rule whose sources are the members, one interval each
    srcs = [c.dims[0] for f in cfg.filters.values() for r in f.rules if not r.builtin for c in r.match.cubes]
    assert any(len(s.iv) == N for s in srcs), sorted(len(s.iv) for s in srcs)[-3:]
    assert normalised[0] <= 20 * N, normalised[0]
