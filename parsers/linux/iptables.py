"""Linux iptables (``iptables-save`` / ``ip6tables-save``) -> the vendor-neutral rule graph.

Accepted input:

* ``iptables-save`` / ``ip6tables-save`` output: ``*table`` sections,
  ``:CHAIN POLICY [packets:bytes]`` lines, ``-A`` rules and ``COMMIT``;
  several dumps concatenated (IPv4 then IPv6) are read section by section;
* the command form that shell scripts and aerleon's ``iptables`` target use:
  ``-P``/``-N``/``-A``/``-I``/``-R``/``-D``/``-F``/``-X`` lines, optionally written as
  ``iptables [-t TABLE] -A ...`` or ``ip6tables ...``; a rule number iptables refuses (past the
  chain's end, or 0) places no rule (``IptablesParser.refuse``).

Semantics translated here (the shared pieces live in ``parsers.linux.common``):

* every chain is a stateless stage: its rules decide every packet, the first of a connection
  (NEW) and the later ones, replies included (ESTABLISHED); ``--state``/``--ctstate``,
  ``--ctdir``, ``--syn``/``--tcp-flags`` say which of them a rule matches (``Rule.states``);
* user chains are flattened into one first-match list per built-in chain
  (``-j`` conditions are ANDed into the sub-chain's rules, ``RETURN`` and
  ``-g`` remove what they return from the rest of the chain), each flattened
  rule keeping the line that decides; a filter-table chain's filter ends with an
  explicit rule for its policy, attributed to the ``:INPUT DROP`` line; the raw, mangle, nat
  and security chains' policies are their stage's default (they pass traffic on to the
  filter table: no rule of theirs is a permit);
* the paths are INPUT (``local="in"``), FORWARD (transit) and OUTPUT
  (``local="out"``), with the raw/mangle/nat/security chains that can drop as
  extra stages, in the kernel's order; nat chains see only a connection's first packet;
  each address family only covers its own addresses (the pseudo-interfaces
  ``ipv4``/``ipv6``): the other family is not routed;
* a FORWARD path left at its boot state (policy ACCEPT, nothing that drops)
  is taken as a host that does not forward, and is kept in
  ``aux.idle_transit`` for ``parsers.linux.sysctl`` (``ip_forward = 1``);
* ``-i``/``-o`` interfaces are not modelled: such rules are uncertain, except
  the loopback interface ``lo``: its packets go from the host to itself, so
  ``-i lo``/``-o lo`` match only loopback sources and destinations;
* ``-m addrtype`` (``parsers.linux.common``, "address types"): the types the address itself decides
  (multicast, limited broadcast) at every hook; in INPUT a destination, in OUTPUT a source, is one
  of the host's own addresses (LOCAL); elsewhere the host's routes decide, and the rule is uncertain;
* ``DNAT``/``REDIRECT``/``NETMAP`` (``IptablesParser.dest_nats``): the packets that reach it (through the
  jumps and gotos of the nat table's PREROUTING and OUTPUT) are unknown there, the others untouched; where
  a chain met before it (raw, mangle, its own nat chain) may drop what it translates to, or its reach is
  not known (a target not understood in its table, another chain), it could change any verdict;
* a ``RETURN`` (or ``-g``) whose match is uncertain, where the packet ends as the built-in chain's policy
  whether it returns or not, is that (``common.moot_returns``; iptables(8), TARGETS: a RETURN resumes at the
  calling chain's next rule, "the target specified by the chain policy determines the fate of the packet"
  at a built-in chain's end); not in a filter-table chain whose policy is not given;
* ``-m mark``/``-m connmark`` ``[!] --mark value[/mask]`` (the packet's or connection's mark: rules, other
  programs and the kernel set it) and ``-m statistic --mode random|nth`` (load balancing) are not
  modelled: the rule is uncertain (reported); ``-j MARK``/``-j CONNMARK`` set a mark and go on;
* ``NOTRACK`` / ``-j CT --notrack`` in the raw table: the packets it untracks are
  UNTRACKED to every later state match (and replies of connections it untracked are NEW);
* conntrack's established timeout: the Linux default 432000 s unless a sysctl
  input (``parsers.linux.sysctl``) says otherwise; ``-j CT --timeout NAME``
  takes its values from ``nfct``, which is not an input, so it is reported
  (scope ``timeouts``) and the idle-timeout check says unknown;
* ``ebtables-save`` / ``arptables-save`` sections (bridge and ARP filtering) that can drop
  make every verdict unknown; those that only accept are ignored;
* an IPv6 chain on the host's input or output path (not nat, which untracked packets skip) that
  drops neighbour discovery (UNTRACKED to conntrack: an ``ESTABLISHED,RELATED`` accept does not
  take it) is reported, and every IPv6 path ends with a stage that leaves what the chains let
  through unknown (``parsers.linux.common``, "neighbour discovery").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

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
)
from auditor.core.packets import (
    ALL,
    ALL_PORTS,
    ALL_PROTO,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    ISet,
    PacketSet,
    cube,
)
from parsers.kit import Lines, Vendor
from parsers.kit.vendor import line_regex
from parsers.linux.common import (
    ADDR_TYPES,
    BLIND_DNAT,
    ICMP6_NAMES,
    ICMP_NAMES,
    LOOPBACK,
    PLAIN,
    PORTED,
    RAW,
    SERVICES,
    TCP_FLAGS,
    AddrTypeCond,
    Ctx,
    DirCond,
    FlagCond,
    Flats,
    Flattener,
    LinuxAux,
    Match,
    Never,
    ParseError,
    RawRule,
    StateCond,
    accepts_all,
    addr_range,
    addr_set,
    assemble,
    default_timeout,
    dnat_image,
    drops_image,
    family_space,
    final_drops,
    icmp_iset,
    mirror,
    moot_returns,
    nd_ctx,
    nd_dropper,
    nd_stage,
    port_number,
    proto_number,
    report_dnat,
    stage,
    tcp_flag_bits,
    to_rules,
    untracked_from,
)

NAME = "iptables"

BUILTIN = ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")
TABLES = ("raw", "mangle", "nat", "filter", "security")
# the order in which the tables' chains see a packet, per path (iptables(8), TABLES; the
# nftables wiki, "Netfilter hooks": raw -300, mangle -150, dstnat -100, filter 0, security 50,
# srcnat 100)
TRAVERSAL = {
    "in": (("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("nat", "PREROUTING"), ("mangle", "INPUT"),
           ("filter", "INPUT"), ("security", "INPUT"), ("nat", "INPUT")),
    "fwd": (("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("nat", "PREROUTING"), ("mangle", "FORWARD"),
            ("filter", "FORWARD"), ("security", "FORWARD"), ("mangle", "POSTROUTING"), ("nat", "POSTROUTING")),
    "out": (("raw", "OUTPUT"), ("mangle", "OUTPUT"), ("nat", "OUTPUT"), ("filter", "OUTPUT"),
            ("security", "OUTPUT"), ("mangle", "POSTROUTING"), ("nat", "POSTROUTING")),
}
# the built-in chains that run only for the packets addressed to the host / sent by it (``Ctx.local``)
LOCAL_HOOK = {"INPUT": "in", "OUTPUT": "out"}
# which paths each built-in chain is on (to know what NOTRACK did before it)
CHAIN_PATHS = {"PREROUTING": ("in", "fwd"), "INPUT": ("in",), "FORWARD": ("fwd",), "OUTPUT": ("out",),
               "POSTROUTING": ("fwd", "out")}


# ``detect``'s signs (``line_regex``: each found by a fast scan for the line starts it may match)
_SAVED_BY = line_regex(r"^# Generated by (?:ip6?|eb|arp)tables(?:-nft|-legacy)?-save")
_TABLE = line_regex(r"^\*(filter|nat|mangle|raw|security|broute)\s*$")
_CHAIN_POLICY = line_regex(r"^:[A-Za-z0-9_.-]+ (ACCEPT|DROP|-) \[\d+:\d+\]")
_COMMIT = line_regex(r"^COMMIT\s*$")
_RULES = re.compile(r"^(?:\[\d+:\d+\] )?(?:(?:sudo )?(?:/\S*/)?ip6?tables(?:-legacy|-nft)? +(?:-t \S+ +)?)?"
                    r"-[AI] \S+", re.M)
_POLICY_CMD = line_regex(r"^(?:(?:sudo )?(?:/\S*/)?ip6?tables\S* +(?:-t \S+ +)?)?"
                         r"-P (INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING) (ACCEPT|DROP)")
_COMMAND = line_regex(r"^(?:sudo )?(?:/\S*/)?ip6?tables(?:-legacy|-nft)? +(?:-t \S+ +)?-[AIPN] ")
_NEW_CHAIN = line_regex(r"^(?:(?:sudo )?ip6?tables\S* +(?:-t \S+ +)?)?-N \S+\s*$")
_NFT_TABLE = line_regex(r"^\s*table (ip|ip6|inet) \S+ \{")
_ASA_ACL = line_regex(r"^access-list ")


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is iptables-save output or iptables commands."""
    head = text[:200000]
    score = 0
    if _SAVED_BY.search(head):
        score += 50
    if _TABLE.search(head):
        score += 35
    if _CHAIN_POLICY.search(head):
        score += 35
    if _COMMIT.search(head):
        score += 15
    rules = len(_RULES.findall(head))
    if rules:
        score += 30 if rules >= 2 else 20
    if _POLICY_CMD.search(head):
        score += 35
    if _COMMAND.search(head):
        score += 25
    if _NEW_CHAIN.search(head):
        score += 10
    if _NFT_TABLE.search(head) or _ASA_ACL.search(head):
        score -= 40
    return max(0, min(100, score))


