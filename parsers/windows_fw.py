r"""Windows Defender Firewall (host firewall) -> the rule graph and profile states.

Inputs (one file may hold several of them):

* ``netsh advfirewall show allprofiles`` (also ``show currentprofile`` /
  ``show domainprofile``): ``Domain Profile Settings:`` blocks with
  ``State ON|OFF`` and ``Firewall Policy BlockInbound,AllowOutbound``;
* ``Get-NetFirewallProfile | Format-List`` (``Name : Domain``,
  ``Enabled : True``, ``DefaultInboundAction``, ``DefaultOutboundAction``) and
  ``Get-NetFirewallProfile | Format-Table Name, Enabled``;
* netsh scripts: ``netsh advfirewall firewall add rule name=... dir=in ...``
  as rendered by aerleon's ``windows_advfirewall`` generator (``:`` comment
  lines), plus ``netsh advfirewall set <profile> state on|off`` /
  ``firewallpolicy``, ``reset`` and ``firewall delete rule``;
* ``netsh advfirewall firewall show rule name=all [verbose]`` output
  (``Rule Name:`` blocks);
* ``Show-NetFirewallRule`` (each ``Get-NetFirewallRule`` block followed by
  its ``$_ | Get-NetFirewall*Filter`` sections) and ``Get-NetFirewallRule``
  alone, whose blocks hold no address, port or protocol: an enabled rule of
  it may match anything (reported), a disabled one is ignored.

Every profile becomes a ``Profile`` record whose source is its State/Enabled
line (PRN140 reports the enabled ones).

Semantics chosen (Windows Firewall is *not* first-match): an authenticated
bypass rule first, then any block rule, then any allow rule, then the
profile's default action (inbound block, outbound allow unless the input
says otherwise).  The rules are reordered that way, so the engine's first
match gives the Windows answer.  ``dir=in`` rules make a ``local="in"`` path
(``remoteip``/``remoteport`` is the source, ``localip``/``localport`` the
destination), ``dir=out`` rules a ``local="out"`` path.

Which profile is active on the interface is not in the input, so each known
profile is a possible *regime* (and so is each profile the input leaves out, of
unknown state and settings, as is a profile whose state is ``NotConfigured``):
a packet's decision is exact only when every regime agrees (a profile that is off permits everything; a rule limited to
some profiles, a ``BlockInboundAlways`` policy, a profile that is off while
another is on make the affected packets unknown).  A host's rule dump (``show
rule``, ``Get-/Show-NetFirewallRule``) with no input of the run giving the
profiles' state is of three profiles of unknown state and settings, each a
possible regime (a profile may be off, ignore the inbound rules or the local
ones, block outbound), with one line reported (``UNSTATED``: add
``Get-NetFirewallProfile -PolicyStore ActiveStore``): only what every regime
decides alike is decided (in practice an outbound packet a Group Policy's
allow rule matches: such a rule applies whatever ``AllowLocalFirewallRules``
says, and a profile that is off passes everything).  A netsh ``add rule``
script (aerleon's) is the rules an admin will add, not a host's state: read as
on an enabled firewall with the Windows defaults.  A profile-state input
without rules says nothing about the rules: if any profile is on, every verdict
through it is unknown; if every profile is off, nothing is filtered.
``combine()`` merges a profile-state input into a rule-dump input given in the
same run; states of one profile that differ between the inputs are each a
possible regime, and their lines are reported.

PowerShell's cmdlets read the persistent store unless ``-PolicyStore
ActiveStore`` is given, and a Group Policy's rules and settings are not in it:
a block not known to show the active store gets one line reported that could
change any verdict (``WinParser.store_doubt``).  A pasted prompt line before it
(``PS C:\> Get-NetFirewallProfile -PolicyStore ActiveStore | Format-List``,
given by the kit to ``parse_session``) says what it shows (``_shown_store``:
the active store as a whole, or RSOP, a GPO, a filtered part...); without one,
no block is known to show it (a rule dump's rules of ``PolicyStoreSourceType``
GroupPolicy beside Local ones come from the active store, but a filter such as
``-Action Allow`` may have left a Group Policy's block rule out).  netsh's
``show`` output (profile blocks, ``show rule``) is of the local store unless
``set store gpo=...`` names a GPO: never the policy in force, reported alike.

Rule qualifiers the auditor cannot evaluate (``program``, ``service``,
``interfacetype`` other than any, ``security`` other than notrequired,
remote user/computer groups, address keywords such as ``localsubnet``, port
keywords such as ``RPC``) make the rule *maybe* match (unknown, never a
guess); unknown keywords make it opaque and are reported as CFG300.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from auditor.core.model import (
    Action,
    AddressRef,
    Config,
    Diagnostic,
    Filter,
    Impact,
    Path,
    Profile,
    Rule,
    Source,
    Stage,
)
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    EMPTY,
    MAX_PORT,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    PROTO_TCP,
    PROTO_UDP,
    ISet,
    PacketSet,
    cube,
    parse_network,
)
from auditor.core.secrets import redact
from parsers.kit import InputError, Lines
from parsers.kit.addr import address_refs, cidr_set
from parsers.kit.names import TCP_UDP, ascii_digits, icmp_values
from parsers.kit.vendor import Vendor, line_regex  # noqa: E402

NAME = "windows-firewall"

PROFILES = ("Domain", "Private", "Public")
# netsh, or netsh.exe by name or by its path (%SystemRoot%\System32\netsh.exe), as scripts call it
_NETSH_CMD = r"^\s*(?:\S*\\)?netsh(?:\.exe)?\s+advfirewall"
_NETSH = re.compile(_NETSH_CMD + r"\b", re.I)
_KV = re.compile(r'\s*([A-Za-z][A-Za-z0-9_-]*)=("[^"]*"|\S+)')
_DASHES = re.compile(r"^\s*-{10,}\s*$")
_PROFILE_HDR = re.compile(r"^\s*(\S.*?)\s+Profile Settings:\s*$", re.I)
_PS_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*)\s*:\s*(.*?)\s*$")
_BATCH = re.compile(r"^(?:@?echo\b|rem\b|pause$|exit\b|setlocal\b|endlocal\b)", re.I)  # .cmd script noise
_SHOW_LINE = re.compile(r"^([A-Za-z][A-Za-z ]*?):\s*(.*?)\s*$")
# the blocks of ``netsh advfirewall show global`` (English), beside the profiles' in a pasted session
_GLOBAL_BLOCKS = frozenset(("global settings", "main mode", "categories"))
# a netsh block headed otherwise than "Domain|Private|Public Profile Settings:" (nor as ``_GLOBAL_BLOCKS``): netsh
# prints its labels in the display language (a German Windows: "Einstellungen für Privates Profil:", "Status EIN"),
# Get-NetFirewallProfile the names of its objects' properties (Name, Enabled, DefaultInboundAction:
# MSFT_NetFirewallProfile's, the same in every language; learn.microsoft.com/powershell/module/netsecurity/
# get-netfirewallprofile).  What such a block says (which profile, on or off, which default) is not read: the input
# is refused, as the docs say
_LOCALISED = ("%s: line %d: '%s' is not a profile header of netsh's English output ('Domain Profile Settings:'): "
              "netsh output in a language other than English is not read; give the output of "
              "'Get-NetFirewallProfile | Format-List' (its property names are English in every display language)")

_RULE_KEYS = {"name", "dir", "action", "enable", "profile", "localip", "remoteip", "localport", "remoteport",
              "protocol", "interfacetype", "program", "service", "description", "edge", "security",
              "rmtcomputergrp", "rmtusrgrp", "localuser", "owner", "rmtmachgrp",
              "interfacealias", "package", "dynamictarget",  # (these three: Show-NetFirewallRule's filters)
              "platform", "remotedynamickeywordaddresses"}  # (the last two: Get-NetFirewallRule's properties)
_PROFILE_KEYS_IGNORED = {
    "localfirewallrules", "localconsecrules", "inboundusernotification", "remotemanagement",
    "unicastresponsetomulticast", "logging", "logallowedconnections", "logdroppedconnections", "filename",
    "maxfilesize",
}
_PS_KEYS_IGNORED = {
    "allowlocalfirewallrules", "allowlocalipsecrules", "allowuserapps", "allowuserports",
    "allowunicastresponsetomulticast", "notifyonlisten", "enablestealthmodeforipsec", "logfilename",
    "logmaxsizekilobytes", "logallowed", "logblocked", "logignored", "disabledinterfacealiases", "caption",
    "description", "elementname", "instanceid", "profile", "pscomputername", "allowinboundrules",
}
# (each may end in 4 or 6, its IPv4 or IPv6 addresses only: Set-NetFirewallRule -RemoteAddress, Microsoft Learn)
_ADDR_KEYWORDS = {"localsubnet", "dns", "dhcp", "wins", "defaultgateway", "intranet", "rmtintranet", "internet",
                  "ply2renders", "localintranet", "remotecorpnetwork", "intranetremoteaccess", "playtodevice",
                  "captiveportal"}


# ``detect``'s signs: (lines that must all be there, points)
_SIGNS = (
    ((line_regex(_NETSH_CMD + r"\s", re.I),), 70),
    ((line_regex(r"^: Windows_advfirewall"),), 20),
    ((line_regex(r"^\s*(?:Domain|Private|Public) Profile Settings:"),), 80),
    ((line_regex(r"^Name\s+:\s*(?:Domain|Private|Public)\s*$"),
      line_regex(r"^Enabled\s+:\s*(?:True|False|NotConfigured)\s*$")), 80),
    ((line_regex(r"^Name\s+Enabled\b"), line_regex(r"^(?:Domain|Private|Public)\s+(?:True|False)\b")), 70),
    ((line_regex(r"^Rule Name:\s"), line_regex(r"^Direction:\s")), 70),
    # Get-NetFirewallRule / Show-NetFirewallRule | Format-List
    ((line_regex(r"^Name\s+:"), line_regex(r"^Direction\s+:\s*(?:In|Out)bound\s*$"),
      line_regex(r"^Action\s+:\s*(?:Allow|Block|NotConfigured)\s*$")), 70),
)


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is Windows Firewall output or a netsh advfirewall script."""
    head = text[:200000]
    score = 0
    for signs, points in _SIGNS:
        if all(rx.search(head) for rx in signs):
            score += points
    return min(100, score)


