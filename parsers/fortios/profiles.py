"""Security profiles that may drop or reset, on some protocols, what an accept policy accepts: web filter, DLP,
file filter, antivirus, SSL/SSH inspection, protocol options; and the ports those protocols are inspected on
(``firewall profile-protocol-options``, ``firewall ssl-ssh-profile``).  They count only on a policy whose
'utm-status' is not 'disable' (policy.py).

As application control (``build.app_lists``, ``policy._profiles``): which web category a site is, which file or
data a transfer holds, whether a client accepts the FortiGate's re-signed certificate, the configuration does not
say; where a profile may block, the policy's packets of the inspected protocols are unknown (the profile's line
reported once), the rest of the policy stays decided.  What each profile does, fail closed (a setting not known
here counts as blocking):

* web filter (FortiOS CLI Reference, "config webfilter profile", https://docs.fortinet.com/document/fortigate/
  7.6.1/cli-reference/285848147): FortiGuard category filters (``config ftgd-wf`` / ``config filters``, action
  ``block|authenticate|monitor|warning``: only ``monitor`` lets every page through; an entry without an action is
  taken as blocking), FortiGuard rating errors (category filters without ``set options error-allow``: "Allow web
  pages with a rating error to pass through"), quotas, URL filter tables, content (banned word) and header
  filters, antiphishing, file filters, options: on HTTP and HTTPS;
* DLP (``config dlp sensor`` / ``config filter``, 7.2+ ``config dlp profile`` / ``config rule``): a rule's
  ``action`` other than ``allow`` / ``log-only`` (``block``, ``quarantine-ip``; none: taken as blocking), on the
  protocols of its ``proto`` (``http-get``/``http-post``: HTTP and HTTPS; none: any);
* file filter (``config file-filter profile`` / ``config rules``, ``protocol``, ``action log-only|block``);
* antivirus (``_antivirus``): what blocks beyond the virus signatures (archive blocking, outbreak prevention,
  external block lists, sandbox verdicts, content disarm, quarantine, error actions), on its protocol;
* protocol options (``_protocol_options``), with a profile that holds traffic in the proxy (web filter, DLP, file
  filter, antivirus): oversize blocking, non-HTTP or non-compliant HTTP on the HTTP ports, on its protocol;
* SSL/SSH inspection (``config firewall ssl-ssh-profile``, CLI Reference 6.4.7, https://docs.fortinet.com/document/
  fortigate/6.4.7/cli-reference/305620): a protocol (``config https``, ``ftps``, ``imaps``, ``pop3s``, ``smtps``,
  ``ssh``) whose ``status`` is not ``disable`` is inspected: deep inspection re-signs the server's certificate
  (clients that do not trust the FortiGate's CA fail), and certificate inspection may ``block`` expired, revoked,
  untrusted certificates, unsupported ciphers or negotiations; ``config ssl`` / ``inspect-all`` other than
  ``disable``: every port;
* DNS filter (``_dnsfilter``, on DNS over UDP and TCP), ICAP (``_icap``), web application firewall (``_waf``),
  e-mail filter (``_email``: only SMTP and MAPI discard), SSH filter (``_sshfilter``), VoIP (``_voip``: SIP and
  SCCP on the SIP ALG's ports, or every TCP and UDP port, ``_voip_ports``), SCTP filter (``_sctp``: on SCTP), CASB
  and video filter (``_other``).

The ports (``ports``): those written in the policy's ``profile-protocol-options`` (its ``config http``,
``config cifs`` ...) or ``ssl-ssh-profile`` (its ``config https`` ...); ``inspect-all enable`` (or, for SSL, not
``disable``): every TCP port; ``status disable``: none; not written: the protocol's documented default
(``_DEFAULT_PORTS``), else (FTPS, IMAPS, POP3S, SMTPS, SSH) or for a profile not in the input, every TCP port.
A policy that does not write its ``ssl-ssh-profile`` uses 'no-inspection' on FortiOS 7.4 (``_default_name``); on
other versions its SSL ports are not known (every TCP port).
"""

from __future__ import annotations

from auditor.core.model import Impact
from auditor.core.packets import EMPTY, ISet, PacketSet, cube
from parsers.fortios.scan import Node
from parsers.fortios.services import SCTP, TCP, UDP, port_spec

