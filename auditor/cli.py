"""The ``prinergy-audit`` command line (typer).

Start-up stays light: only typer is imported at module level; parsers,
engine, policies and reports are imported inside the commands that use them.
Exit codes: 0 pass, 1 error findings or verdict unknown, 2 bad usage or input.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import List, Optional

import typer

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="prinergy-audit",
    help="Audit firewall configurations against Kodak Prinergy's port and timeout requirements.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Fmt(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"
    github = "github"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Fatal(Exception):
    """A one-line error for the user; exit 2."""


def fail(msg: str) -> None:
    raise Fatal(msg)


def out(text: str) -> None:
    """Write to standard output: a write error is one line and exit 2; a closed pipe ends quietly."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        _sigpipe()
    except OSError as e:
        fail("cannot write to standard output: %s" % (e.strerror or type(e).__name__))


def use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _user_errors():
    from auditor.policy import PolicyError
    from parsers import InputError
    return (InputError, PolicyError, ValueError)


def _notice(text: str) -> None:
    """A hint for the person at the terminal, on stderr."""
    _stderr_line("prinergy-audit: %s" % text)


def _load(config: str, vendor: str):
    from auditor.api import load_config
    try:
        return load_config(config, vendor, notice=_notice)
    except _user_errors() as e:
        fail(str(e))


def _load_all(configs: List[str], vendor: str, host: Optional[str] = None, site=None):
    from auditor.api import combine_inputs
    if sum(1 for c in configs if c == "-") > 1:
        fail("only one input can come from stdin")
    loaded = [_load(c, vendor) for c in configs]
    try:
        return combine_inputs(loaded, host, site)
    except _user_errors() as e:
        fail(str(e))


def _vendor_help() -> str:
    from parsers import VENDORS  # the registry itself: light, no parser is imported

    return "Input format (auto-detected by default): auto, " + ", ".join(VENDORS)


VENDOR_HELP = _vendor_help()


# options shared by audit, diff and check-change
VENDOR_OPT = typer.Option("auto", "--vendor", help=VENDOR_HELP)
SITE_OPT = typer.Option(None, "--site", help="Site YAML: roles -> addresses, shift length.")
ROLE_OPT = typer.Option([], "--role", help="NAME=ADDR[,ADDR...]; adds to the site's roles.")
POLICY_OPT = typer.Option(None, "--policy", help="Policy pack: prinergy-8 (default) or prinergy-9.")
FORMAT_OPT = typer.Option([], "--format", help="Output format (repeatable; default text).")
OUTPUT_OPT = typer.Option([], "--output", "-o", help="File for the --format in the same position "
                                                     "(repeatable; - or none: stdout, for one format only).")
FAIL_ON_OPT = typer.Option(None, "--fail-on", help="Lowest severity that fails (exit 1); default error.")
WAIVERS_OPT = typer.Option(None, "--waivers", help="Waivers YAML: accepted findings with expiry.")
CONFIG_OPT = typer.Option(None, "--config", help="Settings file (default: .prinergy-audit.toml or "
                                                   "[tool.prinergy-audit] in pyproject.toml, searched upward).")
NO_CONFIG_OPT = typer.Option(False, "--no-config", help="Ignore settings files.")
SHIFT_OPT = typer.Option(None, "--shift-hours", help="Production shift length (default 8).")


class _Run:
    """What the settings file and the flags decide together (flags win)."""

    def __init__(self, site, role, policy, fmt, output, fail_on, waivers, config, no_config, shift_hours):
        from auditor.policy import load_site
        from auditor.settings import Settings, SettingsError, load_settings

        try:
            st = Settings() if no_config else load_settings(config, known_formats=tuple(f.value for f in Fmt))
        except SettingsError as e:
            fail(str(e))
        self.policy = policy or st.policy
        self.fail_on = fail_on.value if fail_on else (st.fail_on or "error")
        formats = [f.value for f in fmt] or list(st.formats) or ["text"]
        self.targets = _targets(formats, output)
        try:
            self.site = load_site(site or st.site, role, shift_hours)
            waivers_path = waivers or st.waivers
            self.waivers = None
            if waivers_path:
                from auditor.waivers import load_waivers
                self.waivers = load_waivers(waivers_path)
        except _user_errors() as e:
            fail(str(e))

    def emit(self, render_one) -> None:
        """Render every format first, then write files atomically, then stdout."""
        done = [(dest, render_one(f, f == "text" and dest is None and use_color(sys.stdout)))
                for f, dest in self.targets]
        write_reports([(dest, text) for dest, text in done if dest is not None])
        for dest, text in done:
            if dest is None:
                out(text)