@dataclass
class ProfileState:
    """What the input says about one profile."""

    name: str
    enabled: bool | None = None
    source: Source | None = None
    inbound: str | None = None  # block | allow | blockalways
    outbound: str | None = None  # block | allow
    policy_source: Source | None = None
    # (False: AllowLocalFirewallRules False, only Group Policy's rules apply; None: not known, a profile the input
    # does not show)
    local_rules: bool | None = True
    off_interfaces: bool = False  # (DisabledInterfaceAliases: the firewall is off on some interfaces)
    # (State/Enabled NotConfigured: a Group Policy store's "not set here", the computer's own setting applies and
    # is not in the input; so are the default actions it leaves NotConfigured)
    unset: bool = False


@dataclass
class WinRule:
    """One firewall rule, in packet sets: what it certainly and possibly matches."""

    name: str
    direction: str  # in | out
    action: str  # allow | block | bypass
    enabled: bool
    profiles: frozenset | None  # None: all profiles
    sure: PacketSet
    maybe: PacketSet
    source: Source
    refs: tuple = ()
    note: str = ""
    # (a Group Policy's rule, applied whatever AllowLocalFirewallRules says; a rule of a netsh script, or of a dump
    # that does not say its store, may be a local one)
    gpo: bool = False


@dataclass
class WinInput:
    """Everything parsed from one input, kept for ``combine()``."""

    path: str
    lines: int
    head: Source  # (the first line: the source of the defaults when nothing else says them)
    rules: list[WinRule] = field(default_factory=list)
    profiles: dict[str, ProfileState] = field(default_factory=dict)
    has_rules: bool = False
    # (the first rule of a host's output, 'show rule' or Get/Show-NetFirewallRule, not of a netsh script: the rules
    # of a host whose profiles may be off or set otherwise than Windows' defaults)
    dump: Source | None = None
    diags: list[Diagnostic] = field(default_factory=list)
    refs: list[AddressRef] = field(default_factory=list)
    ignored: int = 0


