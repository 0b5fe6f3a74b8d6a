"""The program, as a library: what the command line and the web page call, and nothing else does.

``load_config()`` reads and parses an input; ``audit()`` checks configs against a policy pack for
a site (``--fail-on`` included: the same verdict as the command), and with the configs' texts
proposes proven fixes; ``upgrade()`` says what a pack upgrade needs opened; ``diff()`` compares
two versions of a config (each read by ``load_version()``; ``load_change()`` reads a config and the
config after a change request); ``explain()`` says which line decides one packet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Callable, Iterator, Mapping, Sequence

from auditor.audit import FAIL, PASS, UNKNOWN, AuditResult, blocking
from auditor.audit import audit as _audit
from auditor.core.model import Config
from auditor.diff import DiffResult, apply_change, diff_configs

diff = diff_configs


def upgrade(configs: Sequence[Config], site, source: str, target: str):
    """What ``configs`` must open (and may close) to move a site from pack ``source`` to ``target``."""
    from auditor.upgrade import upgrade as run

    return run(configs, site, source, target)


__all__ = ["FAIL", "PASS", "UNKNOWN", "AuditResult", "Device", "DiffResult", "apply_change", "audit", "audit_each",
           "blocking", "combine_inputs", "decision_json", "diff", "explain", "fleet_summary", "is_bundle",
           "load_change", "load_config", "load_site_map", "load_version", "make_packet", "read_input", "upgrade"]


def audit(configs: Sequence[Config], site=None, policy: str | None = None, waivers=None, today=None,
          fail_on: str = "error", select: Sequence[str] = (), ignore: Sequence[str] = (),
          texts: dict[str, str] | None = None, part: str | None = None) -> AuditResult:
    """The audit (``auditor.audit.audit``: every check, waivers, the verdict).

    With ``texts`` (a config's path -> the text it was parsed from), also the proven fixes of
    the flows those configs block, in ``result.fixes`` (``auditor.fixes``: each change written by
    the vendor's ``fix`` hook, applied to a copy and re-evaluated; offered only when the flow then
    passes and nothing but the flow is newly permitted).  ``part`` is the device part the configs
    were read as (``load_config(part=...)``, e.g. a FortiOS VDOM): the changed copies are read so too.
    """
    result = _audit(configs, site, policy, waivers, today, fail_on, select, ignore)
    if texts:
        from auditor.fixes import propose
        from auditor.policy import Site

        result.fixes = propose(result, texts, result.required, site or Site(None, 8.0, {}), policy, part)
    return result


def read_input(path: str, stdin_text: str | None = None, notice=None) -> tuple[str, str]:
    """(text, display path) of a config file, or of stdin for ``-``.

    At most ``parsers.MAX_BYTES`` are read: a larger input (``/dev/zero``, ``yes |``) is an
    error as soon as the limit is passed, never read whole.  ``notice(text)`` is told when the
    read may wait for a person: stdin is a terminal, or a FIFO has had no writer for 2 seconds.
    """
    import sys

    from parsers import MAX_BYTES, InputError, decode

    if path == "-":
        if stdin_text is not None:
            return decode(stdin_text.encode(), "<stdin>"), "<stdin>"
        if notice is not None and sys.stdin.isatty():
            notice("reading a configuration from the terminal: paste it, then press Ctrl-D (Ctrl-C to stop)")
        return decode(_read_bounded(sys.stdin.buffer, "<stdin>", MAX_BYTES), "<stdin>"), "<stdin>"
    p = FsPath(path)
    try:
        if p.is_dir():
            raise InputError("%s is a directory, not a configuration file" % path)
        waiting = None
        if notice is not None and p.is_fifo():
            import threading

            waiting = threading.Timer(2.0, notice, ["waiting for something to write to %s (a FIFO; Ctrl-C to stop)"
                                                    % path])
            waiting.daemon = True
            waiting.start()
        try:
            with open(p, "rb") as fh:
                data = _read_bounded(fh, path, MAX_BYTES)
        finally:
            if waiting is not None:
                waiting.cancel()
    except FileNotFoundError:
        raise InputError("%s: no such file" % path) from None
    except PermissionError:
        raise InputError("%s: permission denied" % path) from None
    except OSError as e:
        raise InputError("%s: cannot read (%s)" % (path, e.strerror or type(e).__name__)) from None
    return decode(data, path), path


def _read_bounded(stream, shown: str, limit: int) -> bytearray:
    """Up to ``limit`` bytes of ``stream``; ``InputError`` as soon as there are more."""
    from parsers import InputError

    data = bytearray()
    while True:
        chunk = stream.read(min(1 << 20, limit + 1 - len(data)))
        if not chunk:
            return data
        data += chunk
        if len(data) > limit:
            raise InputError("%s is larger than %d MiB (the input limit)" % (shown, limit >> 20))


def load_config(path: str, vendor: str = "auto", text: str | None = None, notice=None,
                part: str | None = None) -> Config:
    """Read and parse one config (``-`` for stdin; ``notice`` as for ``read_input``)."""
    from auditor.engine.perf import paused_gc
    from parsers import parse_text

    if text is None:
        text, shown = read_input(path, notice=notice)
    else:
        shown = path
    with paused_gc():
        return parse_text(text, shown, vendor, part)


def load_version(path: str, vendor: str = "auto", text: str | None = None, notice=None,
                 part: str | None = None) -> Config:
    """``load_config`` for one version of a config under review (``diff``, ``check-change``).

    A config that holds several devices (FortiOS VDOMs) needs ``part`` (``--vdom``): read as its
    default device, as ``audit`` reads it (the others reported as not audited, no verdict impact),
    a change to another device would change nothing reviewed (the review could only say that it
    cannot tell what the change does there: ``Config.left_out``).
    """
    from parsers import InputError, parts

    if text is None and path != "-" and is_bundle(path):
        # an export that is a folder or an archive of files (a Check Point show-package), read as ``audit``
        # reads it: its files joined into the devices they describe, of which a review takes one
        cfgs = combine_inputs(load_inputs(path, vendor, notice=notice, part=part))
        if len(cfgs) != 1:
            raise InputError("%s holds %d devices' configs: review one device's at a time" % (path, len(cfgs)))
        return cfgs[0]
    if text is None:
        text, path = read_input(path, notice=notice)
    cfg = load_config(path, vendor, text=text, part=part)
    names = parts(text, cfg.vendor) if part is None else []
    if names:
        raise InputError("%s holds several devices (VDOMs %s), each reviewed on its own: give --vdom NAME"
                         % (path, ", ".join(names)))
    return cfg


def load_change(config_text: str, config_path: str, change_text: str, change_path: str, vendor: str = "auto",
                part: str | None = None) -> tuple[Config, Config, str, dict]:
    """(old, new, new text, origins): a config (``load_version``) and the same config with a change
    request applied (``apply_change``), both read as device ``part``; with ``part``, an edit of
    another part is an ``InputError`` (it changes nothing in the part reviewed)."""
    from parsers import InputError

    old = load_version(config_path, vendor, text=config_text, part=part)
    try:
        new_text, origins = apply_change(old.vendor, config_text, config_path, change_text, change_path, part)
    except InputError:
        if _unified_diff(change_text):
            raise InputError("%s is a unified diff (git diff, diff -u), not a change request in %s commands: "
                             "compare the config before and after with 'diff OLD NEW', or 'diff NEW --base-ref REF' "
                             "in a git work tree" % (change_path, old.vendor)) from None
        other = _change_vendor(change_text, old.vendor)
        if other is None:
            raise
        raise InputError("%s looks like a %s change and %s is a %s config: a change request is written in the "
                         "config's own commands" % (change_path, other, config_path, old.vendor)) from None
    return old, load_config(config_path, old.vendor, text=new_text, part=part), new_text, origins


def _unified_diff(text: str) -> bool:
    """Whether ``text`` is a unified diff: a ``---`` line, then ``+++``, then a ``@@`` hunk header (``diff -u``,
    ``git diff``, a patch file), its first lines only looked at."""
    lines = text.lstrip("\ufeff").splitlines()[:40]
    heads = [k for k, line in enumerate(lines) if line.startswith("--- ")]
    return any(k + 2 < len(lines) and lines[k + 1].startswith("+++ ") and lines[k + 2].startswith("@@ ")
               for k in heads)


def _change_vendor(change_text: str, vendor: str) -> str | None:
    """The vendor whose commands a change request that ``vendor`` cannot apply is in, when it is
    plainly another's: that vendor's detection knows its lines and ``vendor``'s knows none."""
    from parsers import VENDORS, load

    scores = {name: load(name).detect(change_text) for name in VENDORS}
    best = max(scores, key=scores.get)
    if best == vendor or scores[vendor] > 0 or scores[best] < 30:
        return None
    return best


def is_bundle(path: str) -> bool:
    """Whether ``path`` may be an export of several files: a folder, an archive, or no file at all (for
    ``parsers.read_bundle`` to say which, or that it is missing)."""
    import os

    return os.path.isdir(path) or not os.path.isfile(path) or path.lower().endswith((".tar", ".tgz", ".tar.gz",
                                                                                     ".zip"))


def load_inputs(path: str, vendor: str = "auto", notice=None, part: str | None = None) -> list[Config]:
    """The configs of one input: a file (or ``-``), or an export that is a folder or an archive of
    files (``parsers.read_bundle``), each file parsed; ``combine_inputs`` then joins what belongs to
    one device."""

    from auditor.engine.perf import paused_gc
    from parsers import parse_text, read_bundle

    if path != "-" and is_bundle(path):
        files = read_bundle(path, vendor)
        if files is not None:
            with paused_gc():
                return [parse_text(text, shown, vendor) for shown, text in files]
    return [load_config(path, vendor, notice=notice, part=part)]


def combine_inputs(configs: Sequence[Config], host: str | None = None, site=None) -> list[Config]:
    """Let auxiliary inputs amend the configs they belong to, and set ``--host``.

    A parser module may define ``combine(configs) -> configs`` (e.g. a sysctl
    dump setting a Linux firewall's conntrack timeout); the vendor logic
    stays in ``parsers/``.  ``host`` is a role of ``site`` or an address: the
    device's own addresses, for host-firewall paths.
    """
    from dataclasses import replace

    import parsers

    if site is not None and site.through:
        _known_through(site)
    out = parsers.combine(list(configs))
    if host:
        from auditor.policy import _addr

        addrs = site.addresses(host) if site is not None and site.roles.get(host) else None
        if addrs is None:
            try:
                addrs = _addr(host)
            except ValueError:
                raise ValueError("--host '%s' is neither a role of the site nor an address" % host) from None
        # (only a host firewall's: a network firewall given in the same run, e.g. the ASA in front of
        # the server whose Windows Firewall export comes with it, keeps its own addresses, else
        # the server's traffic through it would be taken for the ASA's own and not evaluated)
        out = [replace(c, local_addresses=addrs) if _host_firewall(c) else c for c in out]
    return out


def _host_firewall(cfg: Config) -> bool:
    """A config whose own addresses ``--host`` gives: it filters traffic to and from its host
    (``Path.local``), and its parser found no address of its own (a network device's interfaces)."""
    return cfg.local_addresses is None and any(p.local is not None for p in cfg.paths)


def _known_through(site) -> None:
    """A site's ``through:`` names only devices whose timeouts the parsers know (a misspelt one
    would silently leave its timeout out)."""
    import difflib

    from auditor.policy import PolicyError
    from parsers import THROUGH_DEVICES

    for name in site.through:
        if name not in THROUGH_DEVICES:
            near = difflib.get_close_matches(name, THROUGH_DEVICES, 1)
            raise PolicyError("%s: through: unknown device '%s' (%s)" % (
                site.path or "site file", name,
                "did you mean '%s'?" % near[0] if near else "known: " + ", ".join(THROUGH_DEVICES)))


def explain(config: Config, src: str, dst: str, proto: str, sport: int | None = None,
            dport: int | None = None, filter_name: str | None = None) -> dict:
    """Which line decides one packet: ``{"decision", "line", "rule", ...}``."""
    pkt = make_packet(src, dst, proto, sport, dport)
    return decision_json(config, pkt, filter_name)


def decision_json(config: Config, pkt, filter_name: str | None = None) -> dict:
    """The decision for one packet tuple as JSON: the deciding line, the stage, any NAT applied."""
    from auditor.core.packets import packet_json
    from auditor.diff import decision as decided
    from auditor.engine import NOT_FILTERED, NOT_ROUTED, PERMIT, decide_packet

    if filter_name is not None and filter_name not in config.filters:
        from parsers import InputError
        raise InputError("no filter named '%s' (have: %s)" % (filter_name, ", ".join(sorted(config.filters)) or "none"))
    from auditor.core.secrets import scrub

    o = decide_packet(config, pkt, filter_name)
    decision = decided(o)  # (as ``diff`` says it: the device's own traffic is unknown, as not modelled)
    out = {
        "decision": decision,
        "line": o.rule.source.line if o.rule else None,
        "rule": o.rule.source.text if o.rule else None,
        "packet": packet_json(pkt),
    }
    if o.rule is None:
        out["reason"] = o.reason or ("not routed" if o.kind == NOT_ROUTED else "default")
        if o.source is not None:
            out["default_line"] = o.source.line
    elif o.reason:  # (why a line's decision is unknown, or that an earlier uncertain line agrees)
        out["reason"] = o.reason
    if o.stage is not None:
        out["stage"] = o.stage.name
    from auditor.core.packets import one_packet

    sent = one_packet(pkt)
    if o.xlate:
        out["nat"] = [{"line": r.source.line, "rule": r.source.text} for r in o.xlate.rules]
        routed = o.xlate.forward(sent)
        if routed:
            out["translated"] = _packet_view(routed.cubes[0].dims)
    if o.kind in (PERMIT, NOT_FILTERED) and o.path is not None and config.nat:
        out.update(_leaving_json(config, o, sent))
    doubt = config.verdict_affecting() if filter_name is None else ()
    if doubt and decision != "unknown":
        # (a line not understood that could change any verdict: what the modelled lines decide is not what the
        # device certainly does; the audit says so among its verdict's reasons, and a pass is unknown)
        out["modelled"], out["decision"] = decision, "unknown"
        first = min(doubt, key=lambda x: x.source.line)
        out["doubt"] = {"line": first.source.line, "reason": first.message, "lines": len(doubt)}
    return scrub(out)


def _leaving_json(config: Config, o, sent) -> dict:
    """How a forwarded packet leaves: the source NAT rules that translate it after routing (``nat_out``)
    and the packet as it leaves (``leaves``, as ``_packet_view`` gives it), or that a rule may translate
    it or not."""
    from auditor.engine import leaving

    x = leaving(config, o.path, sent, o.xlate)
    if x is None:
        return {"nat_out": "unknown: a source NAT rule may or may not translate it"}
    post = x.rules[len(o.xlate.rules):]
    if not post:
        return {}
    return {"nat_out": [{"line": r.source.line, "rule": r.source.text} for r in post],
            "leaves": _packet_view(x.forward(sent).cubes[0].dims)}


def _packet_view(dims) -> dict:
    """A translated packet as JSON (``packet_json``'s fields), where an address or port the device picks
    from a pool is that pool (``"203.0.113.0/28"``, ``"0-65535"``) and named in ``picked``."""
    from auditor.core.packets import PROTO_NAMES, format_iset_addrs, packet_json

    def one(d) -> bool:
        return len(d.iv) == 1 and d.lo == d.iv[0][1]

    if all(one(d) for d in dims):
        return dict(packet_json(tuple(d.lo for d in dims)), picked=[])
    src, dst, proto, sport, dport = dims

    def ports(d):
        return d.lo if one(d) else ",".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in d.iv)

    out = {"src": format_iset_addrs(src), "dst": format_iset_addrs(dst), "proto": PROTO_NAMES.get(proto.lo, proto.lo)}
    named = [("src", src), ("dst", dst)]
    if proto.lo in (6, 17, 132):
        out.update(sport=ports(sport), dport=ports(dport))
        named += [("sport", sport), ("dport", dport)]
    out["picked"] = [k for k, d in named if not one(d)]
    return out