# each profile block read here: its path, the policy setting that names one of its profiles, what it is called
_PROFILES = (
    (("webfilter", "profile"), "webfilter-profile", "web filter profile"),
    (("dlp", "sensor"), "dlp-sensor", "DLP sensor"),
    (("antivirus", "profile"), "av-profile", "antivirus profile"),
    (("dlp", "profile"), "dlp-profile", "DLP profile"),
    (("file-filter", "profile"), "file-filter-profile", "file filter profile"),
    (("firewall", "ssl-ssh-profile"), "ssl-ssh-profile", "SSL/SSH inspection profile"),
    (("firewall", "profile-protocol-options"), "profile-protocol-options", "protocol options profile"),
    (("dnsfilter", "profile"), "dnsfilter-profile", "DNS filter profile"),
    (("icap", "profile"), "icap-profile", "ICAP profile"),
    (("waf", "profile"), "waf-profile", "web application firewall profile"),
    (("emailfilter", "profile"), "emailfilter-profile", "e-mail filter profile"),
    (("casb", "profile"), "casb-profile", "CASB profile"),
    (("videofilter", "profile"), "videofilter-profile", "video filter profile"),
    (("ssh-filter", "profile"), "ssh-filter-profile", "SSH filter profile"),
    (("voip", "profile"), "voip-profile", "VoIP profile"),
    (("cifs", "profile"), "cifs-profile", "CIFS profile"),
    (("sctp-filter", "profile"), "sctp-filter-profile", "SCTP filter profile"),
)
BLOCKS = {path: setting for path, setting, _what in _PROFILES}
_WHAT = {setting: what for _path, setting, what in _PROFILES}
# the policy settings naming the profiles read here (a profile group's too, ``policy.profile_setting``); the
# protocol options are read with the profiles that use them
SETTINGS = tuple(setting for _path, setting, _what in _PROFILES if setting != "profile-protocol-options")
_CONTENT = ("webfilter-profile", "dlp-sensor", "dlp-profile", "file-filter-profile", "av-profile")
_SSL = ("https", "ftps", "imaps", "pop3s", "smtps", "ssh")
_TCP = ISet.of(TCP)
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
        drop = p.profile_drop.setdefault(key, [])
        if setting == "profile-protocol-options":
            p.profile_ports[key] = _ports(e, _PROXIED, "inspect-all")
            _protocol_options(p, e, drop)
        elif setting == "ssl-ssh-profile":
            p.profile_ports[key] = _ports(e, _SSL, "")
            _ssl(e, drop)
        elif setting == "webfilter-profile":
            _webfilter(p, e, drop)
        elif setting == "av-profile":
            _antivirus(p, e, drop)
        elif setting in _OTHERS:
            _OTHERS[setting](p, e, drop)
        else:
            _rules(p, e, drop, "proto" if setting.startswith("dlp") else "protocol",
                   ("allow", "log-only") if setting.startswith("dlp") else ("log-only",))


def _said(p, line: int) -> str:
    # (quoted as its line is: the value of a setting not known may be a secret)
    return "'%s'" % p.lines.source(line).text.strip()


def _plain(p, e: Node, drop: list, protos: tuple, harmless=_HARMLESS, passing=None) -> None:
    for st in e.stmts():
        key = st.key.lower()
        if st.verb != "set" or key in harmless or key.endswith("-log"):
            continue
        if key == "options" and not st.args:
            continue
        if passing and key in passing and {a.lower() for a in st.args} <= passing[key]:
            continue
        drop.append((st.line, _said(p, st.line), protos))


_PROXIED = ("http", "ftp", "imap", "mapi", "pop3", "smtp", "nntp", "cifs", "ssh", "dns")
# a protocol options protocol's settings that pass everything whatever their value (the rest: ``_PASSING``)
_PPO_HARMLESS = frozenset(("ports", "status", "inspect-all", "comfort-interval", "comfort-amount", "oversize-limit",
                           "uncompressed-oversize-limit", "uncompressed-nest-limit", "stream-based-uncompressed-limit",
                           "scan-bzip2", "tcp-window-type", "tcp-window-minimum", "tcp-window-maximum",
                           "tcp-window-size", "ssl-offloaded", "post-lang", "proxy-after-tcp-handshake",
                           "strip-x-forwarded-for", "streaming-content-bypass", "retry-count", "block-page-status-code",
                           "server-credential-type", "domain-controller"))
# setting -> the values that let every session through (FortiOS CLI Reference, "config firewall
# profile-protocol-options"); any other value, or an option not listed, counts as blocking
_PASSING = {"options": frozenset(("clientcomfort", "servercomfort", "splice", "fragmail", "chunkedbypass",
                                  "no-content-summary", "bypass-rest-command", "bypass-mode-command")),
            "unknown-http-version": frozenset(("tunnel", "best-effort")), "tunnel-non-http": frozenset(("enable",)),
            "switching-protocols": frozenset(("bypass",)), "range-block": frozenset(("disable",))}
# the profile's own settings and blocks that block nothing ('config mail-signature' adds a signature to mail)
_PPO_TOP = _HARMLESS | {"oversize-log", "switching-protocols-log"}


def _protocol_options(p, e: Node, drop: list) -> None:
    """What in a protocol options profile may block, each on its protocol: an option other than those that let
    sessions through ('oversize': "Block Oversized File/Email", FortiOS 6.0 Handbook, "Oversized files and emails",
    https://docs2.fortinet.com/document/fortigate/6.0.0/handbook/692892/oversized-files-and-emails: "The default
    action for oversized files is to pass them through"), 'tunnel-non-http disable' ("traffic that does not contain
    HTTP headers ... will be dropped", Fortinet Community, "Technical Tip: FortiGate Explicit Proxy Drop non-HTTP
    traffic", https://community.fortinet.com/t5/FortiGate/Technical-Tip-FortiGate-Explicit-Proxy-Drop-non-HTTP-
    traffic/ta-p/335937), 'unknown-http-version reject' ("How to handle HTTP sessions that do not comply with HTTP
    0.9, 1.0, or 1.1", CLI Reference 6.4.0, https://docs.fortinet.com/document/fortigate/6.4.0/cli-reference/298620;
    its default is not given there: not set counts as 'reject'), 'switching-protocols block', 'range-block enable',
    a block inside a protocol (6.4+ 'config file-filter' of CIFS) and any setting not known here."""
    _plain(p, e, drop, (ANY,), _PPO_TOP)
    http = None
    for sub in e.blocks():
        name = sub.path[0] if len(sub.path) == 1 else ""
        if name == "mail-signature":
            continue
        if name not in _PROXIED:
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), (ANY,)))
            continue
        if name == "http":
            http = sub
        for st in sub.stmts():
            key = st.key.lower()
            if st.verb != "set" or key in _PPO_HARMLESS:
                continue
            ok = _PASSING.get(key)
            if ok is None or not {a.lower() for a in st.args} <= ok:
                drop.append((st.line, "%s %s" % (name, _said(p, st.line)), (name,)))
        for blk in sub.blocks():
            if blk.path != ("server-keytab",):
                drop.append((blk.line, "%s block 'config %s'" % (name, " ".join(blk.words)), (name,)))
    if (_last(http, "status") if http else None) != "disable" and \
            (_last(http, "unknown-http-version") if http else None) not in _PASSING["unknown-http-version"]:
        drop.append((http.line if http else e.line, "http 'unknown-http-version' not set to 'tunnel' or "
                     "'best-effort' (HTTP sessions that do not comply with HTTP 0.9, 1.0 or 1.1 may be rejected)",
                     ("http",)))