# --- options ---------------------------------------------------------------------------------

GENERIC = {
    "-s": "src", "--source": "src", "--src": "src", "-d": "dst", "--destination": "dst", "--dst": "dst",
    "-p": "proto", "--protocol": "proto", "-i": "in", "--in-interface": "in", "-o": "out",
    "--out-interface": "out", "-j": "jump", "--jump": "jump", "-g": "goto", "--goto": "goto",
    "-m": "match", "--match": "match", "-f": "frag", "--fragment": "frag", "-4": "ipv4", "--ipv4": "ipv4",
    "-6": "ipv6", "--ipv6": "ipv6", "-c": "counters", "--set-counters": "counters",
}
_PORTS = {"--sport": 1, "--source-port": 1, "--dport": 1, "--destination-port": 1}
# match modules and their options' argument counts (iptables-extensions(8))
MODULES: dict[str, dict[str, int]] = {
    "tcp": {**_PORTS, "--syn": 0, "--tcp-flags": 2, "--tcp-option": 1},
    "udp": dict(_PORTS), "udplite": dict(_PORTS), "dccp": dict(_PORTS), "sctp": dict(_PORTS),
    "icmp": {"--icmp-type": 1},
    "icmp6": {"--icmpv6-type": 1},
    "multiport": {"--sports": 1, "--source-ports": 1, "--dports": 1, "--destination-ports": 1, "--ports": 1},
    "iprange": {"--src-range": 1, "--dst-range": 1},
    "state": {"--state": 1},
    "conntrack": {"--ctstate": 1, "--ctdir": 1},
    "comment": {"--comment": 1},
    "addrtype": {"--src-type": 1, "--dst-type": 1, "--limit-iface-in": 0, "--limit-iface-out": 0},
    # (read, but what they match is not modelled: ``RuleReader.unmodelled``)
    "mark": {"--mark": 1}, "connmark": {"--mark": 1},
    "statistic": {"--mode": 1, "--probability": 1, "--every": 1, "--packet": 1},
}
# the types ip6tables' addrtype refuses (xt_addrtype.c, addrtype_mt_checkentry_v1)
_V6_REFUSED_TYPES = frozenset(("BROADCAST", "BLACKHOLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"))
PROTO_MODULES = {"tcp": 6, "udp": 17, "udplite": 136, "dccp": 33, "sctp": 132, "icmp": 1, "icmp6": 58}
TARGET_OPTIONS = {"REJECT": ("--reject-with",), "TARPIT": ("--tarpit", "--honeypot", "--reset")}
MODULE_ALIASES = {"icmpv6": "icmp6", "ipv6-icmp": "icmp6"}
PROTO_MODULE = {6: "tcp", 17: "udp", 136: "udplite", 33: "dccp", 132: "sctp", 1: "icmp", 58: "icmp6"}
TERMINAL = {"ACCEPT": "accept", "DROP": "drop", "REJECT": "drop", "TARPIT": "drop", "RETURN": "return"}
# targets that do not decide the packet (rule processing goes on), with why they are ignored
NONTERMINAL = {
    **{t: "logs the packet" for t in ("LOG", "NFLOG", "ULOG", "AUDIT", "TRACE")},
    **{t: "marks the packet or connection" for t in ("MARK", "CONNMARK", "SECMARK", "CONNSECMARK", "HMARK",
                                                      "CLASSIFY", "DSCP", "TOS", "TTL", "HL", "ECN")},
    **{t: "changes no filtering decision" for t in ("TCPMSS", "SET", "CHECKSUM", "IDLETIMER", "LED", "RATEEST",
                                                     "TEE", "CT")},
}
DEST_NAT = frozenset(("DNAT", "REDIRECT", "NETMAP"))
_DEST_NAT_TARGET = re.compile(r"(?:-j|--jump|-g|--goto)\s+[\"']?(?:DNAT|REDIRECT|NETMAP)\b")
SRC_NAT = frozenset(("SNAT", "MASQUERADE"))
# (TPROXY hands the packet to a local socket, or drops it when there is none: iptables-extensions(8))
UNKNOWN_VERDICT = frozenset(("QUEUE", "NFQUEUE", "SYNPROXY", "TPROXY"))
_COMMAND = re.compile(r"^(?:sudo\s+)?(?:/\S*/)?(ip6?tables)(?:-legacy|-nft)?(?:\s+|$)")
_COUNTERS = re.compile(r"^\[\d+:\d+\]\s*")
_OTHER_SAVE = re.compile(r"#\s*Generated by (eb|arp)tables")
# what iptables-nft-save writes instead of rules it does not show (xtables-nft(8)): the tables of
# the legacy back end, which the kernel runs as well, and a table it cannot express
_HIDDEN = re.compile(r"#\s*(Warning: iptables-legacy tables present|Table\s+\S+\s+is incompatible)")
_PROTO_SETS = [ISet.of(n) for n in range(256)]
# the matches that iptables refuses without their option (libxt_mark.c, libxt_connmark.c, libxt_statistic.c:
# XTOPT_MAND)
_MANDATORY = {"mark": "--mark", "connmark": "--mark", "statistic": "--mode"}
_MARK = re.compile(r"^(?:0[xX][0-9a-fA-F]+|\d+)(?:/(?:0[xX][0-9a-fA-F]+|\d+))?$")  # value[/mask]
SYN_MASK = TCP_FLAGS["syn"] | TCP_FLAGS["rst"] | TCP_FLAGS["ack"] | TCP_FLAGS["fin"]


_WORD = re.compile(r"""(?:[^\s"'\\]+|"(?:[^"\\]|\\.)*"|'[^']*'|\\.)+""")
_PIECE = re.compile(r"""[^"'\\]+|"((?:[^"\\]|\\.)*)"|'([^']*)'|\\(.)""")
_DQ_ESCAPE = re.compile(r"""\\([\\"])""")


def words(line: str) -> list[str]:
    """A line's words as a POSIX shell splits them (``shlex.split``): a plain split where nothing
    is quoted or escaped (nearly every iptables-save line); quoted words (iptables-save quotes
    comments and log prefixes, escaping ``"`` and ``\\``) by two regular expressions, ten times
    faster than ``shlex``.  ``ValueError`` for an unbalanced quote."""
    if '"' not in line and "'" not in line and "\\" not in line:
        return line.split()
    out = []
    end = 0
    for m in _WORD.finditer(line):
        if line[end:m.start()].strip():
            raise ValueError("unbalanced quote")
        end = m.end()
        w = m.group()
        if '"' in w or "'" in w or "\\" in w:
            w = "".join(p.group() if p.lastindex is None else
                        _DQ_ESCAPE.sub(r"\1", p.group(1)) if p.lastindex == 1 else p.group(p.lastindex)
                        for p in _PIECE.finditer(w))
        out.append(w)
    if line[end:].strip():
        raise ValueError("unbalanced quote")
    return out


def addr_type(word: str) -> str:
    """An addrtype type name: the first of the kernel's route types (in rtnetlink's order) that
    ``word`` begins, case aside (libxt_addrtype.c, ``parse_type``: ``strncasecmp`` over the word's length)."""
    w = word.upper()
    for name in ADDR_TYPES:
        if w and name.startswith(w):
            return name
    raise ParseError("addrtype: bad type '%s'" % word)


class Refused(ParseError):
    """A rule iptables itself refuses (the message is iptables' error): in an iptables-restore input the
    restore fails and commits nothing."""


_RESTORE_REFUSED = ("iptables-restore refuses this line (%s) and commits nothing of the input: the rules in force "
                    "are not these")


@dataclass
class ChainDef:
    name: str
    builtin: bool
    policy: Action | None = None
    policy_src: Source | None = None
    decl: Source | None = None
    lines: list = field(default_factory=list)  # (tokens, line index)