def make_packet(src: str, dst: str, proto: str | int, sport: int | None, dport: int | None):
    """A packet tuple from user-facing values (errors are ValueError with a clear message)."""
    from auditor.core.packets import addr_to_int
    from parsers.kit.names import PROTOCOLS

    try:
        s, d = addr_to_int(str(src)), addr_to_int(str(dst))
    except ValueError as e:
        raise ValueError("bad address: %s" % e) from None
    p = str(proto).lower()
    if p.isdecimal() and int(p) <= 255:
        pn = int(p)
    elif p in PROTOCOLS:
        pn = PROTOCOLS[p]
    else:
        raise ValueError("bad protocol '%s' (tcp, udp, icmp or a number 0-255)" % proto)
    sp = 0 if sport is None else int(sport)
    dp = 0 if dport is None else int(dport)
    if not (0 <= sp <= 65535 and 0 <= dp <= 65535):
        raise ValueError("ports must be 0-65535")
    if sport is None and pn in (6, 17):
        sp = 49152  # (a client's dynamic source port, as example packets have: RFC 6335, section 6)
    return (s, d, pn, sp, dp)


# --- fleets: many configs, each audited on its own ---------------------------------------------

ERROR = "error"  # a device whose config could not be read or parsed


@dataclass
class Device:
    """One config of a fleet, audited on its own: its verdict, its unwaived findings per
    severity, and what ``audit_each``'s ``keep`` made of its result (by default, with one job,
    the ``AuditResult`` itself)."""

    path: str
    verdict: str  # pass | fail | unknown | error
    vendor: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # severity -> unwaived findings
    error: str = ""  # (verdict error) why the config could not be audited, one line
    kept: Any = None


