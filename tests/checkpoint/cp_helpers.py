"""Writing Check Point management API replies for tests, in the API's own shapes.

The shapes follow the Management API reference (https://sc1.checkpoint.com/documents/latest/APIs/:
``show-access-rulebase`` with ``use-object-dictionary``, ``show-nat-rulebase``, ``show-objects``,
``show-package``) and the replies in the corpus (Batfish's Check Point snapshots).
"""

from __future__ import annotations

import itertools
import json

ANY = "97aeb369-9aea-11d5-bd16-0090272ccb30"
ORIGINAL = "85c0f50f-6d8a-4528-88ab-5fb11d8fe16c"
POLICY_TARGETS = "6c488338-8eec-4103-ad21-cd461ac2c476"
ACTIONS = {"Accept": "6c488338-8eec-4103-ad21-cd461ac2c472", "Drop": "6c488338-8eec-4103-ad21-cd461ac2c473",
           "Reject": "6c488338-8eec-4103-ad21-cd461ac2c475", "Inner Layer": "6c488338-8eec-4103-ad21-cd461ac2c47a",
           "Ask": "6c488338-8eec-4103-ad21-cd461ac2c477", "Inform": "6c488338-8eec-4103-ad21-cd461ac2c478"}
_ids = itertools.count(1)


def uid() -> str:
    return "0000%04d-aaaa-4bbb-8ccc-%012d" % (next(_ids) % 10000, next(_ids))


def system_objects() -> list[dict]:
    out = [{"uid": ANY, "name": "Any", "type": "CpmiAnyObject", "domain": {"name": "Check Point Data"}},
           {"uid": ORIGINAL, "name": "Original", "type": "Global"},
           {"uid": POLICY_TARGETS, "name": "Policy Targets", "type": "Global"}]
    out += [{"uid": u, "name": n, "type": "RulebaseAction"} for n, u in ACTIONS.items()]
    return out


def obj(typ: str, name: str, **fields) -> dict:
    o = {"uid": uid(), "name": name, "type": typ}
    o.update({k.replace("_", "-"): v for k, v in fields.items()})
    o.setdefault("meta-info", {"lock": "unlocked", "creator": "admin"})
    return o


def host(name: str, ip: str, **kw) -> dict:
    return obj("host", name, **({"ipv4-address": ip} if ":" not in ip else {"ipv6-address": ip}), **kw)


def network(name: str, subnet: str, length: int, **kw) -> dict:
    if ":" in subnet:
        return obj("network", name, subnet6=subnet, mask_length6=length, **kw)
    return obj("network", name, subnet4=subnet, mask_length4=length, **kw)


def addr_range(name: str, first: str, last: str) -> dict:
    return obj("address-range", name, ipv4_address_first=first, ipv4_address_last=last)


def group(name: str, members: list) -> dict:
    return obj("group", name, members=[m["uid"] if isinstance(m, dict) else m for m in members])


def group_with_exclusion(name: str, include: dict, exclude: dict) -> dict:
    return obj("group-with-exclusion", name, include=include["uid"], **{"except": exclude["uid"]})


def tcp(name: str, port: str, timeout: int | None = None, source_port: str | None = None, **kw) -> dict:
    f = {"port": port, "session_timeout": timeout or 3600, "use_default_session_timeout": timeout is None,
         "match_for_any": True}
    if source_port is not None:
        f["source_port"] = source_port
    f.update(kw)
    return obj("service-tcp", name, **f)


def udp(name: str, port: str, timeout: int | None = None) -> dict:
    return obj("service-udp", name, port=port, session_timeout=timeout or 40,
               use_default_session_timeout=timeout is None)


def icmp(name: str, icmp_type: int, code: int | None = None) -> dict:
    f = {"icmp_type": icmp_type}
    if code is not None:
        f["icmp_code"] = code
    return obj("service-icmp", name, **f)


def service_group(name: str, members: list) -> dict:
    return obj("service-group", name, members=[m["uid"] for m in members])


def ref(x) -> str:
    return x["uid"] if isinstance(x, dict) else x


