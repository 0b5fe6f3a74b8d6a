"""ACL200 for a user chain's rule that no jump reaches (``checks.anomalies._unreached``): its claim, "no
jump to the chain sends it a packet it matches", against brute force over the chain graph, on seeded
random iptables dumps (user chains that jump to others, RETURN, goto, conntrack states).

iptables(8), TARGETS (https://man7.org/linux/man-pages/man8/iptables.8.html): "If the packet does not
match, the next rule in the chain is examined; if it does match, then the next rule is specified by the
value of the target"; "RETURN means stop traversing this chain and resume at the next rule in the
previous (calling) chain"; at a built-in chain's end its policy decides.  "-g, --goto chain": "return
will not continue processing in this chain but instead in the chain that called us via --jump".
"""

from __future__ import annotations

import itertools
import random

from auditor.api import audit
from auditor.core.packets import addr_to_int
from auditor.policy import load_site
from parsers.linux import iptables

BASE = addr_to_int("10.0.0.0")
ADDRS = [BASE + k for k in (0, 1, 2, 3, 4, 5, 6, 7, 256)]  # 10.0.0.0-7 and one address outside them
PORTS = (1, 2, 3, 4)
PROTOS = {"tcp": 6, "udp": 17}
UNIVERSE = list(itertools.product(ADDRS, ADDRS, (1, 6, 17), PORTS, ("NEW", "ESTABLISHED")))
CALLS = {"INPUT": ("A", "B"), "FORWARD": ("A", "B"), "OUTPUT": ("A", "B"), "A": ("B",), "B": ()}


def _cond(rng) -> dict:
    c = {}
    for k in ("s", "d"):
        if rng.random() < 0.5:
            plen = rng.choice((29, 30, 31, 32))
            c[k] = (rng.randrange(8) & ~((1 << (32 - plen)) - 1), plen)
    if rng.random() < 0.6:
        c["p"] = rng.choice(list(PROTOS))
        if rng.random() < 0.6:
            lo = rng.choice(PORTS)
            c["dport"] = (lo, rng.choice([x for x in PORTS if x >= lo]))
    if rng.random() < 0.25:
        c["state"] = rng.choice(("NEW", "ESTABLISHED"))
    return c


def _text(c: dict) -> str:
    out = ["-%s 10.0.0.%d/%d" % (k, *c[k]) for k in ("s", "d") if k in c]
    if "p" in c:
        out.append("-p " + c["p"])
        if "dport" in c:
            out.append("--dport %d:%d" % c["dport"])
    if "state" in c:
        out.append("-m conntrack --ctstate " + c["state"])
    return " ".join(out)


def _matches(c: dict, pkt) -> bool:
    for k, x in (("s", pkt[0]), ("d", pkt[1])):
        if k in c:
            net, plen = c[k]
            if not BASE <= x < BASE + 512 or (x - BASE) >> (32 - plen) != net >> (32 - plen):
                return False
    if "p" in c and (PROTOS[c["p"]] != pkt[2] or "dport" in c and not c["dport"][0] <= pkt[3] <= c["dport"][1]):
        return False
    return "state" not in c or c["state"] == pkt[4]


def _dump(rng):
    """(chains: name -> [(condition, target)], the iptables-save text, line -> (chain, position))."""
    chains = {name: [] for name in CALLS}
    for name, calls in CALLS.items():
        for _ in range(rng.randint(0, 4) if name in ("INPUT", "OUTPUT") else rng.randint(1, 5)):
            targets = ["ACCEPT", "DROP"] + [t for x in calls for t in (x, x, "goto " + x)]
            chains[name].append((_cond(rng), rng.choice(targets + (["RETURN"] if name in ("A", "B") else []))))
    lines = ["*filter"] + [":%s %s [0:0]" % (k, rng.choice(("ACCEPT", "DROP"))) for k in ("INPUT", "FORWARD", "OUTPUT")]
    lines += [":A - [0:0]", ":B - [0:0]"]
    where = {}
    for name, rules in chains.items():
        for k, (c, t) in enumerate(rules):
            jump = "-g " + t[5:] if t.startswith("goto ") else "-j " + t
            lines.append(" ".join(x for x in ("-A", name, _text(c), jump) if x))
            where[len(lines)] = (name, k)
    return chains, "\n".join(lines + ["COMMIT"]) + "\n", where


def _run(chains, name, pkt, hits) -> str | None:
    """The packet through chain ``name`` (first match, jumps, RETURN, goto): its verdict, or None when
    it returns; every (chain, position) whose rule it matches is added to ``hits``."""
    for k, (c, t) in enumerate(chains[name]):
        if not _matches(c, pkt):
            continue
        hits.add((name, k))
        if t in ("ACCEPT", "DROP"):
            return t
        if t == "RETURN":
            return None
        got = _run(chains, t.removeprefix("goto "), pkt, hits)
        if got or t.startswith("goto "):
            return got
    return None


def test_a_user_chain_rule_said_unreached_matches_no_packet_any_jump_sends():
    told = 0
    for seed in range(400):
        chains, text, where = _dump(random.Random(seed))
        cfg = iptables.parse(text, "fw.rules")
        found = [f for f in audit([cfg], load_site(None, [])).findings
                 if f.rule_id == "ACL200" and "no jump to chain" in f.message]
        if not found:
            continue
        hits = set()
        for pkt in UNIVERSE:
            for chain in ("INPUT", "FORWARD", "OUTPUT"):
                _run(chains, chain, pkt, hits)
        for f in found:
            name, k = where[f.source.line]
            assert (name, k) not in hits, (seed, f.source.line, text)
            # the message names the chain the line is in (and those that jump to it, whose lists hold it)
            assert f.message.startswith("rule never matches: no jump to chain ") and " sends it" in f.message
            assert name in f.message.split(" sends it")[0].removeprefix("rule never matches: no jump to chain ").split(
                " or "), (seed, f.source.line, f.message)
            # the example is a packet of the rule itself (no jump sends it one)
            rule = next(r for r in cfg.filters[name].rules if r.source.line == f.source.line)
            assert rule.match.contains(f.example), (seed, f.source.line, f.example)
            told += 1
    assert told > 20  # (the seeds make such findings)


def test_the_unreached_rule_of_a_chain_another_user_chain_jumps_to_names_its_chain():
    """'-A B -p udp -j DROP' (line 9) is in chain B, which only A jumps to, and A only gets tcp: the
    finding said "no jump to chain A sends it a packet it matches", naming a chain the line is not in."""
    text = "\n".join(["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]", ":A - [0:0]",
                      ":B - [0:0]", "-A FORWARD -p tcp -j A", "-A A -j B", "-A B -p udp -j DROP",
                      "-A B -p tcp -j ACCEPT", "COMMIT"]) + "\n"
    cfg = iptables.parse(text, "fw.rules")
    (f,) = [f for f in audit([cfg], load_site(None, [])).findings if f.rule_id == "ACL200"]
    assert f.source.line == 9
    assert f.message == "rule never matches: no jump to chain A or B sends it a packet it matches"