def audit_each(paths: Sequence[str], site=None, policy: str | None = None, waivers=None, *, vendor: str = "auto",
               host: str | None = None, sites: Mapping[str, Any] | None = None, jobs: int = 1,
               keep: Callable[[AuditResult, Device], Any] | None = None, progress: bool = True,
               part: str | None = None, **options) -> Iterator[Device]:
    """Audit each config of ``paths`` on its own (one verdict per device), in input order.

    Each is read (a file, or a bundle such as a Check Point export folder; ``part``: e.g. a
    FortiOS VDOM), parsed and audited as ``audit`` would (``options``: its other keywords, e.g.
    ``fail_on``, ``today``), for ``site`` or for ``sites[path]`` where given.  A config that
    cannot be read or parsed is a ``Device`` with verdict ``error`` and the reason; the others
    go on.  ``keep(result, device)`` runs where the audit ran, as soon as it is done (e.g. to
    write its reports); its return value is ``Device.kept`` (without ``keep``: the result).

    ``jobs`` > 1 audits that many configs at once in forked processes (the start-up of the
    program and its imports are paid once either way); ``keep`` then runs in them and what it
    returns must pickle, and each process audits its configs without workers of its own.
    """
    from auditor.core import progress as bar

    total = len(paths)
    state = (list(paths), site, policy, waivers, vendor, host, sites or {}, keep, part, options)
    done = 0

    def shown(device: Device) -> Device:
        nonlocal done
        done += 1
        if progress:
            bar.prefix(None)
            bar.report("devices %s" % bar.bar(done, total))
            bar.prefix("devices %s" % bar.bar(done, total) if done < total else None)
        return device

    if jobs <= 1 or total <= 1:
        try:
            for k in range(total):
                yield shown(_audit_one(state, k))
        finally:
            bar.prefix(None)
        return
    import multiprocessing

    global _EACH
    _EACH = state  # (forked processes inherit it: ``keep`` need not pickle)
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, total), initializer=_each_start) as pool:
            for device in pool.imap(_each_task, range(total)):
                yield shown(device)
    finally:
        _EACH = None
        bar.prefix(None)


