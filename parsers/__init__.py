"""Vendor parsers: one module (or package) per vendor, registered in ``VENDORS``.

Each registered module defines ``VENDOR``, a ``parsers.kit.Vendor`` record: its name, how
to detect and parse its input, and its optional hooks.  Modules are imported only when
used, so adding a vendor costs nothing at start-up.  How to add one: ``parsers/README.md``.
"""

from __future__ import annotations

import importlib

from parsers.kit import InputError, Vendor
from parsers.kit.decode import MAX_BYTES, decode
from parsers.kit.quoted import hide_quoted

# vendor name -> module defining VENDOR (imported lazily); the order breaks detection ties
VENDORS: dict[str, str] = {
    "cisco-asa": "parsers.cisco_asa",
    "cisco-ios": "parsers.cisco_ios",
    "iptables": "parsers.linux.iptables",
    "nftables": "parsers.linux.nftables",
    "linux-sysctl": "parsers.linux.sysctl",
    "aws": "parsers.aws",
    "azure-nsg": "parsers.azure_nsg",
    "windows-firewall": "parsers.windows_fw",
    "checkpoint": "parsers.checkpoint",
    "junos": "parsers.junos",
    "fortios": "parsers.fortios",
    "pfsense": "parsers.pfsense",
    "opnsense": "parsers.pfsense.opnsense",
    "paloalto-panos": "parsers.panos",
}

# the devices a site file's ``through:`` may name (the traffic passes them; their idle timeouts come
# with a cloud export: parsers.aws, parsers.azure_nsg)
THROUGH_DEVICES = ("aws-nat-gateway", "aws-network-firewall", "aws-gateway-load-balancer", "aws-network-load-balancer",
                   "aws-nitro-v6", "azure-load-balancer", "azure-nat-gateway")

__all__ = ["MAX_BYTES", "THROUGH_DEVICES", "VENDORS", "InputError", "Vendor", "combine", "decode", "detect", "load",
           "parse_text", "parts", "read_bundle", "redact_text"]


def load(vendor: str) -> Vendor:
    """The registered ``Vendor`` record named ``vendor`` (``InputError`` for an unknown name)."""
    try:
        module = VENDORS[vendor]
    except KeyError:
        raise InputError("unknown vendor '%s' (supported: %s)" % (vendor, ", ".join(VENDORS))) from None
    return importlib.import_module(module).VENDOR


def detect(text: str, path: str | None = None) -> str:
    """The vendor whose parser is most confident about ``text``.

    When none is, the error names ``path`` and, if the text looks like a format this version
    does not read (``parsers.kit.lookalike``), that format.
    """
    best, score = None, 0
    for name in VENDORS:
        s = load(name).detect(text)
        if s > score:
            best, score = name, s
            if s >= 100:
                break  # (no later vendor can be more confident: a detect gives 0 to 100, the first best wins)
    if best is not None and score >= 60:
        return best
    from parsers.kit.lookalike import decisive_name, name_of

    if best is not None and score >= 30:
        # a weak detection, unless the text has a line only a format this version does not read writes
        other = decisive_name(text, VENDORS)
        if other is None:
            return best
    else:
        other = name_of(text, VENDORS)
    where = "%s: " % path if path else ""
    if other is not None:
        raise InputError("%slooks like a %s, which this version does not read (it reads: %s)"
                         % (where, other, ", ".join(VENDORS)))
    raise InputError("%scould not recognise the configuration format (supported: %s); "
                     "use --vendor to choose one" % (where, ", ".join(VENDORS)))


def redact_text(text: str, vendor: str = "auto") -> str:
    """``text`` (an input of ``vendor``, detected when ``auto``) as it may be shown: every line
    as the vendor's parser quotes it, secrets masked, the lines kept.  The shared redaction of
    each line (``auditor.core.secrets.redact``) misses what only the vendor knows: a private key
    over several lines, a FortiOS SNMP community's ``set name``, a Junos trap group's name (the
    community of its traps), a cloud tag's value below the key naming it secret.  A ``vendor`` the
    text is not in (a wrong choice on the page, whose error shows the text again) does not keep the
    text's own vendor from masking what it knows: each line is shown as the more masked of the two."""
    from auditor.core.secrets import MASK
    from parsers.kit.paste import clean

    try:
        found = detect(clean(text)[0])
    except InputError:
        found = None
    names = [n for n in dict.fromkeys((found if vendor == "auto" else vendor, found)) if n is not None]
    shown = [_redacted_as(text, n) for n in names] or [_redacted_as(text, None)]
    if len(shown) == 1:
        return shown[0]
    mine, theirs = (x.split("\n") for x in shown)
    if len(mine) != len(theirs):
        return shown[1]
    return "\n".join(b if b.count(MASK) > a.count(MASK) else a for a, b in zip(mine, theirs, strict=True))


