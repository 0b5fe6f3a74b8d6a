"""Security profiles that may drop or reset, on some protocols, what an accept policy accepts: web filter, DLP,
file filter, SSL/SSH inspection; and the ports those protocols are inspected on (``firewall
profile-protocol-options``, ``firewall ssl-ssh-profile``).

As application control (``build.app_lists``, ``policy._profiles``): which web category a site is, which file or
data a transfer holds, whether a client accepts the FortiGate's re-signed certificate, the configuration does not
say; where a profile may block, the policy's packets of the inspected protocols are unknown (the profile's line
reported once), the rest of the policy stays decided.  What each profile does, fail closed (a setting not known
here counts as blocking):

* web filter (FortiOS CLI Reference, "config webfilter profile", https://docs.fortinet.com/document/fortigate/
  7.6.1/cli-reference/285848147): FortiGuard category filters (``config ftgd-wf`` / ``config filters``, action
  ``block|authenticate|monitor|warning``: only ``monitor`` lets every page through; an entry without an action is
  taken as blocking), quotas, URL filter tables, content (banned word) and header filters, antiphishing, file
  filters, options: on HTTP and HTTPS;
* DLP (``config dlp sensor`` / ``config filter``, 7.2+ ``config dlp profile`` / ``config rule``): a rule's
  ``action`` other than ``allow`` / ``log-only`` (``block``, ``quarantine-ip``; none: taken as blocking), on the
  protocols of its ``proto`` (``http-get``/``http-post``: HTTP and HTTPS; none: any);
* file filter (``config file-filter profile`` / ``config rules``, ``protocol``, ``action log-only|block``);
* SSL/SSH inspection (``config firewall ssl-ssh-profile``, CLI Reference 6.4.7, https://docs.fortinet.com/document/
  fortigate/6.4.7/cli-reference/305620): a protocol (``config https``, ``ftps``, ``imaps``, ``pop3s``, ``smtps``,
  ``ssh``) whose ``status`` is not ``disable`` is inspected: deep inspection re-signs the server's certificate
  (clients that do not trust the FortiGate's CA fail), and certificate inspection may ``block`` expired, revoked,
  untrusted certificates, unsupported ciphers or negotiations; ``config ssl`` / ``inspect-all`` other than
  ``disable``: every port.

The ports (``ports``): those written in the policy's ``profile-protocol-options`` (its ``config http``,
``config cifs`` ...) or ``ssl-ssh-profile`` (its ``config https`` ...); ``inspect-all enable`` (or, for SSL, not
``disable``): every TCP port; ``status disable``: none.  HTTP's default is 80 ("Ports to scan for content (1 -
65535, default = 80)", FortiOS 6.0.5 CLI Reference, "firewall profile-protocol-options", https://docs.fortinet.com/
document/fortigate/6.0.5/cli-reference/219019); the other protocols' defaults are not taken from a document here,
so a protocol whose ports the input does not write, or a profile not in the input, is every TCP port.
"""

from __future__ import annotations

from auditor.core.packets import EMPTY, ISet, PacketSet, cube
from parsers.fortios.scan import Node
from parsers.fortios.services import TCP, port_spec

# the policy settings naming the profiles read here (a profile group's too, ``policy.profile_setting``)
SETTINGS = ("webfilter-profile", "dlp-sensor", "dlp-profile", "file-filter-profile", "ssl-ssh-profile")
BLOCKS = {("webfilter", "profile"): "webfilter-profile", ("dlp", "sensor"): "dlp-sensor",
          ("dlp", "profile"): "dlp-profile", ("file-filter", "profile"): "file-filter-profile",
          ("firewall", "ssl-ssh-profile"): "ssl-ssh-profile",
          ("firewall", "profile-protocol-options"): "profile-protocol-options"}
_WHAT = {"webfilter-profile": "web filter profile", "dlp-sensor": "DLP sensor", "dlp-profile": "DLP profile",
         "file-filter-profile": "file filter profile", "ssl-ssh-profile": "SSL/SSH inspection profile"}
_SSL = ("https", "ftps", "imaps", "pop3s", "smtps", "ssh")
_TCP = ISet.of(TCP)
_HTTP_DEFAULT = ISet.of(80)
ANY = "*"  # (a protocol not known: every TCP port)