# an antivirus protocol's settings that let every file through whatever their value, and those that do with
# only some values (any other setting or value counts as blocking).  'av-scan block', 6.x 'options scan' and
# 'malware-stream block' block what the antivirus engine detects: like an IPS sensor's predefined signatures
# (policy._profiles), Prinergy's own files are not taken to be malware, so they are not counted
_AV_HARMLESS = frozenset(("archive-log", "emulator"))
_AV_PASSING = {"av-scan": frozenset(("disable", "monitor", "block")), "options": frozenset(("scan", "avmonitor")),
               "malware-stream": frozenset(("disable", "monitor", "block")),
               "outbreak-prevention": frozenset(("disable", "disabled", "monitor")),
               "external-blocklist": frozenset(("disable", "monitor")), "fortindr": frozenset(("disable", "monitor")),
               "fortisandbox": frozenset(("disable", "monitor")), "fortiai": frozenset(("disable", "monitor")),
               "quarantine": frozenset(("disable",)), "content-disarm": frozenset(("disable",)),
               "executables": frozenset(("default",)), "archive-block": frozenset()}
_AV_PROTOS = {"http": ("http", "https"), "ftp": ("ftp", "ftps"), "imap": ("imap", "imaps"), "pop3": ("pop3", "pop3s"),
              "smtp": ("smtp", "smtps"), "mapi": ("mapi",), "nntp": ("nntp",), "cifs": ("cifs",), "smb": ("cifs",),
              "ssh": ("ssh",)}
_AV_ALL = tuple(dict.fromkeys(q for qs in _AV_PROTOS.values() for q in qs))
# the profile's own settings that block nothing: logging, which files are sent to FortiSandbox for analysis after
# they pass ('ftgd-analytics', 'analytics-*'), the signature databases used; its own blocks that only say how a
# protocol's 'content-disarm', 'outbreak-prevention' or 'external-blocklist' work, or quarantine an infected host
_AV_TOP = _HARMLESS | {"av-virus-log", "av-block-log", "scan-mode", "mobile-malware-db", "analytics-db",
                       "ftgd-analytics", "analytics-max-upload", "analytics-wl-filetype", "analytics-bl-filetype",
                       "analytics-ignore-filetype", "analytics-accept-filetype", "fortisandbox-max-upload",
                       "outbreak-prevention-archive-scan", "ems-threat-feed", "external-blocklist-enable-all",
                       "external-blocklist-archive-scan", "fortisandbox-mode", "analytics-ignore-mpip"}
_AV_TOP_BLOCKS = frozenset(("content-disarm", "outbreak-prevention", "external-blocklist", "nac-quar"))


def _antivirus(p, e: Node, drop: list) -> None:
    """What in an antivirus profile may block what no virus signature matches, each on its protocol (FortiOS CLI
    Reference, "config antivirus profile": 6.4.4, https://docs.fortinet.com/document/fortigate/6.4.4/cli-reference/
    521620; 7.0.2, https://docs.fortinet.com/document/fortigate/7.0.2/cli-reference/531620; 7.6.5,
    https://docs.fortinet.com/document/fortigate/7.6.5/cli-reference/110338989): 'archive-block' (archives that
    are encrypted, corrupted, multipart, nested too deep ... are blocked), 'outbreak-prevention',
    'external-blocklist', 'fortisandbox', 'fortindr', 'fortiai' set to 'block' (a hash list or a sandbox decides),
    6.x 'outbreak-prevention files|full-archive', 'content-disarm enable' (the files are rewritten), 'quarantine
    enable', 'executables virus' (Windows executables handled as viruses), a '*-error-action' or
    '*-timeout-action' other than 'log-only' / 'ignore' (a scan error or timeout blocks the file), and any setting
    not known here."""
    for st in e.stmts():
        key = st.key.lower()
        if st.verb != "set" or key in _AV_TOP or key.endswith("-log"):
            continue
        if key.endswith(("-error-action", "-timeout-action")) and \
                {a.lower() for a in st.args} <= {"log-only", "ignore"}:
            continue
        drop.append((st.line, _said(p, st.line), _AV_ALL))
    for sub in e.blocks():
        name = sub.path[0] if len(sub.path) == 1 else ""
        protos = _AV_PROTOS.get(name)
        if protos is None:
            if name not in _AV_TOP_BLOCKS:
                drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), _AV_ALL))
            continue
        for st in sub.stmts():
            key = st.key.lower()
            if st.verb != "set" or key in _AV_HARMLESS:
                continue
            ok = _AV_PASSING.get(key)
            if ok is None or not {a.lower() for a in st.args} <= ok:
                drop.append((st.line, "%s %s" % (name, _said(p, st.line)), protos))
                if key == "content-disarm":
                    p.profile_proxy_only.add(st.line)  # (_flow_only)


