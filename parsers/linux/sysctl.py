"""Linux ``sysctl -a`` / ``sysctl net.netfilter`` output: an auxiliary input.

It carries no rules.  Its ``combine`` hook amends the Linux firewall configs
given with it (``iptables``/``nftables``):

* ``net.netfilter.nf_conntrack_tcp_timeout_established`` (or the old
  ``net.ipv4.netfilter.ip_conntrack_tcp_timeout_established``) replaces their
  default conntrack timeout (the ``Timeout`` with ``default=True``), quoting
  the sysctl line; sysctl inputs that give different values leave it unknown
  (CFG300 on each line, scope ``timeouts``);
* ``net.ipv4.ip_forward`` / ``net.ipv6.conf.all.forwarding``: ``0`` removes
  the transit (FORWARD) paths of that family (the host does not route);
  ``1`` adds back a FORWARD path the parser had left out as idle (policy
  ACCEPT, nothing that drops), so that the host is audited as a router.

The sysctl input then leaves the list.  Without a Linux firewall among the
inputs it stays, with no paths (it produces no flow findings).  Other keys
are counted as ignored lines; a line that is not ``key = value`` is CFG300
with no impact on verdicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from auditor.core.model import Config, Diagnostic, Impact, Source, Timeout
from auditor.core.packets import PROTO_TCP, ISet, PacketSet, cube
from parsers.kit import Lines, Vendor
from parsers.linux.common import LinuxAux

NAME = "linux-sysctl"
ESTABLISHED_KEYS = (
    "net.netfilter.nf_conntrack_tcp_timeout_established",
    "net.ipv4.netfilter.ip_conntrack_tcp_timeout_established",
)
FORWARD_KEYS = {"net.ipv4.ip_forward": 4, "net.ipv4.conf.all.forwarding": 4, "net.ipv6.conf.all.forwarding": 6}
_LINE = re.compile(r"^\s*([A-Za-z0-9_][\w.:/*-]*)\s*[=:]\s*(.*?)\s*$")
_KEY = re.compile(r"^(?:/proc/sys/)?([a-z0-9_]+(?:[./][\w:*-]+)+)$")


def _key(raw: str) -> str | None:
    m = _KEY.match(raw)
    if not m:
        return None
    return m.group(1).replace("/", ".")


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is sysctl output."""
    lines = [ln for ln in text[:200000].splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return 0
    kv = 0
    netfilter = False
    for ln in lines[:5000]:
        m = _LINE.match(ln)
        if m and _key(m.group(1)) and " = " in ln or (m and ln.startswith("/proc/sys/")):
            kv += 1
            key = _key(m.group(1)) or ""
            netfilter = netfilter or key.startswith(("net.netfilter.", "net.ipv4.netfilter.", "net.nf_conntrack"))
    share = kv / min(len(lines), 5000)
    if share < 0.6:
        return 0
    score = 50 + int(30 * share)
    if netfilter:
        score += 20
    return min(100, score)


def parse(text: str, path: str) -> Config:
    """Read sysctl output; the values are used by ``combine``."""
    return read(text, path)[0]


def read(text: str, path: str) -> tuple[Config, Lines]:
    """``parse``, and the ``Lines`` that account for every line."""
    L = Lines(text, path)
    values: dict[str, tuple[str, Source]] = {}
    timeouts: list[Timeout] = []
    for i, raw in enumerate(L.raw):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            L.ignore(i, "comment")
            continue
        if line.startswith("sysctl:"):  # "sysctl: permission denied on key ..."
            L.ignore(i, "a sysctl error message")
            continue
        m = _LINE.match(line)
        key = _key(m.group(1)) if m else None
        if key is None:
            L.unrecognized(L.source(i), "not 'key = value'", Impact.NONE, "sysctl")
            continue
        val = m.group(2)
        if key in ESTABLISHED_KEYS or key in FORWARD_KEYS:
            if key in ESTABLISHED_KEYS and not val.isdecimal():
                L.unrecognized(L.source(i), "timeout '%s' is not a number of seconds" % val, Impact.FILTER,
                               "timeouts")
                continue
            values[key] = (val, L.source(i))
            L.use(i)
        else:
            L.ignore(i, "a setting that does not change filtering or conntrack timeouts")
    for key in ESTABLISHED_KEYS:
        if key in values:
            val, s = values[key]
            timeouts.append(Timeout(PacketSet([cube(proto=ISet.of(PROTO_TCP))]), int(val), s,
                                    label="%s = %s" % (key, val), default=True))
            break
    forwarding = {}
    for key, fam in FORWARD_KEYS.items():
        if key in values and values[key][0] in ("0", "1"):
            forwarding.setdefault(fam, (values[key][0] == "1", values[key][1]))
    return Config(path=path, vendor=NAME, lines=len(L), filters={}, paths=(), timeouts=tuple(timeouts),
                  diagnostics=tuple(L.diagnostics), ignored_lines=L.ignored, head=L.head(),
                  aux=SysctlAux(forwarding)), L


@dataclass(frozen=True)
class SysctlAux:
    """``Config.aux`` of a sysctl input: address family -> (forwards?, the line that says so)."""

    forwarding: dict


def _is_linux(cfg: Config) -> bool:
    return isinstance(cfg.aux, LinuxAux)


def combine(configs: list) -> list:
    """Apply each sysctl input to the Linux firewall configs of the same run."""
    sysctls = [c for c in configs if c.vendor == NAME]
    targets = [c for c in configs if c.vendor != NAME and _is_linux(c)]
    if not sysctls or not targets:
        return configs
    given: dict = {}  # seconds -> the first line that gives them
    for c in sysctls:
        for t in c.timeouts:
            if t.default:
                given.setdefault(t.idle_seconds, t)
    established = next(iter(given.values()), None)
    conflict: tuple = ()
    if len(given) > 1:
        # (sysctl dumps of different hosts, or of one host at different times: which one is this
        # firewall's is not known, so neither is its timeout)
        established = None
        conflict = tuple(Diagnostic("CFG300", "the sysctl inputs give different conntrack established timeouts "
                                    "(%s): which one is in force on this firewall is not known"
                                    % ", ".join("%d s" % v for v in given), t.source, Impact.FILTER, "timeouts")
                         for t in given.values())
    forwarding: dict = {}
    for c in sysctls:
        for fam, v in c.aux.forwarding.items():
            forwarding.setdefault(fam, v)
    out = []
    for c in configs:
        if c.vendor == NAME:
            continue
        if not _is_linux(c):
            out.append(c)
            continue
        timeouts = c.timeouts
        if established is not None:
            timeouts = tuple(replace(established, match=t.match) if t.default else t for t in c.timeouts)
        paths = c.paths
        for fam, (on, _s) in forwarding.items():
            name = "ipv%d" % fam
            if on:
                have = any(p.local is None and p.ingress == name for p in paths)
                extra = tuple(p for p in c.aux.idle_transit if p.ingress == name)
                if not have and extra:
                    paths = paths + extra
            else:
                paths = tuple(p for p in paths if not (p.local is None and p.ingress == name))
        out.append(replace(c, timeouts=timeouts, paths=paths, diagnostics=c.diagnostics + conflict))
    return out


VENDOR = Vendor(
    NAME, 'Linux sysctl settings (conntrack timeouts, forwarding)',
    'sysctl -a, given after an iptables or nftables input',
    detect, parse, combine=combine)
