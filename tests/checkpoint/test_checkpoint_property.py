"""Property: the rule-order semantics of a Check Point policy, as parsed and evaluated, agree packet
by packet with a brute-force evaluator written here from Check Point's own description.

The description ([LAYERS], R81 Security Management Administration Guide, "Ordered Layers and Inline
Layers", https://sc1.checkpoint.com/documents/R81/WebAdminGuides/EN/CP_R81_SecurityManagement_AdminGuide/Topics-SECMG/Ordered-Layers-and-Inline-Layers.htm):

* the gateway checks a packet against the rules of the first Ordered Layer from top to bottom and
  enforces the first rule that matches; Accept goes on to the next Ordered Layer, Drop ends it;
* a packet matching the parent rule of an Inline Layer is checked against the sub rules; the first
  matching sub rule decides; if none matches, the inline layer's (implicit) cleanup rule does; no
  more rules are matched;
* a layer's implicit cleanup rule acts as its ``implicit-cleanup-action`` says (drop or accept);
* a negated cell matches what its objects do not; a disabled rule matches nothing.

The oracle reads the generated policy description directly (addresses as Python sets of
``ipaddress`` values), never the parser's records.
"""

from __future__ import annotations

import ipaddress

from cp_helpers import (
    ANY,
    access_layer_info,
    group,
    host,
    layer,
    network,
    package,
    parse,
    rule,
    service_group,
    tcp,
    uid,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.core.packets import ISet, PacketSet, addr_to_int, cube
from auditor.engine import decide_packet, evaluate

HOSTS = ["10.0.0.%d" % i for i in range(1, 9)]
PORTS = [1, 2, 3, 4, 5]

# the objects the generated rules may name: (kind, spec) -> set of members, computed independently
ADDRESS_SPECS = [("host", h) for h in HOSTS[:4]] + [("net", "10.0.0.0/30"), ("net", "10.0.0.4/30"),
                                                     ("group", ("10.0.0.1", "10.0.0.0/30"))]
SERVICE_SPECS = [("port", "1"), ("port", "2-3"), ("port", ">3"), ("port", "<3"), ("sgroup", ("1", "5"))]


def addr_members(spec) -> set[int]:
    kind, v = spec
    if kind == "host":
        return {int(ipaddress.ip_address(v))}
    if kind == "net":
        return {int(a) for a in ipaddress.ip_network(v)}
    out = set()
    for x in v:
        out |= {int(a) for a in ipaddress.ip_network(x)}
    return out


def port_members(spec) -> set[int]:
    kind, v = spec
    texts = v if kind == "sgroup" else (v,)
    out = set()
    for t in texts:
        if t.startswith(">"):
            out |= set(range(int(t[1:]) + 1, 65536))
        elif t.startswith("<"):
            out |= set(range(0, int(t[1:])))
        elif "-" in t:
            a, b = t.split("-")
            out |= set(range(int(a), int(b) + 1))
        else:
            out.add(int(t))
    return out


cell = st.one_of(st.none(), st.lists(st.integers(0, len(ADDRESS_SPECS) - 1), min_size=1, max_size=2, unique=True))
svc_cell = st.one_of(st.none(), st.lists(st.integers(0, len(SERVICE_SPECS) - 1), min_size=1, max_size=2,
                                         unique=True))


def rules(inline_names):
    action = st.sampled_from(["Accept", "Drop"] + (["inline"] if inline_names else []))
    return st.lists(st.fixed_dictionaries({
        "src": cell, "dst": cell, "svc": svc_cell, "action": action,
        "inline": st.sampled_from(inline_names or [None]),
        "neg": st.tuples(st.booleans(), st.booleans(), st.booleans()),
        "enabled": st.sampled_from([True, True, True, False]),
    }), max_size=4)


policies = st.fixed_dictionaries({
    # inline layers: L1 may apply L2 (nesting), L2 applies none
    "inline": st.tuples(rules(["L2"]), rules([])),
    "ordered": st.lists(rules(["L1", "L2"]), min_size=1, max_size=2),
    "cleanup": st.tuples(st.sampled_from(["drop", "accept"]), st.sampled_from(["drop", "accept"]),
                         st.sampled_from(["drop", "accept"]), st.sampled_from(["drop", "accept"])),
})


# --- the oracle ---------------------------------------------------------------------------------


def oracle(policy, src: int, dst: int, port: int) -> str:
    layers = {"L1": (policy["inline"][0], policy["cleanup"][2]), "L2": (policy["inline"][1], policy["cleanup"][3])}

    def matches(r) -> bool:
        def inside(spec_ids, specs, value, members) -> bool:
            if spec_ids is None:
                return True  # Any
            return any(value in members(specs[i]) for i in spec_ids)

        s = inside(r["src"], ADDRESS_SPECS, src, addr_members)
        d = inside(r["dst"], ADDRESS_SPECS, dst, addr_members)
        v = inside(r["svc"], SERVICE_SPECS, port, port_members)
        return (s != r["neg"][0]) and (d != r["neg"][1]) and (v != r["neg"][2])

    def layer_action(rs, cleanup) -> str:
        for r in rs:
            if not r["enabled"] or not matches(r):
                continue
            if r["action"] == "inline":
                sub, sub_cleanup = layers[r["inline"]]
                return layer_action(sub, sub_cleanup)
            return r["action"]
        return "Accept" if cleanup == "accept" else "Drop"

    for k, rs in enumerate(policy["ordered"]):
        if layer_action(rs, policy["cleanup"][k]) == "Drop":
            return "deny"
    return "permit"


# --- the policy as Check Point JSON ------------------------------------------------------------------


def to_json(policy):
    addr_objs, svc_objs = [], []
    for i, (kind, v) in enumerate(ADDRESS_SPECS):
        if kind == "host":
            addr_objs.append(host("h%d" % i, v))
        elif kind == "net":
            net, ml = v.split("/")
            addr_objs.append(network("n%d" % i, net, int(ml)))
        else:
            members = [host("gm%d" % i, v[0]), network("gn%d" % i, *v[1].split("/")[:1], int(v[1].split("/")[1]))]
            addr_objs.append(group("g%d" % i, members))
            addr_objs += members
    by_index = []
    k = 0
    for kind, _v in ADDRESS_SPECS:
        by_index.append(addr_objs[k])
        k += 3 if kind == "group" else 1
    svc_index = []
    for i, (kind, v) in enumerate(SERVICE_SPECS):
        if kind == "port":
            s = tcp("s%d" % i, v)
            svc_objs.append(s)
            svc_index.append(s)
        else:
            members = [tcp("sm%d_%s" % (i, p), p) for p in v]
            g = service_group("sg%d" % i, members)
            svc_objs += members + [g]
            svc_index.append(g)
    uids = {"L1": uid(), "L2": uid()}

    def json_rules(rs, prefix):
        out = []
        for n, r in enumerate(rs):
            out.append(rule(
                "%s.%d" % (prefix, n + 1),
                [by_index[i] for i in r["src"]] if r["src"] is not None else [ANY],
                [by_index[i] for i in r["dst"]] if r["dst"] is not None else [ANY],
                [svc_index[i] for i in r["svc"]] if r["svc"] is not None else [ANY],
                "Inner Layer" if r["action"] == "inline" else r["action"],
                src_neg=r["neg"][0], dst_neg=r["neg"][1], svc_neg=r["neg"][2], enabled=r["enabled"],
                **({"inline": uids[r["inline"]]} if r["action"] == "inline" else {})))
        return out

    objs = addr_objs + svc_objs
    replies = []
    infos = []
    for k, rs in enumerate(policy["ordered"]):
        lid = uid()
        replies.append(layer("Ordered%d" % k, json_rules(rs, "O%d" % k), objs, layer_uid=lid))
        infos.append(access_layer_info("Ordered%d" % k, lid, policy["cleanup"][k]))
    for j, name in enumerate(("L1", "L2")):
        replies.append(layer(name, json_rules(policy["inline"][j], name), objs, layer_uid=uids[name]))
    replies.append(package("Standard", infos))
    replies.append({"access-layers": [access_layer_info("L1", uids["L1"], policy["cleanup"][2]),
                                      access_layer_info("L2", uids["L2"], policy["cleanup"][3])]})
    return replies


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies)
def test_parsed_policy_decides_every_packet_as_check_point_does(policy):
    cfg = parse(to_json(policy))
    srcs = [addr_to_int(h) for h in HOSTS]
    space = PacketSet([cube(ISet([(a, a) for a in srcs]), ISet([(a, a) for a in srcs]), ISet.of(6), ISet.of(40000),
                            ISet([(p, p) for p in PORTS]))])
    outcomes = evaluate(cfg, space)
    for s in HOSTS:
        for d in HOSTS:
            for p in PORTS:
                pkt = (addr_to_int(s), addr_to_int(d), 6, 40000, p)
                want = oracle(policy, int(ipaddress.ip_address(s)), int(ipaddress.ip_address(d)), p)
                (kind,) = [o.kind for o in outcomes if o.packets.contains(pkt)]
                assert kind == want, (s, d, p)
                assert decide_packet(cfg, pkt).kind == want, (s, d, p)
