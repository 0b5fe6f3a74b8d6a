"""aerleon's Cisco IOS (``cisco``) and IOS-XR (``ciscoxr``) renders as an independent oracle.

Follows ``tests/aerleon_oracle.py`` (its random terms, packets and ``AclCheck`` judge): a random
policy is rendered by aerleon's own generator into IOS text, our parser reads the text, and our
decision for a packet must equal what ``aerleon.lib.aclcheck`` says the policy does with it.

Headers drawn: a named extended list, a numbered extended list (100-199), an IPv6 list
(``inet6``), both families at once (``mixed``: a list and an ``ipv6-`` list), a numbered standard
list (terms with an ``address``: the source, as aerleon renders it), and IOS-XR's ``ipv4
access-list``.  ``AclCheck`` reads no ``address`` field, so a standard case is judged on the same
policy written with ``source-address`` (what aerleon's standard render means by it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import aerleon_oracle as O
from hypothesis import strategies as st

from auditor.core.packets import ISet
from parsers.kit.addr import cidr_set

VARIANTS = ("extended", "numbered", "inet6", "mixed", "standard", "xr", "xr-inet6")


@dataclass
class IosCase:
    variant: str
    case: O.Case  # what aerleon renders
    judged: O.Case  # what AclCheck judges (the same policy; standard: addresses as sources)
    name: str  # the access list (IPv4; the IPv6 one of 'mixed' is 'ipv6-' + name)

    def acl_for(self, family: int) -> str:
        if self.variant == "mixed" and family == 6:
            return "ipv6-" + self.name
        return self.name


def _header(variant: str, name: str) -> tuple[str, str]:
    return {
        "extended": ("cisco", "%s extended" % name),
        "numbered": ("cisco", "%s extended" % name),
        "inet6": ("cisco", "%s inet6" % name),
        "mixed": ("cisco", "%s mixed" % name),
        "standard": ("cisco", "%s standard" % name),
        "xr": ("ciscoxr", name),
        "xr-inet6": ("ciscoxr", "%s inet6" % name),
    }[variant]


@st.composite
def cases(draw, variant: str) -> IosCase:
    family = 6 if variant in ("inet6", "xr-inet6") else (draw(st.sampled_from([4, 6])) if variant == "mixed"
                                                         else 4)
    if variant == "standard":
        name = draw(st.sampled_from([str(draw(st.integers(1, 99))), str(draw(st.integers(1300, 1999))),
                                     "STD-ACL"]))
        ts = []
        bases, lens = O.V4_BASES, O.V4_LENS
        for i in range(draw(st.integers(1, 5))):
            src = None if draw(st.integers(0, 4)) == 0 else sorted(
                {O._net(draw(st.sampled_from(bases)), draw(st.sampled_from(lens)))
                 for _ in range(draw(st.integers(1, 2)))})
            ts.append(O.Term("t%d" % i, src, None, None, None, None, draw(st.sampled_from(["accept", "deny"]))))
    else:
        name = str(draw(st.integers(100, 199))) if variant == "numbered" else "ORACLE-ACL"
        ts = draw(O.terms("ciscoasa", family))  # (accept, deny, reject; tcp, udp, icmp for IPv4)
    target, header = _header(variant, name)
    pol, defs = O.to_aerleon("iptables", family, ts, "INPUT", "drop")
    judged_pol = copy.deepcopy(pol)
    pol["filename"] = judged_pol["filename"] = "oracle_" + target
    pol["filters"][0]["header"] = {"targets": {target: header}}
    judged_pol["filters"][0]["header"] = {"targets": {target: header}}
    if variant == "standard":
        for term in pol["filters"][0]["terms"]:
            if "source-address" in term:
                term["address"] = term.pop("source-address")
    case = O.Case(target, family, ts, name, "drop", pol, defs)
    judged = O.Case(target, family, ts, name, "drop", judged_pol, defs)
    return IosCase(variant, case, judged, name)


# the interface's own networks (``with_interfaces``): a source there is one of its hosts, any other is behind its
# gateway
ROUTED_NET = ISet.union_of([cidr_set("172.31.1.0/24", 4), cidr_set("2001:db8:ffff::/64", 6)])


def with_interfaces(text: str, ios: IosCase) -> str | None:
    """The rendered list bound inbound on an interface every drawn address is routed through
    (a default route), so the packet meets it on the device's path too; None for IOS-XR."""
    if ios.variant.startswith("xr"):
        return None
    bind = []
    if ios.variant != "inet6":
        bind.append(" ip access-group %s in" % ios.name)
    if ios.variant in ("inet6", "mixed"):
        bind.append(" ipv6 traffic-filter %s in" % ios.acl_for(6))
    return text + "\n".join([
        "ipv6 unicast-routing",  # (IPv6 is routed only with it: test_ios_routing_off)
        "interface GigabitEthernet0/1", " ip address 172.31.1.1 255.255.255.0", " ipv6 address 2001:db8:ffff::1/64",
        *bind, "ip route 0.0.0.0 0.0.0.0 172.31.1.254", "ipv6 route ::/0 2001:db8:ffff::fe", ""])


def packets(ios: IosCase):
    """Packets near the case's prefixes and ports (``aerleon_oracle.packets``)."""
    return O.packets(ios.case)


def render(ios: IosCase) -> str:
    return O.render(ios.case)


def oracle(ios: IosCase) -> O.Oracle:
    return O.Oracle(ios.judged)
