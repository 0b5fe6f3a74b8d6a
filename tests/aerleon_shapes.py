"""Richer aerleon term shapes for the differential tests: what real policies use beyond the simple terms.

``aerleon_oracle`` draws address, protocol (tcp/udp/icmp) and port terms.  Here a term may also have

* ``source-exclude`` / ``destination-exclude`` (rendered as ``except`` on Junos, bailout ``RETURN``
  rules or pre-subtracted prefixes on iptables, pre-subtracted prefixes on Cisco);
* ``icmp-type`` lists (per family: ``icmp`` types for IPv4, ``icmpv6`` types for IPv6), and ``icmp-code``
  lists with one type, where the generator renders them (iptables, Junos filters, Cisco ACLs);
* protocols beyond tcp/udp/icmp, by name or number (gre, esp, ah, igmp, vrrp as 112, 50, 47);
* several protocols in one term (tcp, udp and one without ports);
* long port lists (up to six entries), source and destination ports together;
* ``option: tcp-established`` / ``established`` on TCP-only terms;
* ``protocol-except`` (Junos filters), ``next`` terms (Junos, iptables);
* ``counter``, ``logging``, ``comment``, ``owner`` and a future ``expiration`` (no effect on matching);
* with ``family`` 0, terms of both families (a ``mixed`` header).

What aerleon's ``AclCheck`` (``aerleon/lib/aclcheck.py``) does not model, the judge here supplies
from aerleon's own code and data, never from the auditor:

* excludes: ``AclCheck`` reads ``term.source_address`` only (the excludes are ignored), so the
  judged policy holds the flattened addresses, ``nacaddr.ExcludeAddrs(addresses, excludes)``
  (what aerleon's generators render); a term whose flattened list is empty matches nothing and is
  left out of the judged policy (``AclCheck`` would read an empty list as "any");
* ``icmp-type``: ``AclCheck`` ignores it (a term with ``icmp-type: echo-reply`` would match every
  ICMP packet), so for an ICMP packet of type T the judged policy leaves out the terms whose
  ``icmp-type`` list (``policy.Term.ICMP_TYPE`` of the family) lacks T;
* protocol names and numbers: ``AclCheck`` compares the strings (a ``50`` term does not match an
  ``esp`` packet), so the judged policy and the packet carry numbers for every protocol but tcp,
  udp, icmp and icmpv6 (``aclgenerator.Term.PROTO_MAP``);
* ``established`` / ``tcp-established``: ``AclCheck`` reports such a term as a possible match only
  (never exact) and goes on, which is the answer for the packets judged here (the first packet of a
  connection, a SYN: no ACK, no connection state).  That holds only where every generator renders
  the option as a state or flag match for TCP (``tcp-established``, IOS ``established``, iptables
  ``--tcp-flags ACK ACK``/``RST``, or leaves the term out); for UDP aerleon renders ``established`` as
  destination ports 1024-65535 without state (``aclgenerator.Term``'s high-ports rewrite), a match
  for a first packet that AclCheck would not see, so the option is drawn on TCP-only terms.

Left out, with the reason:

* an ``expiration`` in the past: the generators leave an expired term out, ``AclCheck`` still judges
  it (aerleon's choice; the rendered text is right);
* ``packet-length``, ``fragment-offset``, ``dscp-*``, ``ttl``, ``hop-limit``,
  ``traffic-type``, ``ether-type``, ``platform``: ``AclCheck`` does not model them and the packets here
  carry none of those fields;
* ``verbatim``: ``AclCheck`` skips a term without an action, so what a verbatim line does is not
  judged; ``test_aerleon_shapes`` checks instead that every verbatim line is read or reported;
* ``address`` / ``port`` (source or destination) and ``source-prefix`` / ``destination-prefix``:
  ``AclCheck`` does not read them;
* ``established`` on UDP (see above), ``icmp-code`` where the generator does not render it.

Where a generator renders a shape wrongly or not at all, the shape is kept out of that target's draws
with the reason next to it (``PROFILES``; the header draws of ``test_aerleon_shapes``), and where the
device's reading of aerleon's text differs from the policy, a focused test shows that we answer as the
device does or report the line.
"""