def rule(name: str, src=None, dst=None, svc=None, action: str = "Accept", **kw) -> dict:
    r = {"uid": uid(), "name": name, "type": "access-rule", "domain": {"name": "SMC User"},
         "track": {"type": "598ead32-aa42-4615-90ed-f51a5928d41d", "per-connection": True},
         "source": [ref(x) for x in (src or [ANY])], "source-negate": kw.pop("src_neg", False),
         "destination": [ref(x) for x in (dst or [ANY])], "destination-negate": kw.pop("dst_neg", False),
         "service": [ref(x) for x in (svc or [ANY])], "service-negate": kw.pop("svc_neg", False),
         "vpn": [ANY], "action": ACTIONS.get(action, action), "content": [ANY], "content-negate": False,
         "time": [ref(x) for x in kw.pop("time", [ANY])], "enabled": kw.pop("enabled", True),
         "install-on": [ref(x) for x in kw.pop("install_on", [POLICY_TARGETS])],
         "comments": kw.pop("comments", ""),
         "meta-info": {"lock": "unlocked", "creator": "admin", "last-modify-time": {"posix": 1}}}
    if "inline" in kw:
        r["inline-layer"] = ref(kw.pop("inline"))
    r.update({k.replace("_", "-"): v for k, v in kw.items()})
    return r


def section(name: str, rules: list) -> dict:
    return {"uid": uid(), "name": name, "type": "access-section", "rulebase": rules}


def layer(name: str, items: list, objects: list, layer_uid: str | None = None) -> dict:
    """A ``show-access-rulebase`` reply (``use-object-dictionary``)."""
    n = sum(len(i["rulebase"]) if i.get("type") == "access-section" else 1 for i in items)
    return {"uid": layer_uid or uid(), "name": name, "rulebase": items,
            "objects-dictionary": system_objects() + list(objects), "from": 1, "to": n, "total": n}


def nat_rule(number: int, osrc=ANY, odst=ANY, osvc=ANY, tsrc=ORIGINAL, tdst=ORIGINAL, tsvc=ORIGINAL,
             method: str = "static", **kw) -> dict:
    r = {"uid": uid(), "type": "nat-rule", "rule-number": number, "method": method,
         "auto-generated": kw.pop("auto", False), "original-source": ref(osrc), "original-destination": ref(odst),
         "original-service": ref(osvc), "translated-source": ref(tsrc), "translated-destination": ref(tdst),
         "translated-service": ref(tsvc), "enabled": kw.pop("enabled", True), "install-on": [POLICY_TARGETS],
         "comments": ""}
    r.update(kw)
    return r


def nat_reply(rules: list, objects: list) -> dict:
    return {"uid": uid(), "rulebase": rules, "objects-dictionary": system_objects() + list(objects),
            "from": 1, "to": len(rules), "total": len(rules)}


def objects_reply(objects: list) -> dict:
    return {"objects": list(objects), "from": 1, "to": len(objects), "total": len(objects)}


def access_layer_info(name: str, layer_uid: str, cleanup: str = "drop") -> dict:
    return {"uid": layer_uid, "name": name, "type": "access-layer", "implicit-cleanup-action": cleanup,
            "firewall": True, "shared": False}


def package(name: str, layers: list, nat: bool = True) -> dict:
    return {"uid": uid(), "name": name, "type": "package", "access": True, "access-layers": layers,
            "nat-policy": nat, "installation-targets": "all"}


def global_properties(**firewall) -> dict:
    """A ``show-global-properties`` reply with the given firewall settings (``accept_icmp_requests=False``...)."""
    return {"uid": uid(), "name": "firewall_properties", "type": "global-properties",
            "firewall": {k.replace("_", "-"): v for k, v in firewall.items()},
            "stateful-inspection": {"tcp-session-timeout": 3600}}


NO_IMPLIED = {"accept_icmp_requests": False, "accept_domain_name_over_udp": False, "accept_domain_name_over_tcp": False,
              "accept_rip": False}  # the Global Properties implied rules that may accept traffic through, all off


def text(reply) -> str:
    return json.dumps(reply, indent=4) + "\n"


def parse(reply, path: str = "policy.json"):
    from parsers.checkpoint import parse as cp_parse

    return cp_parse(text(reply), path)


def packet(src: str, dst: str, proto: str | int = "tcp", sport: int = 40000, dport: int = 445):
    from auditor.api import make_packet

    return make_packet(src, dst, str(proto), sport, dport)


def decide(cfg, src: str, dst: str, proto: str | int = "tcp", dport: int = 445, sport: int = 40000) -> str:
    """The engine's decision for one packet: 'permit', 'deny' or 'unknown'."""
    from auditor.core.packets import ISet, PacketSet, cube
    from auditor.engine import evaluate

    pkt = packet(src, dst, proto, sport, dport)
    ps = PacketSet([cube(*(ISet.of(x) for x in pkt))])
    kinds = {o.kind for o in evaluate(cfg, ps)}
    assert len(kinds) == 1, kinds
    return kinds.pop()
