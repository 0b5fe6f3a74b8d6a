"""Linux nftables (``nft list ruleset``, or an ``nft -f`` script) -> the vendor-neutral rule graph.

Read: ``table FAMILY NAME { ... }`` blocks (a table or chain declared twice is one table or
chain, as ``nft -f`` merges them), base chains (``type filter|nat|route hook HOOK priority P;
policy accept|drop;``), regular chains, named sets, ``ct timeout`` objects, ``define``
variables, the ``add``/``insert``/``create``/``replace``/``delete`` command forms, and the
``# handle N`` comments of ``nft -a list ruleset``.

Semantics translated here (the shared pieces live in ``parsers.linux.common``):

* every base chain is a stateless stage: its rules decide every packet, the first of a
  connection and the later ones, replies included; ``ct state``, ``ct direction`` and
  ``tcp flags`` say which of them a rule matches (``Rule.states``);
* a hook's base chains run in priority order, each one a ``Stage``: a packet must be accepted
  by every base chain of its hooks; ``jump``/``goto``/``return`` are flattened as for
  iptables; a ``type filter`` base chain at the input, forward or output hook ends with a rule
  for its policy, attributed to the ``policy`` line; the other base chains (prerouting,
  postrouting, ``type nat``, ``type route``) pass what they do not drop on: their policy is
  their stage's default;
* ``type nat`` chains see only a connection's first packet (the nftables wiki, "Performing
  Network Address Translation"): their drops and rejects filter new connections;
* ``dnat``/``redirect`` (``NftParser.dest_nats``): the packets that reach it (through the jumps, gotos
  and verdict maps of the nat base chains of prerouting and output) are unknown there, the others
  untouched; where a chain met before it may drop what it translates to, or its reach is not known,
  it could change any verdict (reported so);
* ``numgen random|inc mod N [offset O] vmap { ... }``: each element may take the packet (the nftables
  wiki, "Load balancing"), the last one every packet the others left when they cover every number;
* a ``return`` or ``goto`` whose match is uncertain, where the packet ends as the base chain's policy
  whether it returns or not, is that (``common.moot_returns``);
* ``add rule ... index N | position H | handle H`` places the rule after the rule at index N
  (counting from 0) or with handle H, ``insert rule`` before it (nft(8), RULES;
  libnftables-json(5)); ``replace``/``delete rule ... handle H`` replace and delete; a rule
  whose place cannot be found is reported and makes its packets unknown from the top of
  the chain;
* ``ip``/``ip6`` tables only see their family, ``inet`` (and ``bridge``) both; a family gets
  paths only from tables that see it (the other family is not routed);
* ``bridge`` tables filter bridged frames and ``netdev``/ingress chains the packets of their
  devices: whether Prinergy traffic is bridged, or arrives on those devices, is not in the
  ruleset, so what they drop is ``unknown`` (what they accept changes nothing); ``arp``
  tables that can drop make every verdict unknown (dropped ARP breaks the IP traffic of the
  hosts it resolves);
* ``iifname``/``oifname`` other than ``lo`` make a rule uncertain; ``lo`` is the host talking
  to itself (loopback source and destination);
* a concatenation (``ip saddr . tcp dport @set``, ``icmpv6 type . icmpv6 code { 2 . 0, 4 . 1 }``) matches
  the packets whose selectors' values together are one element (the union over the elements, never
  the product of the columns); ``!=`` or a verdict map on one is not modelled (unknown);
* ``define`` in a table block binds for that block only (nft's parser_bison.y: ``common_block`` in
  ``table_block``, whose ``table_block_alloc`` opens a scope); ``table FAMILY NAME`` without a block
  (fw4's script) is ``add table`` ("base_cmd : /* empty */ add_cmd");
* ``fib saddr|daddr [. iif|oif] type [!=] TYPES`` (``parsers.linux.common``, ``FibTypeCond``): as
  iptables' ``-m addrtype``, the base chain's hook saying whether the packet is addressed to the host
  (``hook input``) or sent by it (``hook output``); the ``oif``/``oifname`` lookups are not modelled;
* ``ct mark``/``zone``/``label``/``helper``/``status``/``expiration``/``count`` and other
  expressions the model cannot decide make the rule uncertain, never unconditional;
* ``notrack`` (in a chain running before conntrack): the packets it untracks are
  UNTRACKED to every later ``ct state``;
* ``ct timeout set "NAME"`` gives the traffic reaching it the ``established`` value of the
  ``ct timeout NAME`` object (a ``Timeout`` record); the rest keeps the Linux default (or
  the sysctl input's value).  It acts on a connection not yet confirmed (its first packet) and
  replaces the policy an earlier one attached, so the last one that packet meets is in force
  (Linux net/netfilter/nft_ct.c, ``nft_ct_timeout_obj_eval``: "if (!ct || nf_ct_is_template(ct)
  || nf_ct_is_confirmed(ct)) return;" then ``rcu_assign_pointer(timeout->timeout, ...)`` over
  the one found): the records are taken last first, each only on the paths its chain's hook is on
  (an input chain's is not for what the host routes);
* an ``ip6``/``inet`` base chain on the host's input or output path (not ``type nat``) that drops
  neighbour discovery (UNTRACKED to conntrack: ``ct state established,related`` or ``new`` does
  not take it) is reported, and every IPv6 path ends with a stage that leaves what the chains
  let through unknown (``parsers.linux.common``, "neighbour discovery").
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace

from auditor.core.model import (
    NEW,
    USER_CHAIN,
    Action,
    AddressRef,
    Config,
    Filter,
    Impact,
    Path,
    Rule,
    Source,
    Timeout,
)
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    ISet,
    PacketSet,
    cube,
)
from parsers.kit import Lines, Vendor
from parsers.kit.vendor import score, signs
from parsers.linux.common import (
    ADDR_TYPES,
    BLIND_DNAT,
    DNAT_NOTE,
    HOP_LIMIT_255,
    ICMP6_CODES,
    ICMP6_NAMES,
    ICMP_CODES,
    ICMP_NAMES,
    LOCAL,
    LOOPBACK,
    PLAIN,
    PORTED,
    RAW,
    SERVICES,
    AnyFlagCond,
    Ctx,
    DirCond,
    Entry,
    FibTypeCond,
    FlagCond,
    Flats,
    Flattener,
    LinuxAux,
    Match,
    ParseError,
    RawRule,
    RpfCond,
    StateCond,
    accepts_all,
    addr_range,
    addr_set,
    addr_type_note,
    assemble,
    c_number,
    default_timeout,
    dnat_image,
    drops_image,
    family_space,
    final_drops,
    icmp_iset,
    inert_chains,
    live_returns,
    mirror,
    moot_permits,
    moot_returns,
    nd_ctx,
    nd_dropper,
    nd_stage,
    port_number,
    proto_number,
    reached_from,
    report_dnat,
    returns_before_unknowns,
    rpf_why,
    stage,
    tcp_flag_bits,
    timeouts_from,
    to_rules,
    translated_cubes,
    untracked_from,
)

NAME = "nftables"

FAMILIES = {"ip": (4,), "ip6": (6,), "inet": (4, 6), "netdev": (4, 6)}
IP_FAMILIES = ("ip", "ip6", "inet")
OTHER_FAMILIES = ("arp", "bridge")
HOOK_ORDER = {"ingress": 0, "prerouting": 1, "input": 2, "forward": 2, "output": 1, "postrouting": 3,
              "egress": 4}
PATH_HOOKS = {
    "in": ("ingress", "prerouting", "input"),
    "fwd": ("ingress", "prerouting", "forward", "postrouting", "egress"),
    "out": ("output", "postrouting", "egress"),
}
HOOK_PATHS = {"ingress": ("in", "fwd"), "prerouting": ("in", "fwd"), "input": ("in",), "forward": ("fwd",),
              "output": ("out",), "postrouting": ("fwd", "out"), "egress": ("fwd", "out")}
PRIMARY = {"in": "input", "fwd": "forward", "out": "output"}
# the hooks whose type nat chains take each NAT statement (the kernel's nft_masq.c, nft_nat.c, nft_redir.c:
# ``nft_chain_validate_hooks``; nft(8), NAT STATEMENTS: "snat ... only valid in the postrouting and input hooks")
NAT_HOOKS = {"masquerade": ("postrouting",), "snat": ("postrouting", "input"), "dnat": ("prerouting", "output"),
             "redirect": ("prerouting", "output")}
# the hooks that see only the packets addressed to the host / sent by it (``Ctx.local``)
LOCAL_HOOK = {"input": "in", "output": "out"}
# the standard priorities (nft(8), "CHAINS"; the nftables wiki, "Netfilter hooks")
PRIORITY_NAMES = {"raw": -300, "mangle": -150, "dstnat": -100, "filter": 0, "security": 50, "srcnat": 100,
                  "out": 100}
CONNTRACK_PRIORITY = -200  # NF_IP_PRI_CONNTRACK: chains below it run before conntrack
# the hooks where conntrack looks the packet up (the nftables wiki, "Netfilter hooks", priority
# table: NF_IP_PRI_CONNTRACK on prerouting and output); at every later hook the packet has its state
CONNTRACK_HOOKS = ("prerouting", "output")
TABLE_BLOCKS = ("chain", "set", "map", "flowtable", "counter", "quota", "ct", "limit", "secmark", "synproxy")
VERDICTS = ("accept", "drop", "reject", "return", "continue", "jump", "goto", "queue")
# words that start a match (a selector: nft(8), "EXPRESSIONS") or a statement that never ends
# the rule (nft(8), "STATEMENTS": dup, set, flow offload...): a rule with such an unknown part
# and no verdict decides nothing.  Any other unknown word may be a verdict statement (``xt
# target "REJECT"``, ``synproxy``, ``fwd``): such a rule is of unknown verdict.
# header expressions whose field the message of one not modelled names ('ip ttl', not 'ip')
_HEADERS = frozenset(("ip", "ip6", "icmp", "icmpv6", "igmp", "ah", "esp", "comp", "th", "hbh", "frag", "dst", "mh",
                      "srh"))
MATCH_OR_SIDE_EFFECT = frozenset((
    "ether", "vlan", "arp", "ip", "ip6", "icmp", "icmpv6", "igmp", "tcp", "udp", "udplite", "sctp", "dccp",
    "ah", "esp", "comp", "th", "hbh", "frag", "rt", "rt0", "rt2", "srh", "dst", "mh", "meta", "fib", "ipsec",
    "socket", "osf", "numgen", "jhash", "symhash", "exthdr", "quota", "iifgroup", "oifgroup", "iiftype",
    "oiftype", "skuid", "skgid", "pkttype", "cpu", "length", "priority", "rtclassid", "ibrname", "obrname",
    "nftrace", "day", "hour", "time", "random", "secpath", "cgroup", "protocol", "dup", "set", "update", "add",
    "delete", "flow", "last", "secmark", "mark"))
STATEMENTS = ("counter", "log", "comment", "limit", "notrack", "snat", "dnat", "masquerade", "redirect",
              "meta", "ct", "ip", "ip6", "tcp", "udp", "udplite", "sctp", "dccp", "th", "icmp", "icmpv6",
              "iifname", "oifname", "iif", "oif", "l4proto", "nfproto", "mark", "vmap") + VERDICTS


# (pattern, points): nftables' own shapes (a table with its family scores above one without);
# iptables-save and ASA lines count against
_SIGNS = signs(
    (r"^\s*table\s+(ip|ip6|inet|arp|bridge|netdev)\s+\S+\s*\{", 60),
    (r"^\s*table\s+\S+\s*\{", 30),
    (r"^\s*chain\s+\S+\s*\{", 20),
    (r"\btype\s+(filter|nat|route)\s+hook\s+\w+", 25),
    (r"^\s*(add|insert)\s+(rule|chain|table)\s+", 40),
    (r"^\s*flush\s+ruleset\s*$", 20),
    (r"^(?:\*(filter|nat|mangle|raw)\s*$|-A \S+|access-list )", -40),
)


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is nftables ruleset syntax."""
    return score(text[:200000], _SIGNS)


# a set element's options that say it leaves the set (nft(8), SETS and ELEMENTS: "timeout", "expires")
_EXPIRING = frozenset(("timeout", "expires"))
_EXPIRES = ("set %s has elements with a timeout (nft(8), SETS: \"time an element stays in the set\"): they leave it "
            "when they expire, so its contents are not those listed for long")


class Refused(ParseError):
    """A rule nft or the kernel refuses: 'nft -f' loads nothing of its input (one transaction), so the
    rules in force are not these."""


def base_reach(t: "TableDef") -> dict[str, list["ChainDef"]]:
    """The base chains of ``t`` whose packets reach each chain through ``jump``/``goto``, verdict maps
    included (a chain no base chain reaches has none).  The kernel checks a regular chain's expressions
    against these: nf_tables_api.c ``nft_table_validate`` walks every base chain, and a jump's target with
    the base chain's context (nft_immediate.c ``nft_immediate_validate``), so ``nft_chain_validate_hooks``
    and ``nft_chain_validate_dependency`` see the base chain's hook and type."""
    targets: dict[str, set[str]] = {}
    for c in t.chains.values():
        got = targets[c.name] = set()
        for rd in c.rules:
            words = [x.value for x in rd.toks]
            for j, w in enumerate(words[:-1]):
                if w in ("jump", "goto"):
                    got.add(words[j + 1])
                elif w == "vmap" and words[j + 1].startswith("@"):
                    m = t.sets.get(words[j + 1][1:])
                    for el in m.elems or () if m is not None else ():
                        got.update(el[k + 1] for k, x in enumerate(el[:-1]) if x in ("jump", "goto"))
        got.intersection_update(t.chains)
    reach = reached_from([c.name for c in t.chains.values() if c.hook is not None], targets)
    return {n: [t.chains[b] for b in bases] for n, bases in reach.items()}