class WinParser:
    """One parse of one file; use ``parse()``."""

    def __init__(self, text: str, path: str, commands=()):
        self.path = path
        self.lines = Lines(text, path)  # (sources, accounting, diagnostics)
        self.raw = self.lines.raw
        self.out = WinInput(path, len(self.lines), self.lines.source(0), diags=self.lines.diagnostics)
        self.hidden_reported = False  # (the qualifiers a terse 'show rule' leaves out: reported once)
        # (PowerShell's blocks: each rule's and profile's line with the store its command shows; the prompt lines
        # of a pasted session, 0-based, with their command)
        self.ps_rules: list[tuple[int, str | None]] = []
        self.ps_profiles: list[tuple[int, str | None]] = []
        self.commands = sorted((line - 1, cmd) for line, cmd in commands)
        self.netsh_shown: int | None = None  # (the first block of netsh's 'show' output)

    def profile(self, name: str) -> ProfileState:
        key = _profile_name(name)
        if key not in self.out.profiles:
            self.out.profiles[key] = ProfileState(key)
        return self.out.profiles[key]

    # --- the line walk --------------------------------------------------------------------------
    def scan(self) -> WinInput:
        """Every line: used (a rule, a profile block, a netsh command), ignored or reported."""
        lines = self.raw
        use = self.lines.use
        n = len(lines)
        i = 0
        while i < n:
            raw = lines[i]
            s = raw.strip()
            if not s or s.startswith(":") or s in ("Ok.", "OK.") or s.startswith("#") or _BATCH.match(s):
                if s:
                    self.lines.ignore(i, "comment, command output or batch script line")
                i += 1
                continue
            if _NETSH.match(raw):
                self.netsh(i)
                use(i)
                i += 1
                continue
            start = i
            m = _PROFILE_HDR.match(raw)
            if m:
                i = self.netsh_profile(i, m.group(1))
            elif i + 1 < n and _DASHES.match(lines[i + 1]) and s.endswith(":") and not s.startswith("Rule Name"):
                if s[:-1].strip().lower() not in _GLOBAL_BLOCKS:
                    raise InputError(_LOCALISED % (self.path, i + 1, redact(s)))
                i = self.netsh_global(i)
                continue  # (its lines are ignored, not used)
            elif s.startswith("Rule Name:"):
                i = self.show_rule(i)
            elif (pm := _PS_LINE.match(raw)) and pm.group(1).lower() == "name":
                # Get-NetFirewallProfile's blocks name a profile; Get-NetFirewallRule's (and
                # Show-NetFirewallRule's) name a rule
                i = self.ps_profile(i) if _profile_name(pm.group(2)) in PROFILES else self.ps_rule(i)
            elif re.match(r"^\s*Name\s+Enabled\b", raw):
                i = self.ps_table(i)
            else:
                self.lines.unrecognized(self.lines.source(i), "not a Windows Firewall rule or profile line")
                i += 1
                continue
            use(start, i)  # (the rest of the block, its table rules included, built the record)
        self.store_doubt()
        self.out.ignored = self.lines.ignored
        return self.out

    # --- netsh advfirewall show allprofiles -----------------------------------------------------------
    def netsh_global(self, i: int) -> int:
        """A block of ``netsh advfirewall show global`` (its settings: IPsec, CRL checks, main mode, rule
        categories), ignored: none says which traffic the rules let in.  The place after the block."""
        self.lines.ignore(i, "netsh global settings header")
        j, n = i + 1, len(self.lines)
        while j < n:
            raw = self.raw[j]
            if raw.strip() and not _DASHES.match(raw) and self._block_end(j):
                break
            self.lines.ignore(j, "netsh global setting (IPsec, CRL checks, main mode, rule categories): no effect "
                                 "on which traffic the rules let in")
            j += 1
        return j

    def _block_end(self, j: int) -> bool:
        """Whether line ``j`` (not blank, not dashes) ends a netsh block: it starts another (a profile header, a
        rule of 'show rule', a header over dashes), is a netsh command or its 'Ok.'."""
        raw = self.raw[j]
        s = raw.strip()
        return bool(_PROFILE_HDR.match(raw) or s.startswith("Rule Name:") or _NETSH.match(raw) or s in ("Ok.", "OK.")
                    or j + 1 < len(self.raw) and _DASHES.match(self.raw[j + 1]))

    def netsh_profile(self, i: int, name: str) -> int:
        self.netsh_shown = i if self.netsh_shown is None else self.netsh_shown
        p = self.profile(name)
        self.lines.ignore(i, "profile header")
        j = i + 1
        n = len(self.lines)
        while j < n:
            raw = self.raw[j]
            s = raw.strip()
            if _DASHES.match(raw) or not s:
                j += 1
                continue
            if self._block_end(j):
                break
            toks = s.split()
            key = toks[0].lower()
            last = toks[-1].upper()
            if key == "state" or (p.enabled is None and len(toks) >= 2 and last in ("ON", "OFF")):
                if last in ("ON", "OFF"):
                    p.enabled, p.source = last == "ON", self.lines.source(j)
                else:
                    self.lines.unrecognized(self.lines.source(j), "bad profile State", Impact.GLOBAL)
            elif s.lower().startswith("firewall policy"):
                self.policy(p, s.split(None, 2)[-1], j)
            elif key == "localfirewallrules" and last == "DISABLE":
                p.local_rules = False
                self.lines.unrecognized(self.lines.source(j), "LocalFirewallRules Disable: rules of the local store "
                                                              "are not applied, and which rules are local is not "
                                                              "known", Impact.FILTER, "windows firewall")
            elif key.rstrip(":") in _PROFILE_KEYS_IGNORED or key.endswith(":"):
                self.lines.ignore(j, "profile setting without effect on filtering (logging, notifications, ...)")
            else:
                # (every setting of the English output is known: this is another setting or another
                # language, whose 'Firewall Policy' or 'LocalFirewallRules' may be this line)
                self.lines.unrecognized(self.lines.source(j), "unknown profile setting (netsh output in a language "
                                                              "other than English is not read: use "
                                                              "Get-NetFirewallProfile | Format-List)", Impact.GLOBAL)
            j += 1
        if p.enabled is None:
            self.lines.unrecognized(self.lines.source(i), "profile %s without a State line" % p.name, Impact.GLOBAL)
        return j

    def policy(self, p: ProfileState, text: str, i: int) -> None:
        parts = [x.strip().lower() for x in text.split(",")]
        ok = True
        for part in parts:
            if part in ("blockinbound", "allowinbound", "blockinboundalways"):
                p.inbound = {"blockinbound": "block", "allowinbound": "allow"}.get(part, "blockalways")
            elif part in ("blockoutbound", "allowoutbound"):
                p.outbound = "block" if part == "blockoutbound" else "allow"
            elif part in ("notconfigured",):
                pass
            else:
                ok = False
        if ok:
            p.policy_source = self.lines.source(i)
        else:
            self.lines.unrecognized(self.lines.source(i), "unknown firewall policy '%s'" % text, Impact.GLOBAL)

    # --- Get-NetFirewallProfile ---------------------------------------------------------------------------
    def store_doubt(self) -> None:
        """The NetSecurity cmdlets read the persistent store unless ``-PolicyStore ActiveStore`` is given ("Running
        this cmdlet without specifying the policy store retrieves the persistent store ... This policy is not from
        GPOs"; the ActiveStore is "the sum of all policy stores that apply to the computer": learn.microsoft.com/
        powershell/module/netsecurity/get-netfirewallrule and get-netfirewallprofile).  A Group Policy may add
        rules (block rules win), turn a profile on or off, change its default actions or have the local rules
        ignored (AllowLocalFirewallRules False): where the input does not show the active store, any verdict may
        differ (reported once, GLOBAL).  A block shows it only when the pasted command that printed it asks for it
        (``_shown_store``).  Without that command no output says it: rules of PolicyStoreSourceType Local beside
        GroupPolicy ("the type of policy store where the rule originated if the object is retrieved from the
        ActiveStore") are of the active store, but a filter (``-Action Allow``, ``-Direction Inbound``,
        ``| Where-Object``: Get-NetFirewallRule's query parameters, "matching firewall rules ... are retrieved")
        may have left out a Group Policy's block rule that stops what they allow; a profile's output never says
        its store either."""
        rule = next(((i, st) for i, st in self.ps_rules if st != "active"), None)
        if rule is not None:
            self.lines.report("CFG300", self.shown(rule) or _RULES_UNSHOWN, self.lines.source(rule[0]),
                              Impact.GLOBAL)
        if self.netsh_shown is not None:
            # "In Netsh, you must first specify the GPO that the commands in a Netsh session should modify. The
            # commands you enter are run against the contents of the GPO ... until the Netsh session is ended or until
            # another set store command is executed" (Manage Windows Firewall with the command line, learn.microsoft.
            # com/windows/security/operating-system-security/network-security/windows-firewall/configure-with-command-
            # line): netsh shows the local store unless 'set store' names a GPO, and its profiles print
            # 'LocalFirewallRules N/A (GPO-store only)' there; neither is the policy in force
            self.lines.report("CFG300", "netsh advfirewall 'show' output is of one policy store (the local one, unless "
                              "'set store gpo=...' names a Group Policy object), not of the policy in force: a Group "
                              "Policy's rules and settings, which may block what the local rules allow, turn a "
                              "profile on or off or have the local rules ignored, are not in it (the active store is "
                              "shown by Get-NetFirewallProfile and Show-NetFirewallRule with '-PolicyStore "
                              "ActiveStore')", self.lines.source(self.netsh_shown), Impact.GLOBAL)
        prof = next(((i, st) for i, st in self.ps_profiles if st != "active"), None)
        if prof is not None:
            self.lines.report("CFG300", self.shown(prof) or (
                "Get-NetFirewallProfile reads the persistent store unless '-PolicyStore ActiveStore' is given, and its "
                "output does not say which store it shows: a Group Policy may turn a profile on or off or change its "
                "default actions"), self.lines.source(prof[0]), Impact.GLOBAL)

    def shown(self, block: tuple[int, str | None]) -> str:
        """What the command that printed a PowerShell block (its line, its store) shows, if not the policy in force
        ("" without such a command)."""
        i, store = block
        cmd = self.command_before(i)
        if store is None or cmd is None:
            return ""
        # (the cmdlet named, not its line: a prompt line may hold a credential the shared redaction does not know,
        # "ConvertTo-SecureString 'X' -AsPlainText" after an abbreviated '-Cred')
        m = _PS_COMMAND.match(cmd[1])
        if m is None:
            what = "the command"
        else:
            verb = "Get" if cmd[1].split(">", 1)[1].lstrip()[:3].lower() == "get" else "Show"
            what = "%s-NetFirewall%s" % (verb, m.group(1).capitalize())
        return ("%s (line %d) shows %s: the policy in force is the active store's ('-PolicyStore ActiveStore', "
                "\"the sum of all policy stores that apply to the computer\")"
                % (what, cmd[0] + 1, _STORE_SAID[store]))

    def command_before(self, i: int) -> tuple[int, str] | None:
        """The last prompt line of a pasted session before line ``i``: the command that printed it."""
        k = bisect.bisect_left(self.commands, (i, "")) - 1
        return self.commands[k] if k >= 0 else None

    def shown_store(self, i: int, noun: str) -> str | None:
        """The store the command before line ``i`` shows (``_shown_store``), None without a NetSecurity command."""
        cmd = self.command_before(i)
        return _shown_store(cmd[1], noun) if cmd else None

    def ps_profile(self, i: int) -> int:
        name = _PS_LINE.match(self.raw[i]).group(2)
        self.ps_profiles.append((i, self.shown_store(i, "profile")))
        p = self.profile(name)
        self.lines.ignore(i, "profile header")
        j = i + 1
        n = len(self.lines)
        while j < n and self.raw[j].strip():
            m = _PS_LINE.match(self.raw[j])
            if not m:
                if self.raw[j][:1] in " \t":  # a wrapped value
                    j += 1
                    continue
                break
            if m.group(1).lower() == "name":
                break
            if not self.ps_setting(p, m.group(1), m.group(2), j):
                self.lines.ignore(j, "profile setting without effect on filtering (logging, notifications, ...)")
            j += 1
        if p.enabled is None and not p.unset:
            self.lines.unrecognized(self.lines.source(i), "profile %s without an Enabled line" % p.name, Impact.GLOBAL)
        return j

    def ps_setting(self, p: ProfileState, prop: str, val: str, j: int) -> bool:
        """One Get-NetFirewallProfile property of line ``j`` (a Format-List line or a Format-Table cell);
        False for a setting without effect on filtering."""
        key = prop.lower()
        if key == "enabled":
            v = val.lower()
            if v in ("true", "false"):
                p.enabled, p.source = v == "true", self.lines.source(j)
            elif v == "notconfigured":
                # "NotConfigured: Valid only when configuring a Group Policy Object (GPO) ... the policy not changing
                # the value on the computer" (Set-NetFirewallProfile -Enabled, learn.microsoft.com/powershell/module/
                # netsecurity/set-netfirewallprofile): a GPO's profile, the computer's own state is not in the input
                p.enabled, p.unset, p.source = None, True, self.lines.source(j)
            else:
                self.lines.unrecognized(self.lines.source(j), "bad Enabled value", Impact.GLOBAL)
        elif key in ("defaultinboundaction", "defaultoutboundaction"):
            v = val.lower()
            if v not in ("block", "allow", "notconfigured"):
                self.lines.unrecognized(self.lines.source(j), "bad %s value" % prop, Impact.GLOBAL)
            elif v != "notconfigured":
                if key == "defaultinboundaction":
                    p.inbound = v
                else:
                    p.outbound = v
                p.policy_source = self.lines.source(j)
        elif key == "allowinboundrules" and val.lower() == "false":
            p.inbound = "blockalways"
            p.policy_source = self.lines.source(j)
        elif key == "allowlocalfirewallrules" and val.lower() == "false":
            # the local store's rules are not applied, only Group Policy's: which rules are local is not
            # in this input (learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile)
            p.local_rules = False
            self.lines.unrecognized(self.lines.source(j), "AllowLocalFirewallRules False: rules of the local "
                                                          "store are not applied, and which rules are local is "
                                                          "not known", Impact.FILTER, "windows firewall")
        elif key == "disabledinterfacealiases" and val.strip("{} ").lower() not in ("", "notconfigured"):
            # the firewall does not filter these interfaces at all
            p.off_interfaces = True
            self.lines.unrecognized(self.lines.source(j), "the firewall is off on interfaces %s, and which "
                                                          "interface the traffic uses is not known" % val,
                                    Impact.FILTER, "windows firewall")
        elif key in _PS_KEYS_IGNORED:
            return False
        else:
            self.lines.unrecognized(self.lines.source(j), "unknown profile property '%s'" % prop, Impact.NONE)
        return True

    # --- Get-NetFirewallRule / Show-NetFirewallRule | Format-List ------------------------------------------
    def ps_rule(self, i: int) -> int:
        """One ``Name : ...`` rule block of ``Get-NetFirewallRule`` (no addresses, ports or protocol: those are
        in its filter objects) or ``Show-NetFirewallRule`` (the block, then its ``$_ | Get-NetFirewall*Filter``
        sections, which hold them)."""
        self.out.has_rules = True
        self.out.dump = self.out.dump or self.lines.source(i)
        n = len(self.lines)
        props: dict[str, str] = {}
        bad = None
        filters = False
        sections: set[str] = set()
        j = i
        while j < n:
            raw = self.raw[j]
            s = raw.strip()
            if not s:
                k = j
                while k < n and not self.raw[k].strip():
                    k += 1
                if k < n and self.raw[k].strip().startswith("$_ |"):
                    j = k
                    continue
                break
            if s.startswith("$_ |"):
                filters = True
                sec = re.fullmatch(r"\$_ \| Get-NetFirewall([A-Za-z]*)Filter", s)
                if not sec:
                    bad = bad or (j, "unknown rule section '%s'" % s)
                else:
                    sections.add(sec.group(1).lower())
                j += 1
                continue
            m = _PS_LINE.match(raw)
            key = m.group(1).lower() if m else ""
            if m and key == "name" and j > i:
                break
            if m and key in _PS_RULE_PROPS:
                props[key] = m.group(2)
            elif raw[:1] not in " \t":  # (an indented line without a known property: a wrapped value)
                bad = bad or (j, "unknown rule property '%s'" % (m.group(1) if m else s[:40]))
            j += 1
        name = props.get("displayname") or props.get("name", "?")
        self.ps_rules.append((i, self.shown_store(i, "rule")))
        enabled = props.get("enabled", "").lower()
        if enabled == "false":
            self.lines.ignore(i, "disabled rule", j)
            return j
        direction = {"inbound": "in", "outbound": "out"}.get(props.get("direction", "").lower(), "")
        action = props.get("action", "").lower()
        kv = {"name": name, "dir": direction, "action": action if action in ("allow", "block") else "",
              "profile": props.get("profile", "any")}
        if enabled != "true":
            bad = bad or (i, "rule %s without Enabled True or False" % name)
        elif not filters:
            bad = (i, "rule %s: Get-NetFirewallRule does not show its addresses, ports or protocol (they are in "
                      "its filters: use Show-NetFirewallRule or netsh advfirewall firewall show rule name=all)"
                   % name)
        if bad is None:
            try:
                kv.update(_ps_filters(props))
            except ValueError as e:
                bad = (i, "rule %s: %s" % (name, e))
        if bad is not None:
            self.opaque_rule(bad[0], bad[1], kv.items())
        else:
            # (a filter section left out, e.g. piped to Get-NetFirewallPortFilter alone: what it would
            # restrict the rule to is not known, and its values are not 'Any')
            missing = sorted(PS_SECTIONS - sections)
            self.rule_from(kv, i, "the rules' %s filter sections are not in the input (Show-NetFirewallRule "
                                  "shows them all)" % ", ".join(missing) if missing else "",
                           gpo=props.get("policystoresourcetype", "").strip().lower() == "grouppolicy")
        return j

    def ps_table(self, i: int) -> int:
        """``Get-NetFirewallProfile | Format-Table Name, Enabled[, DefaultInboundAction, ...]``: a row per
        profile, a cell per property."""
        cols = self.raw[i].split()
        self.ps_profiles.append((i, self.shown_store(i, "profile")))
        j = i + 1
        n = len(self.lines)
        self.lines.ignore(i, "profile table header")
        while j < n and self.raw[j].strip():
            toks = self.raw[j].split()
            if set(self.raw[j].strip()) <= {"-", " "}:
                j += 1
                continue
            if len(toks) != len(cols) or _profile_name(toks[0]) not in PROFILES:
                # (a value with a space, a column Format-Table cut: which cell is which is not known; a
                # rule's row of Get-NetFirewallRule | Format-Table Name, Enabled is not a profile)
                self.lines.unrecognized(self.lines.source(j), "bad profile table row", Impact.GLOBAL)
            else:
                p = self.profile(toks[0])
                for prop, val in zip(cols[1:], toks[1:]):
                    self.ps_setting(p, prop, val, j)
                if p.enabled is None and not p.unset:
                    self.lines.unrecognized(self.lines.source(j), "profile %s without Enabled" % p.name,
                                            Impact.GLOBAL)
            j += 1
        return j

    # --- netsh commands ----------------------------------------------------------------------------------
    def netsh(self, i: int) -> None:
        raw = self.raw[i]
        words = raw.split()
        low = [w.lower() for w in words]
        rest = low[2:]
        if rest[:3] == ["firewall", "add", "rule"]:
            self.add_rule(i, raw.split(None, 5)[5] if len(words) > 5 else "")
            return
        if rest[:3] == ["firewall", "delete", "rule"]:
            args = raw.split(None, 5)[5] if len(words) > 5 else ""
            kv = dict((k.lower(), v.strip('"')) for k, v in _KV.findall(args))
            name = kv.get("name")
            if name is None or set(kv) - {"name", "dir", "profile", "program", "service", "localip", "remoteip",
                                           "localport", "remoteport", "protocol"}:
                self.lines.unrecognized(self.lines.source(i), "unsupported delete rule")
            elif name.lower() == "all" and len(kv) == 1:
                self.out.rules.clear()
            elif len(kv) == 1:
                self.out.rules[:] = [r for r in self.out.rules if r.name != name]
            else:
                self.lines.unrecognized(self.lines.source(i), "delete rule with filters is not supported")
            self.out.has_rules = True
            return
        if rest[:1] == ["reset"]:
            self.out.rules.clear()
            self.out.has_rules = True
            for p in self.out.profiles.values():
                p.enabled, p.source, p.inbound, p.outbound = True, self.lines.source(i), "block", "allow"
                p.policy_source, p.unset = self.lines.source(i), False
            return
        if len(rest) >= 3 and rest[0] == "set" and rest[1].endswith(("profile", "profiles")):
            names = {"allprofiles": PROFILES, "domainprofile": ("Domain",), "privateprofile": ("Private",),
                     "publicprofile": ("Public",), "currentprofile": ("Current",)}.get(rest[1])
            if names is None:
                self.lines.unrecognized(self.lines.source(i), "unknown profile '%s'" % words[3])
                return
            if rest[2] == "state" and len(rest) == 4 and rest[3] in ("on", "off", "notconfigured"):
                for nm in names:
                    p = self.profile(nm)
                    # (notconfigured: a GPO store's "not set here", set-netfirewallprofile's NotConfigured)
                    p.enabled, p.unset = {"on": (True, False), "off": (False, False)}.get(rest[3], (None, True))
                    p.source = self.lines.source(i)
                return
            if rest[2] == "firewallpolicy" and len(rest) == 4:
                for nm in names:
                    self.policy(self.profile(nm), words[5], i)
                return
            if rest[2] in ("logging", "settings"):
                self.lines.ignore(i, "netsh logging or settings command")
                return
            self.lines.unrecognized(self.lines.source(i), "unsupported 'set %s %s'" % (rest[1], rest[2]))
            return
        if rest[:1] in (["show"], ["export"], ["dump"]) or rest[:2] in (["firewall", "show"],) or rest[:1] == ["set"] \
                and rest[1:2] in (["global"], ["store"]):
            self.lines.ignore(i, "netsh show, export, dump, global or store command")
            return
        self.lines.unrecognized(self.lines.source(i), "unsupported netsh advfirewall command")

    def add_rule(self, i: int, args: str) -> None:
        self.out.has_rules = True
        pairs = _KV.findall(args)
        leftover = _KV.sub("", args).strip()
        if leftover:
            self.opaque_rule(i, "unexpected '%s'" % leftover.split()[0], pairs)
            return
        kv: dict[str, str] = {}
        for k, v in pairs:
            kv[k.lower()] = v[1:-1] if v.startswith('"') and v.endswith('"') else v
        self.rule_from(kv, i)

    def opaque_rule(self, i: int, why: str, pairs) -> None:
        kv = {k.lower(): v for k, v in pairs}
        direction = kv.get("dir", "").lower()
        dirs = (direction,) if direction in ("in", "out") else ("in", "out")
        # a rule known to allow can only allow: it makes only what nothing else decides unknown
        action = "allow" if kv.get("action", "").lower() == "allow" else "block"
        if kv.get("enable", "yes").lower() == "no":
            self.lines.ignore(i, "disabled rule")
            return
        self.lines.unrecognized(self.lines.source(i), why, Impact.FILTER, "windows firewall")
        for d in dirs:
            self.out.rules.append(WinRule(kv.get("name", "?"), d, action, True, None, NOTHING, ALL,
                                          self.lines.source(i), note="not understood"))

    def rule_from(self, kv: dict[str, str], i: int, hidden: str = "", gpo: bool = False) -> None:
        """A rule from its netsh keywords; ``hidden``: why qualifiers the input does not show may restrict it;
        ``gpo``: a Group Policy's rule (``WinRule.gpo``)."""
        unknown = [k for k in kv if k not in _RULE_KEYS]
        if unknown:
            self.opaque_rule(i, "unknown rule keyword '%s'" % unknown[0], kv.items())
            return
        direction = kv.get("dir", "in").lower()
        action = kv.get("action", "").lower()
        if direction not in ("in", "out") or action not in ("allow", "block", "bypass") or "name" not in kv:
            self.opaque_rule(i, "rule without a valid name, dir or action", kv.items())
            return
        enable = kv.get("enable", "yes").lower()
        if enable not in ("yes", "no"):
            self.opaque_rule(i, "bad enable value", kv.items())
            return
        why_maybe: list[str] = []
        try:
            protos, icmp = _protocol(kv.get("protocol", "any"))
            local, local_maybe = _addresses(kv.get("localip", "any"), why_maybe)
            remote, remote_maybe = _addresses(kv.get("remoteip", "any"), why_maybe)
            lport, lport_maybe = _ports(kv.get("localport", "any"), why_maybe)
            rport, rport_maybe = _ports(kv.get("remoteport", "any"), why_maybe)
            profiles = _profiles(kv.get("profile", "any"))
        except ValueError as e:
            self.opaque_rule(i, str(e), kv.items())
            return
        # (an address or port keyword is one more item of its list: the items beside it are matched for sure)
        listed = len(why_maybe)
        ported = not (lport == ALL_PORTS and rport == ALL_PORTS and not lport_maybe and not rport_maybe)
        if ported and not protos.issubset(TCP_UDP):
            self.opaque_rule(i, "ports given for a protocol other than TCP or UDP", kv.items())
            return
        # (service=any is a condition too: "If service=any, the rule applies only to services", netsh's
        # 'add rule' help; a rule without service applies to every program and service)
        for key, fine in (("program", ("any",)), ("service", ()), ("interfacetype", ("any",)),
                          ("security", ("notrequired",)), ("rmtcomputergrp", ()), ("rmtusrgrp", ()),
                          ("rmtmachgrp", ()), ("localuser", ()), ("owner", ()), ("interfacealias", ()),
                          ("package", ()), ("dynamictarget", ()), ("platform", ()),
                          ("remotedynamickeywordaddresses", ())):
            if key in kv and kv[key].lower() not in fine:
                why_maybe.append("%s=%s" % (key, kv[key]))
        if action == "bypass":
            why_maybe.append("action=bypass (authenticated traffic only)")
        told = list(why_maybe)
        if hidden:
            why_maybe.append(hidden)
        loc, rem = ((local, local_maybe), (lport, lport_maybe)), ((remote, remote_maybe), (rport, rport_maybe))
        (src, sport), (dst, dport) = (rem, loc) if direction == "in" else (loc, rem)
        if icmp is not None:
            dport = (icmp, EMPTY)
        sure = PacketSet([cube(src[0], dst[0], protos, sport[0], dport[0])]) if all(
            x[0] for x in (src, dst, sport, dport)) else NOTHING
        possible = PacketSet([cube(src[0].union(src[1]), dst[0].union(dst[1]), protos, sport[0].union(sport[1]),
                                   dport[0].union(dport[1]))])
        if len(why_maybe) > listed:
            # a qualifier the input cannot settle: nothing is certain about this rule
            maybe, sure = possible, NOTHING
        else:
            maybe = possible.subtract(sure) if sure else possible
        s = self.lines.source(i)
        refs = address_refs(local, s) + address_refs(remote, s)
        self.out.refs.extend(refs)
        if told and enable == "yes":
            self.lines.report("CFG300", "rule %s: %s cannot be evaluated; packets it could match are reported "
                                        "unknown" % (kv["name"], ", ".join(told)), s, Impact.FILTER,
                              "windows firewall")
        if hidden and enable == "yes" and not self.hidden_reported:
            self.hidden_reported = True
            self.lines.report("CFG300", "%s: packets the rules could match are reported unknown" % hidden, s,
                              Impact.FILTER, "windows firewall")
        self.out.rules.append(WinRule(kv["name"], direction, action, enable == "yes", profiles, sure, maybe, s, refs,
                                      gpo=gpo))

    # --- netsh advfirewall firewall show rule ----------------------------------------------------------------
    def show_rule(self, i: int) -> int:
        """One ``Rule Name:`` block -> the add-rule keywords -> a rule."""
        self.out.has_rules = True
        self.out.dump = self.out.dump or self.lines.source(i)
        self.netsh_shown = i if self.netsh_shown is None else self.netsh_shown
        n = len(self.lines)
        fields: dict[str, str] = {"name": self.raw[i].split(":", 1)[1].strip()}
        icmp_rows: list[str] = []
        j = i + 1
        bad = None
        keymap = {"enabled": "enable", "direction": "dir", "profiles": "profile", "localip": "localip",
                  "remoteip": "remoteip", "protocol": "protocol", "localport": "localport", "remoteport": "remoteport",
                  "action": "action", "program": "program", "service": "service", "interfacetypes": "interfacetype",
                  "security": "security", "description": "description", "edge traversal": "edge",
                  "grouping": None, "rule source": None, "remotecomputergroup": "rmtcomputergrp",
                  "remoteusergroup": "rmtusrgrp", "localusergroup": "localuser"}
        while j < n and self.raw[j].strip() and not self.raw[j].startswith("Rule Name:") \
                and self.raw[j].strip() not in ("Ok.", "OK."):
            raw = self.raw[j]
            if _DASHES.match(raw):
                j += 1
                continue
            m = _SHOW_LINE.match(raw)
            if raw[:1] in " \t" or not m:
                toks = raw.split()
                if fields.get("protocol", "").lower().startswith("icmp") and len(toks) == 2:
                    if toks != ["Type", "Code"]:
                        icmp_rows.append("%s,%s" % (toks[0], toks[1]))
                elif bad is None:
                    bad = (j, "unexpected line in a rule block")
                j += 1
                continue
            key = m.group(1).strip().lower()
            if key not in keymap:
                bad = bad or (j, "unknown rule property '%s'" % m.group(1).strip())
            elif keymap[key] is not None:
                fields[keymap[key]] = m.group(2)
            j += 1
        kv = {k: v for k, v in fields.items() if k != "description"}
        if "enable" in kv:
            kv["enable"] = {"yes": "yes", "no": "no"}.get(kv["enable"].lower(), kv["enable"])
        if "edge" in kv:
            kv.pop("edge")
        if "profile" in kv:
            kv["profile"] = kv["profile"].replace(" ", "")
        if icmp_rows and kv.get("protocol", "").lower() in ("icmpv4", "icmpv6"):
            kv["protocol"] = ";".join("%s:%s" % (kv["protocol"], r) for r in icmp_rows)
        # (without 'verbose', show rule leaves out Program, Service, InterfaceTypes and Security, which may
        # restrict a rule to one program's traffic, some interfaces or authenticated connections; verbose
        # output always has the InterfaceTypes and Security lines)
        terse = "security" not in fields and "interfacetype" not in fields
        if bad is not None:
            self.opaque_rule(bad[0], bad[1], kv.items())
        else:
            self.rule_from(kv, i, TERSE_SHOW if terse else "")
        return j