def _redacted_as(text: str, vendor: str | None) -> str:
    """``text`` redacted as ``vendor``'s parser quotes it, or by the shared redaction (``vendor`` None,
    or one without its own, or the text not well-formed for it)."""
    from auditor.core.secrets import redact

    hook = None
    if vendor is not None:
        try:
            hook = load(vendor).redact
        except InputError:
            pass
    if hook is not None:
        try:
            return hook(text)
        except InputError:  # (not well-formed: the shared redaction, as for an unknown format)
            pass
    return redact(text)


def read_bundle(path: str, vendor: str = "auto") -> list[tuple[str, str]] | None:
    """The files of an export that is a folder or an archive, as ``[(display path, text)]``, read by
    the vendor whose format it is (``vendor``, or the first registered vendor that reads it); None
    when ``path`` is not such an export.  A folder or an archive that no vendor reads is the first
    refusal's ``InputError`` (what it is: ``Vendor.bundle``), once every vendor has been asked."""
    refused: InputError | None = None
    for name in (VENDORS if vendor == "auto" else (vendor,)):
        hook = load(name).bundle if name in VENDORS else None
        if hook is not None:
            try:
                got = hook(path)
            except InputError as e:
                refused = refused or e
                continue
            if got is not None:
                return got
    if refused is not None:
        raise refused
    return None


def unpack(data: bytes, name: str, max_total: int) -> list[tuple[str, str]] | None:
    """The files of an export uploaded as one archive (``data``, named ``name``), read in memory by the
    first registered vendor whose ``Vendor.unpack`` takes it, as ``[(display path, text)]``; None when
    it is no vendor's archive."""
    for vendor in VENDORS:
        hook = load(vendor).unpack
        if hook is not None:
            got = hook(data, name, max_total)
            if got is not None:
                return got
    return None


def combine(configs: list) -> list:
    """Run each vendor's ``combine`` hook over the inputs.

    Auxiliary inputs (a sysctl dump, a firewall-profile state) amend the
    configs they belong to and may drop themselves from the list.
    """
    for vendor in dict.fromkeys(c.vendor for c in configs):
        hook = load(vendor).combine if vendor in VENDORS else None
        if hook is not None:
            configs = hook(configs)
    return configs


def parse_text(text: str, path: str, vendor: str = "auto", part: str | None = None):
    """Detect (or take) the vendor and parse ``text`` (only its device ``part``, e.g. a FortiOS VDOM).

    The lines a terminal session leaves around a pasted config (a prompt and its command, a
    pager's ``<--- More --->``, ``Building configuration...``, banners: ``parsers.kit.paste``)
    are blanked first, so every other line keeps its number; they count as ignored lines (a vendor's
    ``parse_session`` is given the prompt lines).
    """
    from parsers.kit.paste import clean

    text, skipped = clean(text)
    name = detect(text, path) if vendor == "auto" else vendor
    v = load(name)
    # (the prompt lines blanked, for a vendor that reads what its output is by the command that printed it)
    commands = [(s.line, s.text) for s in skipped if s.kind == "prompt"] if v.parse_session is not None else []
    try:
        if part is None:
            cfg = v.parse_session(text, path, commands) if commands else v.parse(text, path)
        elif v.parse_part is None:
            raise InputError("%s: a %s config holds one device: --vdom does not apply" % (path, v.title))
        else:
            cfg = v.parse_part(text, path, part)
    except RecursionError:  # (each parser bounds its nesting; this is the net under them)
        raise InputError("%s: nested too deeply to be a %s configuration" % (path, v.title)) from None
    if vendor != "auto":
        _not_another_vendors(text, path, name, v)
        _something_understood(cfg, text, path, v)
    if skipped:
        cfg = _after_paste(cfg, text, len(skipped))
    if vendor != "auto":
        cfg = _as_detected(cfg, text, name)
    return hide_quoted(cfg, text)