from __future__ import annotations

import copy
import datetime
import ipaddress
from dataclasses import dataclass, field

import aerleon_oracle as O
from aerleon.lib import aclcheck, nacaddr, naming, policy, policy_builder
from aerleon.lib.aclgenerator import Term as _GenTerm
from hypothesis import strategies as st

PROTO_MAP = _GenTerm.PROTO_MAP
ICMP_TYPES = policy.Term.ICMP_TYPE
ICMP_CODES = policy.Term.ICMP_CODE  # type name -> its codes (aerleon's table)
NAMED = ("tcp", "udp", "icmp", "icmpv6")
# other protocols, by name or number (each drawn in one form per term; the judge compares numbers)
OTHER_PROTOS = ["gre", "esp", "ah", "igmp", "112", "50", "47", "pim"]
V4_ICMP = ["echo-request", "echo-reply", "unreachable", "time-exceeded", "redirect", "parameter-problem"]
V6_ICMP = ["echo-request", "echo-reply", "destination-unreachable", "packet-too-big", "time-exceeded",
           "neighbor-solicit", "neighbor-advertisement", "router-advertisement"]
FUTURE = (datetime.date.today() + datetime.timedelta(days=3650)).isoformat()


@dataclass
class STerm(O.Term):
    """``aerleon_oracle.Term`` with the richer features drawn here."""

    src_ex: list[str] | None = None
    dst_ex: list[str] | None = None
    icmp_types: list[str] | None = None
    options: list[str] = field(default_factory=list)
    extras: dict = field(default_factory=dict)
    icmp_codes: list[int] | None = None  # with one icmp-type: the codes of it the term matches
    protos_except: list[str] | None = None  # protocol-except (Junos filters)


@dataclass
class SCase:
    target: str
    family: int
    terms: list[STerm]
    header: str
    default: str  # "accept" or "drop" when no term matches
    pol: dict
    defs: naming.Naming


# which features each target's generator renders (a feature a generator refuses is not drawn there)
ALL = frozenset({"exclude", "icmp_type", "other", "multi", "ports", "est", "extras"})
CODES = ALL | {"icmp_code"}  # (icmp-code: rendered by the iptables, Junos filter and Cisco ACL generators only)
# ("pexcept", protocol-except: rendered by the Junos filter generators; AclCheck models it, by name)


def canon(proto: str) -> str:
    """A protocol as the judge compares it: tcp/udp/icmp/icmpv6 by name, every other by number."""
    if proto in NAMED or proto.isdigit():
        return proto
    return str(PROTO_MAP[proto])


def flatten(addrs: list[str], excludes: list[str]) -> list:
    """aerleon's own exclusion: the addresses without the excluded ones."""
    return nacaddr.ExcludeAddrs([nacaddr.IP(a) for a in addrs], [nacaddr.IP(a) for a in excludes])


def inside_exclude(addrs: list[str], excludes: list[str]) -> bool:
    """Whether an address of the list lies inside (or is) one of the excluded prefixes."""
    return any(ipaddress.ip_network(a).subnet_of(ipaddress.ip_network(e)) for a in addrs for e in excludes
               if ipaddress.ip_network(a).version == ipaddress.ip_network(e).version)


@st.composite
def port_list(draw, most: int = 6) -> list[tuple[int, int]]:
    out = []
    for _ in range(draw(st.integers(1, most))):
        a = draw(st.sampled_from(O.PORT_EDGES))
        b = draw(st.sampled_from([a, a, min(65535, a + 10), 65535]))
        out.append((min(a, b), max(a, b)))
    return out