# a web filter profile's own settings that block nothing: 'log-all-url' ("Enable/disable logging all URLs visited",
# Fortinet's fortios_webfilter_profile module, https://docs.ansible.com/ansible/2.9/modules/
# fortios_webfilter_profile_module.html; the factory 'monitor-all' profile sets it), and 'post-action normal' (CLI
# Reference 6.4.4, "config webfilter profile", https://docs.fortinet.com/document/fortigate/6.4.4/cli-reference/
# 389620: 'post-action [normal|block]', 'block' blocks HTTP POST)
_WF_HARMLESS = _HARMLESS | {"log-all-url"}
_WF_PASSING = {"post-action": frozenset(("normal",))}


def _webfilter(p, e: Node, drop: list) -> None:
    web = ("http", "https")
    _plain(p, e, drop, web, _WF_HARMLESS, _WF_PASSING)
    for sub in e.blocks():
        if sub.path == ("override",):
            continue  # (who may override a block: it blocks nothing itself)
        if sub.path != ("ftgd-wf",):
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), web))
            continue
        error_allow = False
        for st in sub.stmts():
            key, args = st.key.lower(), [a.lower() for a in st.args]
            if st.verb != "set" or key in ("ovrd", "exempt-quota", "max-quota-timeout"):
                if key == "options":
                    error_allow = False  # ('unset options': none)
                continue
            if key == "options" and set(args) <= {"error-allow", "rate-server-ip", "connect-request-bypass"}:
                error_allow = "error-allow" in args
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
                if blk.path == ("quota",):
                    p.profile_proxy_only.add(blk.line)  # (_flow_only)
        if not error_allow and any(blk.path == ("filters",) and blk.entries() for blk in sub.blocks()):
            # "error-allow: Allow web pages with a rating error to pass through" (CLI Reference, "config webfilter
            # profile", 'config ftgd-wf' 'set options'): without it, a page whose FortiGuard rating fails (no
            # answer from FortiGuard) is blocked whatever its category's action, 'monitor' too
            drop.append((sub.line, "FortiGuard rating errors block pages ('error-allow' not in 'config ftgd-wf' "
                         "'set options')", web))


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


_WEB = ("http", "https")


def _dnsfilter(p, e: Node, drop: list) -> None:
    """What in a DNS filter profile may block or rewrite a DNS lookup (FortiOS CLI Reference, "config dnsfilter
    profile", 7.4.2: https://docs.fortinet.com/document/fortigate/7.4.2/cli-reference/496620): FortiGuard category
    filters ('config ftgd-dns' / 'config filters', action 'block|monitor': only 'monitor' lets the lookup through),
    FortiGuard rating errors (filters without 'set options error-allow': "Allow all domains when FortiGuard DNS
    servers fail"; 'ftgd-disable' turns the rating off), a local domain filter table ('config domain-filter'),
    external block lists, 'block-botnet enable' ("blocking botnet C&C DNS lookups"), safe search and YouTube
    restriction (answers rewritten), DNS translation, and any setting not known here; on DNS (``_UDP_TOO``)."""
    dns = ("dns",)
    harmless = frozenset(("comment", "log-all-domain", "sdns-ftgd-err-log", "sdns-domain-log", "block-action",
                          "redirect-portal", "redirect-portal6"))
    for st in e.stmts():
        key = st.key.lower()
        if st.verb != "set" or key in harmless or key.endswith("-log"):
            continue
        if key in ("block-botnet", "safe-search") and [a.lower() for a in st.args] == ["disable"]:
            continue
        if key == "external-ip-blocklist" and not st.args:
            continue
        drop.append((st.line, _said(p, st.line), dns))
    for sub in e.blocks():
        if sub.path == ("domain-filter",):
            if (_last(sub, "domain-filter-table") or "0") != "0":
                drop.append((sub.line, "a local domain filter table ('config domain-filter')", dns))
        elif sub.path == ("ftgd-dns",):
            opts = {a.lower() for st in sub.stmts() if st.key.lower() == "options" and st.verb == "set"
                    for a in st.args}
            filters = [f for blk in sub.blocks() if blk.path == ("filters",) for f in blk.entries()]
            for f in filters:
                act = _last(f, "action")
                if act != "monitor":
                    drop.append((f.line, "category filter %s (action %s)" % (f.name, act or "not set"), dns))
            if filters and not opts & {"error-allow", "ftgd-disable"}:
                drop.append((sub.line, "FortiGuard rating errors block lookups ('error-allow' not in 'config "
                             "ftgd-dns' 'set options')", dns))
        elif sub.path == ("dns-translation",):
            if sub.entries():
                drop.append((sub.line, "DNS translation ('config dns-translation' rewrites answers)", dns))
        else:
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), dns))