_EACH: tuple | None = None


def _each_start() -> None:
    """In a fleet's process: no progress line of its own, no workers of its own."""
    import os

    from auditor.core import progress

    progress.finish()
    os.environ["PRINERGY_AUDIT_WORKERS"] = "1"


def _each_task(k: int) -> Device:
    return _audit_one(_EACH, k)


def _audit_one(state: tuple, k: int) -> Device:
    """Read, parse and audit the k-th config of a fleet (``audit_each``'s state)."""
    from auditor.policy import PolicyError
    from parsers import InputError

    paths, site, policy, waivers, vendor, host, sites, keep, part, options = state
    path = paths[k]
    device_site = sites.get(path, site)
    try:
        cfgs = combine_inputs(load_inputs(path, vendor, part=part), host, device_site)
        result = audit(cfgs, device_site, policy, waivers, **options)
    except (InputError, PolicyError, ValueError) as e:
        return Device(path, ERROR, error=str(e).replace("\n", " "))
    counts: dict[str, int] = {}
    for f in result.findings:
        if not f.waived:
            counts[f.severity] = counts.get(f.severity, 0) + 1
    device = Device(path, result.verdict, cfgs[0].vendor, counts)
    device.kept = result if keep is None else keep(result, device)
    del cfgs, result
    # the parse and the audit froze what they built out of the cycle collector's reach (it
    # lives until the program ends, for a single audit); a fleet must not keep its earlier
    # devices' reference cycles alive: once the frozen objects pass ``_FROZEN_MAX``, give them
    # back and collect them (a full collection per device would cost more than small audits)
    import gc

    if gc.get_freeze_count() > _FROZEN_MAX:
        gc.unfreeze()
        gc.collect()
    return device