@dataclass(frozen=True)
class Profile:
    """What a target's generator renders faithfully (everything else is left out, with the reason)."""

    features: frozenset = ALL
    actions: tuple = ("accept", "deny", "reject")
    others: tuple = tuple(OTHER_PROTOS)  # protocols beyond tcp/udp/icmp the target renders
    multi: tuple = (("tcp", "udp", "gre"), ("tcp", "ICMP"), ("esp", "ah"), ("udp", "50"))
    min_icmp_types: int = 1
    ports_required: bool = False  # every term has tcp/udp destination ports
    icmp: bool = True  # ICMP (ICMPv6) terms
    # an include inside an exclude (10.0.0.0/23 with 10.0.0.0/17 excluded): Junos filters read an address list
    # by its most specific entry, so aerleon's 'source-address { 10.0.0.0/23; 10.0.0.0/17 except; }' matches
    # 10.0.0.0/23, which the policy excludes (Juniper, "Firewall Filter Match Conditions Based on Address
    # Fields"): aerleon's juniper generator is wrong there, and such excludes are not drawn for it
    include_in_exclude: bool = True
    # ICMPv6 terms with one address on each side at most (no exclude) and one ICMPv6 type at most: for a term with
    # an option (or a comment, owner, logging), aerleon's iptables generator appends '-p ipv6-icmp' (and the type's
    # match) to the term's option list, kept from one line to the next (iptables.py, "Fake this using options
    # datastructure"), so from the second line on such a term has two '-p', which ip6tables refuses ("multiple -p
    # flags not allowed", xshared.c set_option): our parser reports such a line and answers unknown
    # (test_s30_aer.py)
    icmp6_one_pair: bool = False


NO_EST = ALL - {"est"}
V6_OTHERS = ("esp", "ah", "50", "112", "47")
NEXT = ("accept", "deny", "reject", "next")
JUNOS = Profile(features=CODES | {"pexcept"}, actions=NEXT, include_in_exclude=False)

# (target, family) -> what is drawn there; each restriction says which aerleon behaviour it avoids
PROFILES: dict[tuple[str, int], Profile] = {
    # ASA access lists have no 'established' keyword: aerleon's ciscoasa renders the term without it
    # (a plain permit, which matches first packets), while AclCheck treats it as a possible match only
    ("ciscoasa", 4): Profile(features=NO_EST),
    # ('next': a term that matches and goes on to the next, as AclCheck's non-exact match does: Junos
    # 'then next term', iptables a RETURN from the term's chain)
    ("iptables", 4): Profile(features=CODES, actions=NEXT),
    ("iptables", 6): Profile(features=CODES, actions=NEXT, icmp6_one_pair=True),
    ("speedway", 4): Profile(features=CODES, actions=NEXT),
    ("speedway", 6): Profile(features=CODES, actions=NEXT, icmp6_one_pair=True),
    # nftables: a single icmp-type makes aerleon's generator fail (TypeError in TabSpacer: the one type
    # is a list); 'established' terms are not rendered at all (and AclCheck never matches them exactly)
    ("nftables", 4): Profile(actions=("accept", "deny"), min_icmp_types=2),
    ("nftables", 6): Profile(actions=("accept", "deny"), min_icmp_types=2),
    ("cisco", 4): Profile(features=CODES),
    # IOS IPv6 lists: aerleon writes 'gre' and 'pim' by name, which the IOS IPv6 'permit' command does not
    # take (its protocol keywords are ahp, esp, icmp, ipv6, pcp, sctp, tcp, udp, or a number): our parser
    # reports such a line (CFG300) and answers unknown; a term of tcp with icmpv6 makes aerleon fail
    ("cisco", 6): Profile(features=CODES, others=V6_OTHERS, multi=(("tcp", "udp", "47"), ("esp", "ah"), ("udp", "50"))),
    # IOS-XR: aerleon writes 'ah' by name (XR's keyword is 'ahp'): reported, unknown; IPv6 ICMP is
    # written 'icmpv6', a keyword our XR reading does not take (reported, unknown)
    ("ciscoxr", 4): Profile(features=CODES, others=("gre", "esp", "igmp", "112", "50", "47", "pim"),
                            multi=(("tcp", "udp", "gre"), ("tcp", "ICMP"), ("udp", "50"))),
    ("ciscoxr", 6): Profile(others=("esp", "50", "112", "47"), multi=(("tcp", "udp", "47"), ("udp", "50")),
                            icmp=False),
    ("juniper", 4): JUNOS, ("juniper", 6): JUNOS, ("juniper", 0): JUNOS,
    # Junos Evolved and SRX loopback filters (juniperevo, srxlo): the juniper filter's shapes; juniperevo's
    # IPv6 terms match with 'payload-protocol', which our reading reports (not modelled: unknown)
    ("juniperevo", 4): JUNOS, ("srxlo", 4): JUNOS, ("srxlo", 6): JUNOS,
    ("cisco", 0): Profile(others=V6_OTHERS, multi=(("tcp", "udp", "47"), ("esp", "ah"), ("udp", "50"))),
    ("nftables", 0): Profile(actions=("accept", "deny"), min_icmp_types=2),
    ("srx", 0): Profile(features=NO_EST, actions=("accept", "deny")),
    # SRX: aerleon skips 'established' terms ("SRX is stateful"); a policy of only such terms renders
    # empty blocks, which our parser refuses as no configuration at all
    ("srx", 4): Profile(features=NO_EST, actions=("accept", "deny")),
    ("srx", 6): Profile(features=NO_EST, actions=("accept", "deny")),
    # PAN-OS: aerleon renders only these protocols (as App-ID applications) and no number; an exclude
    # becomes an address group without a name, one per term, all named '' (which PAN-OS cannot hold:
    # our parser reports it, test_panos_shapes); 'established' terms are not rendered
    ("paloalto", 4): Profile(features=NO_EST - {"exclude"}, others=("gre", "esp", "ah", "igmp"),
                             multi=(("tcp", "udp", "gre"), ("tcp", "ICMP"), ("esp", "ah"))),
    ("paloalto", 6): Profile(features=NO_EST - {"exclude"}, others=("gre", "esp", "ah"),
                             multi=(("tcp", "udp", "gre"), ("tcp", "ICMP"), ("esp", "ah"))),
    ("paloalto", 0): Profile(features=NO_EST - {"exclude"}, others=("gre", "esp", "ah"),
                             multi=(("tcp", "udp", "gre"), ("tcp", "ICMP"), ("esp", "ah"))),
    # FortiGate: a protocol without ports (ICMP too) is rendered as service ALL, a source port without
    # destination ports as an empty service (fortios_oracle): only tcp/udp with destination ports
    ("fortigate", 4): Profile(features=frozenset({"exclude", "ports", "extras"}), actions=("accept", "deny"),
                              ports_required=True),
    ("fortigate", 6): Profile(features=frozenset({"exclude", "ports", "extras"}), actions=("accept", "deny"),
                              ports_required=True),
}