def parts(text: str, vendor: str) -> list[str]:
    """The devices a ``vendor`` config holds when it holds several (FortiOS VDOMs: ``--vdom`` picks
    one), else ``[]``."""
    from parsers.kit.paste import clean

    hook = load(vendor).parts
    names = hook(clean(text)[0]) if hook is not None else []
    return names if len(names) > 1 else []


def _as_detected(cfg, text: str, vendor: str):
    """``cfg`` parsed as ``vendor`` (``--vendor``), with what it quotes of ``text`` redacted as the
    vendor the text is in would redact it, when that is another: a parser quotes every line of a
    format it does not read (CFG300), and only that format's own redaction knows all its secrets
    (a FortiOS SNMP community's name, a private key's lines)."""
    from dataclasses import replace

    from auditor.core.secrets import MASK, hidden_words, hide_words, redact

    try:
        other = detect(text)
    except InputError:
        return cfg
    if other == vendor or load(other).redact is None:
        return cfg
    raw = text.splitlines()
    shown = redact_text(text, other).split("\n")
    hidden: dict[int, list[str]] = {}  # 1-based line -> the words the other vendor hides in it
    for i, line in enumerate(shown):
        if MASK in line and i < len(raw) and line != redact(raw[i].rstrip()):
            hidden[i + 1] = hidden_words(raw[i], line)
    if not hidden:
        return cfg

    def src(s):
        if s is None or s.path != cfg.path or s.line not in hidden:
            return s
        return replace(s, text=shown[s.line - 1])

    def msg(m: str, s) -> str:
        return m if s is None or s.path != cfg.path else hide_words(m, hidden.get(s.line, []))

    diags = tuple(replace(d, message=msg(d.message, d.source), source=src(d.source), scope=msg(d.scope, d.source))
                  if d.source is not None and d.source.line in hidden else d for d in cfg.diagnostics)
    return replace(cfg, diagnostics=diags, head=src(cfg.head),
                   remarks=tuple((f, src(s)) for f, s in cfg.remarks))


def _not_another_vendors(text: str, path: str, name: str, v: Vendor) -> None:
    """Refuse a config of one vendor given as another's (``--vendor``) that the chosen parser read
    anyway: it finds no sign of its format while another vendor's is sure of its own.  (A
    line-oriented parser reads anything, every line 'not understood': an audit of nothing, never
    what was meant.)  Vendors read by one module (pfSense and OPNsense) may be given as each other."""
    if v.detect(text) > 0:
        return
    for other in VENDORS:
        if other == name or VENDORS[other].startswith(VENDORS[name]) or VENDORS[name].startswith(VENDORS[other]):
            continue
        if load(other).detect(text) >= 60:
            raise InputError("%s: this is %s input, not %s (choose vendor %s, or let it be detected)"
                             % (path, load(other).title, v.title, other))


def _something_understood(cfg, text: str, path: str, v: Vendor) -> None:
    """Refuse what the chosen vendor's parser read without understanding one line (no filter, no
    line passed over as harmless, every line not understood): not a config of that vendor, and
    its audit would be one finding per line (200 MB of text: millions, and gigabytes)."""
    if cfg.filters or cfg.ignored_lines or not cfg.diagnostics:
        return
    lines = {d.source.line for d in cfg.diagnostics if d.code == "CFG300" and d.source.path == path}
    if len(lines) >= sum(1 for line in text.splitlines() if line.strip()):
        from parsers.kit.lookalike import name_of

        other = name_of(text, VENDORS)  # (a format this version does not read, as detection names it)
        raise InputError("%s: not %s input (no line of it was understood)%s"
                         % (path, v.title, "; it looks like a %s" % other if other else ""))


def _after_paste(cfg, text: str, skipped: int):
    """``cfg`` with the pasted session's lines counted as ignored, and its head on a config line."""
    from dataclasses import replace

    changes: dict = {"ignored_lines": cfg.ignored_lines + skipped}
    if cfg.head is not None and not cfg.head.text.strip():
        from auditor.core.model import Source
        from auditor.core.secrets import redact

        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                changes["head"] = Source(cfg.path, n, redact(line.rstrip()))
                break
    return replace(cfg, **changes)