# settings with no effect on what passes (labels, logging, the feature set); any other counts as blocking
_HARMLESS = frozenset(("comment", "feature-set", "replacemsg-group", "extended-log", "https-replacemsg", "uuid",
                       "ovrd-perm", "inspection-mode", "log", "scan-archive-contents", "full-archive-proto",
                       "summary-proto", "flow-based", "nac-quar-log", "caname", "untrusted-caname", "server-cert",
                       "server-cert-mode", "use-ssl-server", "ssl-anomaly-log", "ssl-exemption-log",
                       "ssl-negotiation-log", "ssl-server-cert-log", "ssl-handshake-log", "rpc-over-https",
                       "mapi-over-https", "supported-alpn", "whitelist", "allowlist", "block-blacklisted-certificates",
                       "block-blocklisted-certificates", "ssl-exempt", "ssl-server", "ssl-exempt-log"))


def read(p, b: Node) -> None:
    """One block of ``BLOCKS`` into ``p.profile_drop`` (what in each profile may block, on which protocols) and
    ``p.profile_ports`` (the ports of each protocol of a protocol options or SSL profile)."""
    setting = BLOCKS[b.path]
    for e in b.entries():
        key = (setting, e.name)
        if setting == "profile-protocol-options":
            p.profile_ports[key] = _ports(e, ("http", "ftp", "imap", "mapi", "pop3", "smtp", "nntp", "cifs", "ssh",
                                              "dns"), "inspect-all")
            continue
        drop = p.profile_drop.setdefault(key, [])
        if setting == "ssl-ssh-profile":
            p.profile_ports[key] = _ports(e, _SSL, "")
            _ssl(e, drop)
        elif setting == "webfilter-profile":
            _webfilter(p, e, drop)
        else:
            _rules(p, e, drop, "proto" if setting.startswith("dlp") else "protocol",
                   ("allow", "log-only") if setting.startswith("dlp") else ("log-only",))


def _said(p, line: int) -> str:
    # (quoted as its line is: the value of a setting not known may be a secret)
    return "'%s'" % p.lines.source(line).text.strip()


def _plain(p, e: Node, drop: list, protos: tuple, harmless=_HARMLESS) -> None:
    for st in e.stmts():
        key = st.key.lower()
        if st.verb != "set" or key in harmless or key.endswith("-log"):
            continue
        if key == "options" and not st.args:
            continue
        drop.append((st.line, _said(p, st.line), protos))


def _webfilter(p, e: Node, drop: list) -> None:
    web = ("http", "https")
    _plain(p, e, drop, web)
    for sub in e.blocks():
        if sub.path == ("override",):
            continue  # (who may override a block: it blocks nothing itself)
        if sub.path != ("ftgd-wf",):
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), web))
            continue
        for st in sub.stmts():
            key, args = st.key.lower(), [a.lower() for a in st.args]
            if st.verb != "set" or key in ("ovrd", "exempt-quota", "max-quota-timeout"):
                continue
            if key == "options" and set(args) <= {"error-allow"}:
                continue  # ("error-allow": pages whose rating fails are let through)
            drop.append((st.line, _said(p, st.line), web))
        for blk in sub.blocks():
            if blk.path == ("filters",):
                for f in blk.entries():
                    acts = [st for st in f.stmts() if st.key.lower() == "action"]
                    act = acts[-1].args[0].lower() if acts and acts[-1].verb == "set" and acts[-1].args else None
                    if act != "monitor":
                        drop.append((f.line, "category filter %s (action %s)" % (f.name, act or "not set"), web))
            elif blk.entries():
                drop.append((blk.line, "block 'config %s'" % " ".join(blk.words), web))


def _rules(p, e: Node, drop: list, proto_key: str, passing: tuple) -> None:
    _plain(p, e, drop, (ANY,))
    for sub in e.blocks():
        if sub.path not in (("filter",), ("rule",), ("rules",), ("entries",)):
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), (ANY,)))
            continue
        for r in sub.entries():
            act, protos = None, (ANY,)
            for st in r.stmts():
                key = st.key.lower()
                if key == "action" and st.verb == "set" and st.args:
                    act = st.args[0].lower()
                elif key == proto_key and st.verb == "set" and st.args:
                    protos = tuple(dict.fromkeys(q for a in st.args for q in _PROTO_OF.get(a.lower(), (ANY,))))
            if act not in passing:
                drop.append((r.line, "rule %s (action %s)" % (r.name, act or "not set"), protos))


