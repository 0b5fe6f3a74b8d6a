"""Linux nftables (``nft list ruleset``, or an ``nft -f`` script) -> the vendor-neutral rule graph.

Read: ``table ip|ip6|inet NAME { ... }`` blocks (a table or chain declared
twice is one table or chain, as ``nft -f`` merges them), base chains
(``type filter hook HOOK priority P; policy accept|drop;``), regular chains,
named sets, ``ct timeout`` objects, ``define`` variables and the
``add rule``/``add chain``/``add element`` command forms.

Semantics translated here (the shared pieces live in ``parsers.iptables``):

* each packet is the first packet of a NEW connection (``ct state``);
* a hook's base chains run in priority order, each one a ``Stage``: a
  packet must be accepted by every base chain of its hooks; ``jump``/``goto``
  /``return`` are flattened as for iptables; every base chain's filter ends
  with a rule for its policy, attributed to the ``policy`` line;
* ``ip``/``ip6`` tables only see their family, ``inet`` both; a family gets
  paths only from tables that see it (the other family is not routed);
* ``iifname``/``oifname`` other than ``lo`` make a rule uncertain;
* ``ct timeout set "NAME"`` gives the traffic reaching it the ``established``
  value of the ``ct timeout NAME`` object (a ``Timeout`` record); the rest
  keeps the Linux default (or the sysctl input's value).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from auditor.core.model import (
    Action,
    AddressRef,
    Config,
    Diagnostic,
    Filter,
    Impact,
    Path,
    Source,
    Stage,
    Timeout,
)
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    EMPTY,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    ISet,
    PacketSet,
    cube,
)
from auditor.core.secrets import redact
from parsers import iptables as ipt
from parsers.iptables import Entry, Flattener, Match, ParseError, RawRule
from parsers.kit.vendor import Vendor  # noqa: E402

NAME = "nftables"

FAMILIES = {"ip": (4,), "ip6": (6,), "inet": (4, 6)}
OTHER_FAMILIES = ("arp", "bridge", "netdev")
HOOK_ORDER = {"ingress": 0, "prerouting": 1, "input": 2, "forward": 2, "output": 1, "postrouting": 3}
PATH_HOOKS = {
    "in": ("ingress", "prerouting", "input"),
    "fwd": ("ingress", "prerouting", "forward", "postrouting"),
    "out": ("output", "postrouting"),
}
PRIMARY = {"in": "input", "fwd": "forward", "out": "output"}
PRIORITY_NAMES = {"raw": -300, "mangle": -150, "dstnat": -100, "filter": 0, "security": 50, "srcnat": 100}
TABLE_BLOCKS = ("chain", "set", "map", "flowtable", "counter", "quota", "ct", "limit", "secmark", "synproxy")
VERDICTS = ("accept", "drop", "reject", "return", "continue", "jump", "goto", "queue")
STATEMENTS = ("counter", "log", "comment", "limit", "notrack", "snat", "dnat", "masquerade", "redirect",
              "meta", "ct", "ip", "ip6", "tcp", "udp", "udplite", "sctp", "dccp", "th", "icmp", "icmpv6",
              "iifname", "oifname", "iif", "oif", "l4proto", "nfproto", "mark", "vmap") + VERDICTS
ICMP_NFT = dict(ipt.ICMP_NAMES)
ICMP_NFT.update({"destination-unreachable": (3, None), "info-request": (15, None), "info-reply": (16, None)})
ICMP6_NFT = dict(ipt.ICMP6_NAMES)


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is nftables ruleset syntax."""
    head = text[:200000]
    score = 0
    if re.search(r"^\s*table\s+(ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*\{", head, re.M):
        score += 60
    elif re.search(r"^\s*table\s+\S+\s*\{", head, re.M):
        score += 30
    if re.search(r"^\s*chain\s+\S+\s*\{", head, re.M):
        score += 20
    if re.search(r"\btype\s+(filter|nat|route)\s+hook\s+\w+", head):
        score += 25
    if re.search(r"^\s*(add|insert)\s+(rule|chain|table)\s+", head, re.M):
        score += 40
    if re.search(r"^\s*flush\s+ruleset\s*$", head, re.M):
        score += 20
    if re.search(r"^\*(filter|nat|mangle|raw)\s*$|^-A \S+|^access-list ", head, re.M):
        score -= 40
    return max(0, min(100, score))


# --- tokens and statements ------------------------------------------------------------

@dataclass
class Tok:
    kind: str  # w (word), s (string), { } ; , nl
    value: str
    line: int


_SPECIAL = set("{};,\"#")


def tokenize(text: str) -> list[Tok]:
    out: list[Tok] = []
    for ln, raw in enumerate(text.splitlines(), 1):
        i, n = 0, len(raw)
        cont = False
        while i < n:
            ch = raw[i]
            if ch in " \t\r\f":
                i += 1
            elif ch == "#":
                break
            elif ch == "\\" and raw[i + 1:].strip() == "":
                cont = True
                break
            elif ch == '"':
                j = i + 1
                buf = []
                while j < n and raw[j] != '"':
                    if raw[j] == "\\" and j + 1 < n:
                        j += 1
                    buf.append(raw[j])
                    j += 1
                out.append(Tok("s", "".join(buf), ln))
                i = j + 1
            elif ch in "{};,":
                out.append(Tok(ch, ch, ln))
                i += 1
            else:
                j = i
                while j < n and raw[j] not in _SPECIAL and raw[j] not in " \t\r\f":
                    j += 1
                out.append(Tok("w", raw[i:j], ln))
                i = j
        if not cont:
            out.append(Tok("nl", "", ln))
    return out