# a PowerShell rule dump not after the prompt line of the NetSecurity cmdlet that printed it (``store_doubt``)
_RULES_UNSHOWN = (
    "PowerShell rule dump without the prompt line of the command that printed it: which store it shows (the "
    "persistent store, read unless '-PolicyStore ActiveStore' is given; RSOP; one Group Policy object) and whether "
    "a filter ('-Action Allow', '-Direction Inbound', '| Where-Object') left rules out are not in the output, and "
    "a Group Policy's rule or setting it does not hold may block what these rules allow or have them ignored "
    "(rules of PolicyStoreSourceType GroupPolicy beside Local ones do not say that none was left out): paste "
    "'PS C:\\> Show-NetFirewallRule -PolicyStore ActiveStore' with its prompt line")

# a NetSecurity cmdlet first after a pasted prompt (PowerShell's and cmd's end in '>'), and what follows it
_PS_COMMAND = re.compile(r"^[^>]*>\s*(?:Get|Show)-NetFirewall(Rule|Profile)\b(.*)$", re.I)
# -PolicyStore's values (Get-NetFirewallRule, -PolicyStore): any other value names a GPO ("-PolicyStore hostname",
# "domain.fqdn.com\GPO_Friendly_Name")
_STORES = {"activestore": "active", "rsop": "rsop", "persistentstore": "persistent", "systemdefaults": "other",
           "staticservicestore": "other", "configurableservicestore": "other"}