def _icap(p, e: Node, drop: list) -> None:
    """An ICAP profile hands HTTP requests ('set request enable') or responses ('set response enable') to an ICAP
    server, whose answer may block them (FortiOS CLI Reference, "config icap profile", 7.0.6: https://
    docs.fortinet.com/document/fortigate/7.0.6/cli-reference/503620: "Enable/disable whether an HTTP request is
    passed to an ICAP server"); 7.x 'file-transfer' hands over SSH and FTP files.  Only a profile whose 'request'
    and 'response' are both set to 'disable' (their default is not confirmed here) and that hands over no file
    transfer blocks nothing."""
    off = _last(e, "request") == "disable" and _last(e, "response") == "disable"
    transfer = [st for st in e.stmts() if st.key.lower() == "file-transfer" and st.verb == "set" and st.args]
    if not off:
        drop.append((e.line, "HTTP requests or responses handed to an ICAP server ('request' / 'response' not "
                     "both 'disable')", _WEB))
    if transfer:
        drop.append((transfer[-1].line, _said(p, transfer[-1].line), ("ssh", "ftp")))


def _waf(p, e: Node, drop: list) -> None:
    """A web application firewall profile blocks HTTP requests by its signatures, constraints (header, URL,
    body lengths ...), methods and URL access rules (FortiOS CLI Reference, "config waf profile"); which requests
    match, the requests decide: every profile counts as blocking on HTTP and HTTPS."""
    drop.append((e.line, "its signatures, constraints, method and URL access rules may block HTTP requests", _WEB))


def _email(p, e: Node, drop: list) -> None:
    """What in an e-mail filter profile may drop mail (FortiOS CLI Reference, "config emailfilter profile", 6.4.12:
    https://docs.fortinet.com/document/fortigate/6.4.12/cli-reference/437620): IMAP and POP3 'action [pass|tag]'
    only tag spam, SMTP 'action [pass|tag|discard]' and MAPI 'action [pass|discard]' may discard it (not set:
    its default not confirmed, counted as discarding), a 6.2 'config file-filter' blocks files; webmail blocks
    only log."""
    mail = ("smtp", "smtps", "pop3", "pop3s", "imap", "imaps", "mapi")
    protos = {"smtp": ("smtp", "smtps"), "mapi": ("mapi",)}
    harmless = _HARMLESS | {"spam-log", "spam-log-fortiguard-response", "spam-filtering", "external", "options",
                            "spam-bword-threshold", "spam-bwl-table", "spam-bword-table", "spam-iptrust-table",
                            "spam-mheader-table", "spam-rbl-table"}
    _plain(p, e, drop, mail, harmless)
    seen = set()
    for sub in e.blocks():
        name = sub.path[0] if len(sub.path) == 1 else ""
        if name in ("gmail", "msn-hotmail", "yahoo-mail", "other-webmails", "pop3", "imap"):
            continue  # (logging; 'tag' marks the mail and lets it through)
        if name in protos:
            seen.add(name)
            act = _last(sub, "action")
            if act not in ("pass", "tag"):
                drop.append((sub.line, "%s action %s" % (name, act or "not set"), protos[name]))
            continue
        drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), mail))
    for name in sorted(set(protos) - seen):
        drop.append((e.line, "%s action not set" % name, protos[name]))


def _sshfilter(p, e: Node, drop: list) -> None:
    """What in an SSH filter profile may block (FortiOS CLI Reference, "config ssh-filter profile", 7.4.0: https://
    docs.fortinet.com/document/fortigate/7.4.0/cli-reference/491620): 'set block' channels (x11, shell, exec,
    port-forward, tun-forward, sftp, scp, unknown), shell command rules whose action is not 'allow' (6.4.9: its
    default is 'block'), a file filter, any setting not known here; on SSH, which it sees through the SSL/SSH
    profile's SSH deep inspection ("SSH filter profiles to control SSH tunnel types and filtering on SSH shell
    commands" are part of "SSH MITM deep inspection", FortiOS 6.0 Handbook, https://docs.fortinet.com/document/
    fortigate/6.0.0/Handbook/745988/ssh-mitm-deep-inspection: its 'config ssh' ports, ``_ports_of``)."""
    ssh = ("ssh",)
    for st in e.stmts():
        key = st.key.lower()
        if st.verb != "set" or key in ("log", "default-command-log", "name", "comment"):
            continue
        if key == "block" and not st.args:
            continue
        drop.append((st.line, _said(p, st.line), ssh))
    for sub in e.blocks():
        if sub.path == ("shell-commands",):
            for r in sub.entries():
                if _last(r, "action") != "allow":
                    drop.append((r.line, "shell command rule %s (action %s)" % (r.name, _last(r, "action") or
                                                                               "not set"), ssh))
        elif sub.path != ("file-filter",) or _last(sub, "status") != "disable":
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), ssh))


def _voip(p, e: Node, drop: list) -> None:
    """A VoIP profile's SIP, SCCP and MSRP inspection verifies message syntax, blocks request types and limits
    request rates (FortiOS 7.0.19 Administration Guide, "SIP message inspection and filtering", https://
    docs.fortinet.com/document/fortigate/7.0.19/administration-guide/681177); its defaults are not confirmed here:
    a protocol (SIP, SCCP: not written too) counts as blocking unless its 'status' is 'disable'.  On which ports,
    ``_voip_ports``."""
    seen = set()
    for sub in e.blocks():
        name = sub.path[0] if len(sub.path) == 1 else ""
        seen.add(name)
        if _last(sub, "status") != "disable":
            drop.append((sub.line, "%s inspection (status %s)" % (name or " ".join(sub.words),
                                                                  _last(sub, "status") or "not set"),
                         (name if name in ("sip", "sccp") else "voip",)))
    for name in ("sip", "sccp"):
        if name not in seen:
            drop.append((e.line, "%s inspection (status not set)" % name, (name,)))