@dataclass
class Stmt:
    toks: list[Tok]
    line: int
    children: list["Stmt"] | None = None

    def words(self) -> list[str]:
        return [t.value for t in self.toks]


class Blocks:
    """Statements and blocks from tokens: ``{`` opens a block only after a declaration."""

    def __init__(self, toks: list[Tok], report):
        self.toks = toks
        self.report = report  # report(line, why)

    def parse(self) -> list[Stmt]:
        stmts, pos = self.block(0, "top", False)
        while pos < len(self.toks):  # stray '}' at top level
            self.report(self.toks[pos].line, "unbalanced '}'")
            more, pos = self.block(pos + 1, "top", False)
            stmts.extend(more)
        return stmts

    def opens(self, cur: list[Tok], ctx: str) -> str | None:
        w = [t.value for t in cur if t.kind == "w"]
        if not w:
            return None
        if ctx == "top":
            if w[0] == "table":
                return "table"
            if w[0] in ("add", "create") and len(w) > 1 and w[1] in ("table", "chain", "set", "map", "ct",
                                                                      "flowtable", "counter", "quota"):
                return {"table": "table", "chain": "chain"}.get(w[1], "object")
            return None
        if ctx == "table" and w[0] in TABLE_BLOCKS:
            return "chain" if w[0] == "chain" else "object"
        return None

    def block(self, pos: int, ctx: str, closing: bool) -> tuple[list[Stmt], int]:
        toks = self.toks
        stmts: list[Stmt] = []
        cur: list[Tok] = []
        depth = 0
        while pos < len(toks):
            t = toks[pos]
            if depth == 0 and t.kind in (";", "nl"):
                if cur:
                    stmts.append(Stmt(cur, cur[0].line))
                    cur = []
                pos += 1
                continue
            if depth == 0 and t.kind == "}":
                if cur:
                    stmts.append(Stmt(cur, cur[0].line))
                if closing:
                    return stmts, pos + 1
                return stmts, pos
            if t.kind == "{":
                kind = self.opens(cur, ctx) if depth == 0 else None
                if kind is not None:
                    children, pos = self.block(pos + 1, kind, True)
                    stmts.append(Stmt(cur, cur[0].line, children))
                    cur = []
                    continue
                depth += 1
            elif t.kind == "}":
                depth -= 1
            elif t.kind == "nl":
                pos += 1
                continue
            cur.append(t)
            pos += 1
        if cur:
            stmts.append(Stmt(cur, cur[0].line))
        if closing:
            self.report(toks[-1].line if toks else 1, "missing '}'")
        return stmts, pos


# --- the ruleset ----------------------------------------------------------------------

@dataclass
class ChainDef:
    name: str
    source: Source
    rules: list = field(default_factory=list)  # (tokens, Source)
    type: str | None = None
    hook: str | None = None
    priority: int = 0
    policy: Action | None = None
    base_src: Source | None = None
    policy_src: Source | None = None
    order: int = 0


@dataclass
class TableDef:
    family: str
    name: str
    source: Source
    chains: dict = field(default_factory=dict)
    sets: dict = field(default_factory=dict)  # name -> (elements list[list[str]] | None, Source)
    timeouts: dict = field(default_factory=dict)  # name -> (proto, l3 families, policy dict, Source)
    dormant: bool = False