# what a command of each store shows, if not the policy in force
_STORE_SAID = {
    "persistent": "the persistent store (the cmdlets read it unless '-PolicyStore ActiveStore' is given), without "
                  "Group Policy's rules and settings",
    "rsop": "Group Policy's rules and settings alone (RSOP: \"the sum of all GPOs applied to the local computer\"), "
            "not the local store's applied beside them",
    "partial": "part of the active store only (read as the whole: the cmdlet with '-PolicyStore ActiveStore' and no "
               "other parameter but '-All', '-TracePolicyStore' or, for profiles, '-Name', then at most "
               "'| Format-List')",
    "gpo": "one Group Policy object's store, not the policy in force",
    "other": "a store other than the active one, or part of it",
}
# the cmdlets' parameters that select nothing (-All: "all of the firewall rules within the specified policy store")
_WHOLE = {"-all", "-tracepolicystore"}
# what may follow them in the pipeline and leave the output whole: the list view (every property), a file
_TAILS = (("format-list",), ("format-list", "*"), ("format-list", "-property", "*"), ("fl",), ("fl", "*"),
          ("out-string",), ("out-host",))

def _shown_store(cmd: str, noun: str) -> str | None:
    """Which store the output of ``cmd`` (a pasted prompt line) shows, for a block of ``noun`` (rule, profile):
    "active" (``-PolicyStore ActiveStore``, unfiltered, as a list of every property), "partial" (the active
    store, some of it: a filter such as ``-Direction``, ``| Where-Object``, ``| Format-Table Name, Enabled``),
    "rsop", "persistent" (the default: "Running this cmdlet without specifying the policy store retrieves the
    persistent store"), "gpo" (another value of ``-PolicyStore``: "GPOs are also policy stores", or
    ``-GPOSession``), "other" (SystemDefaults, the service stores, a cmdlet of another noun), None when it is
    not a NetSecurity cmdlet (learn.microsoft.com/powershell/module/netsecurity/get-netfirewallrule and
    get-netfirewallprofile, -PolicyStore).  A parameter written otherwise than in full is not read: partial."""
    m = _PS_COMMAND.match(cmd)
    if m is None:  # (a NetSecurity cmdlet after another command, e.g. of its filters: some rules)
        return "other" if "-netfirewall" in cmd.lower() else None
    if m.group(1).lower() != noun:
        return "other"
    rest = re.sub(r"\s*\d?>>?\s*\S+\s*$", "", m.group(2))  # (a redirection: the output went to a file)
    first, *tail = rest.split("|")
    toks = first.split()
    store, whole, k = "persistent", True, 0
    while k < len(toks):
        t = toks[k].lower()
        k += 1
        if t in ("-policystore", "-gposession") and k < len(toks):
            store = _STORES.get(toks[k].strip("'\"").lower(), "gpo") if t == "-policystore" else "gpo"
            k += 1
        elif t in ("-name", "-profile") and noun == "profile":
            # (some profiles: the others are each a possible regime of unknown settings, as for any input)
            while k < len(toks) and not toks[k].startswith("-"):
                k += 1
        elif t not in _WHOLE:
            whole = False
    whole = whole and all(tuple(seg.lower().split()) in _TAILS or seg.lower().split()[:1] == ["out-file"]
                          for seg in tail)
    return "partial" if store == "active" and not whole else store