# the 'config system settings' ports the SIP ALG monitors, and their defaults (``_voip_ports``)
SIP_PORTS = ("sip-tcp-port", "sip-udp-port", "sip-ssl-port", "sccp-port")
_SIP_DEFAULT = {"sip-tcp-port": "5060", "sip-udp-port": "5060", "sip-ssl-port": "5061", "sccp-port": "2000"}


def _voip_ports(p, ent, proto: str) -> tuple:
    """(TCP ports, UDP ports) accept policy ``ent``'s VoIP profile inspects ``proto`` on ('sip', 'sccp', 'voip':
    another, such as MSRP; None: every port).  The SIP ALG: "To apply the SIP ALG, you add a VoIP profile to a
    firewall policy that accepts SIP sessions" (FortiOS 6.0 CLI Reference, "voip profile", https://docs.fortinet.com/
    document/fortigate/6.0.0/cli-reference/236303/voip-profile), before 7.0, where "Flow-based SIP inspection" by
    the IPS engine is new (7.0 New Features, https://docs.fortinet.com/document/fortigate/7.0.0/new-features/644799/
    flow-based-sip-inspection); on 7.0 and later, a proxy-mode policy ("The firewall policy's inspection mode
    decides whether inspection happens on the SIP ALG proxy or on the IPS engine", 7.0.19 Administration Guide,
    "SIP message inspection and filtering"); on 7.4, a policy's 'voip-profile' is voipd-based, the SIP ALG's in
    either mode (7.4.2 Administration Guide, "SIP ALG and SIP session helper", https://docs.fortinet.com/document/
    fortigate/7.4.2/administration-guide/147933/sip-alg-and-sip-session-helper).  It monitors the ports of 'config
    system settings' ("Monitored ports for SIP and SCCP traffic can be configured ... set sip-ssl-port / set
    sip-tcp-port <port1_int> [<port2_int>] / set sip-udp-port / set sccp-port", Fortinet Community, "SIP and SCCP
    Traffic is Handled by the VoIP ALG/Proxy by default", https://community.fortinet.com/t5/FortiGate/SIP-and-SCCP-
    Traffic-is-Handled-by-the-VoIP-ALG-Proxy-by-default/ta-p/194651), by default TCP and UDP 5060, SIP over TLS 5061,
    SCCP (TCP) 2000 ("TCP port the SIP proxy monitors for SIP traffic (0 - 65535, default = 5060)" ..., Fortinet's
    Terraform provider, "fortios_system_settings", github.com/fortinetdev/terraform-provider-fortios, website/docs/r/
    fortios_system_settings.html.markdown).  Elsewhere (the IPS engine of a flow-mode policy of 7.0 or 7.2, 7.6 and
    later, a version not known), and for MSRP: the ports are not documented, every TCP and UDP port."""
    ver = p.version
    alg = ent.one("inspection-mode", "flow") == "proxy" or (ver is not None and (ver < (7, 0, 0) or ver[:2] == (7, 4)))
    if not alg or proto == "voip":
        return None, None
    if proto == "sccp":
        return _settings_ports(p, ("sccp-port",)), EMPTY
    return _settings_ports(p, ("sip-tcp-port", "sip-ssl-port")), _settings_ports(p, ("sip-udp-port",))


def _settings_ports(p, keys: tuple) -> ISet | None:
    """The ports of 'config system settings' ``keys`` (their defaults where not written; None: a value not
    understood)."""
    ports = EMPTY
    for key in keys:
        args = p.settings.get(key, ([],))[0] or [_SIP_DEFAULT[key]]
        for a in args:
            try:
                ports = ports.union(port_spec(a))
            except ValueError:
                return None
    return ports


def _sctp(p, e: Node, drop: list) -> None:
    """An SCTP filter profile's PPID filters 'action [pass|reset|replace]' (default 'reset': "Reset SCTP session",
    'replace': "Replace data chunk", FortiOS CLI Reference 7.4.2, "config sctp-filter profile", https://
    docs.fortinet.com/document/fortigate/7.4.2/cli-reference/364620; "SCTP data chunk filtering uses the IPS",
    FortiOS Carrier 7.2.4, "SCTP data chunk filtering by PPID", https://docs.fortinet.com/document/fortigate/7.2.4/
    fortios-carrier/359428): a filter whose action is not 'pass' may reset or corrupt the policy's SCTP sessions,
    any setting not known here too; on SCTP (protocol 132), every port."""
    sctp = ("sctp",)
    _plain(p, e, drop, sctp)
    for sub in e.blocks():
        if sub.path != ("ppid-filters",):
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), sctp))
            continue
        for r in sub.entries():
            if _last(r, "action") != "pass":
                drop.append((r.line, "PPID filter %s (action %s)" % (r.name, _last(r, "action") or "not set"), sctp))