def _targets(formats: List[str], outputs: List[str]) -> list:
    """Pair each format with the --output in the same position; missing or ``-``: stdout."""
    if len(outputs) > len(formats):
        fail("%d --output for %d --format: give one --format per --output" % (len(outputs), len(formats)))
    pairs = [(f, None if k >= len(outputs) or outputs[k] == "-" else outputs[k]) for k, f in enumerate(formats)]
    if sum(1 for _, d in pairs if d is None) > 1:
        fail("only one --format can go to stdout: give the others an --output FILE")
    files = [d for _, d in pairs if d is not None]
    if len(set(files)) != len(files):
        fail("two formats cannot write the same --output file")
    return pairs


def write_reports(files: list[tuple[str, str]]) -> None:
    """Write every report, or none: each goes to a temporary file beside its destination, and
    only when all are written are they renamed into place (never a half-written report, nor
    some reports of a run without the others).  Files get the user's umask, as a shell
    redirection would.  A destination that is not a regular file (``/dev/stdout``, a pipe) is
    written directly, last: renaming over it would replace the device."""
    import stat
    import tempfile

    mask = os.umask(0)
    os.umask(mask)
    staged: list[tuple[str, str]] = []
    direct: list[tuple[str, str]] = []
    try:
        for dest, text in files:
            try:
                special = not stat.S_ISREG(os.stat(dest).st_mode)
            except OSError:
                special = False
            if special:
                direct.append((dest, text))
                continue
            folder = os.path.dirname(os.path.abspath(dest))
            try:
                fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(dest), suffix=".tmp", dir=folder)
            except OSError as e:
                fail("cannot write %s: %s" % (dest, e.strerror or type(e).__name__))
            staged.append((tmp, dest))
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
                os.chmod(tmp, 0o666 & ~mask)
            except OSError as e:
                fail("cannot write %s: %s" % (dest, e.strerror or type(e).__name__))
        for tmp, dest in staged:
            try:
                os.replace(tmp, dest)
            except OSError as e:
                fail("cannot write %s: %s" % (dest, e.strerror or type(e).__name__))
    finally:
        for tmp, _dest in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    for dest, text in direct:
        try:
            with open(dest, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as e:
            fail("cannot write %s: %s" % (dest, e.strerror or type(e).__name__))


@app.command()
def audit(
    configs: List[str] = typer.Argument(..., metavar="CONFIG...",
                                        help="Config file(s), or - to read a pasted config from stdin. "
                                             "Auxiliary inputs (e.g. sysctl output) may follow."),
    site: Optional[str] = SITE_OPT,
    role: List[str] = ROLE_OPT,
    policy: Optional[str] = POLICY_OPT,
    vendor: str = VENDOR_OPT,
    fmt: List[Fmt] = FORMAT_OPT,
    output: List[str] = OUTPUT_OPT,
    fail_on: Optional[FailOn] = FAIL_ON_OPT,
    waivers: Optional[str] = WAIVERS_OPT,
    config: Optional[str] = CONFIG_OPT,
    no_config: bool = NO_CONFIG_OPT,
    shift_hours: Optional[float] = SHIFT_OPT,
    host: Optional[str] = typer.Option(None, "--host", help="The config is the host firewall of this role "
                                                              "or address (e.g. primary)."),
    each: bool = typer.Option(False, "--each", help="Audit each CONFIG on its own (a fleet): one verdict per "
                                                    "device and a summary table; exit 1 if any device fails."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="With --each: configs audited at once "
                                                                  "(default: the cores free now)."),
    output_dir: Optional[str] = typer.Option(None, "--output-dir", help="With --each: write each device's "
                                                                        "report (each --format) into this folder."),
    site_map: Optional[str] = typer.Option(None, "--site-map", help="With --each: YAML mapping each config "
                                                                    "to its own site file."),
) -> None:
    """Audit a firewall config: which required Prinergy flows it blocks, and why."""
    from auditor.api import audit as run_audit
    from auditor.report import render

    if each or jobs is not None or output_dir or site_map:
        if not each:
            fail("--jobs, --output-dir and --site-map go with --each")
        _audit_each(configs, site, role, policy, vendor, fmt, output, fail_on, waivers, config, no_config,
                    shift_hours, host, jobs, output_dir, site_map)
    run = _Run(site, role, policy, fmt, output, fail_on, waivers, config, no_config, shift_hours)
    cfgs = _load_all(configs, vendor, host, run.site)
    try:
        result = run_audit(cfgs, run.site, run.policy, run.waivers, fail_on=run.fail_on)
    except _user_errors() as e:
        fail(str(e))
    run.emit(lambda f, color: render(f, result, color=color))
    raise typer.Exit(EXIT_PASS if result.verdict == "pass" else EXIT_FAIL)


_SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "markdown": "md", "github": "github.txt"}