# a DLP or file filter protocol -> the protocols whose ports it is inspected on
_PROTO_OF = {"http-get": ("http", "https"), "http-post": ("http", "https"), "http": ("http", "https"),
             "ftp": ("ftp", "ftps"), "smtp": ("smtp", "smtps"), "pop3": ("pop3", "pop3s"), "imap": ("imap", "imaps"),
             "mapi": ("mapi",), "nntp": ("nntp",), "cifs": ("cifs",), "ssh": ("ssh",)}


def _ssl(e: Node, drop: list) -> None:
    seen = set()
    for sub in e.blocks():
        name = sub.path[0] if len(sub.path) == 1 else ""
        if name == "ssl":
            v = _last(sub, "inspect-all")
            if v is not None and v != "disable":
                drop.append((sub.line, "'inspect-all %s'" % v, (ANY,)))
        elif name in _SSL:
            seen.add(name)
            v = _last(sub, "status") or _last(sub, "inspect-all")
            if v != "disable":
                drop.append((sub.line, "%s inspection (status %s)" % (name, v or "not set"), (name,)))
    if "https" not in seen:
        drop.append((e.line, "https inspection (status not set)", ("https",)))


def _last(b: Node, key: str) -> str | None:
    got = None
    for st in b.stmts():
        if st.key.lower() == key:
            got = st.args[0].lower() if st.verb == "set" and st.args else None
    return got


def _ports(e: Node, protos: tuple, all_key: str) -> dict:
    """Protocol -> its ports (None: every TCP port) of one protocol options or SSL profile entry."""
    out: dict = {}
    for sub in e.blocks():
        name = sub.path[0] if len(sub.path) == 1 else ""
        if name not in protos:
            continue
        status = _last(sub, "status")
        every = _last(sub, all_key or "inspect-all")
        if status == "disable":
            out[name] = EMPTY
            continue
        if every is not None and every not in ("disable",):
            out[name] = None
            continue
        ports = EMPTY
        for st in sub.stmts():
            if st.key.lower() == "ports" and st.verb == "set":
                try:
                    ports = EMPTY
                    for a in st.args:
                        ports = ports.union(port_spec(a))
                except ValueError:
                    ports = None
                    break
        if ports is None or ports:
            out[name] = ports
    return out


def scoped(p, ent, names_of, report, why: list) -> PacketSet:
    """The TCP packets of accept policy ``ent`` its web filter, DLP, file filter or SSL inspection profiles may
    drop (``names_of(setting)``: the profile names it uses, its own or its group's), each such profile reported
    once (``report(line, text, key)``) and said in ``why``."""
    protos: dict[str, str] = {}  # protocol -> the first reason
    for setting in SETTINGS:
        for name in names_of(setting):
            drop = p.profile_drop.get((setting, name))
            what = "%s %s" % (_WHAT[setting], name)
            if drop is None:
                protos.setdefault(ANY, what)
                report(ent.line, "policy %s uses %s, which is not in the input: whether it blocks the traffic the "
                       "policy accepts is unknown" % (ent.name, what), "%s (policy %s)" % (what, ent.name))
                why.append("%s not in the input" % what)
                continue
            if not drop:
                continue
            line, said, _p = drop[0]
            report(line, "%s may block or reset connections its accept policies (the first: %s) accept: %s; what "
                   "the profile does to a connection, FortiGuard's ratings, the files, data or certificates it sees "
                   "decide, so what those policies do to the traffic it inspects is unknown" % (what, ent.name, said),
                   what)
            why.append("%s may block: %s at line %d" % (what, said, line + 1))
            for _line, _said, ps in drop:
                for q in ps:
                    protos.setdefault(q, what)
    if not protos:
        return PacketSet()
    ports = EMPTY
    for q in protos:
        got = _ports_of(p, names_of, q)
        if got is None:
            return PacketSet([cube(proto=_TCP)])
        ports = ports.union(got)
    return PacketSet([cube(proto=_TCP, dport=ports)]) if ports else PacketSet()


def _ports_of(p, names_of, proto: str) -> ISet | None:
    """The ports ``proto`` is inspected on for the policy whose profiles ``names_of`` gives (None: every TCP
    port)."""
    if proto == ANY:
        return None
    setting = "ssl-ssh-profile" if proto in _SSL else "profile-protocol-options"
    name = (names_of(setting) or ["default" if setting == "profile-protocol-options" else ""])[0]
    table = p.profile_ports.get((setting, name))
    if table is None:
        return None
    return table.get(proto, _HTTP_DEFAULT if proto == "http" else None)