class NftParser:
    """One parse of one file; use ``parse()``."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = text.splitlines()
        self.diags: list[Diagnostic] = []
        self.ignored = 0
        self.tables: dict[tuple[str, str], TableDef] = {}
        self.vars: dict[str, list[Tok]] = {}
        self.address_refs: list[AddressRef] = []
        self.chain_count = 0

    def src(self, line: int) -> Source:
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return Source(self.path, line, redact(text))

    def unrecognized(self, source: Source, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        self.diags.append(Diagnostic("CFG300", "line not understood: %s" % why, source, impact, scope))

    # --- pass 1: statements -> tables --------------------------------------------------
    def subst(self, st: Stmt) -> Stmt:
        if not any(t.kind == "w" and t.value.startswith("$") for t in st.toks):
            return st
        out: list[Tok] = []
        for t in st.toks:
            if t.kind == "w" and t.value.startswith("$"):
                if t.value[1:] not in self.vars:
                    raise ParseError("undefined variable '%s'" % t.value)
                out.extend(Tok(v.kind, v.value, t.line) for v in self.vars[t.value[1:]])
            else:
                out.append(t)
        return Stmt(out, st.line, st.children)

    def top(self, stmts: list[Stmt]) -> None:
        for st in stmts:
            s = self.src(st.line)
            w = st.words()
            try:
                if w[0] == "define" and len(w) >= 3 and w[2] == "=":
                    self.vars[w[1]] = st.toks[3:]
                    self.ignored += 1
                    continue
                st = self.subst(st)
                w = st.words()
                if w[0] == "table" and st.children is not None:
                    fam, name = (w[1], w[2]) if len(w) >= 3 else ("ip", w[1])
                    self.table_block(self.table(fam, name, s), st.children)
                elif w[:2] == ["flush", "ruleset"]:
                    self.tables.clear()
                    self.ignored += 1
                elif w[0] in ("add", "create", "insert") and len(w) >= 3:
                    self.command(st, s)
                elif w[0] == "flush" and len(w) >= 2 and w[1] in ("table", "chain"):
                    self.flush(w, s)
                else:
                    self.unrecognized(s, "unknown statement '%s'" % w[0])
            except (ParseError, IndexError) as e:
                self.unrecognized(s, str(e) or "bad statement")

    def split_ref(self, w: list[str]) -> tuple[str, list[str]]:
        """``[family] table ...`` -> (family, the rest)."""
        if w and (w[0] in FAMILIES or w[0] in OTHER_FAMILIES):
            return w[0], w[1:]
        return "ip", w

    def table(self, fam: str, name: str, s: Source) -> TableDef:
        key = (fam, name)
        if key not in self.tables:
            self.tables[key] = TableDef(fam, name, s)
        return self.tables[key]

    def chain(self, t: TableDef, name: str, s: Source) -> ChainDef:
        if name not in t.chains:
            self.chain_count += 1
            t.chains[name] = ChainDef(name, s, order=self.chain_count)
        return t.chains[name]

    def command(self, st: Stmt, s: Source) -> None:
        w = st.words()
        verb, obj = w[0], w[1]
        if obj == "ct" and len(w) > 2:
            fam, rest = self.split_ref(w[3:])
            t = self.table(fam, rest[0], s)
            self.object_block(t, ["ct", w[2], rest[1]], st.children or [], s)
            return
        fam, rest = self.split_ref(w[2:])
        skip = len(w) - len(rest) + 2  # verb obj [family] table name
        if obj == "table":
            self.table(fam, rest[0], s)
            self.ignored += 1
        elif obj == "chain":
            t = self.table(fam, rest[0], s)
            c = self.chain(t, rest[1], s)
            if st.children:
                self.chain_body(t, c, st.children)
            self.ignored += 1
        elif obj == "rule":
            t = self.table(fam, rest[0], s)
            c = self.chain(t, rest[1], s)
            body = st.toks[skip:]
            if body and body[0].value in ("position", "index", "handle") and len(body) > 1:
                body = body[2:]
            if verb == "insert":
                c.rules.insert(0, (body, s))
            else:
                c.rules.append((body, s))
        elif obj in ("set", "map") and st.children is not None:
            t = self.table(fam, rest[0], s)
            self.set_block(t, rest[1], st.children, s)
        elif obj == "element":
            t = self.table(fam, rest[0], s)
            name = rest[1]
            elems, _ = self.set_elements(st.toks[skip:])
            old = t.sets.get(name, ([], s))
            t.sets[name] = ((old[0] or []) + elems, old[1])
        else:
            self.unrecognized(s, "unsupported command '%s %s'" % (verb, obj))

    def flush(self, w: list[str], s: Source) -> None:
        fam, rest = self.split_ref(w[2:])
        t = self.tables.get((fam, rest[0]))
        if t is not None:
            chains = [t.chains[rest[1]]] if w[1] == "chain" and rest[1:] and rest[1] in t.chains else \
                list(t.chains.values()) if w[1] == "table" else []
            for c in chains:
                c.rules.clear()
        self.ignored += 1

    def table_block(self, t: TableDef, stmts: list[Stmt]) -> None:
        for st in stmts:
            s = self.src(st.line)
            try:
                st = self.subst(st)
                w = st.words()
                if w[0] == "chain" and st.children is not None:
                    self.chain_body(t, self.chain(t, w[1], s), st.children)
                elif w[0] in ("set", "map") and st.children is not None:
                    self.set_block(t, w[1], st.children, s)
                elif w[0] == "ct" and st.children is not None:
                    self.object_block(t, w, st.children, s)
                elif w[0] == "flags":
                    if "dormant" in w:
                        t.dormant = True
                    self.ignored += 1
                elif w[0] == "comment" or (w[0] in TABLE_BLOCKS and st.children is not None):
                    self.ignored += 1 + len(st.children or [])
                else:
                    self.unrecognized(s, "unknown table statement '%s'" % w[0])
            except (ParseError, IndexError) as e:
                self.unrecognized(s, str(e) or "bad statement")

    def chain_body(self, t: TableDef, c: ChainDef, stmts: list[Stmt]) -> None:
        for st in stmts:
            s = self.src(st.line)
            try:
                st = self.subst(st)
            except ParseError as e:
                self.unrecognized(s, str(e), Impact.FILTER, c.name)
                c.rules.append(([Tok("w", "$undefined", st.line)], s))
                continue
            w = st.words()
            if w[0] == "type" and len(w) >= 4 and w[2] == "hook":
                c.type, c.hook = w[1], w[3]
                c.base_src = s
                if "priority" in w:
                    c.priority = parse_priority(w[w.index("priority") + 1:])
            elif w[0] == "policy" and len(w) == 2 and w[1] in ("accept", "drop"):
                c.policy = Action.PERMIT if w[1] == "accept" else Action.DENY
                c.policy_src = s
            elif w[0] in ("comment", "devices", "device", "flags") or (w[0] == "priority" and c.type):
                self.ignored += 1
            else:
                c.rules.append((st.toks, s))

    def set_block(self, t: TableDef, name: str, stmts: list[Stmt], s: Source) -> None:
        elems: list | None = []
        for st in stmts:
            w = st.words()
            if w[0] == "elements" and len(w) > 2 and w[1] == "=":
                got, _ = self.set_elements(st.toks[2:])
                elems = (elems or []) + got
            elif w[0] == "flags" and any(f in ("dynamic", "timeout") for f in re.split(r"[ ,]", " ".join(w[1:]))):
                elems = None  # filled in by the packet path: contents unknown
            else:
                self.ignored += 1
        t.sets[name] = (elems, s)

    def set_elements(self, toks: list[Tok]) -> tuple[list[list[str]], int]:
        """``{ a, b . c, d }`` -> [["a"], ["b", ".", "c"], ["d"]] and the tokens used."""
        if not toks or toks[0].kind != "{":
            return ([[toks[0].value]] if toks else []), 1
        out: list[list[str]] = []
        cur: list[str] = []
        depth = 0
        for k, t in enumerate(toks):
            if t.kind == "{":
                depth += 1
                if depth == 1:
                    continue
            elif t.kind == "}":
                depth -= 1
                if depth == 0:
                    if cur:
                        out.append(cur)
                    return out, k + 1
            if t.kind == "," and depth == 1:
                if cur:
                    out.append(cur)
                cur = []
                continue
            cur.append(t.value)
        raise ParseError("unbalanced '{'")

    def object_block(self, t: TableDef, w: list[str], stmts: list[Stmt], s: Source) -> None:
        if len(w) < 3 or w[1] != "timeout":
            self.ignored += 1 + len(stmts)
            return
        name = w[2]
        proto = None
        l3: tuple[int, ...] = FAMILIES.get(t.family, (4, 6))
        policy: dict[str, int] = {}
        for st in stmts:
            ww = st.words()
            if ww[0] == "protocol" and len(ww) == 2:
                proto = ipt.proto_number(ww[1])
            elif ww[0] == "l3proto" and len(ww) == 2:
                l3 = {"ip": (4,), "ip6": (6,), "inet": (4, 6)}.get(ww[1], l3)
            elif ww[0] == "policy":
                items = " ".join(ww[1:]).replace("=", " ").replace("{", " ").replace("}", " ")
                for k, v in re.findall(r"([\w-]+)\s*:\s*(\d+)", items):
                    policy[k] = int(v)
            else:
                self.ignored += 1
        t.timeouts[name] = (proto, l3, policy, s)

    # --- pass 2: rules -> flattened filters and stages --------------------------------------
    def build(self) -> Config:
        self.top(Blocks(tokenize("\n".join(self.lines)), lambda ln, why: self.unrecognized(self.src(ln), why))
                 .parse())
        filters: dict[str, Filter] = {}
        base: dict[int, list[tuple[int, int, int, str, Stage, bool]]] = {4: [], 6: []}
        timeouts: list[Timeout] = []
        timeout_order: list[tuple[tuple, list[Timeout]]] = []
        seen_fams: set[int] = set()
        for (fam, tname), t in self.tables.items():
            if fam not in FAMILIES:
                self.other_family(t)
                continue
            if t.dormant:
                self.ignored += 1
                continue
            seen_fams.update(FAMILIES[fam])
            raw = {c.name: self.chain_rules(t, c) for c in t.chains.values()}
            fl = Flattener(raw, lambda code, msg, src, scope: self.diags.append(
                Diagnostic(code, msg, src, Impact.FILTER, scope)))
            for c in t.chains.values():
                fname = "%s/%s/%s" % (fam, tname, c.name)
                entries = fl.flatten(c.name)
                if c.hook is None:
                    filters[fname] = Filter(fname, ipt.entries_to_rules(fname, entries), c.source, kind="chain")
                    continue
                policy = c.policy or Action.PERMIT
                psrc = c.policy_src or c.base_src or c.source
                word = "accept" if policy is Action.PERMIT else "drop"
                final = Entry(ALL, ALL, policy, psrc, note="policy %s" % word)
                filters[fname] = Filter(fname, ipt.entries_to_rules(fname, entries, final), c.source, kind="chain")
                reason = "policy %s of base chain %s" % (word, fname) if c.policy else \
                    "base chain %s has no policy: accept" % fname
                stage = Stage(fname, (fname,), policy, psrc, reason)
                found = ipt.timeouts_from(entries, lambda code, msg, src, scope: self.diags.append(
                    Diagnostic(code, msg, src, Impact.FILTER, scope)))
                if found:
                    timeout_order.append(((HOOK_ORDER.get(c.hook, 9), c.priority, c.order), found))
                if c.type not in ("filter", "route"):
                    continue
                if c.hook not in HOOK_ORDER:
                    self.unrecognized(c.base_src or c.source, "hook '%s' is not modelled" % c.hook)
                    continue
                idle = ipt.filters_nothing(entries, policy)
                for f in FAMILIES[fam]:
                    base[f].append((HOOK_ORDER[c.hook], c.priority, c.order, c.hook, stage, idle))
        for _, found in sorted(timeout_order, key=lambda x: x[0]):
            timeouts.extend(found)
        fam_paths: dict[int, list] = {}
        idle_paths: list[Path] = []
        for f in sorted(seen_fams):
            fam_paths[f] = []
            chains = sorted(base[f], key=lambda x: (x[0], x[1], x[2]))
            for kind in ("in", "fwd", "out"):
                on = [x for x in chains if x[3] in PATH_HOOKS[kind]]
                if not on:
                    continue
                stages = [x[4] for x in on if x[3] == PRIMARY[kind] or not x[5]]
                if not stages:
                    stages = [Stage("accept", (), Action.PERMIT, on[0][4].default_source,
                                    "no base chain on this path filters")]
                if kind == "fwd" and all(x[5] for x in on):
                    idle_paths.append(Path("ipv%d" % f, "ipv%d" % f, tuple(stages), note="forward accepts everything"))
                    continue
                fam_paths[f].append((kind, stages, ""))
        first = Source(self.path, 1, redact(self.lines[0].strip()) if self.lines else "")
        paths, interfaces = ipt.assemble(self.path, fam_paths, first)
        timeouts.append(ipt.default_timeout())
        return Config(
            path=self.path, vendor=NAME, lines=len(self.lines), filters=filters, paths=paths,
            interfaces=interfaces, timeouts=tuple(timeouts), diagnostics=tuple(self.diags),
            address_refs=tuple(self.address_refs), ignored_lines=self.ignored,
            head=first, aux=ipt.LinuxAux(tuple(sorted(seen_fams)), tuple(idle_paths)),
        )

    def other_family(self, t: TableDef) -> None:
        """arp/bridge/netdev tables: not modelled; reported when they can drop."""
        drops = any(c.policy is Action.DENY for c in t.chains.values()) or any(
            any(tok.value in ("drop", "reject") for tok in toks) for c in t.chains.values() for toks, _ in c.rules)
        if drops and t.family != "arp":
            self.unrecognized(t.source, "%s family tables are not modelled and this one can drop packets" % t.family)
        else:
            self.ignored += 1 + sum(len(c.rules) for c in t.chains.values())

    def chain_rules(self, t: TableDef, c: ChainDef) -> list[RawRule]:
        out: list[RawRule] = []
        for toks, s in c.rules:
            try:
                out.extend(NftRule(self, t, c, toks, s).read())
            except (ParseError, IndexError, ValueError) as e:
                self.unrecognized(s, str(e) or "bad rule", Impact.FILTER, "%s/%s/%s" % (t.family, t.name, c.name))
                out.append(RawRule(NOTHING, ALL, "unknown", s, note="not understood", opaque=True))
        return out


def parse_priority(w: list[str]) -> int:
    if not w:
        raise ParseError("missing priority")
    expr = " ".join(w).replace("+", " + ").replace(" - ", " -  ").split()
    total = 0
    sign = 1
    for x in expr:
        if x == "+":
            sign = 1
        elif x == "-":
            sign = -1
        elif re.match(r"^-?\d+$", x):
            total += sign * int(x)
        elif x in PRIORITY_NAMES:
            total += sign * PRIORITY_NAMES[x]
        else:
            raise ParseError("unknown priority '%s'" % x)
    return total


# --- one rule ---------------------------------------------------------------------------

OPS = {"==": "eq", "eq": "eq", "!=": "ne", "ne": "ne", "<": "lt", "lt": "lt", ">": "gt", "gt": "gt",
       "<=": "le", "le": "le", ">=": "ge", "ge": "ge"}
PORT_PROTOS = {"tcp": 6, "udp": 17, "udplite": 136, "sctp": 132, "dccp": 33}


class NftRule:
    """One rule's tokens -> RawRules (several for a verdict map)."""

    def __init__(self, p: NftParser, t: TableDef, c: ChainDef, toks: list[Tok], s: Source):
        self.p, self.t, self.c, self.toks, self.s = p, t, c, toks, s
        fams = FAMILIES[t.family]
        space = ALL_ADDR if len(fams) == 2 else ipt.family_space(fams[0])
        self.m = Match(space)
        self.refs: list[AddressRef] = []
        self.notes: list[str] = []
        self.pending: list[str] = []
        self.verdict: str | None = None
        self.target: str | None = None
        self.timeout: Timeout | None = None
        self.vmap: tuple | None = None
        self.k = 0

    # token helpers
    def peek(self, d: int = 0) -> str | None:
        j = self.k + d
        return self.toks[j].value if j < len(self.toks) and self.toks[j].kind in ("w", "s") else None

    def kind(self, d: int = 0) -> str | None:
        j = self.k + d
        return self.toks[j].kind if j < len(self.toks) else None

    def value(self) -> tuple[str, list[list[str]] | None]:
        """(op, values) at the cursor; values None for an unknown named set."""
        op = "eq"
        w = self.peek()
        if w in OPS:
            op = OPS[w]
            self.k += 1
        if self.kind() == "{":
            elems, used = self.p.set_elements(self.toks[self.k:])
            self.k += used
            return op, elems
        w = self.peek()
        if w is None:
            raise ParseError("missing value")
        self.k += 1
        if w == "vmap":
            return "vmap", None
        if w.startswith("@"):
            got = self.t.sets.get(w[1:])
            if got is None:
                self.p.diags.append(Diagnostic("CFG301", "reference to undefined set '%s'" % w[1:], self.s,
                                               Impact.FILTER, self.c.name))
                return op, None
            return op, got[0]
        vals = [w]
        while self.kind() == "," and self.kind(1) == "w":  # ct state established,related
            vals.append(self.toks[self.k + 1].value)
            self.k += 2
        return op, [[v] for v in vals]

    def read(self) -> list[RawRule]:
        toks = self.toks
        while self.k < len(toks):
            if self.kind() not in ("w", "s"):
                raise ParseError("unexpected '%s'" % toks[self.k].value)
            w = self.peek()
            self.k += 1
            if w == "meta" and self.peek() in ("l4proto", "nfproto", "protocol", "iifname", "oifname", "iif",
                                               "oif"):
                w = self.peek()
                self.k += 1
                if self.peek() == "set":
                    self.side_effect()
                    continue
                self.selector(("meta", w))
            elif w in ("ip", "ip6") and self.peek() in ("saddr", "daddr", "protocol", "nexthdr"):
                key = self.peek()
                self.k += 1
                self.selector((w, key))
            elif w in PORT_PROTOS or w == "th":
                key = self.peek()
                self.k += 1
                if key in ("sport", "dport"):
                    self.selector((w, key))
                elif w == "tcp" and key == "flags":
                    self.tcp_flags()
                else:
                    self.unknown("%s %s" % (w, key))
            elif w in ("icmp", "icmpv6") and self.peek() in ("type", "code"):
                key = self.peek()
                self.k += 1
                self.selector((w, key))
            elif w in ("iifname", "oifname", "iif", "oif", "l4proto", "nfproto"):
                self.selector(("meta", w))
            elif w == "ct":
                self.ct()
            elif w == "counter":
                while self.peek() in ("packets", "bytes", "name"):
                    self.k += 2
            elif w == "log":
                while self.peek() in ("prefix", "level", "flags", "group", "snaplen", "queue-threshold"):
                    self.k += 2
                    while self.kind() == "," and self.kind(1) == "w":
                        self.k += 2
            elif w == "comment":
                self.k += 1
            elif w == "limit":
                self.m.unsure.append("limit")
                self.notes.append("rate limit")
                self.pending.append("'limit' is a rate, not a packet property")
                self.skip_to_keyword()
            elif w in ("accept", "drop", "reject", "return", "continue", "queue"):
                self.verdict = {"reject": "drop", "continue": "none", "queue": "unknown"}.get(w, w)
                if w == "queue":
                    self.pending.append("'queue' hands the verdict to another program")
                    self.skip_to_keyword()
                if w == "reject" and self.peek() == "with":
                    self.k += 1
                    what = self.peek()
                    self.k += 1
                    if what in ("icmp", "icmpv6", "icmpx"):
                        if self.peek() == "type":
                            self.k += 1
                        self.k += 1
                    elif what == "tcp":
                        self.k += 1
            elif w in ("jump", "goto"):
                self.verdict, self.target = w, self.peek()
                self.k += 1
            elif w == "notrack":
                self.p.unrecognized(self.s, "untracked packets are not modelled (their conntrack state is "
                                            "untracked, not new)", Impact.GLOBAL)
            elif w in ("snat", "masquerade", "dnat", "redirect"):
                self.verdict = "nat"
                if w in ("dnat", "redirect"):
                    self.p.unrecognized(self.s, "destination NAT (%s) is not modelled: the filter rules see the "
                                                "translated addresses" % w, Impact.GLOBAL)
                while self.k < len(self.toks) and self.peek() != "comment":
                    self.k += 1
            elif w in ("mark", "meta") and self.peek() == "set" or (w == "meta" and self.peek(1) == "set"):
                self.side_effect()
            else:
                self.unknown(w or "?")
        return self.finish()

    def side_effect(self) -> None:
        self.skip_to_keyword(first=True)

    def skip_to_keyword(self, first: bool = False) -> None:
        if first:
            self.k += 1
        while self.k < len(self.toks) and not (self.kind() == "w" and self.peek() in STATEMENTS):
            self.k += 1

    def unknown(self, what: str) -> None:
        self.m.unsure.append(what)
        self.pending.append("'%s' is not supported" % what)
        self.notes.append("%s not modelled" % what)
        self.skip_to_keyword()

    def ct(self) -> None:
        key = self.peek()
        self.k += 1
        if key == "state":
            self.selector(("ct", "state"))
        elif key == "timeout" and self.peek() == "set":
            self.k += 1
            name = self.peek()
            self.k += 1
            obj = self.t.timeouts.get(name or "")
            if obj is None:
                self.p.diags.append(Diagnostic("CFG301", "reference to undefined ct timeout '%s'" % name, self.s,
                                               Impact.FILTER, "timeouts"))
                return
            proto, l3, policy, osrc = obj
            if "established" not in policy:
                return
            space = ALL_V4 if l3 == (4,) else ALL_V6 if l3 == (6,) else ALL_ADDR
            match = PacketSet([cube(src=space, dst=space, proto=ISet.of(proto) if proto else ALL_PROTO)])
            self.timeout = Timeout(match, policy["established"], self.s,
                                   label='ct timeout "%s" (established %d s, line %d)' % (
                                       name, policy["established"], osrc.line))
        elif self.peek() == "set" or key in ("mark", "zone", "label", "helper", "event", "expectation"):
            self.skip_to_keyword(first=self.peek() == "set")
        else:
            self.unknown("ct %s" % key)

    def tcp_flags(self) -> None:
        m = self.m
        m.restrict(2, ISet.of(6))
        rest = []
        while self.k < len(self.toks) and not (self.kind() == "w" and self.peek() in STATEMENTS):
            rest.append(self.toks[self.k].value)
            self.k += 1
        text = re.sub(r"\s*([,|/])\s*", r"\1", " ".join(rest))
        try:
            mm = re.match(r"^(==|!=)?\s*([\w|,{} ]+?)\s*(?:/\s*([\w|,{}()]+))?$", text)
            mm2 = re.match(r"^&\s*\(?([\w|,]+)\)?\s*(==|!=)\s*\(?([\w|,]+)\)?$", text)
            if mm2:
                mask, op, comp = ipt.tcp_flag_bits(mm2.group(1)), mm2.group(2), ipt.tcp_flag_bits(mm2.group(3))
                hit = (ipt.SYN_PACKET & mask) == comp
                neg = op == "!="
            elif mm and mm.group(3):
                comp, mask = ipt.tcp_flag_bits(mm.group(2).strip("{} ")), ipt.tcp_flag_bits(mm.group(3))
                hit = (ipt.SYN_PACKET & mask) == comp
                neg = mm.group(1) == "!="
            elif mm:
                flags = ipt.tcp_flag_bits(mm.group(2).strip("{} "))
                hit = bool(ipt.SYN_PACKET & flags) if mm.group(1) is None else ipt.SYN_PACKET == flags
                neg = mm.group(1) == "!="
            else:
                raise ParseError("tcp flags '%s'" % text)
        except ParseError:
            m.unsure.append("tcp flags")
            self.pending.append("'tcp flags %s' is not supported" % text)
            return
        if hit == neg:
            m.never = True

    def selector(self, sel: tuple[str, str]) -> None:
        op, vals = self.value()
        if op == "vmap":
            if self.kind() == "{":
                elems, used = self.p.set_elements(self.toks[self.k:])
                self.k += used
                self.vmap = (sel, elems)
            else:
                self.k += 1
                self.vmap = (sel, None)
            return
        self.apply(self.m, sel, op, vals)

    def apply(self, m: Match, sel: tuple[str, str], op: str, vals: list[list[str]] | None) -> None:
        """Narrow ``m`` by ``SELECTOR OP VALUES``."""
        a, b = sel
        fam_dep = {"ip": ALL_V4, "ip6": ALL_V6, "icmp": ALL_V4, "icmpv6": ALL_V6}.get(a)
        if fam_dep is not None:
            m.restrict(0, fam_dep)
            m.restrict(1, fam_dep)
        if a == "meta" and b in ("iifname", "oifname", "iif", "oif"):
            names = {v[0] for v in vals or []}
            if vals is not None and names == {"lo"} and op in ("eq", "ne"):
                lo = ISet.of(0xFFFF7F000000, 0xFFFF7FFFFFFF).union(ISet.of(1))
                dim = 0 if b.startswith("i") else 1
                m.restrict(dim, ALL_ADDR.subtract(lo) if op == "ne" else lo)
                self.notes.append("loopback: only the host's own loopback addresses")
            else:
                m.unsure.append("%s" % b)
                self.notes.append("%s %s not modelled" % (b, ",".join(sorted(names)) or "@set"))
            return
        if vals is None:
            m.unsure.append("set contents")
            self.pending.append("the contents of a dynamic or undefined set are unknown")
            if a in PORT_PROTOS:
                m.restrict(2, ISet.of(PORT_PROTOS[a]))
            return
        if any(len(v) != 1 for v in vals):
            m.unsure.append("concatenation")
            self.pending.append("concatenated set elements are not supported")
            return
        items = [v[0] for v in vals]
        if a in ("ip", "ip6") and b in ("saddr", "daddr"):
            fam = 4 if a == "ip" else 6
            s = EMPTY
            for x in items:
                s = s.union(self.addr(x, fam))
            self.refs.append(AddressRef(s, self.s))
            dim = 0 if b == "saddr" else 1
            m.restrict(dim, self.relate(op, s, ipt.family_space(fam)))
        elif sel in (("ip", "protocol"), ("ip6", "nexthdr"), ("meta", "l4proto")):
            s = EMPTY
            for x in items:
                n = ipt.proto_number(x)
                if n is None:
                    raise ParseError("unknown protocol '%s'" % x)
                s = s.union(ISet.of(n))
            m.restrict(2, self.relate(op, s, ALL_PROTO))
        elif sel in (("meta", "nfproto"), ("meta", "protocol")):
            s = EMPTY
            for x in items:
                s = s.union({"ipv4": ALL_V4, "ip": ALL_V4, "ipv6": ALL_V6, "ip6": ALL_V6}.get(x, EMPTY))
            s = self.relate(op, s, ALL_ADDR)
            m.restrict(0, s)
            m.restrict(1, s)
        elif b in ("sport", "dport"):
            protos = ISet.of(PORT_PROTOS[a]) if a in PORT_PROTOS else ipt.PORTED
            m.restrict(2, protos)
            s = EMPTY
            for x in items:
                s = s.union(port_value(x))
            m.restrict(3 if b == "sport" else 4, self.relate(op, s, ALL_PORTS))
        elif a in ("icmp", "icmpv6") and b in ("type", "code"):
            m.restrict(2, ISet.of(PROTO_ICMP if a == "icmp" else PROTO_ICMP6))
            names = ICMP_NFT if a == "icmp" else ICMP6_NFT
            s = EMPTY
            for x in items:
                if b == "type":
                    if x in names:
                        s = s.union(ipt.icmp_iset(*names[x]))
                    elif x.isdigit():
                        s = s.union(ipt.icmp_iset(int(x), None))
                    else:
                        raise ParseError("unknown ICMP type '%s'" % x)
                else:
                    code = int(x) if x.isdigit() else None
                    if code is None or code > 255:
                        raise ParseError("unknown ICMP code '%s'" % x)
                    s = s.union(ISet([(t * 256 + code, t * 256 + code) for t in range(256)]))
            m.restrict(4, self.relate(op, s, ALL_PORTS))
        elif a == "ct" and b == "state":
            v = ipt.new_flow_state([x for x in items], op == "ne")
            if op not in ("eq", "ne"):
                raise ParseError("ct state %s" % op)
            if v is None:
                m.unsure.append("ct state")
            elif not v:
                m.never = True
        else:
            raise ParseError("unsupported match '%s %s'" % sel)

    def relate(self, op: str, s: ISet, universe: ISet) -> ISet:
        if op == "eq":
            return s
        if op == "ne":
            return universe.subtract(s)
        if not s.iv or len(s.iv) != 1 or s.lo != s.hi:
            raise ParseError("'%s' needs one value" % op)
        v = s.lo
        lo, hi = universe.lo, universe.hi
        rng = {"lt": (lo, v - 1), "le": (lo, v), "gt": (v + 1, hi), "ge": (v, hi)}[op]
        return ISet.of(*rng).intersect(universe)

    def addr(self, x: str, fam: int) -> ISet:
        if "-" in x and "/" not in x:
            lo, hi = x.split("-", 1)
            a, b = ipt.parse_addr(lo, fam), ipt.parse_addr(hi, fam)
            return ISet.of(a.lo, b.lo)
        return ipt.parse_addr(x, fam)

    def finish(self) -> list[RawRule]:
        sure, poss = self.m.cond()
        refs = tuple(self.refs)
        self.p.address_refs.extend(refs)
        note = "; ".join(self.notes)
        out: list[RawRule] = []
        if self.timeout is not None:
            out.append(RawRule(sure, poss, "none", self.s, refs=refs, timeout=self.timeout, note=note))
        if self.vmap is not None:
            sel, elems = self.vmap
            if elems is None:
                self.pending.append("verdict map contents are unknown")
                out.append(RawRule(NOTHING, poss, "unknown", self.s, refs=refs, note="vmap"))
            else:
                for el in elems:
                    if ":" in el:
                        i = el.index(":")
                        key, verdict = el[:i], el[i + 1:]
                    elif el and el[0].endswith(":"):
                        key, verdict = [el[0][:-1]], el[1:]
                    else:
                        raise ParseError("bad verdict map element")
                    m = copy.deepcopy(self.m)
                    self.apply(m, sel, "eq", [key])
                    es, ep = m.cond()
                    v = verdict[0] if verdict else ""
                    v = {"reject": "drop", "continue": "none"}.get(v, v)
                    if v not in ("accept", "drop", "return", "jump", "goto", "none"):
                        raise ParseError("bad verdict '%s'" % " ".join(verdict))
                    out.append(RawRule(es, ep, v, self.s, target=verdict[1] if len(verdict) > 1 else None,
                                       refs=refs, note=note))
        elif self.verdict is not None:
            if self.verdict == "unknown":
                sure = NOTHING
            out.append(RawRule(sure, poss, self.verdict, self.s, target=self.target, refs=refs, note=note))
        affects = any(r.verdict != "none" and r.possible for r in out)
        if self.pending and affects:
            self.p.unrecognized(self.s, "; ".join(self.pending), Impact.FILTER,
                                "%s/%s/%s" % (self.t.family, self.t.name, self.c.name))
        return out