# --- tokens and statements ------------------------------------------------------------

@dataclass(slots=True)
class Tok:
    kind: str  # w (word), s (string), { } ; , nl, h (a '# handle N' comment)
    value: str
    line: int


_SPECIAL = set("{};,\"#")
_HANDLE = re.compile(r"#\s*handle\s+(\d+)\s*$")


_TOKEN = re.compile(r"""[ \t\r\f]+|(#.*)|(\\[ \t\r\f]*$)|"((?:[^"\\]|\\.|\\$)*)"?|([{};,])|([^ \t\r\f{};,"#]+)""")
_UNESCAPE = re.compile(r"\\(.)")


def tokenize(lines: list[str], comment) -> list[Tok]:
    """The tokens of the input; ``comment(i)`` is told of each line that is only a comment.

    nft(8), LEXICAL CONVENTIONS: ``#`` starts a comment, a backslash at the end of a line
    continues it, ``"..."`` quotes (a backslash escapes the next character), ``;`` separates
    commands on one line.
    """
    out: list[Tok] = []
    for ln, raw in enumerate(lines, 1):
        start = len(out)
        if not _line_tokens(raw, ln, out, start):
            if len(out) == start and _COMMENT_ONLY.match(raw):
                comment(ln - 1)
            out.append(Tok("nl", "", ln))
    return out


_COMMENT_ONLY = re.compile(r"[ \t\r\f]*#")


def _line_tokens(raw: str, ln: int, out: list[Tok], start: int) -> bool:
    """Append the tokens of one line (or of its text after an untranslated extension's print,
    from ``start``, the line's first token); True if a backslash continues it."""
    append = out.append
    for m in _TOKEN.finditer(raw):
        k = m.lastindex
        if k is None:
            continue  # blanks
        if k == 1:
            h = _HANDLE.match(m.group(1))
            if h:
                append(Tok("h", h.group(1), ln))
            else:
                rest = _xt_print(out, start, m.group(1), ln)
                if rest is not None:
                    return _line_tokens(rest, ln, out, start)
            return False
        if k == 2:
            return True
        if k == 3:
            v = m.group(3)
            append(Tok("s", _UNESCAPE.sub(r"\1", v) if "\\" in v else v, ln))
        elif k == 4:
            v = m.group(4)
            append(Tok(v, v, ln))
        else:
            append(Tok("w", m.group(5), ln))
    return False


# nft built with xtables support (Debian's and Ubuntu's packages) lists an iptables-nft rule's
# match or target that it cannot translate as ``#`` and the extension's own print, on the
# rule's line, and goes on with the rest of the rule (nftables' src/xt.c, xt_stmt_xlate; nft
# without it lists ``xt match "NAME"``).  iptables-nft gives every rule a counter, after its
# matches and before its target, so the print of a match runs up to the word ``counter`` and
# the rule goes on from there; a print after the counter is the target's.  A comment after a
# rule that states its verdict is a comment; a line that starts with one is a rule only if a
# listed counter (``counter packets N bytes N``, which nobody types) follows in it.
_XT_COUNTER = re.compile(r"(?<!\S)counter(?!\S)")
_XT_LISTED = re.compile(r"(?<!\S)counter\s+packets\s+\d+\s+bytes\s+\d+(?!\S)")
_COUNTED = re.compile(r"(?:^|\s)counter(?:\s+packets\s+\d+\s+bytes\s+\d+)?$")


def _xt_print(out: list[Tok], start: int, text: str, ln: int) -> str | None:
    """Read a comment after the tokens ``out[start:]`` of its line (none: the line starts with
    it) as an untranslated extension: append a token for it and return the text that goes on
    with the rule ('' when nothing), or None if it is a comment."""
    before = out[start:]
    if not before:
        c = _XT_LISTED.search(text)
        if c is None:
            return None
        out.append(Tok("xm", text[1:c.start()].strip(), ln))
        return text[c.start():]
    if any(t.kind == "w" and t.value in VERDICTS for t in before) or before[0].kind != "w":
        return None
    c = _XT_COUNTER.search(text)
    if c is not None:
        out.append(Tok("xm", text[1:c.start()].strip(), ln))
        return text[c.start():]
    if _COUNTED.search(" ".join(t.value for t in before)):
        out.append(Tok("xt", text[1:].strip(), ln))
        return ""
    return None


@dataclass
class Stmt:
    toks: list[Tok]
    line: int
    children: list["Stmt"] | None = None
    last: int = 0  # the last line of its own tokens
    opened: int = 0  # a block's '{' line
    end: int = 0  # a block's '}' line
    handle: int | None = None

    def words(self) -> list[str]:
        return [t.value for t in self.toks]


def _stmt(cur: list[Tok]) -> Stmt | None:
    handle = None
    while cur and cur[-1].kind == "h":
        handle = int(cur.pop().value)
    toks = [t for t in cur if t.kind != "h"]
    if not toks:
        return None
    return Stmt(toks, toks[0].line, last=toks[-1].line, handle=handle)


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

        def flush() -> None:
            st = _stmt(cur)
            if st is not None:
                stmts.append(st)
            cur.clear()

        while pos < len(toks):
            t = toks[pos]
            if depth == 0 and t.kind in (";", "nl"):
                flush()
                pos += 1
                continue
            if depth == 0 and t.kind == "}":
                flush()
                if closing:
                    return stmts, pos + 1
                return stmts, pos
            if t.kind == "{":
                kind = self.opens(cur, ctx) if depth == 0 else None
                if kind is not None:
                    head = _stmt(list(cur))
                    cur.clear()
                    children, nxt = self.block(pos + 1, kind, True)
                    head.children = children
                    head.opened = t.line
                    head.end = toks[nxt - 1].line if nxt - 1 < len(toks) and toks[nxt - 1].kind == "}" else t.line
                    stmts.append(head)
                    pos = nxt
                    continue
                depth += 1
            elif t.kind == "}":
                depth -= 1
            elif t.kind == "nl":
                pos += 1
                continue
            cur.append(t)
            pos += 1
        flush()
        if closing:
            self.report(toks[-1].line if toks else 1, "missing '}'")
        return stmts, pos


# --- the ruleset ----------------------------------------------------------------------

@dataclass
class RuleDef:
    toks: list
    source: Source
    handle: int | None = None
    last: int = 0  # its last line (a rule may span several)


@dataclass
class ChainDef:
    name: str
    source: Source
    rules: list = field(default_factory=list)  # RuleDef
    type: str | None = None
    hook: str | None = None
    priority: int = 0
    policy: Action | None = None
    base_src: Source | None = None
    policy_src: Source | None = None
    order: int = 0
    devices: tuple[str, ...] = ()


@dataclass
class SetDef:
    elems: list | None  # None: filled in by the packet path (dynamic), contents unknown
    source: Source
    resolved: dict = field(default_factory=dict)  # selector -> ISet, built once from the members
    why: str = ""  # why its contents are unknown (elems None), where more is known than "dynamic or undefined"


@dataclass
class TableDef:
    family: str
    name: str
    source: Source
    chains: dict = field(default_factory=dict)
    sets: dict = field(default_factory=dict)  # name -> SetDef
    timeouts: dict = field(default_factory=dict)  # name -> (proto, l3 families, policy dict, Source)
    dormant: bool = False