def _audit_each(configs, site, role, policy, vendor, fmt, output, fail_on, waivers, config, no_config, shift_hours,
                host, jobs, output_dir, site_map) -> None:
    """``audit --each``: the fleet's summary on stdout, each device's reports in ``--output-dir``."""
    from auditor.api import ERROR, audit_each, fleet_summary, load_site_map
    from auditor.engine.workers import cores
    from auditor.report import render

    if output:
        fail("with --each, reports go to --output-dir, one file per device and format")
    if "-" in configs:
        fail("with --each, every config is a file (not -)")
    if fmt and not output_dir:
        fail("with --each, --format says which reports to write into --output-dir")
    run = _Run(site, role, policy, [], [], fail_on, waivers, config, no_config, shift_hours)
    try:
        sites = load_site_map(site_map, configs, role, shift_hours) if site_map else None
    except _user_errors() as e:
        fail(str(e))
    names = _report_names(configs)
    formats = [f.value for f in fmt] or ["text"]
    if output_dir:
        try:
            os.makedirs(output_dir, exist_ok=True)
        except OSError as e:
            fail("cannot create %s: %s" % (output_dir, e.strerror or type(e).__name__))

    def keep(result, device):  # (where the device was audited: its reports, then only its summary)
        if output_dir:
            write_reports([(os.path.join(output_dir, "%s.%s" % (names[device.path], _SUFFIX[f])), render(f, result))
                           for f in formats])

    devices = list(audit_each(configs, run.site, run.policy, run.waivers, vendor=vendor, host=host, sites=sites,
                              jobs=jobs if jobs is not None else cores(), keep=keep, fail_on=run.fail_on))
    out(fleet_summary(devices))
    if any(d.verdict == ERROR for d in devices):
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_PASS if all(d.verdict == "pass" for d in devices) else EXIT_FAIL)


def _report_names(configs: List[str]) -> dict:
    """A report file name per config: its base name, numbered where two share one."""
    names: dict = {}
    used: set = set()
    for c in configs:
        base = os.path.basename(c) or "config"
        name, k = base, 1
        while name in used:
            k += 1
            name = "%s-%d" % (base, k)
        used.add(name)
        names[c] = name
    return names


@app.command()
def diff(
    paths: List[str] = typer.Argument(..., metavar="OLD NEW", help="The config before and after the change "
                                      "(with --base-ref: only NEW)."),
    base_ref: Optional[str] = typer.Option(None, "--base-ref", help="Take OLD from git: the same path as NEW "
                                                                     "at this ref (e.g. origin/main)."),
    site: Optional[str] = SITE_OPT,
    role: List[str] = ROLE_OPT,
    policy: Optional[str] = POLICY_OPT,
    vendor: str = VENDOR_OPT,
    fmt: List[Fmt] = FORMAT_OPT,
    output: List[str] = OUTPUT_OPT,
    fail_on: Optional[FailOn] = FAIL_ON_OPT,
    waivers: Optional[str] = WAIVERS_OPT,
    config: Optional[str] = CONFIG_OPT,
    no_config: bool = NO_CONFIG_OPT,
    shift_hours: Optional[float] = SHIFT_OPT,
    host: Optional[str] = typer.Option(None, "--host", help="The configs are the host firewall of this role "
                                                              "or address."),
) -> None:
    """What a change does: findings introduced and resolved, traffic newly permitted or denied."""
    from auditor.api import load_config

    run = _Run(site, role, policy, fmt, output, fail_on, waivers, config, no_config, shift_hours)
    old_label = None
    if base_ref is not None:
        if len(paths) != 1 or paths[0] == "-":
            fail("with --base-ref, give only NEW (a file in a git work tree)")
        new = _load(paths[0], vendor)
        old_text = _git_show(base_ref, paths[0])
        try:
            old = load_config(new.path, vendor, text=old_text)
        except _user_errors() as e:
            fail("%s at %s: %s" % (paths[0], base_ref, e))
        old_label = "%s@%s" % (paths[0], base_ref)
    else:
        if len(paths) != 2:
            fail("diff takes OLD and NEW (or NEW with --base-ref REF)")
        if paths.count("-") > 1:
            fail("only one input can come from stdin")
        old, new = _load(paths[0], vendor), _load(paths[1], vendor)
    _report_diff(run, old, new, host, old_label=old_label)