def port_value(x: str) -> ISet:
    if "-" in x and x not in ipt.SERVICES:
        lo, hi = x.split("-", 1)
        a, b = ipt.port_number(lo), ipt.port_number(hi)
        if b < a:
            raise ParseError("bad port range '%s'" % x)
        return ISet.of(a, b)
    return ISet.of(ipt.port_number(x))


def parse(text: str, path: str) -> Config:
    """Parse an nftables ruleset into the normalized rule graph."""
    return NftParser(text, path).build()


ADVICE = {
    "CFG300": "Feed the output of `nft list ruleset` as it is, not a script that builds it.",
    "CFG301": "A `jump CHAIN` target or a named set must exist (`nft add chain ...`, `nft add set ...`).",
    "PRN100": "Add an accept before the drop in the chain that carries the flow (`nft insert rule inet filter "
              "forward position H ip saddr 10.30.0.0/24 ip daddr 10.20.0.10 tcp dport 445 accept`), and "
              "`ct state established,related accept` where the policy drops the replies.",
    "PRN120": "Raise `net.netfilter.nf_conntrack_tcp_timeout_established` (default 5 days is fine), or give the "
              "Prinergy ports a `ct timeout` policy with an established timeout of at least one shift.",
    "PRN150": "Restrict `ip saddr` of the accept rule to the site's prefixes.",
    "PRN160": "Delete the accept for `tcp dport 548`.",
}


VENDOR = Vendor(
    NAME, 'Linux nftables',
    'nft list ruleset',
    detect, parse, advice=ADVICE)