class NftParser:
    """One parse of one file; use ``parse()``."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = Lines(text, path)
        self.tables: dict[tuple[str, str], TableDef] = {}
        self.vars: dict[str, list[Tok]] = {}
        self.address_refs: list[AddressRef] = []
        self.remarks: list[tuple[str, Source]] = []  # (filter name, the line) of rules with a comment
        self.chain_count = 0
        self.dollars = "$" in text  # (variables to substitute somewhere)
        # whether anything in the ruleset may translate a destination (a dnat or redirect statement, an
        # iptables-nft DNAT/REDIRECT/NETMAP target; any other use of the words counts too)
        self.dest_nat_words = len(_DEST_NAT.findall(_CT_STATUS_DNAT.sub("", text)))
        self.dest_nat = self.dest_nat_words > 0
        self.translated: PacketSet | None = None  # (``translated_packets``)
        self._reported: set = set()
        # the base chains that reach each chain of the table being read (``base_reach``)
        self.reach: dict[str, list[ChainDef]] = {}
        # line -> (the statement, where it sends its packets: ``dnat_target``) of each dnat and redirect
        self.dnat: dict[int, tuple] = {}  # (and its table's family and name)
        # line -> (what is not understood, its scope), of the jumps whose match is not understood
        self.unsure_jumps: dict[int, tuple[str, str, int]] = {}  # (and how many lines more it spans)
        # returns whose match is not understood (their line, why, chain, last line), and the lines of those
        # that may change a verdict
        self.unsure_returns: dict[int, tuple[Source, str, str, int]] = {}
        self.live: set[int] = set()

    def src(self, line: int) -> Source:
        return self.lines.source(line - 1)

    def unrecognized(self, source: Source, why: str, impact: Impact = Impact.GLOBAL, scope: str = "") -> None:
        self.lines.unrecognized(source, why, impact, scope)

    def report(self, code: str, message: str, source: Source, scope: str) -> None:
        """A diagnostic found while flattening (once per line and message)."""
        key = (code, message, source.line)
        if key not in self._reported:
            self._reported.add(key)
            self.lines.report(code, message, source, Impact.FILTER, scope)

    # line accounting of statements
    def use(self, st: Stmt) -> None:
        self.lines.use(st.line - 1, st.last)
        if st.children is not None:
            self.lines.use(st.opened - 1)
            self.lines.use(st.end - 1)

    def ignore(self, st: Stmt, why: str) -> None:
        self.lines.ignore(st.line - 1, why, max(st.last, st.end))

    # --- pass 1: statements -> tables --------------------------------------------------
    def subst(self, st: Stmt) -> Stmt:
        if not self.dollars or not any(t.kind == "w" and t.value.startswith("$") for t in st.toks):
            return st
        out: list[Tok] = []
        for t in st.toks:
            if t.kind == "w" and t.value.startswith("$"):
                if t.value[1:] not in self.vars:
                    raise ParseError("undefined variable '%s'" % t.value)
                out.extend(Tok(v.kind, v.value, t.line) for v in self.vars[t.value[1:]])
            else:
                out.append(t)
        return Stmt(out, st.line, st.children, st.last, st.opened, st.end, st.handle)

    def top(self, stmts: list[Stmt]) -> None:
        for st in stmts:
            s = self.src(st.line)
            w = st.words()
            try:
                if w[0] == "define" and len(w) >= 3 and w[2] == "=":
                    self.vars[w[1]] = st.toks[3:]
                    self.use(st)
                    continue
                st = self.subst(st)
                w = st.words()
                if w[0] == "table" and st.children is not None:
                    fam, name = (w[1], w[2]) if len(w) >= 3 else ("ip", w[1])
                    self.use(st)
                    self.table_block(self.table(fam, name, s), st.children)
                elif w[:2] == ["flush", "ruleset"]:
                    for t in self.tables.values():
                        self.forget(t)
                    self.tables.clear()
                    self.use(st)
                elif w[0] in ("add", "create", "insert", "replace", "delete", "destroy") and len(w) >= 3:
                    self.command(st, s)
                elif w[0] == "flush" and len(w) >= 2 and w[1] in ("table", "chain"):
                    self.flush(w, st)
                elif w[0] == "include":
                    self.unrecognized(s, "included files are not among the inputs")
                elif w[0] in ("table", "chain") and len(w) >= 2:
                    # 'table inet fw4' (fw4's script), 'chain inet fw4 input { ... }': a command without
                    # its verb adds (nftables' parser_bison.y, "base_cmd : /* empty */ add_cmd")
                    self.command(replace(st, toks=[Tok("w", "add", st.line)] + st.toks), s)
                else:
                    self.unrecognized(s, "unknown statement '%s'" % w[0])
            except (ParseError, IndexError) as e:
                self.unrecognized(s, str(e) or "bad statement")

    def forget(self, t: TableDef) -> None:
        """The rules of ``t`` are flushed or deleted by a later line: theirs have no effect."""
        for c in t.chains.values():
            for r in c.rules:
                self.drop_rule(r, "flushed or deleted by a later line")

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
        if obj == "ct" and len(w) > 2 and verb in ("add", "create"):
            fam, rest = self.split_ref(w[3:])
            t = self.table(fam, rest[0], s)
            self.use(st)
            self.object_block(t, ["ct", w[2], rest[1]], st.children or [], s)
            return
        fam, rest = self.split_ref(w[2:])
        skip = len(w) - len(rest) + 2  # verb obj [family] table name
        if verb in ("delete", "destroy"):
            self.delete(obj, fam, rest, st)
            return
        if obj == "table":
            t = self.table(fam, rest[0], s)
            self.use(st)
            if st.children:
                self.table_block(t, st.children)
        elif obj == "chain":
            t = self.table(fam, rest[0], s)
            c = self.chain(t, rest[1], s)
            self.use(st)
            if st.children:
                self.chain_body(t, c, st.children)
        elif obj == "rule":
            t = self.table(fam, rest[0], s)
            c = self.chain(t, rest[1], s)
            self.place(verb, c, st.toks[skip:], s, st.last)
        elif obj in ("set", "map") and st.children is not None:
            t = self.table(fam, rest[0], s)
            self.use(st)
            self.set_block(t, rest[1], st.children, s)
        elif obj == "element" and verb in ("add", "create"):
            t = self.table(fam, rest[0], s)
            name = rest[1]
            elems, _ = self.set_elements(st.toks[skip:])
            old = t.sets.get(name)
            if old is None:
                old = t.sets[name] = SetDef(elems, s)
            elif old.elems is not None:
                old.elems = old.elems + elems
                old.resolved.clear()
            if any(x.value in _EXPIRING for x in st.toks[skip:]):
                old.elems, old.why = None, _EXPIRES % name
            self.use(st)
        else:
            self.unrecognized(s, "unsupported command '%s %s'" % (verb, obj))

    def place(self, verb: str, c: ChainDef, body: list[Tok], s: Source, last: int) -> None:
        """``add``/``insert``/``create``/``replace rule ... [index N | position H | handle H]``."""
        where, ref = None, None
        if body and body[0].value in ("position", "index", "handle") and len(body) > 1 and body[1].value.isdecimal():
            where, ref = body[0].value, int(body[1].value)
            body = body[2:]
        rd = RuleDef(body, s, last=last)
        rules = c.rules
        if where is None:
            if verb == "replace":
                raise ParseError("'replace rule' needs a handle")
            if verb == "insert":
                rules.insert(0, rd)
            else:
                rules.append(rd)
            return
        if where == "index":
            k = ref if ref < len(rules) else None
        else:
            k = next((n for n, r in enumerate(rules) if r.handle == ref), None)
        if k is None:
            # the rule it is placed against is not in the input (a handle of the running ruleset):
            # where the kernel puts it cannot be told
            self.unrecognized(s, "rule %s %d is not in the input: where this rule goes in chain %s cannot be "
                                 "told" % (where, ref, c.name), Impact.FILTER, c.name)
            rd.toks = [Tok("w", "$unplaced", s.line)] + body
            rules.insert(0, rd)
            return
        if verb == "replace":
            self.drop_rule(rules[k], "replaced by a later line")
            rd.handle = rules[k].handle
            rules[k] = rd
        elif verb == "insert":
            rules.insert(k, rd)
        else:
            rules.insert(k + 1, rd)

    def delete(self, obj: str, fam: str, rest: list[str], st: Stmt) -> None:
        s = self.src(st.line)
        t = self.tables.get((fam, rest[0])) if rest else None
        if obj == "table":
            if t is not None:
                self.forget(t)
                del self.tables[(fam, rest[0])]
            self.use(st)
        elif obj == "chain" and t is not None and len(rest) > 1:
            c = t.chains.pop(rest[1], None)
            if c is not None:
                for r in c.rules:
                    self.drop_rule(r, "flushed or deleted by a later line")
            self.use(st)
        elif obj == "rule" and t is not None and len(rest) > 3 and rest[2] == "handle" and rest[3].isdecimal():
            c = t.chains.get(rest[1])
            h = int(rest[3])
            k = next((n for n, r in enumerate(c.rules) if r.handle == h), None) if c is not None else None
            if k is None:
                self.unrecognized(s, "rule handle %d is not in the input: which rule this deletes cannot be "
                                     "told" % h, Impact.GLOBAL)
                return
            self.drop_rule(c.rules[k], "deleted by a later line")
            del c.rules[k]
            self.use(st)
        else:
            self.unrecognized(s, "unsupported command 'delete %s'" % obj)

    def flush(self, w: list[str], st: Stmt) -> None:
        fam, rest = self.split_ref(w[2:])
        t = self.tables.get((fam, rest[0]))
        if t is not None:
            chains = [t.chains[rest[1]]] if w[1] == "chain" and rest[1:] and rest[1] in t.chains else \
                list(t.chains.values()) if w[1] == "table" else []
            for c in chains:
                for r in c.rules:
                    self.drop_rule(r, "flushed by a later line")
                c.rules.clear()
        self.use(st)

    def table_block(self, t: TableDef, stmts: list[Stmt]) -> None:
        outer = self.vars
        self.vars = dict(outer)  # a table block is a scope of its own (parser_bison.y, table_block_alloc)
        try:
            self._table_block(t, stmts)
        finally:
            self.vars = outer

    def _table_block(self, t: TableDef, stmts: list[Stmt]) -> None:
        for st in stmts:
            s = self.src(st.line)
            try:
                w = st.words()
                if w[0] in ("define", "redefine") and len(w) >= 3 and w[2] == "=":
                    # 'define lan_devices = { "br-lan" }' in a table block (fw4's script; parser_bison.y:
                    # "table_block : table_block common_block", common_block's DEFINE binds in the scope)
                    self.vars[w[1]] = self.subst(Stmt(st.toks[3:], st.line)).toks if len(w) > 3 else []
                    self.use(st)
                    continue
                if w[0] == "include":
                    self.unrecognized(s, "included files are not among the inputs")
                    continue
                st = self.subst(st)
                w = st.words()
                if w[0] == "chain" and st.children is not None:
                    self.use(st)
                    self.chain_body(t, self.chain(t, w[1], s), st.children)
                elif w[0] in ("set", "map") and st.children is not None:
                    self.use(st)
                    self.set_block(t, w[1], st.children, s)
                elif w[0] == "ct" and st.children is not None:
                    self.use(st)
                    self.object_block(t, w, st.children, s)
                elif w[0] == "flags":
                    if "dormant" in w:
                        t.dormant = True
                    self.use(st)
                elif w[0] == "comment":
                    self.ignore(st, "comment")
                elif w[0] in TABLE_BLOCKS and st.children is not None:
                    self.ignore(st, "a %s object (it does not filter)" % w[0])
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
                c.rules.append(RuleDef([Tok("w", "$undefined", st.line)], s, st.handle, st.last))
                continue
            w = st.words()
            if w[0] == "type" and len(w) >= 4 and w[2] == "hook":
                c.type, c.hook = w[1], w[3]
                c.base_src = s
                if "priority" in w:
                    c.priority = parse_priority(w[w.index("priority") + 1:])
                if "device" in w:
                    c.devices = (w[w.index("device") + 1],)
                self.use(st)
            elif w[0] == "policy" and len(w) == 2 and w[1] in ("accept", "drop"):
                c.policy = Action.PERMIT if w[1] == "accept" else Action.DENY
                c.policy_src = s
                self.use(st)
            elif w[0] in ("devices", "device"):
                c.devices = tuple(x for x in w[1:] if x not in ("=", "{", "}", ","))
                self.use(st)
            elif w[0] == "comment":
                self.ignore(st, "comment")
                self.remarks.append(("%s/%s/%s" % (t.family, t.name, c.name), s))
            elif w[0] == "flags" or (w[0] == "priority" and c.type):
                self.use(st)
            else:
                c.rules.append(RuleDef(st.toks, s, st.handle, st.last))

    def set_block(self, t: TableDef, name: str, stmts: list[Stmt], s: Source) -> None:
        elems: list | None = []
        why = ""
        for st in stmts:
            w = st.words()
            if w[0] == "elements" and len(w) > 2 and w[1] == "=":
                got, _ = self.set_elements(st.toks[2:])
                elems = elems + got if elems is not None else None
                if _EXPIRING.intersection(w[2:]):
                    elems, why = None, _EXPIRES % name
                self.use(st)
            elif w[0] == "flags" and any(f in ("dynamic", "timeout") for f in re.split(r"[ ,]", " ".join(w[1:]))):
                elems = None  # filled in by the packet path: contents unknown
                self.use(st)
            elif w[0] == "timeout":
                # nft(8), SETS: "timeout: time an element stays in the set"; a set's default timeout is given to
                # every element added without one, those listed included
                elems, why = None, _EXPIRES % name
                self.use(st)
            else:
                self.ignore(st, "set property (type, size, policy, ...)")
        t.sets[name] = SetDef(elems, s, why=why)

    def set_elements(self, toks: list[Tok]) -> tuple[list[list[str]], int]:
        """``{ a, b . c, d }`` -> [["a"], ["b", ".", "c"], ["d"]] and the tokens used."""
        if not toks or toks[0].kind != "{":
            return ([[toks[0].value]] if toks else []), 1
        out: list[list[str]] = []
        cur: list[str] = []
        depth = 0
        skip = False
        for k, t in enumerate(toks):
            if skip:
                skip = False
                continue
            if depth == 1 and t.value in ("comment", "timeout", "expires"):
                # (an element's comment, ``10.96.0.10 . tcp . 9153 comment "..." : goto x``: nft(8), "SETS",
                # element options; it matches nothing)
                skip = True
                continue
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
            for st in stmts:
                self.ignore(st, "a ct object other than a timeout policy")
            return
        name = w[2]
        proto = None
        l3: tuple[int, ...] = FAMILIES.get(t.family, (4, 6))
        policy: dict[str, int] = {}
        for st in stmts:
            ww = st.words()
            if ww[0] == "protocol" and len(ww) == 2:
                proto = proto_number(ww[1])
                self.use(st)
            elif ww[0] == "l3proto" and len(ww) == 2:
                l3 = {"ip": (4,), "ip6": (6,), "inet": (4, 6)}.get(ww[1], l3)
                self.use(st)
            elif ww[0] == "policy":
                items = " ".join(ww[1:]).replace("=", " ").replace("{", " ").replace("}", " ")
                for k, v in re.findall(r"([\w-]+)\s*:\s*([0-9]\w*)", items):
                    secs = time_seconds(v)
                    if secs is None:
                        # (its traffic keeps the default in this model: PRN120 says unknown for it)
                        self.lines.report("CFG300", "ct timeout %s: %s value '%s' is not a time" % (name, k, v),
                                          self.src(st.line), Impact.FILTER, "timeouts")
                    else:
                        policy[k] = secs
                self.use(st)
            else:
                self.ignore(st, "ct timeout property")
        t.timeouts[name] = (proto, l3, policy, s)

    # --- pass 2: rules -> flattened filters and stages --------------------------------------
    def build(self) -> Config:
        L = self.lines
        self.top(Blocks(tokenize(L.raw, lambda i: L.ignore(i, "comment")),
                        lambda ln, why: self.unrecognized(self.src(ln), why)).parse())
        self.translated = self.translated_packets() if self.dest_nat else None
        filters: dict[str, Filter] = {}
        tables = []
        for (fam, _tname), t in self.tables.items():
            if fam not in FAMILIES:
                self.other_family(t)
                continue
            if t.dormant:
                for c in t.chains.values():
                    for r in c.rules:
                        self.drop_rule(r, "a dormant table does not filter")
                continue
            self.reach = base_reach(t)
            self.undefined_jumps(t)
            raw = {c.name: self.chain_rules(t, c) for c in t.chains.values()}
            self.unsure_jumps_in(raw, {c.name for c in t.chains.values() if c.hook is not None})
            tables.append((t, raw))
        passing = passing_on(tables)
        untracked = self.untracked(tables)
        base: dict[int, list] = {4: [], 6: []}
        timeout_order: list[tuple[tuple, list[Timeout]]] = []
        seen_fams: set[int] = set()
        nd_drops: list[tuple] = []  # (hook order, priority, order, the line, the chain) of chains dropping ND
        ndc = nd_ctx()
        blind: set = set()  # the tables with a rule whose verdict is not understood (it may jump anywhere)
        met: dict[int, list] = {}  # the line of a dnat -> (family, base chain, its stage, the packets reaching it)
        for t, raw in tables:
            fam, tname = t.family, t.name
            seen_fams.update(FAMILIES[fam])
            flats = Flats(raw, self.report)
            if not flats.jumps_known:
                blind.add((fam, tname))
            # a regular chain's own list is what every jump to it sees where the table's base
            # chains see every packet as conntrack left it (none runs before it, nothing untracked)
            # and every jump is known (every hook modelled, no verdict or verdict map not understood), and no
            # rule depends on the hook (``Flats.hooked``: a chain jumped to from input sees the packets to the host)
            own = USER_CHAIN if flats.jumps_known and not flats.hooked and all(
                b.hook in HOOK_ORDER and chain_ctx(b, untracked) is PLAIN
                for b in t.chains.values() if b.hook is not None) else "chain"
            nat_only = nat_chains(t, raw) if flats.jumps_known else set()
            for c in t.chains.values():
                fname = "%s/%s/%s" % (fam, tname, c.name)
                if c.hook is None:
                    merged = flats.merged(c.name, PLAIN)
                    if c.name in nat_only:
                        merged = moot_permits(merged)
                    filters[fname] = Filter(fname, to_rules(fname, merged), c.source, kind=own)
                    continue
                if c.hook not in HOOK_ORDER:
                    self.unrecognized(c.base_src or c.source, "hook '%s' is not modelled" % c.hook)
                    for r in c.rules:
                        self.drop_rule(r, "in a chain whose hook is not modelled (reported)")
                    continue
                ctx = chain_ctx(c, untracked)
                if flats.hooked:
                    ctx = ctx.at(LOCAL_HOOK.get(c.hook))
                merged = moot_returns(flats.merged(c.name, ctx, first_only=c.type == "nat"), c.policy or Action.PERMIT)
                merged = returns_before_unknowns(merged)
                self.live |= live_returns(merged)
                if c.type == "nat" and c.policy is not Action.DENY:
                    merged = moot_permits(merged)
                # (a chain's records hold only on the paths its hook is on)
                on = tuple(LOCAL[k] for k, hooks in PATH_HOOKS.items() if c.hook in hooks)
                found = [replace(t, paths=on) for t in timeouts_from(flats.flatten(c.name, "new", ctx), self.report)]
                if found:
                    timeout_order.append(((HOOK_ORDER.get(c.hook, 9), c.priority, c.order), found))
                scoped = self.scope(t, c)
                if scoped:
                    merged = [(scope_entry(e, scoped), states) for e, states in merged]
                st, final = self.policy_stage(t, c, fname, scoped, id(c) in passing)
                filters[fname] = Filter(fname, to_rules(fname, merged, final), c.source, kind="chain")
                if 6 in FAMILIES[fam] and c.type != "nat" and c.hook != "forward":
                    # (neighbour discovery: UNTRACKED after conntrack, INVALID before it)
                    entries = flats.flatten(c.name, "new", ctx if ctx.before_ct else ndc.at(ctx.local))
                    if scoped:
                        entries = [scope_entry(e, scoped) for e in entries]
                    dropper = nd_dropper(entries, fname, final, st)
                    if dropper is not None:
                        nd_drops.append((HOOK_ORDER[c.hook], c.priority, c.order, dropper, fname))
                idle = accepts_all(merged, c.policy or Action.PERMIT) and not final_drops(final)
                # (a chain of no rule that hands every packet on to a later filter chain is no stage of its own)
                primary = c.type == "filter" and c.hook in PRIMARY.values() and fam in IP_FAMILIES and \
                    (bool(merged) or id(c) not in passing)
                for f in FAMILIES[fam]:
                    base[f].append((HOOK_ORDER[c.hook], c.priority, c.order, c.hook, st, idle, primary, c.type))
                if self.dnat:
                    for e, _states in merged:
                        if e.action is None and e.source.line in self.dnat:
                            met.setdefault(e.source.line, []).append((fam, c, st, e.possible))
        self.dest_nats(met, blind, base, filters)
        self.report_returns()
        timeouts: list[Timeout] = []
        for _, found in sorted(timeout_order, key=lambda x: x[0]):
            timeouts.extend(found)
        timeouts.reverse()  # (the last 'ct timeout set' a connection's first packet meets is in force)
        fam_paths: dict[int, list] = {}
        idle_paths: list[Path] = []
        nd = None
        if nd_drops and 6 in seen_fams:
            _h, _p, _o, dropper, fname = min(nd_drops, key=lambda x: x[:3])
            nd = nd_stage(self.lines, dropper, fname, "base chain", filters)
        head = L.head() or Source(self.path, 1, "")
        for f in sorted(seen_fams):
            fam_paths[f] = []
            chains = sorted(base[f], key=lambda x: (x[0], x[1], x[2]))
            unhooked = []
            for kind in ("in", "fwd", "out"):
                on = [x for x in chains if x[3] in PATH_HOOKS[kind]]
                if not on and not chains:
                    continue
                stages = [x[4] for x in on if (x[3] == PRIMARY[kind] and x[6]) or not x[5]]
                if not stages:
                    # (a hook without a base chain: nf_tables does not see its packets, "the nftables
                    # infrastructure comes with no predefined chains", the nftables wiki, "Configuring chains")
                    stages = [stage("accept", (), Action.PERMIT, on[0][4].default_source if on else head,
                                    "no base chain on this path filters")]
                if f == 6 and nd is not None:
                    stages.append(nd)
                if kind == "fwd" and all(x[5] for x in on):
                    idle_paths.append(Path("ipv%d" % f, "ipv%d" % f, tuple(stages), note="forward accepts everything"))
                    continue
                (fam_paths[f] if on else unhooked).append((kind, stages, ""))
            # (the hooks without a base chain last: without --host, a host's paths take every packet in
            # order, and the ruleset's own chains come first)
            fam_paths[f] += unhooked
        paths, interfaces = assemble(fam_paths, head)
        timeouts.append(default_timeout())
        return Config(
            path=self.path, vendor=NAME, lines=len(L), filters=filters, paths=paths,
            interfaces=interfaces, timeouts=tuple(timeouts), diagnostics=tuple(L.diagnostics),
            address_refs=tuple(self.address_refs), ignored_lines=L.ignored,
            head=head, remarks=tuple(self.remarks), aux=LinuxAux(tuple(sorted(seen_fams)), tuple(idle_paths)),
        )

    def dest_nats(self, met: dict, blind: set, base: dict, filters: dict) -> None:
        """Report each ``dnat``/``redirect`` (``NftRule``: the packets that reach it are unknown where it is met).

        Only a connection's first packet meets a nat chain; it sets the connection's translation, which the
        chains after it see, and "rules should cease being examined" (the nftables wiki, "Performing Network
        Address Translation (NAT)"; iptables-extensions(8), DNAT).  The packets that reach it are known from the
        flattening of the nat base chains (through their jumps, gotos and verdict maps): they are unknown
        there, and the other packets are not translated.  A packet it translates reaches the later chains as
        one sent to its new destination would, except that it met the chains before it (the base chains of its
        hook and earlier ones, each nat chain of its hook: once a translation is set, the others are not run)
        under its first destination: where one of them may drop a packet sent to the new destination, the
        direct packet's verdict is not the translated one's, and the statement could change any verdict.  So
        too where the packets that reach it are not known (a rule of its table whose verdict is not
        understood, a chain that is not a nat chain of prerouting or output)."""
        droppers: dict = {}
        for line, (text, (dst, dport), tkey) in self.dnat.items():
            uses = met.get(line, [])
            if not uses and tkey not in blind:
                continue  # (no packet reaches it)
            why = BLIND_DNAT if tkey in blind else ""
            for _fam, c, _st, _reach in uses:
                if c.type != "nat" or c.hook not in ("prerouting", "output"):
                    why = why or "it is met in base chain %s, not a nat chain of prerouting or output" % c.name
            image = dnat_image([reach for _f, _c, _st, reach in uses], dst, dport)
            for fam, c, _st, _reach in uses:
                if why:
                    break
                own = (HOOK_ORDER[c.hook], c.priority, c.order)
                hooks = {h for k in HOOK_PATHS[c.hook] for h in PATH_HOOKS[k]}
                for x in base[FAMILIES[fam][0]] if len(FAMILIES[fam]) == 1 else base[4] + base[6]:
                    if x[3] in hooks and (x[:3] <= own or x[3] == c.hook and x[7] == "nat"):
                        why = why or drops_image(filters[x[4].filters[0]], x[4].default, image, self.dnat,
                                                 droppers)
            report_dnat(self.lines, self.src(line), text, why, [st.filters[0] for _f, _c, st, _r in uses])

    def untracked(self, tables: list) -> dict[str, tuple[PacketSet, PacketSet]]:
        """hook -> the packets certainly and possibly untracked by ``notrack`` in the base chains
        that run before conntrack (prerouting, output)."""
        out: dict[str, tuple[PacketSet, PacketSet]] = {}
        for t, raw in tables:
            if not any(r.effect for rs in raw.values() for r in rs):
                continue
            for c in t.chains.values():
                if c.hook in CONNTRACK_HOOKS and c.priority < CONNTRACK_PRIORITY:
                    s, m = untracked_from(Flattener(raw, self.report, "new", RAW.at(LOCAL_HOOK.get(c.hook)))
                                          .flatten(c.name))
                    old = out.get(c.hook, (NOTHING, NOTHING))
                    out[c.hook] = (old[0].union(s), old[1].union(m))
        return out

    def scope(self, t: TableDef, c: ChainDef) -> str:
        """Why a base chain's drops are uncertain ('' when they are not): packets of given devices."""
        if c.hook in ("ingress", "egress") and c.devices != ("lo",):
            return "packets of device %s only (which interface carries this traffic is not in the ruleset)" % (
                ", ".join(c.devices) or "?")
        return ""

    def policy_stage(self, t: TableDef, c: ChainDef, fname: str, scoped: str, passes_on: bool = False):
        """(the base chain's stage, the rules its policy adds at the end of its filter).  ``passes_on``: an
        accept policy that hands the packet to a later filter chain of its hook (``passing_on``), which is
        the stage's default, as a mangle chain's is, not a permit rule."""
        policy = c.policy or Action.PERMIT
        psrc = c.policy_src or c.base_src or c.source
        word = "accept" if policy is Action.PERMIT else "drop"
        reason = "policy %s of base chain %s" % (word, fname) if c.policy else \
            "base chain %s has no policy: accept" % fname
        if scoped:
            if policy is Action.PERMIT:
                return stage(fname, (fname,), Action.PERMIT, psrc, reason), []
            final = [Rule(fname, 0, Action.DENY, NOTHING, psrc, maybe=ALL, note="policy drop: " + scoped, builtin=True)]
            return stage(fname, (fname,), Action.PERMIT, psrc, "what the chain does not see passes"), final
        if c.type == "nat":
            if policy is Action.PERMIT:
                return stage(fname, (fname,), Action.PERMIT, psrc, reason), []
            final = [Rule(fname, 0, Action.DENY, ALL, psrc, note="policy drop", states=NEW, builtin=True)]
            return stage(fname, (fname,), Action.PERMIT, psrc, "later packets of a connection do not traverse "
                         "nat chains"), final
        if c.type == "filter" and c.hook in PRIMARY.values() and not (passes_on and policy is Action.PERMIT):
            # (a base chain's policy can be changed, never removed, as a built-in iptables chain's: ``Rule.builtin``)
            final = [Rule(fname, 0, policy, ALL, psrc, note="policy %s" % word, builtin=True)]
            return stage(fname, (fname,), policy, psrc, reason), final
        return stage(fname, (fname,), policy, psrc, reason), []

    def other_family(self, t: TableDef) -> None:
        """bridge and arp tables: not modelled.  Bridged traffic does not take the IP paths at all
        (the IP chains do not see it), and dropped ARP breaks the IP traffic of the hosts it
        resolves: a table that can drop makes every verdict unknown; one that only accepts
        changes nothing."""
        drops = any(c.policy is Action.DENY for c in t.chains.values()) or any(
            tok.value in ("drop", "reject") for c in t.chains.values() for r in c.rules for tok in r.toks)
        if drops:
            self.unrecognized(t.source, "%s family tables are not modelled and this one can drop packets" % t.family)
        why = "%s filtering %s" % (t.family, "(reported at its table)" if drops else "that only accepts")
        for c in t.chains.values():
            for r in c.rules:
                self.drop_rule(r, why)

    def report_returns(self) -> None:
        """Report the returns whose match is not understood where a base chain may decide their packets
        differently whether they return or not (``live_returns``); the others change no verdict: every later
        rule that may take their packets, and the chain's end, end them alike (kube-proxy's ``meta mark &
        0x00004000 == 0x00000000 return`` before a mark and a masquerade; nft(8), VERDICT STATEMENT)."""
        for line, (src, why, scope, last) in sorted(self.unsure_returns.items()):
            if line in self.live:
                self.unrecognized(src, why, Impact.FILTER, scope)
            else:
                self.lines.ignore(line - 1, "a return whose packets end alike whether it returns or not", last)
        self.unsure_returns.clear()

    def unsure_jumps_in(self, raw: dict[str, list[RawRule]], base: set[str]) -> None:
        """Report the jumps of one table whose match is not understood (``NftRule.finish``), but
        those to a chain that decides nothing (``inert_chains``), which are left out."""
        if not self.unsure_jumps:
            return
        inert = inert_chains(raw, base)
        for name, rules in raw.items():
            kept = []
            for r in rules:
                got = self.unsure_jumps.pop(r.source.line, None)
                if got is not None and r.target in inert:
                    self.lines.ignore(r.source.line - 1, "jumps to chain %s, which decides no packet" % r.target,
                                      r.source.line + got[2])
                    continue
                if got is not None:
                    self.unrecognized(r.source, got[0], Impact.FILTER, got[1])
                r.index = len(kept)
                kept.append(r)
            raw[name] = kept

    def translated_packets(self) -> PacketSet | None:
        """The packets of the connections whose destination a ``dnat`` of the ruleset translates, as the
        chains after it see them: to its new address and port (any port where it keeps the port) and, their
        replies, from them (conntrack translates the connection's tuple: the later hooks see the new
        destination).  A ``redirect`` sends them to an address of the host's, which the ruleset does not
        hold (any address, its port), a destination from a map anywhere (``dnat_target``).  None where a
        word of the text may name a translation (``_DEST_NAT``: an iptables-nft target, a comment) other
        than the statements found."""
        cubes, found = [], 0
        for t in self.tables.values():
            for c in t.chains.values():
                for rd in c.rules:
                    words = [x.value for x in rd.toks]
                    for j, w in enumerate(words):
                        if w not in ("dnat", "redirect") or j and words[j - 1] == "status":
                            continue
                        found += 1
                        spec = words[j + 1:]
                        spec = spec[:spec.index("comment")] if "comment" in spec else spec
                        dst, dport = dnat_target(w, spec)
                        cubes += translated_cubes(dst, dport)
        if found != self.dest_nat_words:
            return None
        return PacketSet.of_cubes(cubes)

    def drop_rule(self, r: "RuleDef", why: str) -> None:
        """A rule line that builds nothing, because ``why``."""
        self.lines.ignore(r.source.line - 1, why, r.last)

    def undefined_jumps(self, t: TableDef) -> None:
        """A ``jump``/``goto`` (a verdict map's too) to a chain the table does not have: nft refuses the rule
        ("Could not process rule: No such file or directory") and, 'nft -f' being one transaction, loads nothing
        of the input (CFG301, could change any verdict; the flattening's report of it, alike, is then not
        repeated)."""
        for c in t.chains.values():
            for rd in c.rules:
                words = [x.value for x in rd.toks]
                for j, w in enumerate(words[:-1]):
                    if w in ("jump", "goto") and words[j + 1] not in t.chains and not words[j + 1].startswith("$"):
                        message = "jump to undefined chain '%s'" % words[j + 1]
                        self._reported.add(("CFG301", message, rd.source.line))
                        self.lines.report("CFG301", message + ": nft refuses the rule (No such file or directory) "
                                          "and loads nothing of this input, so the rules in force are not these",
                                          rd.source, Impact.GLOBAL, "%s/%s/%s" % (t.family, t.name, c.name))

    def chain_rules(self, t: TableDef, c: ChainDef) -> list[RawRule]:
        out: list[RawRule] = []
        skip = interface_copies(c.rules)
        for k, rd in enumerate(c.rules):
            if k in skip:
                self.drop_rule(rd, "the rules below it without its interface match (interfaces are not "
                               "modelled: whichever interface a packet came in on, the same rules decide it)")
                continue
            try:
                got = NftRule(self, t, c, rd).read()
            except (ParseError, IndexError, ValueError) as e:
                if isinstance(e, Refused):
                    self.unrecognized(rd.source, "%s: 'nft -f' loads nothing of this input, so the rules in "
                                                 "force are not these" % e)
                else:
                    self.unrecognized(rd.source, str(e) or "bad rule", Impact.FILTER,
                                      "%s/%s/%s" % (t.family, t.name, c.name))
                got = [RawRule(NOTHING, ALL, "unknown", rd.source, note="not understood", opaque=True)]
            for r in got:
                r.index = len(out)
                out.append(r)
        return out


_IFACE = ("iifname", "oifname", "iif", "oif")
_TERMINAL = ("accept", "drop", "reject", "return", "goto")


def _guard_and_body(rd: RuleDef) -> tuple[tuple, tuple]:
    """A rule's leading interface matches (``iifname "eth0"``, ``meta oifname "eth0"``; not ``lo``, which
    is modelled) and the rest of its tokens, without counters' values."""
    toks = [(x.kind, x.value) for x in rd.toks if x.kind not in ("nl", "h")]
    i = 0
    while True:
        j = i + 1 if i < len(toks) and toks[i] == ("w", "meta") else i
        if j + 1 < len(toks) and toks[j] in [("w", w) for w in _IFACE] and toks[j + 1][0] in ("w", "s") \
                and toks[j + 1][1] not in ("lo", "!=", "{", "vmap", "map"):
            i = j + 2
        else:
            break
    body = toks[i:]
    if ("w", "counter") in body:
        k = body.index(("w", "counter"))
        if body[k + 1:k + 2] == [("w", "packets")] and body[k + 3:k + 4] == [("w", "bytes")]:
            body = body[:k + 1] + body[k + 5:]
    return tuple(toks[:i]), tuple(body)


def interface_copies(rules: list[RuleDef]) -> set[int]:
    """The places of the runs of rules that only repeat the rules after them behind an interface
    match, the run ending with a verdict that leaves the chain: firewalld's zone dispatch,

        iifname "eth0" jump filter_IN_policy_allow-host-ipv6
        iifname "eth0" jump filter_IN_public
        iifname "eth0" reject with icmpx admin-prohibited
        jump filter_IN_policy_allow-host-ipv6
        jump filter_IN_public
        reject with icmpx admin-prohibited

    (an interface in the default zone).  A packet on that interface runs the run and leaves the chain
    at its last rule; any other packet runs the same rules below it: either way the same rules decide
    it, so the run changes nothing (nft(8), "VERDICT STATEMENT": ``reject``, ``drop``, ``accept``,
    ``return`` and ``goto`` end the chain's evaluation)."""
    if not any(r.toks and r.toks[0].value in _IFACE + ("meta",) for r in rules):
        return set()
    split = [_guard_and_body(r) for r in rules]
    skip: set[int] = set()
    kept: list[int] = []  # the places after the run looked at, without the runs found so far
    k = len(rules)
    while k > 0:
        guard = split[k - 1][0]
        i = k - 1
        while i > 0 and split[i - 1][0] == guard:
            i -= 1
        run = range(i, k)
        if guard and split[k - 1][1][:1] and split[k - 1][1][0][1] in _TERMINAL and len(kept) >= len(run) and \
                all(not split[kept[n]][0] and split[kept[n]][1] == split[j][1] for n, j in enumerate(run)):
            skip.update(run)
        else:
            kept[:0] = run
        k = i
    return skip


def chain_ctx(c: ChainDef, untracked: dict) -> Ctx:
    """What conntrack (and NOTRACK before it) did before a base chain runs."""
    if c.hook == "ingress" or c.hook in CONNTRACK_HOOKS and c.priority < CONNTRACK_PRIORITY:
        if c.hook in untracked:
            return Ctx(True, *untracked[c.hook])
        return RAW
    if not untracked:
        return PLAIN
    pre = untracked.get("prerouting", (NOTHING, NOTHING))
    out = untracked.get("output", (NOTHING, NOTHING))
    by_path = {"in": (pre, mirror(out[0].union(out[1]))), "fwd": (pre, mirror(pre[0].union(pre[1]))),
               "out": (out, mirror(pre[0].union(pre[1])))}
    sure = None
    poss = mirrored = NOTHING
    for k in HOOK_PATHS.get(c.hook, ()):
        (s, m), mir = by_path[k]
        sure = s if sure is None else sure.intersect(s)
        poss = poss.union(s).union(m)
        mirrored = mirrored.union(mir)
    sure = sure or NOTHING
    return Ctx(False, sure, poss.subtract(sure) if sure else poss, mirrored)


def scope_entry(e: Entry, why: str) -> Entry:
    """An entry of a chain that may not see the packet: its drops become uncertain."""
    if e.action is Action.DENY:
        note = why + ("; " + e.note if e.note else "")
        return Entry(NOTHING, e.possible, None, e.source, e.refs, note, e.timeout, e.opaque, e.key, e.effect)
    return e


# nft's time values (nft(8), "DATA TYPES": a number of seconds, or days, hours, minutes, seconds and
# milliseconds such as 1d2h3m4s5ms, in that order): what `nft list ruleset` prints since nftables 1.0.8
_TIME = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$", re.ASCII)


def time_seconds(text: str) -> int | None:
    """``600``, ``2m3s``, ``12h``, ``5d`` -> seconds (milliseconds dropped, as nft does for a ct
    timeout policy); None when it is not a time."""
    if (n := c_number(text)) is not None:
        return n
    m = _TIME.match(text)
    if not m or not any(m.groups()):
        return None
    d, h, mi, s, ms = (int(x) if x else 0 for x in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s + ms // 1000


def nat_chains(t: TableDef, raw: dict[str, list[RawRule]]) -> set[str]:
    """The regular chains of table ``t`` that only its ``type nat`` base chains reach (through jumps, gotos
    and verdict maps; the caller makes sure every jump is known)."""
    reached: dict[str, set[bool]] = {}
    for b in t.chains.values():
        if b.hook is None:
            continue
        seen, todo = set(), [b.name]
        while todo:
            for r in raw.get(todo.pop(), ()):
                if r.target in raw and r.target not in seen:
                    seen.add(r.target)
                    todo.append(r.target)
        for name in seen:
            reached.setdefault(name, set()).add(b.type == "nat")
    return {name for name, how in reached.items() if how == {True} and t.chains[name].hook is None}


def passing_on(tables: list) -> set[int]:
    """The ``id`` of each ``type filter`` base chain at the input, forward or output hook after which, for every
    address family it sees, another ``type filter`` base chain of that hook runs (a higher priority, or the same
    one declared later).  Its ``accept`` ends that chain only: the packet goes on to the later base chains of the
    hook, each of which must accept it too, while a drop is final (the nftables wiki, "Configuring chains", Base
    chain priority; "Netfilter hooks"): fw4's ``mangle_input`` and ``raw_output`` (priority mangle and raw, policy
    accept) before its ``input`` and ``output`` chains.  Its accept policy is then no permit of its own."""
    chains = [(t, c) for t, _raw in tables if t.family in IP_FAMILIES for c in t.chains.values()
              if c.type == "filter" and c.hook in PRIMARY.values()]
    out: set[int] = set()
    for t, c in chains:
        if all(any(o is not c and o.hook == c.hook and f in FAMILIES[u.family] and
                   (o.priority, o.order) > (c.priority, c.order) for u, o in chains)
               for f in FAMILIES[t.family]):
            out.add(id(c))
    return out


def parse_priority(w: list[str]) -> int:
    """``filter``, ``-300``, ``mangle - 5``, ``filter + 10`` -> the priority's number."""
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
        elif (n := c_number(x.removeprefix("-"))) is not None:  # (nft's scanner: 0x10 and 020 are 16)
            total += sign * (-n if x[0] == "-" else n)
        elif x in PRIORITY_NAMES:
            total += sign * PRIORITY_NAMES[x]
        else:
            raise ParseError("unknown priority '%s'" % x)
    return total


# --- one rule ---------------------------------------------------------------------------

_CT_STATUS_DNAT = re.compile(r"\bct\s+status\s+dnat\b")
# (not a part of a hyphenated name: ICMPv6's 'nd-redirect', which firewalld's allow-host-ipv6 policy accepts)
_DEST_NAT = re.compile(r"(?<![-\w])(?:dnat|redirect|netmap)\b(?!-)", re.I)

OPS = {"==": "eq", "eq": "eq", "!=": "ne", "ne": "ne", "<": "lt", "lt": "lt", ">": "gt", "gt": "gt",
       "<=": "le", "le": "le", ">=": "ge", "ge": "ge"}
_BITWISE = ("&", "|", "^", "<<", ">>")  # (nft(8) binary operations on a selector, before its comparison)
PORT_PROTOS = {"tcp": 6, "udp": 17, "udplite": 136, "sctp": 132, "dccp": 33}
# conntrack keys whose value the ruleset cannot tell (marks, zones, labels, helpers, status, ...)
CT_UNDECIDABLE = ("mark", "zone", "label", "helper", "status", "expiration", "count", "event", "expectation",
                  "l3proto", "protocol", "proto-src", "proto-dst", "original", "reply", "bytes", "packets",
                  "avgpkt", "id", "secmark", "saddr", "daddr")


class NftRule:
    """One rule's tokens -> RawRules (several for a verdict map)."""

    def __init__(self, p: NftParser, t: TableDef, c: ChainDef, rd: RuleDef):
        self.p, self.t, self.c, self.rd = p, t, c, rd
        self.toks, self.s = rd.toks, rd.source
        fams = FAMILIES[t.family]
        space = ALL_ADDR if len(fams) == 2 else family_space(fams[0])
        self.m = Match(space)
        self.refs: list[AddressRef] = []
        self.notes: list[str] = []
        self.pending: list[str] = []
        self.verdict: str | None = None
        self.target: str | None = None
        self.timeout: Timeout | None = None
        self.effect = ""
        self.vmap: tuple | None = None
        self.hidden_verdict = False  # an unknown statement that may be a verdict
        self.dnat_status = False  # 'ct status dnat' in a ruleset that translates no destination
        self.numgen_range = (0, 0)  # the numbers of a 'numgen' verdict map's generator
        self.hop_limits: list[tuple[str, list[list[str]] | None]] = []  # 'ip6 hoplimit' tests: (op, values)
        self.k = 0

    def bases(self) -> list[ChainDef]:
        """The base chains whose hooks the kernel checks this rule's expressions against: its own, or those
        that reach its regular chain (``base_reach``)."""
        return [self.c] if self.c.hook is not None else self.p.reach.get(self.c.name, [])

    # token helpers
    def peek(self, d: int = 0) -> str | None:
        j = self.k + d
        return self.toks[j].value if j < len(self.toks) and self.toks[j].kind in ("w", "s") else None

    def kind(self, d: int = 0) -> str | None:
        j = self.k + d
        return self.toks[j].kind if j < len(self.toks) else None

    def value(self) -> tuple[str, list[list[str]] | None, SetDef | None]:
        """(op, values, the named set they come from) at the cursor; values None for a set whose
        contents are unknown."""
        op = "eq"
        w = self.peek()
        if w in OPS:
            op = OPS[w]
            self.k += 1
        if self.kind() == "{":
            elems, used = self.p.set_elements(self.toks[self.k:])
            self.k += used
            return op, elems, None
        w = self.peek()
        if w is None:
            raise ParseError("missing value")
        self.k += 1
        if w == "vmap":
            return "vmap", None, None
        if w.startswith("@"):
            got = self.t.sets.get(w[1:])
            if got is None:
                # (nft refuses the rule, "No such file or directory", and loads nothing of the input)
                self.p.lines.undefined(w[1:], "set", self.s, self.c.name, Impact.GLOBAL)
                return op, None, None
            return op, got.elems, got
        vals = [w]
        while self.kind() == "," and self.kind(1) == "w":  # ct state established,related
            vals.append(self.toks[self.k + 1].value)
            self.k += 2
        return op, [[v] for v in vals], None

    def read(self) -> list[RawRule]:
        toks = self.toks
        if toks and toks[0].value == "$unplaced":
            # a rule whose place in the chain cannot be told: uncertain from the top
            self.k = 1
            self.read_rest()
            poss = self.m.possible()
            return [RawRule(NOTHING, poss, "unknown", self.s, note="place in the chain not known")] if poss else []
        if toks and toks[0].value == "$undefined":
            return [RawRule(NOTHING, ALL, "unknown", self.s, note="not understood", opaque=True)]
        self.read_rest()
        return self.finish()

    def read_rest(self) -> None:
        toks = self.toks
        while self.k < len(toks):
            if self.kind() in ("xm", "xt"):
                # an extension nft could not translate (``_xt_print``): a match not understood, or
                # a target, whose verdict is not known
                what = "an iptables-nft %s that nft lists untranslated ('# %s')" % (
                    "match" if self.kind() == "xm" else "target", toks[self.k].value)
                self.hidden_verdict = self.hidden_verdict or self.kind() == "xt"
                self.k += 1
                self.m.unsure.append(what)
                self.pending.append("%s is not modelled" % what)
                self.notes.append("%s not modelled" % what)
                continue
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
                    self.depend(w)
                    self.unknown("%s %s" % (w, key))
            elif w == "rt" and self.peek() in ("nexthdr", "hdrlength", "type", "seg-left"):
                # nft_exthdr.c: a packet without the Routing header ends the rule there (NFT_BREAK),
                # whatever the comparison; the packets judged carry no IPv6 extension header
                self.k += 1
                self.value()
                self.m.never = True
                self.notes.append("rt: only packets with a Routing header, which the model's packets do not carry")
            elif w == "ip6" and self.peek() == "hoplimit":
                self.k += 1
                op, vals, _named = self.value()
                self.hop_limits.append((op, vals))
            elif w in ("icmp", "icmpv6") and self.peek() in ("type", "code"):
                key = self.peek()
                self.k += 1
                self.selector((w, key))
            elif w in ("iifname", "oifname", "iif", "oif", "l4proto", "nfproto"):
                self.selector(("meta", w))
            elif w == "ct":
                self.ct()
            elif w == "fib":
                self.fib()
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
                # (inline waivers are read from comments: auditor/waivers.py)
                self.p.remarks.append(("%s/%s/%s" % (self.t.family, self.t.name, self.c.name), self.s))
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
                if w == "reject":
                    bad = next((b for b in self.bases() if b.hook == "postrouting"), None)
                    if bad is not None:
                        # nft_reject.c, nft_reject_validate: ``nft_chain_validate_hooks`` with input, forward, output
                        # (and prerouting in later kernels): never postrouting
                        raise Refused("reject in a chain of hook postrouting%s: the kernel takes it in input, "
                                      "forward, output and prerouting only (Operation not supported)" % (
                                          "" if bad is self.c else " (%s reaches it)" % bad.name))
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
                    self.reject_dependency(what)
            elif w in ("jump", "goto"):
                self.verdict, self.target = w, self.peek()
                self.k += 1
            elif w == "notrack":
                # untracks the packet when it runs before conntrack (a regular chain is taken to be
                # jumped to from where it matters); after conntrack the packet keeps its entry
                if self.c.hook is None or self.c.hook in CONNTRACK_HOOKS and self.c.priority < CONNTRACK_PRIORITY:
                    self.effect = "notrack"
                else:
                    self.notes.append("notrack after conntrack: no effect")
            elif w in ("snat", "masquerade", "dnat", "redirect"):
                start = self.k
                while self.k < len(self.toks) and self.peek() != "comment":
                    self.k += 1
                c = next((b for b in self.bases() if b.type != "nat" or b.hook not in NAT_HOOKS[w]), None)
                if c is not None:
                    # (nft_masq.c, nft_nat.c, nft_redir.c: ``nft_chain_validate_dependency(..., NFT_CHAIN_T_NAT)``
                    # and ``nft_chain_validate_hooks``, of the base chain that reaches it (``base_reach``): the
                    # kernel refuses it, and 'nft -f' commits nothing)
                    via = "" if c is self.c else " (chain %s, which reaches %s)" % (c.name, self.c.name)
                    self.p.unrecognized(self.s, "the kernel takes '%s' in a type nat chain of hook %s only, not in "
                                        "a type %s chain of hook %s%s (Operation not supported): 'nft -f' loads "
                                        "nothing of this input, so the rules in force are not these" % (
                                            w, " or ".join(NAT_HOOKS[w]), c.type, c.hook, via))
                    self.notes.insert(0, "'%s' in a type %s chain of hook %s: refused by the kernel" % (
                        w, c.type, c.hook))
                    self.verdict = "unknown"
                elif w in ("dnat", "redirect"):
                    # (its packets are unknown where it is met; ``NftParser.dest_nats`` says how far that reaches)
                    spec = [t.value for t in self.toks[start:self.k]]
                    self.verdict = "dnat"
                    self.notes.insert(0, DNAT_NOTE % " ".join([w] + spec))
                    self.p.dnat[self.s.line] = (" ".join([w] + spec), dnat_target(w, spec),
                                                (self.t.family, self.t.name))
                else:
                    self.verdict = "nat"
            elif w == "xt" and self.peek() in ("match", "target"):
                self.xt()
            elif w == "numgen" and self.peek() in ("random", "inc"):
                self.numgen()
            elif w == "mark" or w == "meta" and self.peek() == "mark":
                self.meta_mark(w)
            elif w == "meta" and "set" in (self.peek(), self.peek(1)):  # ('meta priority set 1'; 'mark set': above)
                self.side_effect()
            else:
                if w not in MATCH_OR_SIDE_EFFECT and not (w == "xt" and self.peek() == "match"):
                    self.hidden_verdict = True
                self.depend(w)
                # (the field or key named: 'ip dscp', 'meta pkttype', not 'ip', 'meta')
                field = self.peek() if (w in _HEADERS or w == "meta") and self.kind() == "w" else None
                self.unknown("%s %s" % (w, field) if field and field not in STATEMENTS else w or "?")

    def xt(self) -> None:
        """``xt match "NAME"`` / ``xt target "NAME"``: a rule iptables-nft added with an x_tables extension that has
        no nftables form; nft prints the extension's name only, not its options (nftables ``src/xt.c``,
        ``xt_stmt_print``), so what it matches (or does) is not in this output, where ``iptables-save`` of the same
        table (iptables-nft-save) prints the rule whole.  A target may end the rule with a verdict."""
        kind = self.peek()
        self.k += 1
        name = self.peek() if self.kind() in ("w", "s") else None
        if name is not None:
            self.k += 1
        if kind == "target":
            self.hidden_verdict = True
        what = 'xt %s "%s"' % (kind, (name or "?").strip('"'))
        self.m.unsure.append(what)
        self.pending.append("'%s': an iptables-nft rule's x_tables extension, whose options nft does not print; give "
                            "'iptables-save' (iptables-nft-save) output for this table instead" % what)
        self.notes.append("%s not shown by nft" % what)
        self.skip_to_keyword()

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
        elif key == "direction":
            self.selector(("ct", "direction"))
        elif key == "timeout" and self.peek() == "set":
            self.k += 1
            name = self.peek()
            self.k += 1
            obj = self.t.timeouts.get(name or "")
            if obj is None:
                self.p.lines.undefined(name or "?", "ct timeout", self.s, "timeouts")
                return
            proto, l3, policy, osrc = obj
            if "established" not in policy:
                return
            space = ALL_V4 if l3 == (4,) else ALL_V6 if l3 == (6,) else ALL_ADDR
            match = PacketSet([cube(src=space, dst=space, proto=ISet.of(proto) if proto else ALL_PROTO)])
            self.timeout = Timeout(match, policy["established"], self.s,
                                   label='ct timeout "%s" (established %d s)' % (name, policy["established"]))
        elif self.peek() == "set":
            self.skip_to_keyword(first=True)  # 'ct mark set ...': sets a conntrack property, matches nothing
        elif key == "status" and self.peek() == "dnat" and self.kind(1) != "," and (
                not self.p.dest_nat or self.p.translated is not None):
            # the DNAT status bit is set when a connection's destination is translated (IPS_DST_NAT,
            # nf_conntrack_common.h): with no rule of the ruleset that translates one, no connection has it,
            # and with some, only the packets to or from their new destinations may be of such a connection
            # (``NftParser.translated_packets``; taken so only for an accept, firewalld's 'ct status dnat
            # accept': were a translation made outside the input, the packet would be decided more strictly,
            # never let through)
            self.k += 1
            self.dnat_status = True
        else:
            # a conntrack property the ruleset cannot tell (its mark, zone, label, helper, status...):
            # its operand is consumed as a value (it may be a word such as 'dnat' or 'snat')
            what = "ct %s" % key
            if key in ("original", "reply"):
                if self.peek() in ("ip", "ip6"):
                    self.k += 1
                what += " " + (self.peek() or "")
                self.k += 1
            elif key == "count" and self.peek() == "over":
                self.k += 1
            self.m.unsure.append(what)
            self.pending.append("'%s' is not supported" % what)
            self.notes.append("%s not modelled" % what)
            if self.k < len(self.toks):
                self.value()

    def fib_hooks(self, keys: list[str], result: str | None) -> None:
        """The hooks the kernel refuses a ``fib`` expression in, whichever its version (nft_fib.c,
        ``nft_fib_validate``): an ``oif``/``oifname`` result (``check`` too) is for prerouting, input and forward
        only (older kernels took fewer), a ``type`` with ``iif`` likewise, one with ``oif`` for output, postrouting
        and forward only.  A base chain of another of those hooks that reaches the rule: nothing of the input is
        loaded."""
        if result in ("oif", "oifname", "check") or result == "type" and "iif" in keys:
            allowed = ("prerouting", "input", "forward")
        elif result == "type" and "oif" in keys:
            allowed = ("output", "postrouting", "forward")
        else:
            return
        hooks = ("prerouting", "input", "forward", "output", "postrouting")
        bad = next((b for b in self.bases() if b.hook in hooks and b.hook not in allowed), None)
        if bad is not None:
            raise Refused("fib %s %s in a chain of hook %s%s: the kernel takes it from %s only (Operation not "
                          "supported)" % (" . ".join(keys), result, bad.hook,
                                          "" if bad is self.c else " (%s reaches it)" % bad.name, ", ".join(allowed)))

    def fib(self) -> None:
        """``fib saddr|daddr [. iif|oif] type [!=] TYPES`` (nft(8), "FIB EXPRESSIONS": *type* "returns
        the address type such as unicast or multicast"; ``FibTypeCond``), and ``fib saddr ... oif|check
        missing|exists|0``, a reverse-path lookup (``rpf``).  The ``oif``/``oifname`` lookups compared with an
        interface, a ``mark`` key with ``type`` and a verdict map on the result are not modelled (uncertain,
        reported)."""
        start = self.k
        keys = []
        while self.peek() in ("saddr", "daddr", "mark", "iif", "oif"):
            keys.append(self.peek())
            self.k += 1
            if self.peek() != ".":
                break
            self.k += 1
        # (nft_fib.c, nft_fib_init: one of saddr and daddr, not both iif and oif; else the kernel refuses the rule)
        if ("saddr" in keys) == ("daddr" in keys) or "iif" in keys and "oif" in keys:
            raise Refused("fib %s: one of saddr and daddr, at most one of iif and oif" % " . ".join(keys))
        self.fib_hooks(keys, self.peek())
        if self.peek() in ("oif", "check") and "saddr" in keys and self.rpf(keys):
            return
        if self.peek() != "type" or "mark" in keys or self.peek(1) == "vmap":
            # (the whole expression, result and comparison, is one thing not modelled)
            k = self.k
            if self.peek() in ("type", "oif", "oifname", "check"):
                k += 1
                if k < len(self.toks) and self.toks[k].value in OPS:
                    k += 1
                if k < len(self.toks) and self.toks[k].value not in STATEMENTS:
                    k += 1
            what = "fib " + " ".join(t.value for t in self.toks[start:k])
            self.k = k
            if self.peek() == "vmap":
                # (a verdict map on the lookup's result: the rule's verdict is not known)
                self.k += 1
                depth = 0
                while self.k < len(self.toks):
                    depth += {"{": 1, "}": -1}.get(self.kind(), 0)
                    self.k += 1
                    if depth <= 0:
                        break
                self.hidden_verdict = True
            self.m.unsure.append(what)
            self.pending.append("'%s': a lookup in the host's routes, which the ruleset does not hold" % what)
            self.notes.append("%s not modelled" % what)
            self.skip_to_keyword()
            return
        self.k += 1
        op, vals, _named = self.value()
        if op not in ("eq", "ne"):
            raise ParseError("fib type %s" % op)
        if vals is None:
            self.m.unsure.append("set contents")
            self.pending.append("the contents of a dynamic or undefined set are unknown")
            return
        types = set()
        for v in vals:
            name = v[0].upper() if len(v) == 1 else ""
            if name not in ADDR_TYPES:
                raise ParseError("fib type: unknown address type '%s'" % " ".join(v))
            types.add(name)
        fams = FAMILIES[self.t.family]
        self.m.conds.append(FibTypeCond(fams, 0 if "saddr" in keys else 1, frozenset(types), op == "ne",
                                        "iif" in keys or "oif" in keys))
        self.notes.append(addr_type_note(0 if "saddr" in keys else 1, types, op == "ne"))

    def rpf(self, keys: list[str]) -> bool:
        """``fib saddr [. mark] [. iif] oif|check missing|exists|[!=] 0``: a reverse-path lookup of the source
        (nft(8), "FIB EXPRESSIONS": "fib saddr . iif oif missing drop", drop packets "without a reverse path";
        nft_fib_ipv6.c, ``nft_fib6_eval``: the result is the device the route leads out of, 0 where there is
        none or, with ``iif``, where it is not the incoming one; ``missing``/``exists`` test that alone,
        NFTA_FIB_F_PRESENT).  ``RpfCond`` says what the ruleset alone tells.  False (the cursor unmoved) for
        a comparison with an interface, left to the caller."""
        start = self.k
        self.k += 1
        op = "eq"
        if self.peek() in OPS:
            op = OPS[self.peek()]
            self.k += 1
        v = self.peek()
        if op not in ("eq", "ne") or v not in ("missing", "exists", "0"):
            self.k = start
            return False
        self.k += 1
        found = (v == "exists") == (op == "eq")
        self.m.conds.append(RpfCond(FAMILIES[self.t.family], found, self.c.hook == "prerouting"))
        what = "fib %s %s" % (" . ".join(keys), " ".join(t.value for t in self.toks[start:self.k]))
        self.pending.append("'%s': %s" % (what, rpf_why(FAMILIES[self.t.family])))
        self.notes.append("%s: the host's routes decide, except for link-local sources" % what)
        return True

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
                cond = FlagCond(tcp_flag_bits(mm2.group(1)), tcp_flag_bits(mm2.group(3)), mm2.group(2) == "!=")
            elif mm and mm.group(3):
                comp, mask = tcp_flag_bits(mm.group(2).strip("{} ")), tcp_flag_bits(mm.group(3))
                cond = FlagCond(mask, comp, mm.group(1) == "!=")
            elif mm:
                flags = tcp_flag_bits(mm.group(2).strip("{} "))
                if mm.group(1) is None:  # 'tcp flags syn': any of the flags set
                    cond = AnyFlagCond(flags)
                else:
                    cond = FlagCond(0xFF, flags, mm.group(1) == "!=")
            else:
                raise ParseError("tcp flags '%s'" % text)
        except ParseError:
            m.unsure.append("tcp flags")
            self.pending.append("'tcp flags %s' is not supported" % text)
            return
        m.conds.append(cond)

    def selector(self, sel: tuple[str, str]) -> None:
        if self.peek() == ".":
            self.concat(sel)
            return
        if self.peek() in _BITWISE:
            self.masked(sel)
            return
        op, vals, named = self.value()
        if op == "vmap":
            self.vmap = ([sel], self.map_elements())
            return
        self.apply(self.m, sel, op, vals, named)

    def masked(self, sel: tuple[str, str]) -> None:
        """``ip6 saddr & ::ffff == ::1``: the selector's value under a mask (or another bitwise operation), then
        compared (the nftables wiki, "Matching packet headers": ``ip saddr & 0xff == 1``, ``ip saddr & 0.0.0.255 <
        0.0.0.127``; ``nft list`` prints a contiguous mask as a prefix, ``ip saddr 255.255.0.0/16``).  Not
        modelled: the rule may match any value of the selector, within its family or protocol."""
        a, b = sel
        start = self.k
        while self.peek() in _BITWISE and self.peek(1) is not None:
            self.k += 2
        op, _vals, _named = self.value()
        text = " ".join(t.value for t in self.toks[start:self.k])
        self.depend(a)
        what = "%s %s %s" % (a, b, text)
        self.m.unsure.append(what)
        self.pending.append("'%s': a masked match (the value of '%s %s' under a bitwise operation, then compared) "
                            "is not supported" % (what, a, b))
        self.notes.append("%s not modelled" % what)

    def depend(self, header: str) -> None:
        """The packets a header expression can match at all, whatever it compares: nft(8), PAYLOAD
        EXPRESSION (doc/payload-expression.txt): an IPv4 or ICMP header expression in an inet, bridge or
        netdev table "will cause an implicit dependency on IPv4 to be created" (IPv6 and ICMPv6: on IPv6),
        and a transport header expression (TCP, UDP, UDP-Lite, SCTP, DCCP) one on its protocol; so an
        expression not modelled (``ip ttl``, ``ip6 hoplimit``, ``tcp option``) leaves unsure only the
        packets of its family and protocol."""
        fam = {"ip": ALL_V4, "ip6": ALL_V6, "icmp": ALL_V4, "icmpv6": ALL_V6}.get(header)
        if fam is not None:
            self.m.restrict(0, fam)
            self.m.restrict(1, fam)
        if header in PORT_PROTOS:
            self.m.restrict(2, ISet.of(PORT_PROTOS[header]))
        elif header in ("icmp", "icmpv6"):
            self.m.restrict(2, ISet.of(PROTO_ICMP if header == "icmp" else PROTO_ICMP6))

    def reject_dependency(self, what: str | None) -> None:
        """``reject with tcp reset`` rejects TCP packets only, ``reject with icmp ...`` in an inet (bridge,
        netdev) table IPv4 ones only, ``with icmpv6 ...`` IPv6 ones: nft adds the match at the front of the
        rule ("log ... reject with tcp-reset turns into meta l4proto tcp log ... reject with tcp-reset",
        nftables src/evaluate.c, ``stmt_reject_gen_dependency``), and ``nft list ruleset`` does not show it
        (src/netlink_delinearize.c, ``stmt_reject_postprocess``, releases the dependency): the other packets
        go on to the next rule.  In an ip or ip6 table, an ICMP type of the other family is refused
        ("conflicting protocols specified: ip vs ip6"), and so is ``icmpx``."""
        if what == "tcp":
            iv = self.m.dims[2].iv
            if len(iv) == 1 and iv[0][0] == iv[0][1] and iv[0][0] != 6:
                # (src/evaluate.c, stmt_evaluate_reset: a rule whose transport header is another protocol's,
                # 'udp dport 53 reject with tcp reset': "you cannot use tcp reset with this protocol")
                raise Refused("reject with tcp reset on protocol %d: you cannot use tcp reset with this protocol (nft "
                              "refuses the rule)" % iv[0][0])
            self.m.restrict(2, ISet.of(6))
        elif what == "icmpx" and self.t.family in ("ip", "ip6"):
            # (src/evaluate.c, stmt_evaluate_reject_family: "abstracted ICMP unreachable not supported" there)
            raise Refused("reject with icmpx in an %s table: abstracted ICMP unreachable not supported (nft refuses "
                          "the rule)" % self.t.family)
        elif what in ("icmp", "icmpv6"):
            six = what == "icmpv6"
            if self.t.family in ("ip", "ip6") and (self.t.family == "ip6") != six:
                raise Refused("reject with %s in an %s table: conflicting protocols specified: ip vs ip6 (nft "
                              "refuses the rule)" % (what, self.t.family))
            fam = ALL_V6 if six else ALL_V4
            self.m.restrict(0, fam)
            self.m.restrict(1, fam)

    def numgen_rules(self, elems: list) -> list[RawRule]:
        """The rules of a ``numgen`` verdict map (``numgen``): one for each element whose numbers the generator
        gives, each uncertain but the last when they cover every number; one certain rule when every
        element has the same verdict and they cover every number."""
        lo, hi = self.numgen_range
        got: list[tuple[str, str | None]] = []
        covered = ISet()
        for el in elems:
            if ":" not in el or el.index(":") != 1:
                raise ParseError("bad numgen verdict map element '%s'" % " ".join(el))
            a, _, b = el[0].partition("-")
            if not a.isdecimal() or b and not b.isdecimal():
                raise ParseError("numgen key '%s'" % el[0])
            keys = ISet.of(int(a), int(b or a)).intersect(ISet.of(lo, hi))
            if keys:
                covered = covered.union(keys)
                verdict = el[2:]
                got.append((map_verdict(verdict), verdict[1] if len(verdict) > 1 else None))
        whole = covered == ISet.of(lo, hi)
        if len(set(got)) == 1:
            got = got[:1]
        out = []
        for k, (v, target) in enumerate(got):
            r = self.raw(v, target=target, note="; ".join(self.notes + ["numgen: one of %d ways" % len(got)]))
            if not (whole and k == len(got) - 1):
                r.sure = NOTHING
            out.append(r)
        return out

    def meta_mark(self, w: str) -> None:
        """``meta mark 0x1``, ``mark & 0x4000 == 0``: the packet's mark, which rules (``meta mark set``),
        other programs and the kernel set: not modelled, the rule may match any packet.  ``meta mark set
        EXPR`` sets it (a side effect, its value ``meta mark | 0x4000`` read along)."""
        if w == "meta":
            self.k += 1
        if self.peek() == "set":
            self.k += 1
            if self.peek() == "meta" and self.peek(1) == "mark" or self.peek() == "mark":
                self.k += 2 if self.peek() == "meta" else 1
                while self.peek() in _BITWISE and self.peek(1) is not None:
                    self.k += 2
            self.skip_to_keyword()
            return
        start = self.k
        while self.peek() in _BITWISE and self.peek(1) is not None:
            self.k += 2
        self.value()
        what = "meta mark " + " ".join(t.value for t in self.toks[start:self.k])
        self.m.unsure.append(what)
        self.pending.append("'%s': the packet's mark (set by rules, other programs or the kernel) is not modelled"
                            % what)
        self.notes.append("%s not modelled" % what)

    def numgen(self) -> None:
        """``numgen random|inc mod N [offset O] vmap { 0 : goto a, 1 : goto b }``: a number from O to O+N-1 picks
        the element (the nftables wiki, "Load balancing": ``numgen random mod 2 vmap { 0 : jump mychain1, 1 : jump
        mychain2 }``; "Math operations", "Number generator": type inc/random, modulus, offset).  Which one a packet
        gets is not a property of the packet: each element may take it (``finish``), and when the elements cover
        every number, a packet the earlier ones left takes the last one."""
        self.k += 1
        if self.peek() != "mod" or not (self.peek(1) or "").isdecimal():
            self.unknown("numgen")
            return
        n = int(self.peek(1))
        self.k += 2
        off = 0
        if self.peek() == "offset" and (self.peek(1) or "").isdecimal():
            off = int(self.peek(1))
            self.k += 2
        if self.peek() != "vmap" or self.kind(1) != "{":
            self.k -= 2
            self.unknown("numgen")
            return
        self.k += 1
        elems = self.map_elements()
        self.vmap = ([("numgen", "")], elems)
        self.numgen_range = (off, off + n - 1)

    def map_elements(self) -> list | None:
        """The elements of the verdict map after ``vmap``: an anonymous one's, or a named one's
        (``vmap @NAME``); one the input does not define or fill (``flags dynamic|timeout``) is unknown."""
        if self.kind() == "{":
            elems, used = self.p.set_elements(self.toks[self.k:])
            self.k += used
            return elems
        name = self.peek() or ""
        self.k += 1
        got = self.t.sets.get(name[1:]) if name.startswith("@") else None
        if got is None and name.startswith("@"):
            self.p.lines.undefined(name[1:], "map", self.s, self.c.name, Impact.GLOBAL)
        return got.elems if got is not None else None

    def concat_key(self) -> tuple[str, str]:
        """The selector after a concatenation's ``.``."""
        a = self.peek() or ""
        self.k += 1
        if a == "meta" or a in ("iifname", "oifname", "iif", "oif", "l4proto", "nfproto"):
            if a == "meta":
                a = self.peek() or ""
                self.k += 1
            if a in ("l4proto", "nfproto", "protocol", "iifname", "oifname", "iif", "oif"):
                return "meta", a
        else:
            b = self.peek() or ""
            self.k += 1
            if (a in ("ip", "ip6") and b in ("saddr", "daddr", "protocol", "nexthdr")
                    or (a in PORT_PROTOS or a == "th") and b in ("sport", "dport")
                    or a in ("icmp", "icmpv6") and b in ("type", "code")):
                return a, b
        raise ParseError("concatenation with '%s'" % a)

    def concat(self, first: tuple[str, str]) -> None:
        """``ip saddr . tcp dport @set``, ``icmpv6 type . icmpv6 code { 130 . 0, 2 . 0 }``: the packet
        matches when its selectors' values, together, are one element (the nftables wiki,
        "Concatenations": "if the packet's source IP address AND destination IP address AND level 4
        protocol match" one element): the union, over the elements, of the packets each matches."""
        sels = [first]
        while self.peek() == ".":
            self.k += 1
            sels.append(self.concat_key())
        if any(a == "ct" for a, _ in sels):
            raise ParseError("concatenation with 'ct'")
        op, vals, _named = self.value()
        if op == "vmap":
            # (kube-proxy's 'ip daddr . meta l4proto . th dport vmap @service-ips': each element's packets
            # take its verdict, the concatenation's values together being the element's key, as above)
            self.vmap = (sels, self.map_elements())
            return
        if op != "eq":
            self.m.unsure.append("concatenation")
            self.pending.append("'%s' on a concatenation is not supported" % op)
            return
        if vals is None:
            self.m.unsure.append("set contents")
            self.pending.append("the contents of a dynamic or undefined set are unknown")
            return
        union = NOTHING
        for v in vals:
            parts: list[list[str]] = [[]]
            for x in v:
                if x == ".":
                    parts.append([])
                else:
                    parts[-1].append(x)
            if len(parts) != len(sels) or any(len(x) != 1 for x in parts):
                raise ParseError("concatenation of %d selectors with element '%s'" % (len(sels), " ".join(v)))
            m = Match(self.m.space)
            for sel, part in zip(sels, parts):
                self.apply(m, sel, "eq", [part])
            if m.unsure:
                self.m.unsure.append("concatenation")
            union = union.union(m.possible())
        self.m.also(union)

    def apply(self, m: Match, sel: tuple[str, str], op: str, vals: list[list[str]] | None,
              named: SetDef | None = None) -> None:
        """Narrow ``m`` by ``SELECTOR OP VALUES``."""
        a, b = sel
        fam_dep = {"ip": ALL_V4, "ip6": ALL_V6, "icmp": ALL_V4, "icmpv6": ALL_V6}.get(a)
        if fam_dep is not None:
            m.restrict(0, fam_dep)
            m.restrict(1, fam_dep)
        if a == "meta" and b in ("iifname", "oifname", "iif", "oif"):
            names = {v[0] for v in vals or []}
            if vals is not None and names == {"lo"} and op in ("eq", "ne"):
                # the loopback interface carries the host's packets to itself
                lo = LOOPBACK[4].union(LOOPBACK[6])
                if op == "ne":
                    rest = ALL_ADDR.subtract(lo)
                    m.also(PacketSet([cube(src=rest), cube(dst=rest)]))
                else:
                    m.restrict(0, lo)
                    m.restrict(1, lo)
                    m.also(PacketSet([cube(src=LOOPBACK[4], dst=LOOPBACK[4]), cube(src=LOOPBACK[6], dst=LOOPBACK[6])]))
                self.notes.append("loopback: the host talking to itself")
            else:
                m.unsure.append("%s" % b)
                self.notes.append("%s %s not modelled" % (b, ",".join(sorted(names)) or "@set"))
            return
        if vals is None:
            m.unsure.append("set contents")
            self.pending.append(named.why if named is not None and named.why else
                                "the contents of a dynamic or undefined set are unknown")
            if a in PORT_PROTOS:
                m.restrict(2, ISet.of(PORT_PROTOS[a]))
            return
        if any(len(v) != 1 for v in vals):
            m.unsure.append("concatenation")
            self.pending.append("concatenated set elements are not supported")
            return
        if a == "ct":
            items = [v[0] for v in vals]
            if op not in ("eq", "ne"):
                raise ParseError("ct %s %s" % (b, op))
            if b == "state":
                m.conds.append(StateCond(items, op == "ne"))
            else:
                dirs = {x.lower() for x in items}
                if not dirs <= {"original", "reply"} or len(dirs) != 1:
                    raise ParseError("ct direction %s" % ",".join(items))
                m.conds.append(DirCond(("original" in dirs) != (op == "ne")))
            return
        s = self.resolve(sel, vals, named)
        if a in ("ip", "ip6") and b in ("saddr", "daddr"):
            fam = 4 if a == "ip" else 6
            self.refs.append(AddressRef(s, self.s))
            m.restrict(0 if b == "saddr" else 1, self.relate(op, s, family_space(fam)))
        elif sel in (("ip", "protocol"), ("ip6", "nexthdr"), ("meta", "l4proto")):
            m.restrict(2, self.relate(op, s, ALL_PROTO))
        elif sel in (("meta", "nfproto"), ("meta", "protocol")):
            s = self.relate(op, s, ALL_ADDR)
            m.restrict(0, s)
            m.restrict(1, s)
        elif b in ("sport", "dport"):
            m.restrict(2, ISet.of(PORT_PROTOS[a]) if a in PORT_PROTOS else PORTED)
            m.restrict(3 if b == "sport" else 4, self.relate(op, s, ALL_PORTS))
        elif a in ("icmp", "icmpv6") and b in ("type", "code"):
            m.restrict(2, ISet.of(PROTO_ICMP if a == "icmp" else PROTO_ICMP6))
            m.restrict(4, self.relate(op, s, ALL_PORTS))
        else:
            raise ParseError("unsupported match '%s %s'" % sel)

    def resolve(self, sel: tuple[str, str], vals: list[list[str]], named: SetDef | None) -> ISet:
        """The values of a selector's operand as one set, built once from its members (and, for a
        named set, once per selector)."""
        if named is not None:
            got = named.resolved.get(sel)
            if got is None:
                got = named.resolved[sel] = self._resolve(sel, [v[0] for v in vals])
            return got
        return self._resolve(sel, [v[0] for v in vals])

    def _resolve(self, sel: tuple[str, str], items: list[str]) -> ISet:
        a, b = sel
        ivs: list[tuple[int, int]] = []
        if a in ("ip", "ip6") and b in ("saddr", "daddr"):
            fam = 4 if a == "ip" else 6
            for x in items:
                if "-" in x and "/" not in x:
                    lo, hi = x.split("-", 1)
                    ivs += addr_range(lo, hi, fam).iv
                else:
                    ivs += addr_set(x, fam).iv
        elif sel in (("ip", "protocol"), ("ip6", "nexthdr"), ("meta", "l4proto")):
            for x in items:
                n = proto_number(x)
                if n is None:
                    raise ParseError("unknown protocol '%s'" % x)
                ivs.append((n, n))
        elif sel in (("meta", "nfproto"), ("meta", "protocol")):
            for x in items:
                ivs += {"ipv4": ALL_V4, "ip": ALL_V4, "ipv6": ALL_V6, "ip6": ALL_V6}.get(x, ISet()).iv
        elif b in ("sport", "dport"):
            for x in items:
                ivs += port_value(x).iv
        elif a in ("icmp", "icmpv6") and b == "type":
            names = ICMP_NAMES if a == "icmp" else ICMP6_NAMES
            for x in items:
                if x in names:
                    ivs += icmp_iset(*names[x]).iv
                elif (n := c_number(x)) is not None and n <= 255:
                    ivs += icmp_iset(n, None).iv
                else:
                    raise ParseError("unknown ICMP type '%s'" % x)
        elif a in ("icmp", "icmpv6") and b == "code":
            codes = ICMP_CODES if a == "icmp" else ICMP6_CODES
            for x in items:
                code = c_number(x) if x[:1].isdigit() else codes.get(x)
                if code is None or code > 255:
                    raise ParseError("unknown ICMP code '%s'" % x)
                ivs += [(t * 256 + code, t * 256 + code) for t in range(256)]
        else:
            raise ParseError("unsupported match '%s %s'" % sel)
        return ISet(ivs)

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

    def raw(self, verdict: str, m: Match | None = None, **kw) -> RawRule:
        m = m or self.m
        sure, poss = m.cond()
        kw.setdefault("note", "; ".join(self.notes))
        return RawRule(sure, poss, verdict, self.s, refs=tuple(self.refs), conds=tuple(m.conds), **kw)

    def no_state(self) -> bool:
        """True if the rule's conntrack states are none a packet is in after conntrack and no base
        chain of its table runs before conntrack (a jump cannot leave its table)."""
        return any(isinstance(c, StateCond) and c.never() for c in self.m.conds) and not any(
            b.hook in CONNTRACK_HOOKS and b.priority < CONNTRACK_PRIORITY or b.hook in ("ingress",)
            for b in self.t.chains.values() if b.hook is not None)

    def hop_limit(self) -> None:
        """``ip6 hoplimit [op] N`` (nft(8), IPV6 HEADER EXPRESSION): not modelled, except on ICMPv6
        133-137 (router and neighbour discovery, redirects: ``HOP_LIMIT_255``); only IPv6 packets (``depend``)."""
        m = self.m
        self.depend("ip6")
        if m.dims[2].issubset(ISet.of(PROTO_ICMP6)) and m.dims[4].issubset(HOP_LIMIT_255) and all(
                vals is not None for _op, vals in self.hop_limits):
            for op, vals in self.hop_limits:
                given = ISet()
                for v in vals:
                    given = given.union(port_value(v[0]))
                if 255 not in self.relate(op, given, ISet.of(0, 255)):
                    m.never = True
            self.notes.append("hop limit: neighbour discovery and router messages count only at 255")
            return
        m.unsure.append("ip6 hoplimit")
        self.pending.append("'ip6 hoplimit': the packet's hop limit is not modelled")
        self.notes.append("ip6 hoplimit not modelled")

    def finish(self) -> list[RawRule]:
        self.p.address_refs.extend(self.refs)
        if self.hop_limits:
            self.hop_limit()
        if self.dnat_status:
            if self.verdict == "accept" and self.vmap is None and self.p.translated is not None:
                # (a translated connection: its packets to or from a dnat's new destination, which it may be)
                self.m.also(self.p.translated)
                self.m.unsure.append("ct status dnat")
                self.pending.append("'ct status dnat': whether the connection's destination was translated "
                                    "is not modelled (only packets to or from a dnat's new destination can be)")
                self.notes.append("ct status dnat: packets to or from a dnat's new destination only")
            elif self.verdict == "accept" and self.vmap is None:
                self.m.never = True
                self.notes.append("ct status dnat: no rule of the ruleset translates destinations")
            else:
                self.m.unsure.append("ct status")
                self.pending.append("'ct status' is not supported")
                self.notes.append("ct status not modelled")
        out: list[RawRule] = []
        if self.timeout is not None:
            out.append(self.raw("none", timeout=self.timeout))
        if self.effect:
            out.append(self.raw("none", effect=self.effect))
        if self.vmap is not None:
            sels, elems = self.vmap
            if elems is None:
                self.pending.append("verdict map contents are unknown")
                r = self.raw("unknown", note="vmap")
                r.sure = NOTHING
                out.append(r)
            elif sels[0][0] == "numgen":
                out += self.numgen_rules(elems)
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
                    if len(sels) == 1:
                        self.apply(m, sels[0], "eq", [key])
                    else:
                        parts = " ".join(key).split(" . ")
                        if len(parts) != len(sels) or any(" " in x for x in parts):
                            raise ParseError("concatenation of %d selectors with key '%s'" % (len(sels), " ".join(key)))
                        for sel, part in zip(sels, parts):
                            self.apply(m, sel, "eq", [[part]])
                    v = map_verdict(verdict)
                    out.append(self.raw(v, m, target=verdict[1] if len(verdict) > 1 else None))
        elif self.verdict is not None:
            r = self.raw(self.verdict, target=self.target)
            if self.verdict == "unknown":
                r.sure = NOTHING
            out.append(r)
        elif self.hidden_verdict:
            r = self.raw("unknown")
            r.sure = NOTHING
            r.note = "statement not understood: it may end the rule with a verdict"
            out.append(r)
        affects = any(r.verdict != "none" and r.possible for r in out)
        scope = "%s/%s/%s" % (self.t.family, self.t.name, self.c.name)
        if self.pending and affects and self.no_state():
            # ufw's 'ct state invalid limit rate 3/minute ... return': after conntrack no packet is
            # INVALID (``StateCond.never``), so what is not understood matters to no packet
            self.p.drop_rule(self.rd, "matches no packet (its conntrack states)")
            return []
        if self.pending and affects and len(out) == 1 and out[0].verdict == "jump":
            # (reported unless the chain decides nothing: ``NftParser.unsure_jumps_in``)
            self.p.unsure_jumps[self.s.line] = ("; ".join(self.pending), scope, self.rd.last - self.s.line)
        elif self.pending and affects and len(out) == 1 and out[0].verdict == "return":
            # (reported where it may change a verdict: ``NftParser.report_returns``)
            self.p.unsure_returns[self.s.line] = (self.s, "; ".join(self.pending), scope, self.rd.last)
        elif self.pending and affects:
            self.p.unrecognized(self.s, "; ".join(self.pending), Impact.FILTER, scope)
        elif any(r.possible for r in out) or any(r.conds for r in out):
            self.p.lines.use(self.s.line - 1, self.rd.last)
        else:
            self.p.drop_rule(self.rd, "no verdict (counts, logs or sets only)" if not out else "matches no packet")
        return out


_NAT_FLAGS = ("random", "fully-random", "persistent", ",")
_NAT_V4 = re.compile(r"^(\d[\d.]*)(?:-(\d[\d.]*))?(?::(\w+)(?:-(\w+))?)?$")
_NAT_V6 = re.compile(r"^\[([0-9a-fA-F:.]+)\](?::(\w+)(?:-(\w+))?)?$|^([0-9a-fA-F:.]*:[0-9a-fA-F:.]*)$")


def dnat_target(w: str, spec: list[str]) -> tuple[ISet | None, ISet | None]:
    """Where ``dnat``/``redirect`` sends its packets (nft(8), "NAT STATEMENTS": ``dnat [ip | ip6] to
    ADDR_SPEC [:PORT_SPEC]``, ``redirect [to :PORT_SPEC]``, an address or ``address-address`` and a port or
    ``port-port``): (the destinations, None for any: a redirect's host address, a map; the destination
    ports, None when kept)."""
    rest = [x for x in spec if x not in _NAT_FLAGS]
    if rest[:1] in (["ip"], ["ip6"]):
        rest = rest[1:]
    if rest[:1] == ["to"]:
        rest = rest[1:]
    text = "".join(rest)
    try:
        if w == "redirect":
            if not text:
                return None, None
            lo, _, hi = text.lstrip(":").partition("-")
            return None, ISet.of(port_number(lo), port_number(hi or lo))
        m4, m6 = _NAT_V4.match(text), _NAT_V6.match(text)
        if m4:
            a, b, plo, phi, fam = m4.group(1), m4.group(2), m4.group(3), m4.group(4), 4
        elif m6:
            a, b, plo, phi, fam = m6.group(1) or m6.group(4), None, m6.group(2), m6.group(3), 6
        else:
            return None, ALL_PORTS
        dst = addr_range(a, b, fam) if b else addr_set(a, fam)
        return dst, ISet.of(port_number(plo), port_number(phi or plo)) if plo else None
    except (ParseError, ValueError):
        return None, ALL_PORTS


def map_verdict(verdict: list[str]) -> str:
    """A verdict map element's verdict (``jump x``, ``reject``, ...) as a ``RawRule`` verdict."""
    v = verdict[0] if verdict else ""
    v = {"reject": "drop", "continue": "none"}.get(v, v)
    if v not in ("accept", "drop", "return", "jump", "goto", "none"):
        raise ParseError("bad verdict '%s'" % " ".join(verdict))
    return v


def port_value(x: str) -> ISet:
    """``80``, ``ssh``, ``8000-8010``."""
    if "-" in x and x not in SERVICES:
        lo, hi = x.split("-", 1)
        a, b = port_number(lo), port_number(hi)
        if b < a:
            raise ParseError("bad port range '%s'" % x)
        return ISet.of(a, b)
    return ISet.of(port_number(x))


def parse(text: str, path: str) -> Config:
    """Parse an nftables ruleset into the normalized rule graph."""
    return NftParser(text, path).build()


ADVICE = {
    "CFG300": "The finding names what the line uses that is not modelled; the packets it may decide are unknown "
              "(docs/vendors/linux.md lists what is read). Give `nft list ruleset` output rather than a script "
              "that builds it, or check those packets by hand.",
    "CFG301": "A `jump CHAIN` target or a named set must exist (`nft add chain ...`, `nft add set ...`).",
    "PRN100": "Add an accept for the flow before the drop the finding names, in the chain that carries it (the "
              "input hook's for this host, the forward hook's for hosts behind it), with the example packet's "
              "addresses and port (`nft insert rule inet filter input position H ip saddr CLIENT_NET ip daddr "
              "SERVER tcp dport PORT accept`), and `ct state established,related accept` where the policy drops "
              "the replies. A flow between other hosts blocked by the forward hook crosses this host only if it "
              "routes: if it does not, give `sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding` output after "
              "the ruleset (0: the forward hook decides nothing).",
    "PRN120": "Raise `net.netfilter.nf_conntrack_tcp_timeout_established` (default 5 days is fine), or give the "
              "Prinergy ports a `ct timeout` policy with an established timeout of at least one shift.",
    "PRN150": "Restrict `ip saddr` of the accept rule to the site's prefixes.",
    "PRN160": "Delete the accept for `tcp dport 548`.",
    "ACL200": "Covered by earlier rules: move the rule above them (`nft insert rule ... position H`) or delete "
              "it (`nft delete rule ... handle H`). In a regular chain that no jump sends such packets to, widen "
              "the `jump`/`goto` rule's match if the chain should see them, else delete the rule.",
}


VENDOR = Vendor(
    NAME, 'Linux nftables',
    'nft list ruleset',
    detect, parse, advice=ADVICE)