# --- value parsers ---------------------------------------------------------------------------------------------

# Show-NetFirewallRule's sections for each rule ('$_ | Get-NetFirewall<name>Filter'): each may restrict it
PS_SECTIONS = frozenset(("address", "service", "application", "interface", "interfacetype", "port", "security"))
TERSE_SHOW = ("'netsh advfirewall firewall show rule' without 'verbose' does not show the rules' Program, Service, "
              "InterfaceTypes and Security (use 'show rule name=all verbose')")
# a host's rule dump without any input of the profiles' state in the run (``build``)
UNSTATED = ("rule dump without the profiles' state: whether each profile is on, its default actions and whether it "
            "applies the inbound and the local rules (AllowInboundRules, AllowLocalFirewallRules), which a Group "
            "Policy or the admin may set, are not in the input, and the packets they could decide otherwise are "
            "reported unknown: add the output of 'PS C:\\> Get-NetFirewallProfile -PolicyStore ActiveStore | "
            "Format-List', pasted with its prompt line, to the run")


def _profile_name(name: str) -> str:
    n = name.strip()
    for p in PROFILES:
        if n.lower() == p.lower():
            return p
    return n


# Get-NetFirewallRule's properties (none filters traffic but these) and its filters' (Show-NetFirewallRule)
_PS_RULE_PROPS = {
    "name", "displayname", "description", "displaygroup", "group", "enabled", "profile", "platform", "direction",
    "action", "edgetraversalpolicy", "loosesourcemapping", "localonlymapping", "owner", "primarystatus", "status",
    "enforcementstatus", "policystoresource", "policystoresourcetype", "remotedynamickeywordaddresses",
    "policyappid", "packagefamilyname",
    "localaddress", "remoteaddress", "service", "program", "package", "interfacealias", "interfacetype",
    "protocol", "localport", "remoteport", "icmptype", "dynamictarget", "authentication", "encryption",
    "overrideblockrules", "localuser", "remoteuser", "remotemachine",
}


def _ps_list(value: str) -> list[str]:
    """A Format-List value: ``Any``, ``445``, ``{10.1.0.0/255.255.0.0, 10.3.0.5}``; a list PowerShell cut
    short (``{a, b, c, d...}``, $FormatEnumerationLimit) is not the whole value."""
    v = value.strip()
    if v.endswith(("...}", "\u2026}", "...")):
        raise ValueError("a list cut short by PowerShell ('%s')" % v[-20:])
    if v.startswith("{") and v.endswith("}"):
        v = v[1:-1]
    return [x.strip() for x in v.split(",") if x.strip()]


def _ps_filters(props: dict[str, str]) -> dict[str, str]:
    """Show-NetFirewallRule's filter properties -> netsh ``add rule`` keywords."""
    kv: dict[str, str] = {}
    for key, word in (("localaddress", "localip"), ("remoteaddress", "remoteip"), ("localport", "localport"),
                      ("remoteport", "remoteport")):
        kv[word] = ",".join(_ps_list(props.get(key, "Any"))) or "any"
    proto = props.get("protocol", "Any").strip()
    icmp = _ps_list(props.get("icmptype", "Any"))
    if proto.lower() in ("icmpv4", "icmpv6") and [t.lower() for t in icmp] != ["any"]:
        parts = []
        for t in icmp:  # "8" (every code) or "3:4" (type 3 code 4)
            ty, _, code = t.partition(":")
            parts.append("%s:%s,%s" % (proto.lower(), ty, code or "any"))
        proto = ";".join(parts)
    kv["protocol"] = proto
    for key, word in (("program", "program"), ("service", "service"), ("interfacetype", "interfacetype"),
                      ("interfacealias", "interfacealias"), ("package", "package"),
                      ("dynamictarget", "dynamictarget"), ("localuser", "localuser"), ("remoteuser", "rmtusrgrp"),
                      ("remotemachine", "rmtcomputergrp")):
        v = props.get(key, "Any").strip()
        if v and v.lower() != "any":
            kv[word] = v
    # the rule's own conditions (not filters): "only network packets that are authenticated as coming from or
    # going to an owner identified in the list of accounts (SID) match this rule" (Owner); the rule applies to
    # the Windows versions Platform names only ("If + is not specified, then only that version is associated"),
    # and the input does not say the host's (New-NetFirewallRule, learn.microsoft.com/powershell/module/
    # netsecurity/new-netfirewallrule); "A firewall rule can use dynamic keyword addresses instead of explicitly
    # defining IP addresses for its remote address condition" (New-NetFirewallDynamicKeywordAddress), and their
    # addresses are not in a rule dump; an empty one ('', '{}') is no condition
    for key in ("owner", "platform", "remotedynamickeywordaddresses"):
        v = props.get(key, "").strip()
        if v not in ("", "{}"):
            kv[key] = v
    auth = props.get("authentication", "NotRequired").strip().lower()
    enc = props.get("encryption", "NotRequired").strip().lower()
    if auth != "notrequired" or enc != "notrequired":
        kv["security"] = "authenticate" if enc == "notrequired" else "authenc"
    if props.get("overrideblockrules", "False").strip().lower() == "true":
        kv["action"] = "bypass"
    return kv