_FROZEN_MAX = 250_000  # objects (a few tens of MB)


def load_site_map(path: str, configs: Sequence[str], role_flags: list[str] | None = None,
                  shift_hours: float | None = None) -> dict[str, Any]:
    """The site of each config that a mapping file names: a YAML mapping of config (its path as
    given, or its file name) to site file (relative to the mapping's folder), e.g.
    ``{berlin.cfg: sites/berlin.yaml}``.  ``role_flags`` and ``shift_hours`` apply to every site."""
    from auditor.policy import PolicyError, load_site, load_yaml, read_user_text

    _node, data = load_yaml(read_user_text(path, "site map"), path, "site map")
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise PolicyError("site map %s: write one 'config: site file' line per device" % path)
    folder = FsPath(path).parent
    loaded: dict[str, Any] = {}
    out = {}
    for c in configs:
        name = data.get(c, data.get(FsPath(c).name))
        if name is None:
            continue
        if name not in loaded:
            loaded[name] = load_site(str(folder / name), role_flags, shift_hours)
        out[c] = loaded[name]
    return out


def fleet_summary(devices: Sequence[Device]) -> str:
    """The fleet's table: one line per device (verdict, findings per severity), then the totals."""
    width = max([len(d.path) for d in devices] + [6])
    out = ["%-*s  %-16s  %-7s  %6s  %8s  %4s" % (width, "device", "vendor", "verdict", "errors", "warnings", "info")]
    for d in devices:
        if d.verdict == ERROR:
            out.append("%-*s  %-16s  %-7s  %s" % (width, d.path, d.vendor or "-", "ERROR", d.error))
            continue
        c = d.counts
        out.append("%-*s  %-16s  %-7s  %6d  %8d  %4d" % (width, d.path, d.vendor, d.verdict.upper(), c.get("error", 0),
                                                       c.get("warning", 0), c.get("info", 0)))
    tally: dict[str, int] = {}
    for d in devices:
        tally[d.verdict] = tally.get(d.verdict, 0) + 1
    parts = ["%d %s" % (tally[v], v) for v in (FAIL, UNKNOWN, ERROR, PASS) if tally.get(v)]
    out.append("%d device(s): %s" % (len(devices), ", ".join(parts) or "none"))
    return "\n".join(out) + "\n"
