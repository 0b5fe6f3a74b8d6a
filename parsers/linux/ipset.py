"""ipset sets, as iptables' ``-m set --match-set NAME src|dst`` matches them.

The sets come from the same input as the rules: the ``create`` and ``add`` lines of ``ipset save`` (the input of
``ipset restore``, which aerleon's ``ipset`` generator writes before its iptables rules), or ``ipset create`` /
``ipset add`` commands in a script (ipset(8), https://ipset.netfilter.org/ipset.man.html: "n, create SETNAME
TYPENAME [ CREATE-OPTIONS ]", "add SETNAME ADD-ENTRY [ ADD-OPTIONS ]"; the abbreviations and the ipset 4
commands ``-N``/``-A`` are accepted alike).

What is read: the sets of one address dimension, ``hash:ip``, ``hash:net`` and ``bitmap:ip`` (ipset(8), SET
TYPES), of family ``inet`` (the default) or ``inet6``, with ``netmask`` (hash:ip, bitmap:ip: "the IP addresses
will be stored masked with the netmask", so an entry stands for its whole network) and their entries written as
an address, a CIDR network or a range ``a-b``.  ``hash:net`` entries flagged ``nomatch`` are exceptions: the
kernel looks a packet's address up from the most specific network of the set to the least specific and the first
entry found decides, so an address whose most specific entry is ``nomatch`` is not in the set ("ipset add test
192.168.0/24; ipset add test 192.168.0/30 nomatch: In this case the IP addresses from 192.168.0/24 except
192.168.0/30 match the elements of the set", netfilter commit 2a7cef2a, "Exceptions support added to hash:*net*
types"), and ``--return-nomatch`` reverses that ("a match with an element flagged with nomatch returns true,
while a match with a plain element returns false": iptables-extensions(8), set).

What is not read, and so leaves the rules using the set unknown (never a guess): any other set type (ports,
marks, MAC addresses, interfaces, ``list:set``), a set whose entries expire (``timeout``: fail2ban's bans come
and go), a set changed after its ``add`` lines (``del``, ``flush``,
``destroy``, ``rename``, ``swap``) or by the rules themselves (the ``SET`` target's ``--add-set``/``--del-set``:
its contents then depend on the traffic), a set used by rules of the other address family, and the counter
matches (``--packets-*``, ``--bytes-*``).  A set the input does not define (an ``iptables-save`` without its
``ipset save``) is unknown too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.core.packets import EMPTY, V4_BASE, ISet
from parsers.linux.common import ParseError, addr_range, addr_set

# ipset(8) COMMANDS (with their abbreviations and the ipset 4 options still taken)
CREATE = frozenset(("create", "n", "-N", "--create"))
ADD = frozenset(("add", "a", "-A", "--add"))
FLUSH = frozenset(("flush", "f", "-F", "--flush"))
DESTROY = frozenset(("destroy", "x", "-X", "--destroy"))
# commands that change a set's contents in ways not followed here: the set is then unknown
CHANGE = frozenset(("del", "d", "-D", "--del", "rename", "e", "-E", "--rename", "swap", "w", "-W", "--swap",
                    "restore", "r", "-R", "--restore")) | FLUSH | DESTROY
SHOW = frozenset(("list", "l", "-L", "--list", "save", "s", "-S", "--save", "test", "t", "-T", "--test", "version",
                  "v", "-V", "--version", "help", "h", "-H", "--help"))
_COMMANDS = CREATE | ADD | CHANGE | SHOW  # (the words that end the global options before a command)
_GLOBAL_ARG = frozenset(("-o", "-output", "-f", "-file"))  # global options with a value
TYPES = frozenset(("hash:ip", "hash:net", "bitmap:ip"))
# the SET target writes into a set as packets pass (iptables-extensions(8), SET)
_WRITTEN = re.compile(r"--(?:add|del)-set\s+[\"']?([^\s\"']+)")


def written_sets(text: str) -> frozenset[str]:
    """The sets that a ``-j SET`` rule of ``text`` adds to or deletes from."""
    return frozenset(_WRITTEN.findall(text)) if "-set" in text else frozenset()


@dataclass
class IpSet:
    name: str
    kind: str
    fam: int
    line: int
    netmask: int | None = None
    entries: list[tuple[int, ISet, bool]] = field(default_factory=list)  # (prefix length, addresses, nomatch)
    unsure: str = ""  # why its contents are not known ("" when they are)
    range: ISet | None = None  # a bitmap:ip's range (ipset refuses an entry outside it)

    def members(self, return_nomatch: bool = False) -> ISet:
        """The addresses the set matches: each address by its most specific entry (``--return-nomatch``: those
        whose most specific entry is ``nomatch``).  (One union per prefix length, from the least specific: a
        blocklist of many thousand entries is a few unions, not one per entry.)"""
        if not any(e[2] for e in self.entries):
            return EMPTY if return_nomatch else ISet.union_of(a for _p, a, _n in self.entries)
        by_len: dict[tuple[int, bool], list[ISet]] = {}
        for plen, addrs, nomatch in self.entries:
            by_len.setdefault((plen, nomatch), []).append(addrs)
        out = EMPTY
        for plen in sorted({p for p, _n in by_len}):
            for nomatch in (False, True):
                if (plen, nomatch) in by_len:  # (networks of one length are disjoint: the order within it is moot)
                    part = ISet.union_of(by_len[plen, nomatch])
                    out = out.union(part) if nomatch == return_nomatch else out.subtract(part)
        return out



def _cidrs(lo: int, hi: int, bits: int, base: int) -> list[tuple[int, ISet]]:
    """The CIDR networks that cover ``lo..hi`` exactly, as ipset splits a range of a hash:net (prefix length,
    addresses)."""
    out = []
    while lo <= hi:
        off = lo - base
        size = off & -off if off else 1 << bits
        while lo + size - 1 > hi:
            size >>= 1
        out.append((bits - size.bit_length() + 1, ISet.of(lo, lo + size - 1)))
        lo += size
    return out


class IpSets:
    """The sets of one input, read line by line (``line``), looked up by the rules (``get``)."""

    def __init__(self, text: str):
        self.sets: dict[str, IpSet] = {}
        self.written = written_sets(text)

    def line(self, toks: list[str], i: int) -> str | None:
        """One ipset line's words (after ``ipset``, or a save file's ``create``/``add``): None when read, else
        why it is not understood."""
        k = 0
        while k < len(toks) and toks[k].startswith("-") and toks[k] not in _COMMANDS:
            k += 2 if toks[k] in _GLOBAL_ARG else 1  # (-exist, -quiet, -output FORMAT ...)
        if k >= len(toks):
            return "ipset command without a command"
        # (-exist may follow the command too: aerleon's ipset generator writes 'create -exist NAME ...')
        cmd, rest = toks[k], [w for w in toks[k + 1:] if w not in ("-exist", "-!")]
        if cmd in SHOW:
            return None
        if cmd in CHANGE:
            names = [w for w in rest if not w.startswith("-")][:2]
            sets = list(self.sets.values()) if not names else [self.sets[n] for n in names if n in self.sets]
            for s in sets:
                if cmd in FLUSH:  # ("flush [SETNAME]: Flush all entries from the specified set or flush all sets")
                    s.entries.clear()
                elif cmd in DESTROY:  # ("destroy [SETNAME]: Destroy the specified set or all the sets")
                    del self.sets[s.name]
                else:
                    s.unsure = s.unsure or "ipset %s on line %d changes it" % (cmd, i + 1)
            return None
        if cmd in CREATE:
            return self.create(rest, i)
        if cmd in ADD:
            return self.add(rest)
        return "unknown ipset command '%s'" % cmd

    def create(self, rest: list[str], i: int) -> str | None:
        if len(rest) < 2:
            return "ipset create without a set name and type"
        name, kind, opts = rest[0], rest[1], rest[2:]
        if name in self.sets:
            # ipset keeps the set it has: "-exist: Ignore errors when exactly the same set is to be created", and
            # without it the command fails ("Set cannot be created: set with the same name already exists")
            return None
        s = self.sets[name] = IpSet(name, kind, 4, i)
        if kind not in TYPES:
            s.unsure = "its type is not modelled (only sets of single addresses or networks are)"
            return None
        k = 0
        while k < len(opts):
            o = opts[k]
            val = opts[k + 1] if k + 1 < len(opts) else ""
            if o == "family":
                if val not in ("inet", "inet6"):
                    s.unsure = "not understood"
                    return "ipset family '%s' not understood" % val
                s.fam = 4 if val == "inet" else 6
                k += 2
            elif o == "netmask" and kind != "hash:net":
                if not val.isdigit():
                    s.unsure = "not understood"
                    return "ipset netmask '%s' not understood" % val
                s.netmask = int(val)
                k += 2
            elif o == "range" and kind == "bitmap:ip":
                try:
                    lo, _, hi = val.partition("-")
                    s.range = addr_range(lo, hi, 4) if hi else addr_set(val, 4)
                except ParseError:
                    s.unsure = "not understood"
                    return "ipset range '%s' not understood" % val
                k += 2
            elif o == "timeout":
                # (entries expire, and whoever made such a set adds them as it goes: fail2ban's bans; as nft sets
                # with a timeout, parsers/linux/nftables.py)
                s.unsure = s.unsure or "its entries expire (a set with a timeout): its contents change over time"
                k += 2
            elif o in ("hashsize", "maxelem", "bucketsize", "initval", "markmask"):
                k += 2  # (sizes: what is stored, not what matches)
            elif o in ("counters", "comment", "skbinfo", "forceadd"):
                k += 1
            else:
                s.unsure = s.unsure or "create option '%s' is not modelled" % o
                k += 1
        if s.fam == 6 and kind == "bitmap:ip":
            s.unsure = "not understood"
            return "bitmap:ip sets are IPv4 only"
        return None

    def add(self, rest: list[str]) -> str | None:
        if len(rest) < 2:
            return "ipset add without a set name and entry"
        s = self.sets.get(rest[0])
        if s is None:
            return "ipset add to set '%s', which is not created before" % rest[0]
        if s.unsure:
            return None
        entry, opts = rest[1], rest[2:]
        if "timeout" in opts:
            s.unsure = "its entries expire (an entry with a timeout): its contents change over time"
            return None
        nomatch = "nomatch" in opts
        if nomatch and s.kind != "hash:net":
            s.unsure = "an entry is not understood"
            return "'nomatch' on a set of single addresses (ipset takes it on network sets only)"
        bits = 32 if s.fam == 4 else 128
        base = V4_BASE if s.fam == 4 else 0  # (the family's first address: the model keeps IPv4 above IPv6)
        try:
            if "-" in entry:
                lo, _, hi = entry.partition("-")
                rng = addr_range(lo, hi, s.fam)
                pieces = _cidrs(rng.lo, rng.hi, bits, base) if s.kind == "hash:net" else [(bits, rng)]
            else:
                addrs = addr_set(entry, s.fam)
                plen = bits - (addrs.hi - addrs.lo + 1).bit_length() + 1
                pieces = [(plen, addrs)]
        except ParseError as e:
            s.unsure = "an entry is not understood"
            return "ipset entry: %s" % e
        if s.range is not None and not all(a.issubset(s.range) for _p, a in pieces):
            s.unsure = "an entry is outside its range"
            return "ipset entry outside the set's range (ipset refuses it)"
        if s.netmask is not None:
            pieces = [(min(p, s.netmask), _masked(a, s.netmask, bits, base)) for p, a in pieces]
        s.entries.extend((p, a, nomatch) for p, a in pieces)
        return None

    def get(self, name: str) -> IpSet | None:
        return self.sets.get(name)


def _masked(addrs: ISet, netmask: int, bits: int, base: int) -> ISet:
    """``addrs`` widened to whole networks of length ``netmask``."""
    size = 1 << (bits - netmask)
    lo = base + ((addrs.lo - base) & ~(size - 1))
    hi = base + ((addrs.hi - base) | (size - 1))
    return ISet.of(lo, hi)