def _addresses(text: str, why: list[str]) -> tuple[ISet, ISet]:
    """netsh address list -> (certain, possible beyond that)."""
    sure, maybe = EMPTY, EMPTY
    for item in [x.strip() for x in text.split(",") if x.strip()]:
        low = item.lower()
        if low == "any":
            return ALL_ADDR, EMPTY
        if low in _ADDR_KEYWORDS or (low[-1:] in ("4", "6") and low[:-1] in _ADDR_KEYWORDS):
            maybe = ALL_ADDR
            why.append("address keyword '%s'" % item)
            continue
        try:
            sure = sure.union(parse_network(item) if "-" in item and "/" not in item else cidr_set(item))
        except ValueError:
            raise ValueError("bad address '%s'" % item) from None
    return sure, maybe.subtract(sure)


def _ports(text: str, why: list[str]) -> tuple[ISet, ISet]:
    sure, maybe = EMPTY, EMPTY
    for item in [x.strip() for x in text.split(",") if x.strip()]:
        if item.lower() == "any":
            return ALL_PORTS, EMPTY
        lo, sep, hi = item.partition("-")
        if ascii_digits(lo) and (not sep or ascii_digits(hi)):  # (netsh and the cmdlets read no other digits)
            a, b = int(lo), int(hi) if sep else int(lo)
            if not 0 <= a <= b <= MAX_PORT:
                raise ValueError("bad port '%s'" % item)
            sure = sure.union(ISet.of(a, b))
        elif re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", item):
            # RPC, RPC-EPMap, IPHTTPS, Teredo, ...: dynamic or service-defined ports
            maybe = ALL_PORTS
            why.append("port keyword '%s'" % item)
        else:
            raise ValueError("bad port '%s'" % item)
    return sure, maybe.subtract(sure)


def _protocol(text: str) -> tuple[ISet, ISet | None]:
    """-> (protocols, ICMP type/code set or None)."""
    protos, icmp = EMPTY, EMPTY
    any_icmp = False
    for item in [x.strip() for x in text.split(";") if x.strip()]:
        low = item.lower()
        if low == "any":
            return ALL_PROTO, None
        if low == "tcp":
            protos = protos.union(ISet.of(PROTO_TCP))
        elif low == "udp":
            protos = protos.union(ISet.of(PROTO_UDP))
        elif ascii_digits(low) and int(low) <= 255:
            protos = protos.union(ISet.of(int(low)))
        elif low.startswith(("icmpv4", "icmpv6")):
            p = PROTO_ICMP if low.startswith("icmpv4") else PROTO_ICMP6
            protos = protos.union(ISet.of(p))
            rest = low[6:]
            if not rest:
                any_icmp = True
                continue
            m = re.fullmatch(r":([0-9]+|any|\*),([0-9]+|any|\*)", rest)
            if not m:
                raise ValueError("bad ICMP type/code '%s'" % item)
            ty, code = m.group(1), m.group(2)
            if ty in ("any", "*"):
                any_icmp = True
                continue
            t = int(ty)
            if t > 255 or (ascii_digits(code) and int(code) > 255):
                raise ValueError("bad ICMP type/code '%s'" % item)
            icmp = icmp.union(icmp_values(t, int(code) if ascii_digits(code) else None))
        else:
            raise ValueError("unknown protocol '%s'" % item)
    if not protos:
        raise ValueError("no protocol")
    if any_icmp or not icmp:
        return protos, None
    if not protos.issubset(ISet([(PROTO_ICMP, PROTO_ICMP), (PROTO_ICMP6, PROTO_ICMP6)])):
        raise ValueError("ICMP types mixed with other protocols")
    return protos, icmp


def _profiles(text: str) -> frozenset | None:
    out = set()
    for item in [x.strip() for x in text.split(",") if x.strip()]:
        low = item.lower()
        if low == "any":
            return None
        name = _profile_name(item)
        if name not in PROFILES:
            raise ValueError("unknown profile '%s'" % item)
        out.add(name)
    if not out or out == set(PROFILES):
        return None
    return frozenset(out)


# --- building the config --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Regime:
    name: str
    on: bool
    inbound: str
    outbound: str
    source: Source | None
    policy_source: Source | None
    local_rules: bool = True
    off_interfaces: bool = False


def _regimes(profiles: dict[str, ProfileState]) -> list[_Regime] | None:
    """Possible states of the active profile, or None when the input says nothing about profiles."""
    if not profiles:
        return None
    out = []
    for p in profiles.values():
        # (a profile whose state the input leaves to the computer's own setting: on or off, any default action;
        # else Windows' defaults where the input says none: "The default setting when managing a computer is
        # Block" inbound, "Allow" outbound, Set-NetFirewallProfile)
        ons = (True, False) if p.unset else (p.enabled is not False,)
        ins = (p.inbound,) if p.inbound else (_ANY_IN if p.unset else ("block",))
        outs = (p.outbound,) if p.outbound else (("block", "allow") if p.unset else ("allow",))
        locs = (True, False) if p.local_rules is None else (p.local_rules,)
        out.extend(_Regime(p.name, on, i, o, p.source, p.policy_source, loc, p.off_interfaces)
                   for on in ons for i in ins for o in outs for loc in locs)
    return out


_ANY_IN = ("block", "allow", "blockalways")  # (the inbound policies a profile of unknown settings may have)
# (why what a rule certainly matches is unknown: not every possible regime applies it)
_BY_PROFILE = "whether this rule applies depends on the active profile's state and settings"


def build(inp: WinInput, extra_profiles: list[ProfileState] | None = None, extra_diags=()) -> Config:
    """The rule graph of a parsed input (with profile states merged from other inputs)."""
    profiles = dict(inp.profiles)
    differ: dict[Source, list[str]] = {}  # line -> the profiles whose state another input gives otherwise
    for p in extra_profiles or []:
        had = profiles.get(p.name)
        if had is None or _state(had) == _state(p):
            profiles.setdefault(p.name, p)
            continue
        # (inputs of another host, or of another time, that say otherwise: each state is a possible
        # regime, so the packets they decide differently are unknown)
        profiles["%s@%d" % (p.name, len(profiles))] = p
        for q in (had, p):
            src = q.source or q.policy_source
            if src is not None and p.name not in differ.setdefault(src, []):
                differ[src].append(p.name)
    conflicts = [Diagnostic("CFG300", "another input gives profile(s) %s a different state: which one is in force "
                            "is not known" % ", ".join(names), src, Impact.GLOBAL) for src, names in differ.items()]
    # (an input of some profiles only, e.g. 'netsh advfirewall show domainprofile', printed as 'show currentprofile'
    # is: which profile is active is not in it, and each profile it leaves out may be on or off, of any settings;
    # so is every profile of a host's rule dump without the profiles' state: Enabled, AllowInboundRules,
    # AllowLocalFirewallRules ("False: The firewall rules defined by the local administrator are ignored, and only
    # firewall rules from GPOs are applied"), the default actions are each profile's, which a Group Policy or the
    # admin may set, Set-NetFirewallProfile; a netsh 'add rule' script is no host's state, see the docstring)
    unstated = not profiles and inp.dump is not None
    missing = [n for n in PROFILES if n not in {p.name for p in profiles.values()}] if profiles or unstated else []
    for n in missing:
        profiles[n] = ProfileState(n, unset=True, local_rules=None)
    said = (Diagnostic("CFG300", UNSTATED, inp.dump, Impact.FILTER, "windows firewall"),) if unstated else ()
    regimes = _regimes(profiles)
    filters: dict[str, Filter] = {}
    paths = []
    any_on = regimes is None or any(r.on for r in regimes)
    for direction, word in (("in", "inbound"), ("out", "outbound")):
        fname = "windows firewall %s" % word
        rules, default, reason, dsrc = _direction_rules(inp, direction, regimes, fname)
        filters[fname] = Filter(fname, tuple(rules), None, kind="host-firewall")
        if not any_on:
            paths.append(Path(None, None, (), crosses=False, local=direction,
                              note="the Windows Firewall is off in every profile"))
            continue
        paths.append(Path(None, None, (Stage(fname, (fname,), default, dsrc, reason),), local=direction))
    prof_records = tuple(Profile(p.name, None if p.unset else p.enabled is not False, p.source)
                         for p in profiles.values() if p.source is not None)
    if (inp.has_rules or missing) and any_on and not any(p.enabled is not False for p in prof_records):
        # the rules are filtered as by an enabled firewall (Windows' default state), or a profile the input leaves
        # out may be on, but whether it is on is not in the input: a record of unknown state (PRN140 cannot tell)
        unsaid = [p.name for p in profiles.values() if p.source is None] or ["every profile"]
        prof_records += (Profile(", ".join(unsaid), None, prof_records[0].source if prof_records else
                                 inp.dump or inp.head),)
    return Config(
        path=inp.path, vendor=NAME, lines=inp.lines, filters=filters, paths=tuple(paths),
        diagnostics=tuple(inp.diags) + tuple(extra_diags) + tuple(conflicts) + said, address_refs=tuple(inp.refs),
        profiles=prof_records,
        ignored_lines=inp.ignored, head=inp.head, aux=inp,
    )