@st.composite
def sterms(draw, family: int, prof: Profile = Profile()) -> list[STerm]:
    """Terms of one family (4 or 6), or of both (0: each term draws its own, as a ``mixed`` filter has)."""
    features, actions = prof.features, list(prof.actions)
    out = []
    for i in range(draw(st.integers(1, 5))):
        fam = family or draw(st.sampled_from([4, 6]))
        bases, lens = (O.V4_BASES, O.V4_LENS) if fam == 4 else (O.V6_BASES, O.V6_LENS)
        icmp = "icmp" if fam == 4 else "icmpv6"
        if prof.ports_required:
            protos = [["tcp"], ["udp"], ["tcp", "udp"]]
        else:
            protos = [["tcp"], ["udp"], ["tcp", "udp"], None] + ([[icmp]] if prof.icmp else [])
        if "other" in features:
            protos += [[p] for p in prof.others if not (fam == 6 and p in ("igmp",))]
        if "multi" in features:
            # (not ICMP with other protocols in a mixed filter: aerleon leaves such a term out of the other
            # family's filter whole, its tcp part too, while AclCheck matches it for both families)
            protos += [[icmp if x == "ICMP" else x for x in m] for m in prof.multi if not (family == 0 and "ICMP" in m)]

        def addrs(bases=bases, lens=lens):
            if draw(st.booleans()):
                return None
            return sorted({O._net(draw(st.sampled_from(bases)), draw(st.sampled_from(lens)))
                           for _ in range(draw(st.integers(1, 2)))})

        def excludes(inside):
            """Prefixes inside (or overlapping) the term's addresses, to take out of them."""
            if not inside or "exclude" not in features or draw(st.integers(0, 2)):
                return None
            net = ipaddress.ip_network(draw(st.sampled_from(inside)))
            plen = draw(st.integers(net.prefixlen, min(net.max_prefixlen, net.prefixlen + 4)))
            sub = list(net.subnets(new_prefix=plen))
            return sorted({str(draw(st.sampled_from(sub[:1] + sub[-1:]))) for _ in range(draw(st.integers(1, 2)))})

        src, dst = addrs(), addrs()
        src_ex, dst_ex = excludes(src), excludes(dst)
        # an exclude that takes out every address is rendered by aerleon as no exclude at all (iptables:
        # ``_CalculateAddresses`` keeps the addresses when ``ExcludeAddrs`` leaves none), a term matching
        # everything where the policy says nothing: aerleon's mistake, not drawn
        if src_ex and not flatten(src, src_ex):
            src_ex = None
        if dst_ex and not flatten(dst, dst_ex):
            dst_ex = None
        if not prof.include_in_exclude:
            src_ex = None if src_ex and inside_exclude(src, src_ex) else src_ex
            dst_ex = None if dst_ex and inside_exclude(dst, dst_ex) else dst_ex
        p = draw(st.sampled_from(protos))
        if prof.icmp6_one_pair and fam == 6 and p and "icmpv6" in p:
            src, dst, src_ex, dst_ex = src and src[:1], dst and dst[:1], None, None
        sports = dports = None
        if p is not None and set(p) <= {"tcp", "udp"}:
            most = 6 if "ports" in features else 2
            if prof.ports_required or draw(st.booleans()):
                dports = draw(port_list(most))
            if draw(st.integers(0, 2)) == 0:
                sports = draw(port_list(most))
        icmp_types = None
        if p == [icmp] and "icmp_type" in features and draw(st.booleans()):
            pool = V4_ICMP if fam == 4 else V6_ICMP
            icmp_types = sorted({draw(st.sampled_from(pool)) for _ in range(draw(st.integers(1, 3)))})
            while len(icmp_types) < prof.min_icmp_types:
                icmp_types = sorted(set(icmp_types) | {draw(st.sampled_from(pool))})
            if prof.icmp6_one_pair and fam == 6:
                icmp_types = icmp_types[:1]
        icmp_codes = None
        if icmp_types and len(icmp_types) == 1 and "icmp_code" in features and icmp_types[0] in ICMP_CODES \
                and draw(st.booleans()):
            icmp_codes = sorted({draw(st.sampled_from(ICMP_CODES[icmp_types[0]]))
                                 for _ in range(draw(st.integers(1, 3)))})
        options: list[str] = []
        if p == ["tcp"] and "est" in features and draw(st.integers(0, 3)) == 0:
            options = [draw(st.sampled_from(["established", "tcp-established"]))]
        extras: dict = {}
        if "extras" in features and draw(st.integers(0, 2)) == 0:
            extras = {"comment": "term %d of a drawn policy" % i, "owner": "netops", "expiration": FUTURE}
            if draw(st.booleans()):
                extras["logging"] = "true"
            if draw(st.booleans()):
                extras["counter"] = "cnt-t%d" % i
        pex = None
        if p is None and "pexcept" in features and draw(st.integers(0, 2)) == 0:
            pex = sorted({draw(st.sampled_from(["tcp", "udp", icmp, "gre", "50"]))
                          for _ in range(draw(st.integers(1, 2)))})
        out.append(STerm("t%d" % i, src, dst, p, sports, dports, draw(st.sampled_from(actions)), src_ex, dst_ex,
                         icmp_types, options, extras, icmp_codes, pex))
    return out