def _cifs(p, e: Node, drop: list) -> None:
    """A 6.2/6.4 CIFS profile's file filter blocks SMB files by type (FortiOS CLI Reference, "config cifs profile",
    6.4.0: https://docs.fortinet.com/document/fortigate/6.4.0/cli-reference/522620: 'config file-filter' 'set status
    [enable|disable]', its entries' "action: log: Allow the content and write a log message. block: Block the
    content"); the domain controller and server keytab only let it decrypt SMB: an entry whose action is not
    'log' blocks on CIFS, any other setting not known here too."""
    _plain(p, e, drop, ("cifs",), _HARMLESS | {"domain-controller", "server-credential-type"})
    for sub in e.blocks():
        if sub.path == ("server-keytab",):
            continue
        if sub.path != ("file-filter",):
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), ("cifs",)))
        elif _last(sub, "status") != "disable":
            for r in (r for blk in sub.blocks() if blk.path == ("entries",) for r in blk.entries()):
                if _last(r, "action") != "log":
                    drop.append((r.line, "file filter entry %s (action %s)" % (r.name, _last(r, "action") or
                                                                                "not set"), ("cifs",)))


def _other(protos: tuple):
    """The reader of a profile of which anything but a label or a logging setting counts as blocking on
    ``protos`` (CASB: SaaS access rules, FortiOS CLI Reference, "config casb profile"; video filter: categories,
    channels, YouTube and other sites, "config videofilter profile"): an empty profile blocks nothing."""
    def read(p, e: Node, drop: list) -> None:
        _plain(p, e, drop, protos)
        for sub in e.blocks():
            drop.append((sub.line, "block 'config %s'" % " ".join(sub.words), protos))
    return read


_OTHERS = {"dnsfilter-profile": _dnsfilter, "icap-profile": _icap, "waf-profile": _waf,
           "emailfilter-profile": _email, "ssh-filter-profile": _sshfilter, "voip-profile": _voip,
           "cifs-profile": _cifs, "sctp-filter-profile": _sctp,
           "casb-profile": _other(_WEB), "videofilter-profile": _other(_WEB)}
# the protocols also inspected over UDP (on the same ports as TCP)
_UDP_TOO = frozenset(("dns",))
_UDP = ISet.of(UDP)
_SCTP = ISet.of(SCTP)
_VOIP = frozenset(("sip", "sccp", "voip"))  # (their TCP and UDP ports: ``_voip_ports``)


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
    # (its protocol options count with a profile that holds traffic in the proxy: "When a security profile
    # requiring the use of a proxy is enabled in a policy, the Proxy Options field is displayed", FortiProxy
    # Administration Guide 7.6.1, "Proxy Options", https://docs.fortinet.com/document/fortiproxy/7.6.1/
    # administration-guide/567074; not with SSL inspection, application control or IPS alone)
    proxied = any(names_of(s) for s in _CONTENT)
    flow = _flow_only(p, ent)
    for setting in SETTINGS + (("profile-protocol-options",) if proxied else ()):
        if setting in flow:
            continue
        names = names_of(setting)
        if setting == "profile-protocol-options" and not names:
            names = ["default"]  # (the policy's 'profile-protocol-options' when not set)
        for name in names:
            drop = p.profile_drop.get((setting, name))
            if drop and flow:
                drop = [d for d in drop if d[0] not in p.profile_proxy_only]
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
    tcp = udp = EMPTY  # (None: every port)
    for q in protos:
        if q == "sctp":
            continue  # (every SCTP port, below)
        if q in _VOIP:
            got, got_udp = _voip_ports(p, ent, q)
        else:
            got = _ports_of(p, names_of, q)
            got_udp = got if q in _UDP_TOO else EMPTY
        tcp = None if got is None or tcp is None else tcp.union(got)
        udp = None if got_udp is None or udp is None else udp.union(got_udp)
    cubes = [cube(proto=proto) if ports is None else cube(proto=proto, dport=ports)
             for proto, ports in ((_TCP, tcp), (_UDP, udp)) if ports is None or ports]
    if "sctp" in protos:
        cubes.append(cube(proto=_SCTP))
    return PacketSet(cubes)


# a policy's redirect to the proxy policies, what it redirects: "http-policy-redirect: Redirect HTTP(S) traffic to
# matching transparent web proxy policy", "ssh-policy-redirect: Redirect SSH traffic to matching transparent proxy
# policy" (FortiOS CLI Reference, "config firewall policy", e.g. 7.2.1, https://docs.fortinet.com/document/
# fortigate/7.2.1/cli-reference/323620)
_REDIRECTS = (("http-policy-redirect", ("http", "https"), "HTTP and HTTPS"), ("ssh-policy-redirect", ("ssh",), "SSH"))


def redirected(p, ent, names_of, scope: str, why: list) -> PacketSet:
    """The TCP packets accept policy ``ent`` hands to the transparent proxy (``http-policy-redirect`` /
    ``ssh-policy-redirect enable``), each setting reported at its line and said in ``why``.  Those sessions are
    then the proxy policies' (``config firewall proxy-policy``: addresses, URL categories, users, their own deny
    and security profiles; "If a requested URL does not match to any of the categories defined in the active
    policy, it moves to the next policy", Fortinet KB 390843, "Technical Tip: Transparent proxy behavior on URL
    category-based destination objects"), which the model does not read: what the policy does to them is
    unknown.  The ports: the HTTP ports of its protocol options and the HTTPS and SSH ports of its SSL/SSH
    profile (``_ports_of``: every TCP port where not known)."""
    ports = EMPTY  # (None: every port)
    for key, protos, what in _REDIRECTS:
        if ent.one(key) != "enable":
            continue
        p.lines.unrecognized(p.lines.source(ent.at(key)), "policy %s redirects its %s sessions to the transparent "
                             "proxy, whose proxy policies decide them: what the policy does to them is unknown"
                             % (ent.name, what), Impact.FILTER, scope)
        why.append("%s redirected to the transparent proxy (line %d)" % (what, ent.at(key) + 1))
        for q in protos:
            got = _ports_of(p, names_of, q)
            ports = None if got is None or ports is None else ports.union(got)
    if ports is None:
        return PacketSet([cube(proto=_TCP)])
    return PacketSet([cube(proto=_TCP, dport=ports)]) if ports else PacketSet()