def _state(p: ProfileState) -> tuple:
    """What of a profile's state decides packets."""
    return p.enabled is not False, p.unset, p.inbound, p.outbound, p.local_rules, p.off_interfaces


def _direction_rules(inp: WinInput, direction: str, regimes: list[_Regime] | None, fname: str):
    """Ordered rules of one direction, and the stage default (action, reason, source)."""
    word = "inbound" if direction == "in" else "outbound"
    ons = [r for r in regimes if r.on] if regimes is not None else []
    # (a profile that is off, or on but off on some interfaces, lets everything through there)
    any_off = regimes is not None and any(not r.on or r.off_interfaces for r in regimes)
    # (the local store's rules are not applied where AllowLocalFirewallRules is False: a Group Policy's are;
    # "Specifies that the local firewall rules should be merged into the effective policy along with Group Policy
    # settings", Set-NetFirewallProfile -AllowLocalFirewallRules)
    partial = regimes is not None and any(not r.local_rules for r in ons)
    policies = {(r.inbound if direction == "in" else r.outbound) for r in ons} if regimes is not None else \
        {"block" if direction == "in" else "allow"}
    mine = [r for r in inp.rules if r.direction == direction]
    first_on = next((r for r in ons if r.source is not None), None)
    out: list[tuple[int, Rule]] = []

    def add(rank: int, w: WinRule, action: Action, match: PacketSet, maybe: PacketSet, enabled: bool = True,
            note: str = "") -> None:
        if not match and not maybe:
            return
        out.append((rank, Rule(fname, 0, action, match, w.source, enabled=enabled and w.enabled, maybe=maybe,
                               opaque=w.note == "not understood", addresses=w.refs, note=note or w.note)))

    if not inp.has_rules and regimes is not None and ons:
        # a profile state without the rules: nothing can be said about the verdicts (nor when the profiles'
        # State lines were not read: the first line stands for them)
        anchor = first_on.source if first_on else inp.head
        out.append((9, Rule(fname, 0, Action.DENY, NOTHING, anchor, maybe=ALL, opaque=True,
                            note="the firewall is %s and its rules are not in this input"
                                 % ("on" if first_on else "perhaps on"))))
    for w in mine:
        if w.profiles is None:
            active = "all"
        elif regimes is None:
            active = "some"  # which profile is active is not known
        else:
            hits = [r for r in ons if r.name in w.profiles]
            active = "all" if len(hits) == len(ons) else ("some" if hits else "none")
        if active == "none":
            add(0, w, Action.DENY if w.action == "block" else Action.PERMIT, w.sure, w.maybe, enabled=False,
                note="limited to profiles that are off or absent")
            continue
        everywhere = active == "all" and not (partial and not w.gpo)
        if w.action == "bypass":
            add(0, w, Action.PERMIT, NOTHING, w.sure.union(w.maybe))
        elif w.action == "block":
            if everywhere and not any_off:
                add(1, w, Action.DENY, w.sure, NOTHING)
                add(2, w, Action.DENY, NOTHING, w.maybe)
            else:
                add(2, w, Action.DENY, NOTHING, w.sure.union(w.maybe), note=_BY_PROFILE if w.sure else "")
        else:
            ignored = direction == "in" and "blockalways" in policies
            if ignored and policies == {"blockalways"} and not any_off:
                add(0, w, Action.PERMIT, w.sure, w.maybe, enabled=False,
                    note="inbound allow rules are ignored (BlockInboundAlways / AllowInboundRules False)")
            elif everywhere and not ignored:
                add(3, w, Action.PERMIT, w.sure, NOTHING)
                add(4, w, Action.PERMIT, NOTHING, w.maybe)
            else:
                add(4, w, Action.PERMIT, NOTHING, w.sure.union(w.maybe), note=_BY_PROFILE if w.sure else "")
    # the default action: every possible regime must agree, else unknown
    outcomes = set()
    for p in policies:
        outcomes.add(Action.PERMIT if p == "allow" else Action.DENY)
    if any_off:
        outcomes.add(Action.PERMIT)
    src_pol = next((r.policy_source for r in ons if r.policy_source is not None), None)
    if len(outcomes) == 1 or not inp.has_rules:
        default = Action.DENY if Action.DENY in outcomes else Action.PERMIT
        reason = "Windows Firewall default %s action: %s (no rule matches)" % (
            word, "allow" if default is Action.PERMIT else "block")
    else:
        default = Action.DENY
        reason = "the default %s action depends on which profile is active" % word
        # (a profile the input leaves out has no line: the first rule of the dump, or the first line, stands for it)
        anchor = src_pol or (first_on.source if first_on else inp.dump or inp.head)
        out.append((8, Rule(fname, 0, Action.DENY, NOTHING, anchor, maybe=ALL,
                            note="the default action differs between the profiles")))
    out.sort(key=lambda t: t[0])
    rules = [replace(r, index=i) for i, (_, r) in enumerate(out)]
    dsrc = src_pol
    if dsrc is None:
        real = [r for r in rules if r.enabled]
        dsrc = real[-1].source if real else (first_on.source if first_on else
                                              inp.head)
    return rules, default, reason, dsrc


def parse(text: str, path: str, commands=()) -> Config:
    """Parse Windows Firewall profile output and rule dumps into the rule graph (``commands``: the prompt lines of
    a pasted session, ``[(line, text)]``, which say the store a PowerShell block shows)."""
    inp = WinParser(text, path, commands).scan()
    if not inp.has_rules and not inp.profiles:
        raise InputError("%s: no Windows Firewall profile state or netsh advfirewall rules found" % path)
    return build(inp)


def combine(configs: list) -> list:
    """Merge profile-state inputs into the rule-dump inputs of the same run (if any)."""
    wins = [c for c in configs if c.vendor == NAME and isinstance(c.aux, WinInput)]
    states = [c for c in wins if not c.aux.has_rules]
    dumps = [c for c in wins if c.aux.has_rules]
    if not states or not dumps:
        return configs
    extra: list[ProfileState] = []
    diags: list[Diagnostic] = []
    for c in states:
        extra.extend(c.aux.profiles.values())
        diags.extend(c.diagnostics)
    out = []
    for c in configs:
        if c in states:
            continue
        if c in dumps:
            c = build(c.aux, extra, diags)
        out.append(c)
    return out


ADVICE = {
    "PRN100": "Add an inbound allow rule on the Prinergy server (`New-NetFirewallRule -Direction Inbound "
              "-Protocol TCP -LocalPort 445 -RemoteAddress 10.30.0.0/24 -Action Allow`), or follow Kodak's "
              "Windows Firewall article for the server role.",
    "PRN140": "Kodak does not support the Windows Firewall on Prinergy 8 servers: turn it off for every profile "
              "(`Set-NetFirewallProfile -All -Enabled False`) and filter on the network firewall instead; on "
              "Prinergy 9, use Kodak's rule set for the server role.",
    "PRN150": "Set `-RemoteAddress` of the allow rule to the site's networks instead of Any.",
}


VENDOR = Vendor(
    NAME, 'Windows Defender Firewall',
    'Get-NetFirewallProfile -PolicyStore ActiveStore | Format-List; Show-NetFirewallRule -PolicyStore ActiveStore '
    '(pasted with their PowerShell prompt lines)',
    detect, parse, combine=combine, advice=ADVICE, parse_session=parse)