def _svc(name: str, ranges, protos) -> list[dict]:
    ps = [p for p in (protos or ["tcp", "udp"]) if p in ("tcp", "udp")]
    return [{"port": "%d-%d" % r if r[0] != r[1] else str(r[0]), "protocol": p} for r in ranges for p in ps]


def to_policy(target: str, header: str, ts: list[STerm], drop_extras: frozenset = frozenset()):
    """The aerleon policy dict (one filter, ``target: header``) and its naming definitions."""
    networks: dict = {}
    services: dict = {}
    aterms = []
    for t in ts:
        d: dict = {"name": t.name, "action": t.action}
        for key, prefix, vals in (("source-address", "S_", t.src), ("destination-address", "D_", t.dst),
                                  ("source-exclude", "SX_", t.src_ex), ("destination-exclude", "DX_", t.dst_ex)):
            if vals:
                networks[prefix + t.name] = {"values": [{"address": a} for a in vals]}
                d[key] = prefix + t.name
        if t.protos:
            d["protocol"] = list(t.protos)
        for key, ranges in (("source-port", t.sports), ("destination-port", t.dports)):
            if ranges:
                name = ("SP_" if key == "source-port" else "DP_") + t.name
                services[name] = _svc(name, ranges, t.protos)
                d[key] = name
        if t.icmp_types:
            d["icmp-type"] = list(t.icmp_types)
        if t.icmp_codes:
            d["icmp-code"] = list(t.icmp_codes)
        if t.protos_except:
            d["protocol-except"] = list(t.protos_except)
        if t.options:
            d["option"] = list(t.options)
        for k, v in t.extras.items():
            if k not in drop_extras:
                d[k] = v
        aterms.append(d)
    pol = {"filename": "shapes_" + target, "filters": [{"header": {"targets": {target: header}}, "terms": aterms}]}
    defs = naming.Naming()
    defs.ParseDefinitionsObject({"networks": networks, "services": services}, "")
    return pol, defs


