"""FortiOS address translation and forwarding edges (hunt 22), each with the Fortinet document that says so."""

from __future__ import annotations

from auditor.api import explain
from parsers.fortios import parse
from tests.test_fortios_vdom_nat_ttl import VIPCFG

OLD = "#config-version=FG100F-7.0.12-FW-build0523-230530:opmode=0:vdom=0:user=admin\n"


def test_a_port_range_onto_one_port_is_many_to_one_only_with_m_to_n():
    # 'set portmapping-type [1-to-1|m-to-n]' (CLI reference, config firewall vip, FortiOS 6.2.6,
    # https://docs.fortinet.com/document/fortigate/6.2.6/cli-reference/272620); many external ports onto one
    # mapped port is written with m-to-n (Fortinet KB 350101 "Virtual IP (VIP) port forwarding order of execution",
    # https://community.fortinet.com/t5/FortiGate/Technical-Tip-Virtual-IP-VIP-port-forwarding-order-of-execution/
    # ta-p/350101: 'extport 442-444', 'mappedport 443', 'portmapping-type m-to-n'); one to one (the default) "the
    # number of ports in these two ranges must be equal" (FortiGate 3.0 MR4 Administration Guide, "Firewall Virtual
    # IP").  Before, every range onto one port was read as many to one: port 8005 to the VIP was translated to 443
    # and permitted by the policy naming the VIP with service HTTPS.
    one_to_one = OLD + VIPCFG.replace("set extport 8443", "set extport 8440-8450")
    c = parse(one_to_one, "t.conf")
    assert explain(c, "198.51.100.7", "203.0.113.10", "tcp", 40000, 8445)["decision"] == "unknown"
    assert any("8440-8450" in d.message for d in c.unrecognized)
    m_to_n = one_to_one.replace("set mappedport 443", "set mappedport 443\n        set portmapping-type m-to-n")
    d = explain(parse(m_to_n, "t.conf"), "198.51.100.7", "203.0.113.10", "tcp", 40000, 8445)
    assert (d["decision"], d["rule"].strip()) == ("permit", "edit 2")
    # one port onto one port: the same either way
    d = explain(parse(OLD + VIPCFG, "t.conf"), "198.51.100.7", "203.0.113.10", "tcp", 40000, 8443)
    assert (d["decision"], d["rule"].strip()) == ("permit", "edit 2")