@app.command("check-change")
def check_change(
    config: str = typer.Argument(..., help="The running-config the change applies to."),
    change: str = typer.Argument(..., help="The change request: vendor commands (e.g. ASA CLI)."),
    site: Optional[str] = SITE_OPT,
    role: List[str] = ROLE_OPT,
    policy: Optional[str] = POLICY_OPT,
    vendor: str = VENDOR_OPT,
    fmt: List[Fmt] = FORMAT_OPT,
    output: List[str] = OUTPUT_OPT,
    fail_on: Optional[FailOn] = FAIL_ON_OPT,
    waivers: Optional[str] = WAIVERS_OPT,
    cfg_file: Optional[str] = CONFIG_OPT,
    no_config: bool = NO_CONFIG_OPT,
    shift_hours: Optional[float] = SHIFT_OPT,
    host: Optional[str] = typer.Option(None, "--host", help="The config is the host firewall of this role "
                                                              "or address."),
    save: Optional[str] = typer.Option(None, "--save-config", help="Also write the config as it reads "
                                                                    "after the change to this file."),
) -> None:
    """Apply a change request to a config and report what it does, like diff."""
    from auditor.api import load_config, read_input
    from auditor.diff import apply_change

    run = _Run(site, role, policy, fmt, output, fail_on, waivers, cfg_file, no_config, shift_hours)
    if config == "-" and change == "-":
        fail("the config and the change cannot both come from stdin")
    try:
        text, shown = read_input(config, notice=_notice)
        change_text, change_shown = read_input(change, notice=_notice)
        old = load_config(shown, vendor, text=text)
        new_text, origins = apply_change(old.vendor, text, shown, change_text, change_shown)
        new = load_config(shown, old.vendor, text=new_text)
    except _user_errors() as e:
        fail(str(e))
    if save:
        write_reports([(save, new_text)])
    _report_diff(run, old, new, host, new_label="%s (after change)" % shown, origins=origins)


def _report_diff(run: "_Run", old, new, host, old_label=None, new_label=None, origins=None) -> None:
    from auditor.api import combine_inputs
    from auditor.diff import diff_configs
    from auditor.report import render_diff

    try:
        old = combine_inputs([old], host, run.site)[0]
        new = combine_inputs([new], host, run.site)[0]
        result = diff_configs(old, new, run.site, run.policy, run.waivers, fail_on=run.fail_on,
                              old_label=old_label, new_label=new_label, origins=origins)
    except _user_errors() as e:
        fail(str(e))
    run.emit(lambda f, color: render_diff(f, result, color=color))
    raise typer.Exit(EXIT_PASS if result.verdict == "pass" else EXIT_FAIL)