def icmp_number(family: int, name: str) -> int:
    return ICMP_TYPES[family][name]


def icmp_of(field) -> tuple[str, int]:
    """A packet's ICMP field as (type name, code): a name alone is code 0."""
    return (field, 0) if isinstance(field, str) else tuple(field)


class Judge:
    """``AclCheck`` over the case's policy, with excludes, ICMP types and protocol numbers made explicit
    (see the module's docstring)."""

    def __init__(self, case: SCase):
        self.case = case
        self._cache: dict = {}

    def _policy(self, icmp_type: tuple[str, int] | None):
        key = icmp_type
        if key in self._cache:
            return self._cache[key]
        pol = copy.deepcopy(self.case.pol)
        networks: dict = {}
        kept = []
        by_name = {t.name: t for t in self.case.terms}
        for d in pol["filters"][0]["terms"]:
            t = by_name[d["name"]]
            empty = False
            for key_in, key_ex, vals, ex, prefix in (("source-address", "source-exclude", t.src, t.src_ex, "JS_"),
                                                    ("destination-address", "destination-exclude", t.dst,
                                                     t.dst_ex, "JD_")):
                d.pop(key_ex, None)
                if not ex:
                    continue
                flat = flatten(vals, ex)
                if not flat:
                    empty = True
                    break
                networks[prefix + t.name] = {"values": [{"address": str(a)} for a in flat]}
                d[key_in] = prefix + t.name
            if empty:
                continue
            if icmp_type is not None:
                name, code = icmp_type
                if t.icmp_types and name not in t.icmp_types or t.icmp_codes and code not in t.icmp_codes:
                    continue
            d.pop("icmp-type", None)
            d.pop("icmp-code", None)
            if t.protos:
                d["protocol"] = [canon(p) for p in t.protos]
            if t.protos_except:
                d["protocol-except"] = [canon(p) for p in t.protos_except]
            kept.append(d)
        pol["filters"][0]["terms"] = kept
        if not kept:
            self._cache[key] = None
            return None
        defs = copy.deepcopy(self.case.defs)
        if networks:
            defs.ParseDefinitionsObject({"networks": networks}, "")
        built = policy.FromBuilder(policy_builder.PolicyBuilder(pol, defs))
        self._cache[key] = built
        return built

    def decision(self, pkt) -> str:
        src, dst, proto, sport, dport, icmp_type = pkt
        pol = self._policy(icmp_of(icmp_type) if proto in ("icmp", "icmpv6") else None)
        default = "permit" if self.case.default == "accept" else "deny"
        if pol is None:
            return default
        ported = proto in ("tcp", "udp")
        check = aclcheck.AclCheck(pol, src, dst, sport if ported else "any", dport if ported else "any", canon(proto))
        exact = check.ExactMatches()
        if exact:
            return "permit" if exact[0].action == "accept" else "deny"
        return default