def _flow_only(p, ent) -> frozenset:
    """The profile settings a flow-mode policy ``ent`` does not apply.  FortiOS 7.2: "Proxy mode provides some
    security profile capabilities that are not available to flow-based scanning: Video Filter, Web Application
    Firewall (WAF), Content Disarm and Reconstruction (CDR), Web quota, Sandbox Inline Scanning" (7.2.13
    Administration Guide, "Proxy mode inspection", https://docs.fortinet.com/document/fortigate/7.2.13/
    administration-guide/969330); a policy's inspection mode is flow unless it writes 'set inspection-mode proxy'
    ("Flow-based inspection is selected by default on new firewall policies", 7.0.13 Administration Guide, "Flow
    mode inspection (default mode)", https://docs.fortinet.com/document/fortigate/7.0.13/administration-guide/
    659145).  So are, in the profiles it does apply, what ``p.profile_proxy_only`` lists: an antivirus protocol's
    'content-disarm', a web filter's 'config quota' (``scoped``).  Other versions (7.4 and later may run a video
    filter in flow mode; before 6.2 the mode was the VDOM's): none, every profile counts."""
    if p.version is None or p.version[:2] != (7, 2) or ent.one("inspection-mode", "flow") != "flow":
        return frozenset()
    return _PROXY_ONLY


_PROXY_ONLY = frozenset(("waf-profile", "videofilter-profile"))


def _ports_of(p, names_of, proto: str) -> ISet | None:
    """The ports ``proto`` is inspected on for the policy whose profiles ``names_of`` gives (None: every TCP
    port)."""
    if proto == ANY:
        return None
    setting = "ssl-ssh-profile" if proto in _SSL else "profile-protocol-options"
    name = (names_of(setting) or [_default_name(p, setting)])[0]
    table = p.profile_ports.get((setting, name))
    if table is None:
        return None
    return table.get(proto, _DEFAULT_PORTS.get(proto))


def _default_name(p, setting: str) -> str:
    """The profile a policy uses when it does not write ``setting`` ('' when not known).  Its protocol options:
    'default'.  Its SSL/SSH profile, on FortiOS 7.4: 'no-inspection' ("To see the default SSL-SSH policy set to no
    inspection using the CLI: ... show fu | grep ssl-ssh-profile / set ssl-ssh-profile "no-inspection"", FortiOS
    7.4.4 Administration Guide, "Inspection mode per policy"; the factory 'no-inspection' profile is read-only,
    FortiOS 7.4.1 Administration Guide, "SSL & SSH Inspection", https://docs.fortinet.com/document/fortigate/7.4.1/
    administration-guide/929997/ssl-ssh-inspection).  Other versions (before 6.2 there was no 'no-inspection'
    profile: FortiOS 6.0 Handbook, "Configuring profiles", names only 'certificate-inspection' and
    'deep-inspection'): not confirmed, so not known"""
    if setting == "profile-protocol-options":
        return "default"
    if setting == "ssl-ssh-profile" and p.version is not None and (7, 4) <= p.version[:2] < (7, 6):
        return "no-inspection"
    return ""


# a protocol's ports when its block does not write them: the FortiOS CLI help "Ports to scan for content (1 - 65535,
# default = N)" of each protocol of 'config firewall profile-protocol-options' (HTTP's 80: CLI Reference 6.0.5,
# https://docs.fortinet.com/document/fortigate/6.0.5/cli-reference/219019; each protocol's, as Fortinet's own
# Terraform provider documents them, "fortios_firewall_profileprotocoloptions" (github.com/fortinetdev/
# terraform-provider-fortios, website/docs/r/fortios_firewall_profileprotocoloptions.html.markdown): HTTP 80, FTP
# 21, IMAP 143, MAPI 135, POP3 110, SMTP 25, NNTP 119, DNS 53, CIFS 445), and "Ports to use for scanning (1 -
# 65535, default = 443)" of 'config firewall ssl-ssh-profile' 'config https' (the same provider,
# "fortios_firewall_sslsshprofile"; the factory 'certificate-inspection' and 'deep-inspection' profiles' 'set ports
# 443', Fortinet Community, "Troubleshooting Tip: Security Profiles bypassed and not TLS", https://community.
# fortinet.com/t5/FortiGate/Troubleshooting-Tip-Security-Profiles-bypassed-and-not-TLS/ta-p/348428).  The same help
# text says 443 for FTPS, IMAPS, POP3S, SMTPS and SSH too, which cannot all be their defaults: those stay every
# TCP port
_DEFAULT_PORTS = {"http": ISet.of(80), "ftp": ISet.of(21), "imap": ISet.of(143), "mapi": ISet.of(135),
                  "pop3": ISet.of(110), "smtp": ISet.of(25), "nntp": ISet.of(119), "dns": ISet.of(53),
                  "cifs": ISet.of(445), "https": ISet.of(443)}