@dataclass
class TableDef:
    fam: int
    name: str
    source: Source
    chains: dict = field(default_factory=dict)


class IptablesParser:
    """One parse of one file; use ``parse()``."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = Lines(text, path)
        self.tables: dict[tuple[int, str], TableDef] = {}
        self.address_refs: list[AddressRef] = []
        self.remarks: list[tuple[str, Source]] = []  # (filter name, the line) of rules with a comment
        self.both = False  # IPv4 and IPv6 tables both (IPv6 filters are then named ip6/...)
        self.refused: dict[int, str] = {}  # line -> why iptables refused its -I/-R (placed first, unknown)
        self.restored: set[int] = set()  # the lines of iptables-restore sections (*table ... COMMIT)
        self._reported: set = set()
        # whether anything in the input may translate a destination (a DNAT, REDIRECT or NETMAP target)
        self.dest_nat = bool(_DEST_NAT_TARGET.search(text))
        # line -> (the target and its options, where it sends its packets: ``nat_target``, its table's
        # (family, name)) of each DNAT, REDIRECT and NETMAP rule
        self.dnat: dict[int, tuple] = {}

    def src(self, i: int) -> Source:
        return self.lines.source(i)

    def report(self, code: str, message: str, source: Source, scope: str) -> None:
        """A CFG301 (or CFG300) found while flattening: once per line and message."""
        key = (code, message, source.line)
        if key not in self._reported:
            self._reported.add(key)
            self.lines.report(code, message, source, Impact.FILTER, scope)

    # --- pass 1: lines -> sections -> tables ----------------------------------------
    def scan(self) -> None:
        """Split the lines into sections and give each a family and a table."""
        L = self.lines
        sections: list[dict] = []
        cur: dict | None = None
        marker: int | None = None
        hint: int | None = None
        other: str | None = None
        for i, raw in enumerate(L.raw):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("#"):
                if _HIDDEN.match(line):
                    L.unrecognized(self.src(i), "the dump leaves out rules the kernel runs (legacy tables, or a "
                                                "table iptables-nft cannot show): they may drop any traffic",
                                   Impact.GLOBAL)
                    continue
                L.ignore(i, "comment")
                m = re.match(r"#\s*Generated by (ip6?)tables", line)
                if m:
                    # the family of the whole dump, every table of it (iptables-save writes one family)
                    marker, other = (6 if m.group(1) == "ip6" else 4), None
                elif _OTHER_SAVE.match(line):
                    other = _OTHER_SAVE.match(line).group(1)
                elif re.match(r"#\s*inet6\s*$", line):
                    hint = 6
                elif re.match(r"#\s*inet\s*$", line):
                    hint = 4
                if cur is not None and cur["fam"] is None and (marker or hint):
                    cur["fam"] = marker or hint
                    hint = None
                continue
            if line.startswith("*"):
                cur = {"table": line[1:].strip(), "fam": marker or hint, "lines": [], "src": i, "restore": True,
                       "other": other}
                sections.append(cur)
                hint = None
                continue
            if line == "COMMIT":
                if cur is None or not cur["restore"]:
                    L.unrecognized(self.src(i), "COMMIT outside a *table section")
                else:
                    L.use(i)
                cur = None
                continue
            m = _COMMAND.match(line) if line[0] != "-" else None
            fam = None
            if m:
                fam = 6 if m.group(1) == "ip6tables" else 4
                line = line[m.end():]
                other = None
            if cur is None or (m and cur["restore"]) or (cur is not None and not cur["restore"] and fam is not None
                                                          and cur["fam"] not in (None, fam)):
                cur = {"table": None, "fam": fam or marker or hint, "lines": [], "src": i, "restore": False,
                       "other": other if not m else None}
                sections.append(cur)
                marker = hint = None  # (a script of commands says its family on each line, or not at all)
            elif fam is not None and cur["fam"] is None:
                cur["fam"] = fam
            cur["lines"].append((i, line))
        default = self._default_family(sections)
        for sec in sections:
            if sec["other"]:
                self.other_family(sec)
                continue
            fam = sec["fam"] or self._evidence([ln for _, ln in sec["lines"]]) or default
            self.section(sec, fam)

    def other_family(self, sec: dict) -> None:
        """An ebtables-save (bridge) or arptables-save (ARP) section: not modelled.  Dropped
        bridged frames or ARP replies break the IP traffic they carry or resolve, so a section
        that can drop makes every verdict unknown; one that only accepts changes nothing."""
        what = {"eb": "ebtables (bridge filtering)", "arp": "arptables (ARP filtering)"}[sec["other"]]
        drops = []
        for i, line in sec["lines"]:
            w = line.split()
            if (w[:1] == ["-P"] or line.startswith(":")) and "DROP" in w or re.search(r"-j\s+DROP\b", line):
                drops.append(i)
        if drops:
            for i in drops:
                self.lines.unrecognized(self.src(i), "%s is not modelled and this line can drop packets" % what)
        why = "%s that only accepts" % what
        self.lines.ignore(sec["src"], why)
        for i, _ in sec["lines"]:
            self.lines.ignore(i, why)

    def _evidence(self, lines: list[str]) -> int | None:
        v4 = v6 = 0
        for ln in lines:
            for w in re.findall(r"(?:-s|-d|--source|--destination|--src-range|--dst-range)\s+(?:!\s+)?(\S+)", ln):
                if ":" in w:
                    v6 += 1
                elif re.match(r"\d+\.\d+", w):
                    v4 += 1
            if re.search(r"-p\s+(icmpv6|ipv6-icmp|icmp6|58)\b|--icmpv6-type", ln):
                v6 += 1
            if re.search(r"-p\s+(icmp|1)\b(?!v)|--icmp-type", ln):
                v4 += 1
        if v6 > v4:
            return 6
        if v4:
            return 4
        return None

    def _default_family(self, sections: list[dict]) -> int:
        fams = [s["fam"] for s in sections if s["fam"] and not s["other"]]
        if fams:
            return fams[0]
        return self._evidence([ln for s in sections if not s["other"] for _, ln in s["lines"]]) or 4

    def table(self, fam: int, name: str, i: int, reset: bool) -> TableDef:
        key = (fam, name)
        if reset or key not in self.tables:
            self.tables[key] = TableDef(fam, name, self.src(i))
        return self.tables[key]

    def chain(self, t: TableDef, name: str, src: Source | None) -> ChainDef:
        if name not in t.chains:
            t.chains[name] = ChainDef(name, name in BUILTIN, decl=src)
        return t.chains[name]

    def section(self, sec: dict, fam: int) -> None:
        L = self.lines
        if sec["restore"]:
            name = sec["table"]
            if name not in TABLES:
                L.unrecognized(self.src(sec["src"]), "unknown table '%s'" % name)
                for i, _ in sec["lines"]:
                    L.unrecognized(self.src(i), "inside unknown table '%s'" % name)
                return
            t = self.table(fam, name, sec["src"], reset=True)
            L.use(sec["src"])
            self.restored.update(i for i, _ in sec["lines"])
        for i, line in sec["lines"]:
            if sec["restore"]:
                tab = t
                if line.startswith(":"):
                    self.chain_line(tab, line, i)
                    continue
                if line[0] == "[":
                    line = _COUNTERS.sub("", line)
            try:
                toks = words(line)
            except ValueError:
                L.unrecognized(self.src(i), "unbalanced quotes")
                continue
            if not sec["restore"]:
                tname = "filter"
                for k, w in enumerate(toks[:-1]):
                    if w in ("-t", "--table"):
                        tname = toks[k + 1]
                        del toks[k:k + 2]
                        break
                if tname not in TABLES:
                    L.unrecognized(self.src(i), "unknown table '%s'" % tname)
                    continue
                tab = self.table(fam, tname, i, reset=False)
            self.command(tab, toks, i)

    def chain_line(self, t: TableDef, line: str, i: int) -> None:
        s = self.src(i)
        parts = line[1:].split()
        if len(parts) < 2:
            self.lines.unrecognized(s, "bad chain line")
            return
        name, pol = parts[0], parts[1]
        c = self.chain(t, name, s)
        c.decl = s
        self.lines.use(i)
        if pol in ("ACCEPT", "DROP"):
            if name not in BUILTIN:
                # iptables-restore (legacy) sets the policy of every chain line not '-' and fails on a chain
                # that is not built in ("Can't set policy": libiptc's "Bad built-in chain name"), committing
                # nothing; iptables-nft only creates the chain.  Which rules are in force is unknown.
                self.lines.unrecognized(s, "policy on user chain '%s': iptables-restore (legacy) refuses it and "
                                           "commits nothing of the input, iptables-nft ignores it" % name)
                return
            c.policy = Action.PERMIT if pol == "ACCEPT" else Action.DENY
            c.policy_src = s
        elif pol != "-":
            self.lines.unrecognized(s, "unknown policy '%s'" % pol, Impact.FILTER, name)

    def command(self, t: TableDef, toks: list[str], i: int) -> None:
        L = self.lines
        if not toks:
            L.ignore(i, "empty command")
            return
        op = toks[0]
        if op in ("-A", "--append", "-I", "--insert", "-R", "--replace") and len(toks) >= 2:
            c = self.chain(t, toks[1], None)
            rest = toks[2:]
            if op in ("-I", "--insert", "-R", "--replace"):
                insert = op in ("-I", "--insert")
                n = 1
                if rest and rest[0].isdigit():
                    n = int(rest[0])
                    rest = rest[1:]
                elif not insert:
                    L.unrecognized(self.src(i), "-R without a rule number")
                    return
                if not 1 <= n <= len(c.lines) + insert:
                    self.refuse(c, rest, i, "Invalid rule number" if n < 1 else
                                "Index of %s too big" % ("insertion" if insert else "replacement"))
                elif insert:
                    c.lines.insert(n - 1, (rest, i))
                else:
                    L.ignore(c.lines[n - 1][1], "replaced by a later -R")
                    c.lines[n - 1] = (rest, i)
            else:
                c.lines.append((rest, i))
            if c.decl is None:
                c.decl = self.src(i)
        elif op in ("-D", "--delete") and len(toks) >= 3 and toks[1] in t.chains:
            c = t.chains[toks[1]]
            rest = toks[2:]
            if len(rest) == 1 and rest[0].isdigit():
                at = int(rest[0]) - 1
                if not 0 <= at < len(c.lines):
                    self.refuse(c, None, i, "Invalid rule number" if at < 0 else "Index of deletion too big")
                    return
            else:
                # (a rule written as it was appended: the same rule; iptables deletes the first match)
                at = next((k for k, (ts, _j) in enumerate(c.lines) if ts == rest), None)
                if at is None:
                    L.unrecognized(self.src(i), "-D of a rule not written the same way in the input: which rule "
                                                "iptables deletes, if any, cannot be told")
                    return
            L.ignore(c.lines.pop(at)[1], "deleted by a later -D")
            L.use(i)
        elif op in ("-N", "--new-chain", "--new") and len(toks) == 2:
            c = self.chain(t, toks[1], self.src(i))
            c.decl = c.decl or self.src(i)
            L.use(i)
        elif op in ("-P", "--policy") and len(toks) == 3 and toks[2] in ("ACCEPT", "DROP"):
            s = self.src(i)
            if toks[1] not in BUILTIN:
                self.refuse_policy(toks[1], i)
                return
            c = self.chain(t, toks[1], s)
            c.policy = Action.PERMIT if toks[2] == "ACCEPT" else Action.DENY
            c.policy_src = s
            L.use(i)
        elif op in ("-F", "--flush") and len(toks) <= 2:
            for c in ([t.chains[toks[1]]] if len(toks) == 2 and toks[1] in t.chains else
                      [] if len(toks) == 2 else t.chains.values()):
                for _toks, j in c.lines:
                    L.ignore(j, "flushed by a later -F")
                c.lines.clear()
            L.use(i)
        elif op in ("-X", "--delete-chain") and len(toks) <= 2:
            # deletes user chains (only empty, unreferenced ones: iptables refuses the others)
            names = [toks[1]] if len(toks) == 2 else [n for n, c in t.chains.items() if not c.builtin]
            for n in names:
                c = t.chains.get(n)
                if c is not None and not c.builtin and not c.lines:
                    del t.chains[n]
            L.use(i)
        elif op in ("-Z", "--zero"):
            L.ignore(i, "zeroes counters")
        elif op in ("-L", "--list", "-S", "--list-rules"):
            L.ignore(i, "lists rules")
        else:
            L.unrecognized(self.src(i), "unsupported command '%s'" % op)

    def refuse(self, c: ChainDef, rest: list[str] | None, i: int, why: str) -> None:
        """A -I/-R/-D whose rule number iptables refuses (``why``, its error: iptables(8), "Rules are
        numbered starting at 1"; libiptc's E2BIG for a number past the chain's end).  iptables-restore
        then fails and commits nothing of its input: every verdict is unknown.  A command in a script
        fails alone: its rule is in no place of the chain, and the packets it matches are unknown from
        the chain's top (where the rule was meant to go is not in the chain); a deletion deletes
        nothing."""
        s = self.src(i)
        if i in self.restored:
            self.lines.unrecognized(s, _RESTORE_REFUSED % why)
        elif rest is None:
            self.lines.report("CFG300", "line not understood: iptables refuses this command (%s): it deletes "
                                        "nothing" % why, s, Impact.FILTER, c.name)
            self.lines.use(i)
        else:
            self.refused[i] = why
            c.lines.insert(0, (rest, i))

    def refuse_policy(self, name: str, i: int) -> None:
        """``-P CHAIN TARGET`` on a chain that is not built in.  iptables(8): "-P, --policy chain target:
        Set the policy for the built-in (non-user-defined) chain to the given target"; libiptc refuses
        any other chain ("Bad built-in chain name"), and so does iptables-nft (its chain_set finds no
        built-in chain).  In an iptables-restore input the restore then fails and commits nothing: every
        verdict is unknown.  A command in a script fails alone and sets nothing."""
        s = self.src(i)
        if i in self.restored:
            self.lines.unrecognized(s, _RESTORE_REFUSED % "Bad built-in chain name")
        else:
            self.lines.report("CFG300", "line not understood: iptables refuses this command (Bad built-in chain "
                                        "name): chain '%s' is not built in, it sets no policy" % name, s,
                              Impact.NONE)
            self.lines.use(i)

    # --- pass 2: rule lines -> RawRules --------------------------------------------------
    def rule(self, t: TableDef, chain: str, toks: list[str], i: int) -> RawRule | None:
        """One rule line; None when it has no verdict (or cannot apply)."""
        try:
            return RuleReader(self, t, chain, toks, i).read()
        except ParseError as e:
            s = self.src(i)
            if any(w in (("-6", "--ipv6") if t.fam == 4 else ("-4", "--ipv4")) for w in toks):
                self.other_family_rule(i, t.fam)
                return None
            if isinstance(e, Refused) and i in self.restored:
                self.lines.unrecognized(s, _RESTORE_REFUSED % e)
            else:
                self.lines.unrecognized(s, str(e), Impact.FILTER, chain)
            return RawRule(NOTHING, ALL, "unknown", s, note="not understood", opaque=True)

    def table_rules(self, t: TableDef) -> dict[str, list[RawRule]]:
        out = {}
        for c in t.chains.values():
            rules = []
            for toks, i in c.lines:
                r = self.rule(t, c.name, toks, i)
                if r is not None and i in self.refused:
                    self.lines.unrecognized(r.source, "iptables refuses this command (%s): the rule is in no place "
                                            "of chain %s, and the packets it matches are unknown" % (
                                                self.refused[i], c.name), Impact.FILTER, c.name)
                    r = RawRule(NOTHING, r.possible, "unknown", r.source, note="rule iptables refused", opaque=True)
                if r is not None:
                    r.index = len(rules)
                    rules.append(r)
            out[c.name] = rules
        return out

    def build(self) -> Config:
        self.scan()
        filters: dict[str, Filter] = {}
        fams = sorted({fam for fam, _ in self.tables})
        both = self.both = len(fams) > 1
        fam_paths: dict[int, list] = {}
        idle: list[Path] = []
        head = self.lines.head() or Source(self.path, 1, "")
        for fam in fams:
            raw_rules = {tname: self.table_rules(self.tables[(fam, tname)]) for tname in TABLES
                         if (fam, tname) in self.tables}
            ctxs = self.contexts(raw_rules)
            stages_by_chain: dict[tuple[str, str], tuple] = {}
            nd_drops: dict[tuple[str, str], tuple[Source, str]] = {}
            ndc = nd_ctx() if fam == 6 else None
            met: dict[int, list] = {}  # the line of a DNAT -> (table, built-in chain, filter, the packets reaching it)
            blind: set = set()  # the tables with a rule whose verdict is not understood (it may jump anywhere)
            for tname, rules in raw_rules.items():
                t = self.tables[(fam, tname)]
                flat = Flats(rules, self.report)
                if self.dnat and not flat.jumps_known:
                    blind.add((fam, tname))
                # a user chain's own list is what every jump to it sees where its built-in chains
                # see every packet as conntrack left it (nothing untracked before them; not raw)
                # and every jump is known (no rule whose target is not understood), and no rule depends on
                # the hook (``Flats.hooked``: a chain jumped to from INPUT sees every packet addressed to the host)
                own = USER_CHAIN if tname != "raw" and not ctxs and flat.jumps_known and not flat.hooked else "chain"
                for c in t.chains.values():
                    fname = self.filter_name(fam, tname, c.name, both)
                    if not c.builtin:
                        filters[fname] = Filter(fname, to_rules(fname, flat.merged(c.name, PLAIN)), c.decl,
                                                kind=own)
                        continue
                    ctx = ctxs.get(c.name, PLAIN) if tname != "raw" else ctxs.get("raw " + c.name, RAW)
                    if flat.hooked:
                        ctx = ctx.at(LOCAL_HOOK.get(c.name))
                    merged = flat.merged(c.name, ctx, first_only=tname == "nat")
                    policy = c.policy or (Action.PERMIT if tname != "filter" else None)
                    if policy is not None:
                        # (a RETURN whose match is uncertain, where the packet ends as the policy either way)
                        merged = moot_returns(merged, policy)
                    if self.dnat:
                        for e, _states in merged:
                            if e.action is None and e.source.line in self.dnat:
                                met.setdefault(e.source.line, []).append((tname, c.name, fname, e.possible))
                    st, final = self.policy_stage(c, fname, tname, fam)
                    filters[fname] = Filter(fname, to_rules(fname, merged, final), c.decl, kind="chain")
                    stages_by_chain[(tname, c.name)] = (st, accepts_all(merged, policy) and not final_drops(final))
                    if ndc is not None and tname != "nat" and c.name != "FORWARD":
                        # (neighbour discovery: UNTRACKED after conntrack, INVALID before it in raw)
                        seen = ctx if tname == "raw" else ndc.at(ctx.local)
                        dropper = nd_dropper(flat.flatten(c.name, "new", seen),
                                             fname, final, st)
                        if dropper is not None:
                            nd_drops[(tname, c.name)] = (dropper, fname)
            if self.dnat:
                self.dest_nats(fam, met, blind, stages_by_chain, filters)
            nd = self.nd_drop(nd_drops, filters)
            fam_paths[fam] = []
            for kind in ("in", "fwd", "out"):
                stages = []
                active = present = False
                for key in TRAVERSAL[kind]:
                    if key not in stages_by_chain:
                        continue
                    st, nothing = stages_by_chain[key]
                    present = present or key[0] != "nat"
                    active = active or not nothing
                    if key[0] == "filter" or not nothing:
                        stages.append(st)
                if not present:
                    continue
                if not stages:
                    stages.append(stage("accept", (), Action.PERMIT, None, "no chain on this path filters"))
                if nd is not None:
                    stages.append(nd)
                if kind == "fwd" and not active:
                    idle.append(Path("ipv%d" % fam, "ipv%d" % fam, tuple(stages), local=None,
                                     note="FORWARD accepts everything"))
                    continue
                fam_paths[fam].append((kind, stages, ""))
        paths, interfaces = assemble(fam_paths, head)
        L = self.lines
        return Config(
            path=self.path, vendor=NAME, lines=len(L), filters=filters, paths=paths,
            interfaces=interfaces, timeouts=(default_timeout(),), diagnostics=tuple(L.diagnostics),
            address_refs=tuple(self.address_refs), ignored_lines=L.ignored,
            head=head, remarks=tuple(self.remarks), aux=LinuxAux(tuple(fams), tuple(idle)), left_out=L.left_out(),
        )

    def other_family_rule(self, i: int, fam: int) -> None:
        """A rule of family ``fam``'s section marked for the other family (``-6`` among IPv4 rules, ``-4`` among
        IPv6 ones): the restore command of this family skips it, the other family's applies it ("allowed to
        insert a -4 or -6 option at start of a rule line to ignore it if not matching the command's protocol.
        This allowed to mix specific ipv4 and ipv6 rules in a single file", netfilter's iptables commit
        "restore legacy behaviour of iptables-restore when rules start with -4/-6",
        https://android.googlesource.com/platform/external/iptables/+/d76475ce%5E%21/): a rule of that other
        ruleset, which this audit leaves out (a change review says when a change alters one)."""
        other = 10 - fam
        self.lines.leave_out(i, i + 1, "the IPv%d rules (-%d)" % (other, other),
                             "a rule of the other family: iptables-restore skips it (-4/-6)")

    def dest_nats(self, fam: int, met: dict, blind: set, stages: dict, filters: dict[str, Filter]) -> None:
        """Report each DNAT, REDIRECT and NETMAP rule of family ``fam`` (``RuleReader.verdict``: the packets that
        reach it are unknown where it is met).

        It is "only valid in the nat table, in the PREROUTING and OUTPUT chains, and user-defined chains which
        are only called from those chains"; it sets the connection's translation, "and rules should cease being
        examined" (iptables-extensions(8), DNAT, REDIRECT); nat chains see only a connection's first packet.
        The packets that reach it are known from the flattening of the built-in chains (through the jumps
        and gotos): they are unknown there, and the other packets are not translated.  A packet it translates
        reaches the later chains as one sent to its new destination would, except that it met the chains
        before it (the raw and mangle chains of its hook, and its own nat chain) under its first destination:
        where one of them may drop a packet sent to the new destination, the direct packet's verdict is not the
        translated one's, and the rule could change any verdict.  So too where the packets that reach it are
        not known (a rule of its table whose verdict is not understood, a chain that is not the nat table's
        PREROUTING or OUTPUT: iptables refuses the rule there) (as ``NftParser.dest_nats``)."""
        droppers: dict = {}
        for line, (text, (dst, dport), tkey) in self.dnat.items():
            if tkey[0] != fam:
                continue
            uses = met.get(line, [])
            if not uses and tkey not in blind:
                continue  # (no packet reaches it)
            why = BLIND_DNAT if tkey in blind else ""
            for tname, chain, fname, _reach in uses:
                if tname != "nat" or chain not in ("PREROUTING", "OUTPUT"):
                    why = why or "it is met in chain %s, not the nat table's PREROUTING or OUTPUT" % fname
            image = dnat_image([reach for _t, _c, _f, reach in uses], dst, dport)
            if not why:
                # (the chains met before it: its hook's raw and mangle chains, its own nat chain)
                before = {key: None for _t, chain, _f, _r in uses for key in TRAVERSAL[CHAIN_PATHS[chain][-1]]
                          if key[1] == chain and key[0] in ("raw", "mangle", "nat") and key in stages}
                for key in before:
                    st = stages[key][0]
                    why = why or drops_image(filters[st.filters[0]], st.default, image, self.dnat, droppers)
            report_dnat(self.lines, self.lines.source(line - 1), text, why, [fname for _t, _c, fname, _r in uses])

    def nd_drop(self, drops: dict, filters: dict[str, Filter]):
        """The stage every IPv6 path ends with when a chain on the host's input or output path drops
        neighbour discovery (``parsers.linux.common.nd_stage``), the first such chain reported; None
        when none does."""
        for key in TRAVERSAL["in"] + TRAVERSAL["out"]:
            if key in drops:
                dropper, fname = drops[key]
                return nd_stage(self.lines, dropper, fname, "ip6tables chain", filters)
        return None

    def contexts(self, raw_rules: dict) -> dict[str, Ctx]:
        """Per built-in chain, what NOTRACK in the raw table did before it (``PLAIN`` when the
        raw table untracks nothing)."""
        raw = raw_rules.get("raw")
        if not raw:
            return {}
        fl = Flattener(raw, self.report, "new", RAW)
        pre = untracked_from(fl.flatten("PREROUTING")) if "PREROUTING" in raw else (NOTHING, NOTHING)
        out = untracked_from(fl.flatten("OUTPUT")) if "OUTPUT" in raw else (NOTHING, NOTHING)
        if not (pre[0] or pre[1] or out[0] or out[1]):
            return {}
        by_path = {"in": (pre, mirror(out[0].union(out[1]))), "fwd": (pre, mirror(pre[0].union(pre[1]))),
                   "out": (out, mirror(pre[0].union(pre[1])))}
        ctxs = {"raw PREROUTING": Ctx(True, pre[0], pre[1]), "raw OUTPUT": Ctx(True, out[0], out[1])}
        for chain, on in CHAIN_PATHS.items():
            sure = None
            poss = NOTHING
            mirrored = NOTHING
            for k in on:
                (s, m), mir = by_path[k]
                sure = s if sure is None else sure.intersect(s)
                poss = poss.union(s).union(m)
                mirrored = mirrored.union(mir)
            ctxs[chain] = Ctx(False, sure, poss.subtract(sure) if sure else poss, mirrored)
        return ctxs

    def filter_name(self, fam: int, table: str, chain: str, both: bool) -> str:
        name = chain if table == "filter" else "%s/%s" % (table, chain)
        return "ip6/" + name if both and fam == 6 else name

    def policy_stage(self, c: ChainDef, fname: str, table: str, fam: int):
        """(the chain's stage, the rules its policy adds at the end of its filter: over the packets of the
        chain's address family, the only ones it sees)."""
        src = c.policy_src or c.decl or Source(self.path, 1, "")
        space = family_space(fam)
        every = PacketSet([cube(src=space, dst=space)])
        if table != "filter":
            # raw/mangle/nat/security chains pass what they do not drop on to the next table;
            # they are rarely given a policy: the kernel's is ACCEPT
            policy = c.policy or Action.PERMIT
            word = "ACCEPT" if policy is Action.PERMIT else "DROP"
            how = "" if c.policy else " (not given)"
            if table == "nat" and policy is Action.DENY:
                # nat chains see only a connection's first packet (the nftables wiki, "Performing
                # Network Address Translation"): their policy drops no later packet
                final = [Rule(fname, 0, Action.DENY, every, src, note="policy DROP", states=NEW, builtin=True)]
                return stage(fname, (fname,), Action.PERMIT, src, "later packets of a connection do not "
                             "traverse nat chains"), final
            return stage(fname, (fname,), policy, src, "policy %s%s of chain %s" % (word, how, fname)), []
        if c.policy is not None:
            word = "ACCEPT" if c.policy is Action.PERMIT else "DROP"
            # (a built-in chain's policy can be changed, never removed: ``Rule.builtin``)
            final = [Rule(fname, 0, c.policy, every, src, note="policy %s" % word, builtin=True)]
            return stage(fname, (fname,), c.policy, src, "policy %s of chain %s" % (word, c.name)), final
        self.lines.unrecognized(src, "no policy line for built-in chain %s: its policy is not in the input"
                                % c.name, Impact.FILTER, fname)
        final = [Rule(fname, 0, Action.DENY, NOTHING, src, maybe=every, note="policy not given")]
        return stage(fname, (fname,), Action.DENY, src, "policy of %s not given" % c.name), final


class RuleReader:
    """Reads one ``-A CHAIN`` rule's tokens (after the chain name)."""

    __slots__ = ("p", "t", "chain", "toks", "i", "s", "fam", "m", "modules", "proto", "proto_neg", "target",
                 "goto", "refs", "notes", "pending", "skip", "proto_modules", "iface_limits")

    def __init__(self, p: IptablesParser, t: TableDef, chain: str, toks: list[str], i: int):
        self.p, self.t, self.chain, self.toks, self.i = p, t, chain, toks, i
        self.s = p.lines.source(i)
        self.fam = t.fam
        self.m = Match(family_space(t.fam))
        self.modules: list[str] = []
        self.proto: int | None = None
        self.proto_neg = False
        self.target: str | None = None
        self.goto = False
        self.refs: list[AddressRef] = []
        self.notes: list[str] = []
        self.pending: list[str] = []  # not understood; reported if the rule can decide a verdict
        self.skip = False
        self.proto_modules: list[str] = []
        self.iface_limits: set[str] = set()  # addrtype's --limit-iface-in/out

    def read(self) -> RawRule | None:
        toks = self.toks
        n = len(toks)
        k = 0
        neg = False
        generic = GENERIC.get
        while k < n:
            w = toks[k]
            if w == "!":
                neg = True
                k += 1
                continue
            kind = generic(w)
            if kind is not None:
                if kind in ("frag", "ipv4", "ipv6"):
                    self.flag(kind, neg)
                    k += 1
                    neg = False
                    continue
                if kind == "counters":
                    if k + 2 >= n:
                        raise ParseError("missing value after '%s'" % w)
                    k += 3
                    neg = False
                    continue
                k += 1
                if k < n and toks[k] == "!":  # old style: -s ! addr
                    neg = not neg
                    k += 1
                if k >= n:
                    raise ParseError("missing value after '%s'" % w)
                if kind == "src" or kind == "dst":
                    self.address(0 if kind == "src" else 1, toks[k], neg)
                elif kind == "jump":
                    self.target = toks[k]
                else:
                    self.generic(kind, toks[k], neg)
                k += 1
                neg = False
                continue
            if w.startswith("--"):
                mod = self.owner(w)
                if mod is None:
                    raise ParseError("unknown option '%s'" % w)
                if mod == "?target" or mod == "?unknown":
                    k += 1
                    while k < len(toks) and not toks[k].startswith("-") and toks[k] != "!":
                        k += 1
                    neg = False
                    continue
                nargs = MODULES[mod][w]
                args = toks[k + 1:k + 1 + nargs]
                if len(args) < nargs:
                    raise ParseError("missing value after '%s'" % w)
                if args and args[0] == "!":
                    neg = not neg
                    args = toks[k + 2:k + 2 + nargs]
                    k += 1
                self.option(w, args, neg)
                k += 1 + nargs
                neg = False
                continue
            raise ParseError("unexpected '%s'" % w)
        for name in self.proto_modules:
            if self.proto != PROTO_MODULES[name] or self.proto_neg:
                raise ParseError("'-m %s' needs '-p %s'" % (name, name))
        for name in self.modules:
            if name in _MANDATORY and not any(u.startswith("-m %s " % name) for u in self.m.unsure):
                raise Refused("%s match: parameter '%s' is required" % (name, _MANDATORY[name]))
        if self.skip:
            self.p.other_family_rule(self.i, self.fam)
            return None
        return self.finish()

    def owner(self, opt: str) -> str | None:
        """Which loaded module (or the target) takes ``opt``."""
        for mod in reversed(self.modules):
            if mod in MODULES:
                if opt in MODULES[mod]:
                    return mod
                if mod == "conntrack" and opt.startswith("--ct"):
                    self.m.unsure.append(opt)
                    self.pending.append("conntrack option '%s' is not supported" % opt)
                    return "?unknown"
        if self.target is not None:
            if self.target in TARGET_OPTIONS:
                return "?target" if opt in TARGET_OPTIONS[self.target] else None
            if self.target in NONTERMINAL or self.target in DEST_NAT or self.target in SRC_NAT or \
                    self.target in UNKNOWN_VERDICT or self.target == "NOTRACK":
                return "?target"
            return None  # ACCEPT, DROP, RETURN and chains take no option
        if any(mod not in MODULES for mod in self.modules):
            return "?unknown"
        return None

    def flag(self, kind: str, neg: bool) -> None:
        if kind == "frag":
            # only second and later fragments: the defragmentation before conntrack
            # (priority -400) reassembles them, so no packet of a tracked connection is one
            if not neg:
                self.m.conds.append(Never())
        elif kind == "ipv4" and self.fam == 6 or kind == "ipv6" and self.fam == 4:
            self.skip = True

    def address(self, dim: int, v: str, neg: bool) -> None:
        """``-s``/``-d`` (``dim`` 0/1): an address, network or comma-separated list of them."""
        if neg and "," in v:
            # (xshared.c, ipv4_post_parse/ipv6_post_parse: the rule is refused)
            raise Refused("! not allowed with multiple source or destination IP addresses")
        if self.fam == 4 and v.count(".") != 3 * (v.count(",") + 1):  # (not all four bytes, or a dotted mask)
            v = ",".join(xt_ipv4(part) for part in v.split(","))
        try:
            if "," in v:
                addrs = ISet.union_of(addr_set(part, self.fam) for part in v.split(","))
            else:
                addrs = addr_set(v, self.fam)
        except ParseError:
            if all(re.match(r"^[A-Za-z][\w.-]*$", part) or addr_ok(part, self.fam) for part in v.split(",")):
                # a host name: resolved by DNS when the rule was loaded
                self.m.unsure.append("host name %s" % v)
                return
            raise
        self.refs.append(AddressRef(addrs, self.s))
        m = self.m
        if neg:
            m.restrict(dim, family_space(self.fam).subtract(addrs))
        elif m.dims[dim] is m.space:
            m.dims[dim] = addrs
        else:
            m.restrict(dim, addrs)

    def generic(self, kind: str, v: str, neg: bool) -> None:
        m = self.m
        if kind == "proto":
            num = proto_number(v)
            if num is None:
                if neg:
                    m.never = True
                return
            if num == PROTO_ICMP and self.fam == 6 or num == PROTO_ICMP6 and self.fam == 4:
                raise ParseError("protocol %s in an IPv%d ruleset" % (v, self.fam))
            self.proto, self.proto_neg = num, neg
            m.restrict(2, ALL_PROTO.subtract(ISet.of(num)) if neg else _PROTO_SETS[num])
            if not neg and num in PROTO_MODULE:
                self.modules.append(PROTO_MODULE[num])
        elif kind in ("in", "out"):
            if v == "lo":
                # the loopback interface carries the host's packets to itself: local source
                # and destination (the loopback networks; see parsers/linux/common.py)
                lo = LOOPBACK[self.fam]
                if neg:
                    space = family_space(self.fam).subtract(lo)
                    m.also(PacketSet([cube(src=space), cube(dst=space)]))
                else:
                    m.restrict(0, lo)
                    m.restrict(1, lo)
                self.notes.append("loopback: the host talking to itself")
            else:
                m.unsure.append("%sinterface %s" % ("! " if neg else "", v))
                self.notes.append("%s interface %s%s not modelled" % ("in" if kind == "in" else "out",
                                                                     "! " if neg else "", v))
        elif kind == "match":
            name = MODULE_ALIASES.get(v, v)
            if name in PROTO_MODULES:
                self.proto_modules.append(name)
            elif name not in MODULES:
                m.unsure.append("-m %s" % v)
                self.pending.append("match '-m %s' is not supported" % v)
            self.modules.append(name)
        elif kind in ("jump", "goto"):
            self.target = v
            self.goto = kind == "goto"

    def option(self, opt: str, args: list[str], neg: bool) -> None:
        m = self.m
        if opt in ("--sport", "--source-port", "--dport", "--destination-port"):
            if "," in args[0]:  # (a list is multiport's: libxt_tcp/udp refuse it)
                raise Refused("invalid port/service `%s' specified" % args[0])
            dim = 3 if opt in ("--sport", "--source-port") else 4
            ports = port_range(args[0])
            m.restrict(dim, ALL_PORTS.subtract(ports) if neg else ports)
        elif opt in ("--sports", "--source-ports", "--dports", "--destination-ports", "--ports"):
            if self.proto is None or self.proto_neg or not ISet.of(self.proto).issubset(PORTED):
                raise ParseError("multiport needs '-p tcp|udp|udplite|dccp|sctp'")
            parts = args[0].split(",")
            # "Up to 15 ports can be specified. A port range (port:port) counts as two ports"
            # (iptables-extensions(8), multiport); libxt_multiport's parse_multi_ports_v1 refuses more
            # ("too many ports specified") and a range whose first port is not below its last
            if sum(2 if ":" in part else 1 for part in parts) > 15:
                raise Refused("too many ports specified")
            for part in parts:
                lo, sep, hi = part.partition(":")
                if sep and lo and hi and port_number(lo) >= port_number(hi):
                    raise Refused("invalid portrange specified")
            ports = ISet.union_of(port_range(part) for part in parts)
            if neg:
                ports = ALL_PORTS.subtract(ports)
            if opt == "--ports":
                if neg:  # neither port in the list
                    m.restrict(3, ports)
                    m.restrict(4, ports)
                else:
                    m.also(PacketSet([cube(sport=ports), cube(dport=ports)]))
            else:
                m.restrict(3 if "s" == opt[2] else 4, ports)
        elif opt == "--syn":
            m.conds.append(FlagCond(SYN_MASK, TCP_FLAGS["syn"], neg))
        elif opt == "--tcp-flags":
            m.conds.append(FlagCond(tcp_flag_bits(args[0]), tcp_flag_bits(args[1]), neg))
        elif opt == "--tcp-option":
            m.unsure.append("--tcp-option")
            self.pending.append("'--tcp-option' is not supported")
        elif opt in ("--icmp-type", "--icmpv6-type"):
            m.restrict(4, self.icmp(args[0], opt == "--icmpv6-type", neg))
        elif opt in ("--src-range", "--dst-range"):
            lo, _, hi = args[0].partition("-")
            rng = addr_range(lo, hi or lo, self.fam)
            self.refs.append(AddressRef(rng, self.s))
            m.restrict(0 if opt == "--src-range" else 1, family_space(self.fam).subtract(rng) if neg else rng)
        elif opt in ("--state", "--ctstate"):
            m.conds.append(StateCond(args[0].split(","), neg))
        elif opt == "--comment":
            # (inline waivers are read from comments: auditor/waivers.py)
            self.p.remarks.append((self.p.filter_name(self.fam, self.t.name, self.chain, self.p.both), self.s))
        elif opt == "--ctdir":
            d = args[0].upper()
            if d not in ("ORIGINAL", "REPLY"):
                raise ParseError("unknown conntrack direction '%s'" % args[0])
            m.conds.append(DirCond((d == "ORIGINAL") != neg))
        elif opt in ("--src-type", "--dst-type"):
            types = frozenset(addr_type(t) for t in args[0].split(","))
            if self.fam == 6 and types & _V6_REFUSED_TYPES:
                # (xt_addrtype.c, addrtype_mt_checkentry_v1: "ipv6 does not support BROADCAST matching", ...)
                raise Refused("ip6tables does not match address type %s" % sorted(types & _V6_REFUSED_TYPES)[0])
            m.conds.append(AddrTypeCond(self.fam, 0 if opt == "--src-type" else 1, types, neg))
        elif opt == "--mark" or opt == "--mode":
            self.unmodelled(opt, args[0], neg)
        elif opt in ("--limit-iface-in", "--limit-iface-out"):
            self.iface_limits.add(opt)
            if len(self.iface_limits) > 1:
                raise Refused("addrtype: you can't specify both --limit-iface-in and --limit-iface-out")

    def unmodelled(self, opt: str, v: str, neg: bool) -> None:
        """``-m mark [!] --mark value[/mask]``, ``-m connmark [!] --mark value[/mask]`` (the packet's or its
        connection's mark, which rules (``-j MARK``, ``-j CONNMARK``), other programs and the kernel set) and
        ``-m statistic --mode random|nth`` (a random or counted share of the packets: load balancing), as
        iptables-extensions(8) describes them: the rule may match any packet (uncertain, reported)."""
        mod = self.owner(opt)
        if opt == "--mark":
            if not _MARK.match(v):
                raise Refused("Bad mark value \"%s\"" % v)
            what = "-m %s %s--mark %s" % (mod, "! " if neg else "", v)
            whose = "the packet's" if mod == "mark" else "the connection's"
            why = "%s mark (set by rules, other programs or the kernel) is not modelled" % whose
        else:
            if v not in ("random", "nth"):
                raise Refused("Bad mode \"%s\"" % v)
            what = "-m statistic --mode %s" % v
            why = "it matches %s of the packets (load balancing), which is not modelled" % (
                "a random share" if v == "random" else "every nth")
        self.m.unsure.append(what)
        self.pending.append("'%s': %s" % (what, why))
        self.notes.append("%s not modelled" % what)

    def icmp(self, v: str, six: bool, neg: bool) -> ISet:
        names = ICMP6_NAMES if six else ICMP_NAMES
        lv = v.lower()
        if lv == "any":
            s = ALL_PORTS
        elif lv in names:
            s = icmp_iset(*names[lv])
        else:
            ty, _, code = lv.partition("/")
            if not ty.isdigit() or (code and not code.isdigit()):
                raise ParseError("unknown ICMP type '%s'" % v)
            s = icmp_iset(int(ty), int(code) if code else None)
        return ALL_PORTS.subtract(s) if neg else s

    def finish(self) -> RawRule | None:
        rule = self.verdict()
        L = self.p.lines
        if rule is not None and self.pending and rule.possible:
            L.unrecognized(self.s, "; ".join(self.pending), Impact.FILTER, self.chain)
        elif rule is not None:
            L.use(self.i)
        return rule

    def raw(self, verdict: str, note: str = "", target: str | None = None, effect: str = "") -> RawRule:
        m = self.m
        if verdict == "accept" and not self.p.dest_nat:
            # the DNAT virtual state: "The original destination differs from the reply source"
            # (iptables-extensions(8), conntrack, --ctstate), which only a destination NAT makes; an
            # input without one translates no destination, so an accept's DNAT matches no packet
            # (firewalld's 'RELATED,ESTABLISHED,DNAT -j ACCEPT').  Taken so for an accept only: were a
            # translation made outside the input, the packet would be judged more strictly, never let through.
            m.conds = [StateCond(c.states - {"dnat"}) if isinstance(c, StateCond) and "dnat" in c.states
                       and not c.negate else c for c in m.conds]
        if self.iface_limits:
            # (the type is then that of the address's route through the packet's interface, which is not modelled)
            m.conds = [AddrTypeCond(c.fam, c.dim, c.types, c.negate, True) if isinstance(c, AddrTypeCond) else c
                       for c in m.conds]
        sure, poss = m.cond()
        refs = tuple(self.refs)
        self.p.address_refs.extend(refs)
        return RawRule(sure, poss, verdict, self.s, target, refs, None, note or "; ".join(self.notes), False,
                       tuple(m.conds) if m.conds else (), effect)

    def verdict(self) -> RawRule | None:
        tgt = self.target
        L = self.p.lines
        if tgt is None:
            L.ignore(self.i, "counts packets only (no target)")
            return None
        if tgt in TERMINAL:
            return self.raw(TERMINAL[tgt])
        if tgt in self.t.chains and tgt not in BUILTIN:
            return self.raw("goto" if self.goto else "jump", target=tgt)
        if self.goto:
            return self.raw("goto", target=tgt)
        if tgt == "CT" and "--timeout" in self.toks:
            k = self.toks.index("--timeout") + 1
            name = self.toks[k] if k < len(self.toks) else "?"
            if self.m.possible():
                self.p.lines.report(
                    "CFG300", "conntrack timeout policy '%s' is defined with nfct, which is not among the inputs: "
                    "the idle timeout of the traffic this rule matches is unknown" % name, self.s, Impact.FILTER,
                    "timeouts")
            else:
                L.ignore(self.i, "matches no packet")
            return None
        if tgt == "NOTRACK" or (tgt == "CT" and "--notrack" in self.toks):
            if self.t.name != "raw":
                raise ParseError("%s outside the raw table" % tgt)
            return self.raw("none", effect="notrack")
        if tgt in NONTERMINAL:
            L.ignore(self.i, "target %s %s" % (tgt, NONTERMINAL[tgt]))
            return None
        if tgt in DEST_NAT:
            # (its packets are unknown where it is met; ``IptablesParser.dest_nats`` says how far that reaches)
            k = max((j for j, w in enumerate(self.toks[:-1]) if w in ("-j", "--jump") and self.toks[j + 1] == tgt),
                    default=len(self.toks))
            spec = nat_spec(self.toks[k + 2:])
            self.p.dnat[self.s.line] = (" ".join([tgt] + spec), nat_target(tgt, spec, self.fam),
                                        (self.fam, self.t.name))
            return self.raw("dnat")
        if tgt in SRC_NAT:
            return self.raw("nat")
        if tgt in UNKNOWN_VERDICT:
            L.unrecognized(self.s, "target %s hands the packet to another program or a local socket: its verdict is "
                                   "not in the input" % tgt, Impact.FILTER, self.chain)
            r = self.raw("unknown", note="verdict from userspace or a local socket")
            r.sure = NOTHING
            return r
        if tgt in BUILTIN:
            raise ParseError("jump to built-in chain '%s'" % tgt)
        if re.match(r"^[A-Z][A-Z0-9_]*$", tgt):
            L.unrecognized(self.s, "unknown target '%s'" % tgt, Impact.FILTER, self.chain)
            r = self.raw("unknown", note="unknown target")
            r.sure = NOTHING
            return r
        return self.raw("jump", target=tgt)


_NAT_OPTIONS = frozenset(("--to-destination", "--to-ports", "--to", "--random", "--random-fully", "--persistent"))
_NAT_V4 = re.compile(r"^(?:(\d[\d.]*)(?:-(\d[\d.]*))?)?(?::(\w+)(?:-(\w+))?(?:/\w+)?)?$")
_NAT_V6 = re.compile(r"^\[([0-9a-fA-F:.]+)(?:-([0-9a-fA-F:.]+))?\](?::(\w+)(?:-(\w+))?(?:/\w+)?)?$|"
                     r"^([0-9a-fA-F:.]*:[0-9a-fA-F:.]*)(?:-([0-9a-fA-F:.]+))?$")


def nat_spec(toks: list[str]) -> list[str]:
    """The options of a DNAT, REDIRECT or NETMAP target among the words after it, with their values."""
    out = []
    take = False
    for w in toks:
        if w.startswith("-"):
            take = w in _NAT_OPTIONS
        if take:
            out.append(w)
    return out


def nat_target(tgt: str, spec: list[str], fam: int) -> tuple[ISet | None, ISet | None]:
    """Where a DNAT, REDIRECT or NETMAP target sends its packets (iptables-extensions(8): DNAT ``--to-destination
    [ipaddr[-ipaddr]][:port[-port[/baseport]]]``, "If no port range is specified, then the destination port will
    never be modified", IPv6 addresses in brackets before a port; REDIRECT ``--to-ports port[-port]``, to "the
    primary address of the incoming interface", the port kept without it; NETMAP ``--to address[/mask]``):
    (the destinations, None for any: a redirect's host address, one not given; the destination ports, None when
    kept).  (None, every port) where it cannot be told."""
    vals = [spec[j + 1] for j, w in enumerate(spec[:-1]) if w in ("--to-destination", "--to-ports", "--to")]
    if tgt == "REDIRECT" and not vals:
        return None, None
    if len(vals) != 1:
        return None, ALL_PORTS
    v = vals[0]
    try:
        if tgt == "REDIRECT":
            lo, _, hi = v.partition("-")
            return None, ISet.of(port_number(lo), port_number(hi or lo))
        if tgt == "NETMAP":
            return addr_set(xt_ipv4(v) if fam == 4 else v, fam), None
        m = _NAT_V4.match(v) if fam == 4 else _NAT_V6.match(v)
        if m is None:
            return None, ALL_PORTS
        if fam == 4 or m.group(5) is None:
            a, b, plo, phi = m.group(1), m.group(2), m.group(3), m.group(4)
        else:
            a, b, plo, phi = m.group(5), m.group(6), None, None
        dst = None if a is None else addr_range(a, b, fam) if b else addr_set(a, fam)
        return dst, ISet.of(port_number(plo), port_number(phi or plo)) if plo else None
    except (ParseError, ValueError):
        return None, ALL_PORTS


_BYTE = re.compile(r"^(?:0|[1-9]\d{0,2})$")


def xt_ipv4(text: str) -> str:
    """An IPv4 address as libxtables reads it (``xtables_numeric_to_ipaddr``): one to three bytes
    are a network address whose missing bytes are 0 (``0/0`` is ``0.0.0.0/0``, ``10.1/16`` is
    ``10.1.0.0/16``); anything else is returned as it is."""
    a, sep, mask = text.partition("/")
    parts = a.split(".")
    if len(parts) < 4 and all(_BYTE.match(x) and int(x) <= 255 for x in parts):
        a = ".".join(parts + ["0"] * (4 - len(parts)))
    return a + sep + mask


def addr_ok(part: str, fam: int) -> bool:
    """Whether ``part`` is an address of family ``fam``."""
    try:
        addr_set(part, fam)
        return True
    except ParseError:
        return False


@lru_cache(maxsize=1 << 14)
def port_range(text: str) -> ISet:
    """``22``, ``1024:65535``, ``:1023``, ``1024:``, ``ssh`` (``-`` also accepted)."""
    if text.isdigit() and len(text) <= 5 and int(text) <= 65535:
        return ISet.of(int(text))
    text = text.strip()
    sep = ":" if ":" in text else ("-" if re.match(r"^\w*-\w*$", text) and text not in SERVICES else None)
    if sep is None:
        return ISet.of(port_number(text))
    lo, hi = text.split(sep, 1)
    a = port_number(lo) if lo else 0
    b = port_number(hi) if hi else 65535
    if b < a:
        a, b = b, a  # iptables swaps an inverted range
    return ISet.of(a, b)


def parse(text: str, path: str) -> Config:
    """Parse iptables-save output (or iptables commands) into the normalized rule graph."""
    return IptablesParser(text, path).build()


ADVICE = {
    "CFG300": "Feed the output of `iptables-save` as it is, not a shell script that builds it.",
    "CFG301": "A `-j CHAIN` target must exist (`iptables -N CHAIN`).",
    "PRN100": "Add an ACCEPT before the DROP/REJECT in the chain that carries the flow (`iptables -I FORWARD N "
              "-p tcp -s 10.30.0.0/24 -d 10.20.0.10 --dport 445 -j ACCEPT`), and accept the replies "
              "(`-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`) where the policy drops them.",
    "PRN120": "Raise `net.netfilter.nf_conntrack_tcp_timeout_established` (default 5 days is fine), or give the "
              "Prinergy ports a conntrack timeout policy (`-j CT --timeout`) with an established timeout of at "
              "least one shift.",
    "PRN150": "Restrict `-s` of the ACCEPT rule to the site's prefixes.",
    "PRN160": "Delete the ACCEPT for `--dport 548`.",
    "ACL200": "Covered by earlier lines: move the rule above them (`iptables -I CHAIN N ...`) or delete it "
              "(`iptables -D CHAIN N`). In a user chain that no jump sends such packets to, widen the `-j CHAIN` "
              "rule's match if the chain should see them, else delete the rule.",
}


VENDOR = Vendor(
    NAME, 'Linux iptables',
    'iptables-save / ip6tables-save, or a script of iptables commands',
    detect, parse, advice=ADVICE)