@st.composite
def packets(draw, case: SCase):
    """A packet near the case's prefixes, ports, protocols and ICMP types:
    (src, dst, proto, sport, dport, icmp type name or None)."""
    nets = [ipaddress.ip_network(a) for t in case.terms
            for a in (t.src or []) + (t.dst or []) + (t.src_ex or []) + (t.dst_ex or [])]
    fam = case.family or draw(st.sampled_from(sorted({n.version for n in nets} or {4, 6})))
    nets = [n for n in nets if n.version == fam]
    if not nets:
        nets = [ipaddress.ip_network(O._net((O.V4_BASES if fam == 4 else O.V6_BASES)[0], 24))]

    def addr() -> str:
        return O.near_address(draw, nets)

    icmp = "icmp" if fam == 4 else "icmpv6"
    others = sorted({canon(p) for t in case.terms for p in (t.protos or []) + (t.protos_except or [])
                     if p not in NAMED})
    proto = draw(st.sampled_from(["tcp", "udp", icmp] + others))
    if proto == icmp:
        types = sorted({x for t in case.terms if icmp in (t.protos or []) for x in (t.icmp_types or [])}
                       | {"echo-request"})
        name = draw(st.sampled_from(types))
        codes = sorted({c for t in case.terms if t.icmp_types == [name] for c in (t.icmp_codes or [])})
        if not codes:
            return addr(), addr(), proto, None, None, name
        return addr(), addr(), proto, None, None, (name, draw(st.sampled_from(sorted({0, *codes, max(codes) + 1}))))
    if proto not in ("tcp", "udp"):
        return addr(), addr(), proto, None, None, None
    edges = O.port_edges(case.terms)
    return addr(), addr(), proto, O.near_port(draw, edges), O.near_port(draw, edges), None


def family_of(pkt) -> int:
    return ipaddress.ip_address(pkt[0]).version


def our_packet(pkt, family: int = 0):
    """The auditor's packet for a packet drawn by ``packets`` (ICMP: type*256, code 0)."""
    from auditor.api import make_packet

    family = family or family_of(pkt)

    src, dst, proto, sport, dport, icmp_type = pkt
    if proto in ("icmp", "icmpv6"):
        name, code = icmp_of(icmp_type)
        return make_packet(src, dst, 1 if proto == "icmp" else 58, None, icmp_number(family, name) * 256 + code)
    if proto in ("tcp", "udp"):
        return make_packet(src, dst, proto, sport, dport)
    return make_packet(src, dst, int(canon(proto)), None, None)


def term_matches(case: SCase, name: str, pkt) -> bool:
    """Whether the term ``name`` alone certainly matches ``pkt`` (the Judge over a one-term policy whose
    default is the opposite of the term's action)."""
    t = next(x for x in case.terms if x.name == name)
    pol = copy.deepcopy(case.pol)
    pol["filters"][0]["terms"] = [d for d in pol["filters"][0]["terms"] if d["name"] == name]
    one = SCase(case.target, case.family, [t], case.header, "drop" if t.action == "accept" else "accept", pol,
                case.defs)
    return Judge(one).decision(pkt) == ("permit" if t.action == "accept" else "deny")


def block_wins(case: SCase, pkt) -> str:
    """Windows Firewall's answer from the terms that match: any block rule, else any allow rule, else the
    default ([MS-FASP] 2.2.34 FW_RULE_ACTION: "block rules take precedence over allow rules",
    https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-fasp/702e3c23-c9d8-43db-8380-b4c670dd7f7d)."""
    hits = [t.action for t in case.terms if term_matches(case, t.name, pkt)]
    if any(a != "accept" for a in hits):
        return "deny"
    if hits:
        return "permit"
    return "permit" if case.default == "accept" else "deny"