def _git_show(ref: str, path: str) -> str:
    """The text of ``path`` at git ``ref`` (``git show REF:./NAME`` in the file's folder)."""
    import subprocess

    from parsers import InputError, decode

    folder = os.path.dirname(path) or "."
    try:
        p = subprocess.run(["git", "-C", folder, "show", "%s:./%s" % (ref, os.path.basename(path))],
                           capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        fail("--base-ref: cannot run git (%s)" % type(e).__name__)
    if p.returncode != 0:
        why = (p.stderr.decode(errors="replace").strip().splitlines() or ["git show failed"])[-1]
        fail("--base-ref %s: cannot read %s from git: %s" % (ref, path, why))
    try:
        return decode(p.stdout, "%s@%s" % (path, ref))
    except InputError as e:
        fail(str(e))


@app.command()
def explain(
    config: str = typer.Argument(..., help="Config file, or - for stdin."),
    src: Optional[str] = typer.Option(None, "--src", help="Source address."),
    dst: Optional[str] = typer.Option(None, "--dst", help="Destination address."),
    proto: str = typer.Option("tcp", "--proto", help="tcp, udp, icmp or a protocol number."),
    sport: Optional[int] = typer.Option(None, "--sport", help="Source port (default 1024 for tcp/udp)."),
    dport: Optional[int] = typer.Option(None, "--dport", help="Destination port (ICMP: type*256+code)."),
    filter_name: Optional[str] = typer.Option(None, "--filter", help="Evaluate one named ACL/chain on its own."),
    packets: Optional[str] = typer.Option(None, "--packets", help="JSON lines of packets; one decision per line."),
    vendor: str = VENDOR_OPT,
    fmt: Fmt = typer.Option(Fmt.text, "--format"),
    host: Optional[str] = typer.Option(None, "--host", help="The config is the host firewall of this address."),
) -> None:
    """Which line decides a packet (permit or deny), on its path or in one filter."""
    import json

    from auditor.api import decision_json, make_packet

    if packets is None and (src is None or dst is None):
        fail("explain needs --src and --dst, or --packets FILE")
    if packets is not None and config == "-" and packets == "-":
        fail("the config and --packets cannot both come from stdin")
    cfg = _load_all([config], vendor, host)[0]
    try:
        if packets is None:
            d = decision_json(cfg, make_packet(src, dst, proto, sport, dport), filter_name)
            if fmt is Fmt.json:
                out(json.dumps(d) + "\n")
            else:
                out(_explain_text(d) + "\n")
            return
        stream = sys.stdin if packets == "-" else open(packets, encoding="utf-8")
    except OSError as e:
        fail("%s: cannot read (%s)" % (packets, e.strerror))
    except _user_errors() as e:
        fail(str(e))
    with stream:
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            where = "%s:%d" % ("<stdin>" if packets == "-" else packets, n)
            try:
                p = json.loads(line)
            except ValueError as e:
                fail("%s: not a JSON object (%s)" % (where, e.msg if hasattr(e, "msg") else type(e).__name__))
            try:
                pkt = make_packet(*_packet_fields(p, where))
                d = decision_json(cfg, pkt, filter_name)
            except _user_errors() as e:
                fail("%s: %s" % (where, e))
            out(json.dumps(d) + "\n")


def _packet_fields(p, where: str) -> tuple:
    """(src, dst, proto, sport, dport) of one ``--packets`` line, every field checked."""
    import json

    if not isinstance(p, dict):
        fail("%s: a packet is a JSON object with src, dst, proto, sport, dport" % where)
    for k in ("src", "dst"):
        if k not in p:
            fail("%s: missing field '%s'" % (where, k))
        if not isinstance(p[k], str):
            fail("%s: field '%s' must be an address in quotes" % (where, k))
    proto = p.get("proto", "tcp")
    if isinstance(proto, bool) or not isinstance(proto, (str, int)):
        fail("%s: field 'proto' must be tcp, udp, icmp or a number" % where)
    ports = []
    for k in ("sport", "dport"):
        v = p.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            fail("%s: field '%s' must be a whole number 0-65535, got %s" % (where, k, json.dumps(v)))
        ports.append(v)
    if str(proto).lower() in ("tcp", "udp", "6", "17") and ports[1] is None:
        fail("%s: missing field 'dport' (tcp and udp packets need a destination port)" % where)
    unknown = sorted(set(p) - {"src", "dst", "proto", "sport", "dport"})
    if unknown:
        fail("%s: unknown field '%s'" % (where, unknown[0]))
    return p["src"], p["dst"], proto, ports[0], ports[1]


def _explain_text(d: dict) -> str:
    head = "%s" % d["decision"].upper()
    nat = ""
    if d.get("nat"):
        nat = "\n  translated by %s" % "; ".join("line %d: %s" % (n["line"], n["rule"]) for n in d["nat"])
        if d.get("translated"):
            nat += "\n  the device sees it as %s" % _packet_text(d["translated"])
    if d["line"] is not None:
        return "%s by line %d: %s%s" % (head, d["line"], d["rule"], nat)
    extra = " (line %d)" % d["default_line"] if d.get("default_line") else ""
    return "%s: %s%s%s" % (head, d.get("reason", "default"), extra, nat)


def _packet_text(p: dict) -> str:
    if "dport" in p:
        return "%s %s:%d -> %s:%d" % (p["proto"], p["src"], p["sport"], p["dst"], p["dport"])
    return "%s %s -> %s" % (p["proto"], p["src"], p["dst"])


@app.command()
def policies(
    action: str = typer.Argument("list", help="list, or show"),
    name: Optional[str] = typer.Argument(None, help="Policy name for 'show'."),
) -> None:
    """List the policy packs, or show one pack's required flows."""
    from auditor.policy import list_packs, load_pack

    if action == "list":
        for n in list_packs():
            p = load_pack(n)
            out("%-12s %s (%s)\n" % (n, p.title, p.status))
        return
    if action != "show" or not name:
        fail("usage: prinergy-audit policies [list | show NAME]")
    try:
        p = load_pack(name)
    except _user_errors() as e:
        fail(str(e))
    out("%s: %s\nstatus: %s\nsource: %s\n\n" % (p.name, p.title, p.status, p.source))
    for f in p.flows:
        out("%-18s %-5s %-40s %s -> %s  [%s, %s]\n" % (
            f.id, f.proto, f.ports, ",".join(f.from_), ",".join(f.to), f.severity, f.direction))


def _finish(code: int) -> None:
    """Flush the output and end the process with ``code``.

    The process ends without tearing down what the run built (``os._exit``, as mypy does): a
    100k-line config's records take a tenth of a second or more to free one by one, and the
    exit frees them at once.  A write error on stdout is reported as such (exit 2); a closed
    pipe (``| head``) ends the process quietly, killed by SIGPIPE as Unix tools are.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _sigpipe()
    except OSError as e:
        _stderr_line("prinergy-audit: error: cannot write to standard output: %s" % (e.strerror or type(e).__name__))
        code = EXIT_ERROR
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


def _sigpipe() -> None:
    import signal

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)


def _stderr_line(text: str) -> None:
    from auditor.core.secrets import redact

    try:
        sys.stderr.write(redact(text).replace("\n", " ") + "\n")
    except OSError:
        pass


def main() -> None:
    """Console entry point: run the app; every failure is one line on stderr (exit 2), never a traceback."""
    from auditor.core import progress

    progress.enable(sys.stderr)  # shown only on a terminal, and only for work longer than 2 s
    code = EXIT_PASS
    try:
        code = app(standalone_mode=False) or EXIT_PASS
    except Fatal as e:
        progress.finish()
        _stderr_line("prinergy-audit: error: %s" % e)
        code = EXIT_ERROR
    except typer.TyperException as e:  # unknown option, bad choice, missing argument, not a number
        progress.finish()
        ctx = getattr(e, "ctx", None)
        if type(e).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stderr.write(ctx.get_help() + "\n")  # (no arguments at all: the help, as click shows it)
        else:
            cmd = ctx.info_name if ctx is not None and ctx.parent is not None else None
            hint = " (see 'prinergy-audit %s--help')" % (cmd + " " if cmd else "")
            _stderr_line("prinergy-audit: error: %s%s" % (e.format_message(), hint))
        code = EXIT_ERROR
    except typer.Abort:
        progress.finish()
        _stderr_line("prinergy-audit: interrupted")
        code = 130
    except KeyboardInterrupt:
        progress.finish()
        _stderr_line("prinergy-audit: interrupted")
        code = 130
    except BrokenPipeError:
        _sigpipe()
    except Exception as e:  # a bug: still one line, never a traceback with config text
        progress.finish()
        if os.environ.get("PRINERGY_AUDIT_DEBUG"):
            raise
        _stderr_line("prinergy-audit: internal error: %s (set PRINERGY_AUDIT_DEBUG=1 for details)" % type(e).__name__)
        code = EXIT_ERROR
    progress.finish()
    _finish(code if isinstance(code, int) else EXIT_ERROR)


if __name__ == "__main__":
    main()
