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

# the roles the policy packs name (tests/test_conventions.py checks this list against the packs;
# written out so that --help does not load the packs)
ROLE_NAMES = ("primary", "secondary", "workshop", "admin", "license_server", "kodak_cloud", "storage", "veris",
              "mis_link", "digital_front_end", "colorflow")
EXIT_CODES = ("Exit codes: 0 pass; 1 error findings (or at --fail-on) or verdict unknown (0 with --exit-zero); "
              "2 bad usage or unreadable input (one line on stderr).")


def _epilog(*examples: str, codes: bool = True) -> str:
    """Examples (kept as written: click's \\b marker) and the exit codes, for a command's help."""
    text = "\b\nExamples:\n" + "\n".join("  " + e for e in examples)
    return text + ("\n\n" + EXIT_CODES if codes else "")


app = typer.Typer(
    name="prinergy-audit",
    help="Audit firewall configurations against Kodak Prinergy's port and timeout requirements.\n\n"
         "Roles (--role NAME=ADDR, or a site file): " + ", ".join(ROLE_NAMES) + ".",
    epilog=_epilog("prinergy-audit audit asa.cfg --role primary=10.20.0.10 --role workshop=10.30.0.0/24",
                   "prinergy-audit init asa.cfg > site.yaml",
                   "prinergy-audit serve"),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from auditor import __version__

        out("prinergy-audit %s\n" % __version__)
        raise typer.Exit(EXIT_PASS)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """Audit firewall configurations against Kodak Prinergy's port and timeout requirements."""


class Fmt(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"
    github = "github"
    html = "html"


class ExplainFmt(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Fatal(Exception):
    """A one-line error for the user; exit 2."""


def fail(msg: str) -> None:
    """End the command with ``msg`` as a one-line error (exit 2)."""
    raise Fatal(msg)


def out(text: str, utf8: bool = False) -> None:
    """Write to standard output: a write error is one line and exit 2; a closed pipe ends quietly.

    ``utf8``: as UTF-8 whatever the locale's encoding (a machine format, whose readers expect UTF-8:
    JUnit's declaration says so); other text a console's code page cannot show is written escaped
    (``\\u4e2d``) rather than ending the command as an internal error (Windows, a pipe or a file: cp1252)."""
    try:
        buffer = getattr(sys.stdout, "buffer", None)
        encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("_", "-")
        if buffer is None or encoding in ("utf-8", "utf8"):
            sys.stdout.write(text)
        else:
            sys.stdout.flush()
            buffer.write(text.encode("utf-8") if utf8 else text.encode(encoding, "backslashreplace"))
            buffer.flush()
    except BrokenPipeError:
        _sigpipe()
    except OSError as e:
        fail("cannot write to standard output: %s" % (e.strerror or type(e).__name__))


def use_color(stream, asked: Optional[bool] = None) -> bool:
    """Color for a terminal, never with NO_COLOR (set and not empty: https://no-color.org); ``asked``: what
    --color / --no-color say, which win over both (as no-color.org has a command-line argument win)."""
    if asked is not None:
        return asked
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


def _load_all(configs: List[str], vendor: str, host: Optional[str] = None, site=None, part: Optional[str] = None,
              stdin_name: Optional[str] = None):
    from auditor.api import combine_inputs
    if sum(1 for c in configs if c == "-") > 1:
        fail("only one input can come from stdin")
    from auditor.api import load_config, load_inputs, read_input

    loaded = []
    for c in configs:
        try:
            if c == "-" and stdin_name:
                text, _shown = read_input(c, notice=_notice)
                loaded.append(load_config(stdin_name, vendor, text=text, part=part))
                continue
            loaded += load_inputs(c, vendor, notice=_notice, part=part)
        except _user_errors() as e:
            fail(str(e))
    try:
        return combine_inputs(loaded, host, site)
    except _user_errors() as e:
        fail(str(e))


def _load_with_texts(configs: List[str], vendor: str, host: Optional[str], site, part: Optional[str] = None,
                     stdin_name: Optional[str] = None):
    """``_load_all``, keeping each config's text (fixes are applied to a copy of it)."""
    from auditor.api import combine_inputs, load_config, read_input

    if sum(1 for c in configs if c == "-") > 1:
        fail("only one input can come from stdin")
    loaded, texts = [], {}
    try:
        for c in configs:
            text, shown = read_input(c, notice=_notice)
            cfg = load_config(stdin_name if c == "-" and stdin_name else shown, vendor, text=text, part=part)
            texts[cfg.path] = text
            loaded.append(cfg)
        return combine_inputs(loaded, host, site), texts
    except _user_errors() as e:
        fail(str(e))


def _vendor_help() -> str:
    from parsers import VENDORS  # the registry itself: light, no parser is imported

    return "Input format (auto-detected by default): auto, " + ", ".join(VENDORS)


VENDOR_HELP = _vendor_help()


# options shared by audit, diff and check-change
VENDOR_OPT = typer.Option("auto", "--vendor", metavar="VENDOR", help=VENDOR_HELP)
SITE_OPT = typer.Option(None, "--site", metavar="FILE", help="Site YAML (- for stdin): roles -> addresses, shift "
                                                               "length ('prinergy-audit init CONFIG' proposes one).")
ROLE_OPT = typer.Option([], "--role", metavar="NAME=ADDR[,ADDR]",
                        help="Where a role is (repeatable; adds to the site's roles). Roles: %s."
                             % ", ".join(ROLE_NAMES))
POLICY_OPT = typer.Option(None, "--policy", metavar="NAME|FILE",
                          help="Policy pack: prinergy-8 (default), prinergy-9, or a pack file (see the README: "
                               "Writing a policy pack).")
FORMAT_OPT = typer.Option([], "--format", metavar="FORMAT", help="text, json, sarif, junit, markdown, github or html "
                                                                 "(repeatable; default text).")
OUTPUT_OPT = typer.Option([], "--output", "-o", metavar="FILE", help="File for the --format in the same position "
                                                     "(repeatable; - or none: stdout, for one format only).")
FAIL_ON_OPT = typer.Option(None, "--fail-on", metavar="SEVERITY",
                           help="Lowest severity that fails (exit 1): error (default), warning or info.")
WAIVERS_OPT = typer.Option(None, "--waivers", metavar="FILE", help="Waivers YAML: accepted findings with expiry.")
CONFIG_OPT = typer.Option(None, "--config", metavar="FILE", help="Settings file (default: .prinergy-audit.toml or "
                                                   "[tool.prinergy-audit] in pyproject.toml, searched upward).")
NO_CONFIG_OPT = typer.Option(False, "--no-config", help="Ignore settings files.")
SHIFT_OPT = typer.Option(None, "--shift-hours", metavar="HOURS", help="Production shift length (default 8).")
SELECT_OPT = typer.Option([], "--select", metavar="RULES", help="Report only these rules: IDs or prefixes, "
                                                                "comma-separated or repeated (e.g. PRN,ACL200).")
IGNORE_OPT = typer.Option([], "--ignore", metavar="RULES", help="Do not report these rules (IDs or prefixes; the "
                                                                "most specific of --select and --ignore wins).")
EXIT_ZERO_OPT = typer.Option(False, "--exit-zero", help="Exit 0 even when findings fail the audit (reports are "
                                                        "still written; bad input still exits 2).")
FINGERPRINTS_OPT = typer.Option(False, "--show-fingerprints", help="Show each finding's fingerprint (for waivers) "
                                                                   "in the text output.")
COLOR_OPT = typer.Option(None, "--color/--no-color", help="Color the text output, or not (default: on a terminal, "
                                                          "unless NO_COLOR is set). Machine formats never are.")
STDIN_NAME_OPT = typer.Option(None, "--stdin-filename", metavar="PATH",
                              help="The file the input read from stdin (-) is, as reports, fingerprints and "
                                   "waivers name it (default: stdin).")


def _stdin_name(name: Optional[str], inputs) -> Optional[str]:
    """``--stdin-filename``, which names an input read from stdin: an error without one."""
    if name is not None:
        if "-" not in inputs:
            fail("--stdin-filename names the input read from stdin: give - as that input")
        if not name.strip() or name == "-":
            fail("--stdin-filename: give the path of the file the input is")
    return name


class _Run:
    """What the settings file and the flags decide together (flags win)."""

    def __init__(self, site, role, policy, fmt, output, fail_on, waivers, config, no_config, shift_hours,
                 select=(), ignore=(), exit_zero=False, show_fingerprints=False, inputs=(), color=None):
        from auditor.audit import check_rule_prefixes
        from auditor.policy import load_site
        from auditor.settings import Settings, SettingsError, load_settings

        try:
            st = Settings() if no_config else load_settings(config, known_formats=tuple(f.value for f in Fmt))
        except SettingsError as e:
            fail(str(e))
        try:
            self.select = check_rule_prefixes(select, "select") if select else st.select
            self.ignore = check_rule_prefixes(ignore, "ignore") if ignore else st.ignore
        except ValueError as e:
            fail(str(e))
        self.exit_zero = exit_zero
        self.show_fingerprints = show_fingerprints
        self.color = color
        self.policy = policy or st.policy
        self.fail_on = fail_on.value if fail_on else (st.fail_on or "error")
        formats = [f.value for f in fmt] or list(st.formats) or ["text"]
        self.targets = _targets(formats, output)
        if [*inputs, site or st.site, waivers or st.waivers].count("-") > 1:
            fail("only one input can come from stdin (the configs, --site and --waivers are read from it)")
        _not_an_input([dest for _f, dest in self.targets if dest is not None], [*inputs, site, waivers])
        try:
            self.site = load_site(site or st.site, role, shift_hours)
            waivers_path = waivers or st.waivers
            self.waivers = None
            if waivers_path:
                from auditor.waivers import load_waivers
                self.waivers = load_waivers(waivers_path)
        except _user_errors() as e:
            fail(str(e))

    def code(self, verdict: str) -> int:
        """The exit code of a verdict (0 with --exit-zero)."""
        return EXIT_PASS if verdict == "pass" or self.exit_zero else EXIT_FAIL

    def emit(self, render_one, also=()) -> None:
        """Render every format first, then write files atomically (with ``also``: more (file, text)
        of the run, as --fix-out's), all or none, then stdout.

        ``render_one(fmt, color, **options)``: text to a terminal gets color (unless NO_COLOR; --color
        and --no-color decide for text to stdout) and the flow matrix table; every text output the
        fingerprints when asked."""
        def one(f: str, dest):
            tty = dest is None and hasattr(sys.stdout, "isatty") and sys.stdout.isatty()
            return render_one(f, f == "text" and dest is None and use_color(sys.stdout, self.color),
                              show_fingerprints=self.show_fingerprints, matrix=tty)

        done = [(f, dest, one(f, dest)) for f, dest in self.targets]
        write_reports(list(also) + [(dest, text) for _f, dest, text in done if dest is not None])
        for f, dest, text in done:
            if dest is None:
                out(text, utf8=f != "text")


def _not_an_input(outputs, inputs) -> None:
    """Refuse an --output that names one of the run's inputs (a report written over the config)."""
    for dest in outputs:
        for src in inputs:
            if src and src != "-" and os.path.isfile(src) and os.path.exists(dest):
                try:
                    same = os.path.samefile(dest, src)
                except OSError:
                    same = False
                if same:
                    fail("--output %s is also an input of the run: it would be overwritten" % dest)


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


@app.command(epilog=_epilog(
    "prinergy-audit audit asa.cfg --role primary=10.20.0.10 --role workshop=10.30.0.0/24",
    "prinergy-audit audit asa.cfg --site site.yaml --format sarif -o audit.sarif --exit-zero",
    "pbpaste | prinergy-audit audit - --site site.yaml --select PRN --ignore PRN160"))
def audit(
    ctx: typer.Context,
    configs: List[str] = typer.Argument(..., metavar="CONFIG",
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
    host: Optional[str] = typer.Option(None, "--host", metavar="ROLE|ADDR",
                                       help="The config is the host firewall of this role or address (e.g. primary)."),
    select: List[str] = SELECT_OPT,
    ignore: List[str] = IGNORE_OPT,
    exit_zero: bool = EXIT_ZERO_OPT,
    show_fingerprints: bool = FINGERPRINTS_OPT,
    vdom: Optional[str] = typer.Option(None, "--vdom", metavar="NAME",
                                       help="Of a FortiOS config with VDOMs, audit this one (default: root)."),
    fix: bool = typer.Option(False, "--fix", help="Also propose, for each blocked flow, a change in the vendor's "
                                                 "commands proven to open the flow and nothing else."),
    fix_out: Optional[str] = typer.Option(None, "--fix-out", metavar="FILE",
                                          help="Write the proven fixes as one change file (check-change "
                                               "accepts it); implies --fix."),
    each: bool = typer.Option(False, "--each", help="Audit each CONFIG on its own (a fleet): one verdict per "
                                                    "device and a summary table; exit 1 if any device fails."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N",
                                       help="With --each: configs audited at once (default: the cores free now)."),
    output_dir: Optional[str] = typer.Option(None, "--output-dir", metavar="DIR",
                                             help="With --each: write each device's report (each --format) "
                                                  "into this folder."),
    site_map: Optional[str] = typer.Option(None, "--site-map", metavar="FILE",
                                           help="With --each: YAML mapping each config to its own site file."),
    color: Optional[bool] = COLOR_OPT,
    stdin_filename: Optional[str] = STDIN_NAME_OPT,
) -> None:
    """Audit a firewall config: which required Prinergy flows it blocks, and why."""
    from auditor.api import audit as run_audit
    from auditor.report import render

    named = _stdin_name(stdin_filename, configs)
    if each or jobs is not None or output_dir or site_map:
        if not each:
            fail("--jobs, --output-dir and --site-map go with --each")
        if fix or fix_out:
            fail("--fix and --fix-out go with one audit, not --each")
        _audit_each(configs, vendor, host, jobs, output_dir, site_map, vdom,
                    _Run(site, role, policy, [], [], fail_on, waivers, config, no_config, shift_hours,
                         select, ignore, exit_zero, show_fingerprints, configs), fmt, output, role, shift_hours)
    run = _Run(site, role, policy, fmt, output, fail_on, waivers, config, no_config, shift_hours,
               select, ignore, exit_zero, show_fingerprints, configs, color)
    texts: dict[str, str] | None = None
    if fix or fix_out:
        cfgs, texts = _load_with_texts(configs, vendor, host, run.site, part=vdom, stdin_name=named)
    else:
        cfgs = _load_all(configs, vendor, host, run.site, part=vdom, stdin_name=named)
    try:
        result = run_audit(cfgs, run.site, run.policy, run.waivers, fail_on=run.fail_on, select=run.select,
                           ignore=run.ignore, texts=texts, part=vdom)
    except _user_errors() as e:
        fail(str(e))
    also = []
    if fix_out:
        changes = [t for t in result.fixes.combined.values() if t]
        if len(changes) > 1:
            fail("--fix-out: several configs have fixes; audit them one at a time")
        also.append((fix_out, changes[0] if changes else ""))
    run.emit(lambda f, color, **o: render(f, result, color=color, exit_code=run.code(result.verdict), **o), also)
    _keep(ctx, cfgs, result, texts)
    raise typer.Exit(run.code(result.verdict))


def _keep(ctx: typer.Context, *built) -> None:
    """Hand what a command built to ``main``, which keeps it until the process ends (``_finish``):
    returning from the command would free its records one by one (0.13 s for a 100k-entry ASA config)."""
    if isinstance(ctx.obj, list):
        ctx.obj.append(built)


_SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "markdown": "md", "github": "github.txt",
           "html": "html"}


def _audit_each(configs, vendor, host, jobs, output_dir, site_map, vdom, run, fmt, output, role,
                shift_hours) -> None:
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
    if jobs is not None and jobs < 1:
        fail("--jobs: give 1 or more")
    try:
        sites = load_site_map(site_map, configs, role, shift_hours) if site_map else None
        _check_sites([run.site, *(sites or {}).values()], run.policy)
    except _user_errors() as e:
        fail(str(e))
    names = _report_names(configs)
    formats = [f.value for f in fmt] or ["text"]
    if output_dir:
        if os.path.exists(output_dir) and not os.path.isdir(output_dir):
            fail("--output-dir %s is a file, not a folder" % output_dir)
        try:
            os.makedirs(output_dir, exist_ok=True)
        except OSError as e:
            fail("cannot create %s: %s" % (output_dir, e.strerror or type(e).__name__))

    def keep(result, device):  # (where the device was audited: its reports, then only its summary)
        if output_dir:
            write_reports([(os.path.join(output_dir, "%s.%s" % (names[device.path], _SUFFIX[f])), render(f, result))
                           for f in formats])

    devices = list(audit_each(configs, run.site, run.policy, run.waivers, vendor=vendor, host=host, sites=sites,
                              jobs=jobs if jobs is not None else cores(), keep=keep, fail_on=run.fail_on,
                              select=run.select, ignore=run.ignore, part=vdom))
    out(fleet_summary(devices))
    bad = [d for d in devices if d.verdict == ERROR]
    if bad:
        fail("%d of %d config(s) could not be audited (%s%s); the summary says why"
             % (len(bad), len(devices), bad[0].path, ", ..." if len(bad) > 1 else ""))
    raise typer.Exit(run.code("pass" if all(d.verdict == "pass" for d in devices) else "fail"))


def _check_sites(sites, policy) -> None:
    """``PolicyError`` for a site's role that no pack knows or a pack that cannot be read, found once before a
    fleet is audited (not once per device, each an ERROR whose reason only the summary shows)."""
    from auditor.policy import check_roles, load_pack

    for site in {id(s): s for s in sites}.values():
        check_roles(load_pack(policy or site.policy or "prinergy-8"), site)


def _report_names(configs: List[str]) -> dict:
    """A report file name per config: its base name, numbered where two share one (a config named
    twice, as overlapping globs name it, keeps its one name: its reports are the same)."""
    names: dict = {}
    used: set = set()
    for c in configs:
        if c in names:
            continue
        base = os.path.basename(c) or "config"
        name, k = base, 1
        while name in used:
            k += 1
            name = "%s-%d" % (base, k)
        used.add(name)
        names[c] = name
    return names


@app.command(epilog=_epilog("prinergy-audit diff before.cfg after.cfg --site site.yaml",
                            "prinergy-audit diff fw.cfg --base-ref origin/main --site site.yaml --format markdown"))
def diff(
    paths: List[str] = typer.Argument(..., metavar="OLD NEW", help="The config before and after the change "
                                      "(with --base-ref: only NEW)."),
    base_ref: Optional[str] = typer.Option(None, "--base-ref", metavar="REF",
                                           help="Take OLD from git: the same path as NEW at this ref "
                                                "(e.g. origin/main)."),
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
    host: Optional[str] = typer.Option(None, "--host", metavar="ROLE|ADDR",
                                       help="The configs are the host firewall of this role or address."),
    select: List[str] = SELECT_OPT,
    ignore: List[str] = IGNORE_OPT,
    exit_zero: bool = EXIT_ZERO_OPT,
    show_fingerprints: bool = FINGERPRINTS_OPT,
    vdom: Optional[str] = typer.Option(None, "--vdom", metavar="NAME",
                                       help="Of a FortiOS config with VDOMs, review this one (needed with several)."),
    color: Optional[bool] = COLOR_OPT,
    stdin_filename: Optional[str] = STDIN_NAME_OPT,
) -> None:
    """What a change does: findings introduced and resolved, traffic newly permitted, denied or undecided."""
    from auditor.api import load_version, read_input

    def load(path: str, text: str | None = None):
        try:
            if path == "-" and named:
                return load_version(named, vendor, text=read_input(path, notice=_notice)[0], part=vdom)
            return load_version(path, vendor, text=text, notice=_notice, part=vdom)
        except _user_errors() as e:
            fail(str(e) if text is None else "%s at %s: %s" % (paths[0], base_ref, e))

    run = _Run(site, role, policy, fmt, output, fail_on, waivers, config, no_config, shift_hours,
               select, ignore, exit_zero, show_fingerprints, paths, color)
    named = _stdin_name(stdin_filename, paths)
    old_label = None
    if base_ref is not None:
        if len(paths) != 1 or paths[0] == "-":
            fail("with --base-ref, give only NEW (a file in a git work tree)")
        from auditor.api import is_bundle

        if is_bundle(paths[0]) and os.path.exists(paths[0]):
            fail("%s is an export of several files: --base-ref reads one file from git; compare two exports "
                 "with 'diff OLD NEW'" % paths[0])
        new = load(paths[0])
        old = load(new.path, _git_show(base_ref, paths[0]))
        old_label = "%s@%s" % (paths[0], base_ref)
    else:
        if len(paths) != 2:
            fail("diff takes OLD and NEW (or NEW with --base-ref REF)")
        if paths.count("-") > 1:
            fail("only one input can come from stdin")
        old, new = load(paths[0]), load(paths[1])
    _report_diff(run, old, new, host, old_label=old_label)


@app.command("check-change", epilog=_epilog("prinergy-audit check-change fw.cfg change.txt --site site.yaml",
                                            "prinergy-audit check-change fw.cfg change.txt --site site.yaml "
                                            "--save-config fw-after.cfg"))
def check_change(
    config: str = typer.Argument(..., metavar="CONFIG", help="The running-config the change applies to."),
    change: str = typer.Argument(..., metavar="CHANGE", help=(
        "The change request, in the vendor's own commands: ASA, IOS, Junos, PAN-OS, FortiOS or Check Point "
        "(the README's input table).")),
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
    host: Optional[str] = typer.Option(None, "--host", metavar="ROLE|ADDR",
                                       help="The config is the host firewall of this role or address."),
    save: Optional[str] = typer.Option(None, "--save-config", metavar="FILE",
                                       help="Also write the config as it reads after the change to this file."),
    select: List[str] = SELECT_OPT,
    ignore: List[str] = IGNORE_OPT,
    exit_zero: bool = EXIT_ZERO_OPT,
    show_fingerprints: bool = FINGERPRINTS_OPT,
    vdom: Optional[str] = typer.Option(None, "--vdom", metavar="NAME",
                                       help="Of a FortiOS config with VDOMs, review this one (needed with several)."),
    color: Optional[bool] = COLOR_OPT,
    stdin_filename: Optional[str] = STDIN_NAME_OPT,
) -> None:
    """Apply a change request to a config and report what it does, like diff."""
    from auditor.api import is_bundle, load_change, read_input

    run = _Run(site, role, policy, fmt, output, fail_on, waivers, cfg_file, no_config, shift_hours,
               select, ignore, exit_zero, show_fingerprints, [config, change], color)
    named = _stdin_name(stdin_filename, [config, change])
    if config == "-" and change == "-":
        fail("the config and the change cannot both come from stdin")
    if config != "-" and os.path.exists(config) and is_bundle(config):
        fail("check-change edits one config file, and %s is a folder or an archive (an export of several files): "
             "give the config as one file (the README's input table says how), or compare the export before and "
             "after with 'diff OLD NEW'" % config)
    try:
        text, shown = read_input(config, notice=_notice)
        change_text, change_shown = read_input(change, notice=_notice)
        if named:  # (the input read from stdin, named as the file it is)
            shown, change_shown = (named, change_shown) if config == "-" else (shown, named)
        old, new, new_text, origins = load_change(text, shown, change_text, change_shown, vendor, part=vdom)
    except _user_errors() as e:
        fail(str(e))
    _report_diff(run, old, new, host, new_label="%s (after change)" % shown, origins=origins,
                 also=[(save, new_text)] if save else [])


def _report_diff(run: "_Run", old, new, host, old_label=None, new_label=None, origins=None, also=()) -> None:
    from auditor.api import combine_inputs
    from auditor.diff import diff_configs
    from auditor.report import render_diff

    try:
        old = combine_inputs([old], host, run.site)[0]
        new = combine_inputs([new], host, run.site)[0]
        result = diff_configs(old, new, run.site, run.policy, run.waivers, fail_on=run.fail_on,
                              old_label=old_label, new_label=new_label, origins=origins,
                              select=run.select, ignore=run.ignore)
    except _user_errors() as e:
        fail(str(e))
    run.emit(lambda f, color, **o: render_diff(f, result, color=color, exit_code=run.code(result.verdict), **o),
             also)
    raise typer.Exit(run.code(result.verdict))


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


@app.command(epilog=_epilog("prinergy-audit upgrade asa.cfg --from prinergy-8 --to prinergy-9 --site site.yaml",
                            "prinergy-audit upgrade asa.cfg --from prinergy-9 --to our-prinergy.yaml --format json",
                            codes=False)
             + "\n\nExit codes: 0 nothing to open; 1 a flow the target needs is blocked, or undecided; "
               "2 bad usage or unreadable input.")
def upgrade(
    configs: List[str] = typer.Argument(..., metavar="CONFIG...", help="Config file(s), or - for stdin."),
    source: str = typer.Option(..., "--from", metavar="PACK",
                               help="The policy pack the site runs today (prinergy-8, or a pack file)."),
    target: str = typer.Option(..., "--to", metavar="PACK",
                               help="The policy pack after the upgrade (prinergy-9, or a pack file)."),
    site: Optional[str] = SITE_OPT,
    role: List[str] = ROLE_OPT,
    vendor: str = VENDOR_OPT,
    fmt: List[Fmt] = typer.Option([], "--format", metavar="FORMAT", help="text or json (default text)."),
    output: List[str] = OUTPUT_OPT,
    config: Optional[str] = CONFIG_OPT,
    no_config: bool = NO_CONFIG_OPT,
    host: Optional[str] = typer.Option(None, "--host", metavar="ROLE|ADDR",
                                       help="The config is the host firewall of this role or address."),
) -> None:
    """What the firewall must open before an upgrade (--from prinergy-8 --to prinergy-9), and may close."""
    from auditor.api import upgrade as run_upgrade
    from auditor.upgrade import render_text

    run = _Run(site, role, None, fmt, output, None, None, config, no_config, None, inputs=configs)
    for f, _dest in run.targets:
        if f not in ("text", "json"):
            fail("upgrade writes --format text or json, not %s" % f)
    cfgs = _load_all(configs, vendor, host, run.site)
    try:
        result = run_upgrade(cfgs, run.site, source, target)
    except _user_errors() as e:
        fail(str(e))

    def render_one(f: str, color: bool, **_options) -> str:
        import json

        return render_text(result) if f == "text" else json.dumps(result.to_json(), indent=2) + "\n"

    run.emit(render_one)
    raise typer.Exit(EXIT_PASS if result.verdict == "ready" else EXIT_FAIL)


@app.command(epilog=_epilog(
    "prinergy-audit explain asa.cfg --src 10.30.0.5 --dst 10.20.0.10 --proto tcp --dport 445",
    "prinergy-audit explain asa.cfg --src 10.30.0.5 --dst 10.20.0.10 --proto icmp --dport 2048 --format json",
    "prinergy-audit explain asa.cfg --packets packets.jsonl", codes=False)
    + "\n\nExit codes: 0 the packets were explained; 2 bad usage or unreadable input.")
def explain(
    configs: List[str] = typer.Argument(..., metavar="CONFIG...", help=(
        "Config file, or - for stdin; with the inputs that complete it, as audit takes them (e.g. AWS "
        "security groups and describe-subnets, Azure NSGs and virtual networks).")),
    src: Optional[str] = typer.Option(None, "--src", metavar="ADDR", help="Source address."),
    dst: Optional[str] = typer.Option(None, "--dst", metavar="ADDR", help="Destination address."),
    proto: str = typer.Option("tcp", "--proto", metavar="PROTO", help="tcp, udp, icmp or a protocol number."),
    sport: Optional[int] = typer.Option(None, "--sport", metavar="PORT",
                                        help="Source port (default 49152 for tcp/udp: a client's dynamic port)."),
    dport: Optional[int] = typer.Option(None, "--dport", metavar="PORT",
                                        help="Destination port (needed for tcp and udp; ICMP: type*256+code)."),
    filter_name: Optional[str] = typer.Option(None, "--filter", metavar="NAME",
                                              help="Evaluate one named ACL/chain on its own."),
    packets: Optional[str] = typer.Option(None, "--packets", metavar="FILE",
                                          help="JSON lines of packets ({\"src\", \"dst\", \"proto\", \"sport\", "
                                               "\"dport\"}); one decision per line."),
    vendor: str = VENDOR_OPT,
    fmt: ExplainFmt = typer.Option(ExplainFmt.text, "--format", metavar="FORMAT", help="text or json."),
    host: Optional[str] = typer.Option(None, "--host", metavar="ADDR",
                                       help="The config is the host firewall of this address."),
    vdom: Optional[str] = typer.Option(None, "--vdom", metavar="NAME",
                                       help="Of a FortiOS config with VDOMs, the one that decides (needed with "
                                            "several)."),
) -> None:
    """Which line decides a packet (permit or deny), on its path or in one filter."""
    import json

    from auditor.api import decision_json, make_packet

    if packets is None and (src is None or dst is None):
        fail("explain needs --src and --dst, or --packets FILE")
    if packets is None and dport is None and str(proto).lower() in ("tcp", "udp", "6", "17"):
        fail("explain: --dport is needed for %s packets (e.g. --dport 445)" % proto)
    if packets is not None and "-" in configs and packets == "-":
        fail("the config and --packets cannot both come from stdin")
    cfgs = _load_all(configs, vendor, host, part=vdom)
    if len(cfgs) != 1:
        fail("explain decides on one device, and these inputs are %d devices' configs (%s): give one" % (
            len(cfgs), ", ".join(c.path for c in cfgs)))
    cfg = cfgs[0]
    from parsers import load

    if vdom is None and cfg.left_out and load(cfg.vendor).parts is not None:
        # (read as its default device, a packet of another would meet none of its interfaces: say so, as diff does)
        fail("%s holds several VDOMs, each deciding its own traffic (read as one, it leaves out %s): give --vdom "
             "NAME" % (cfg.path, ", ".join(lo.part for lo in cfg.left_out)))
    try:
        if packets is None:
            pkt = _one_version(make_packet(src, dst, proto, sport, dport), src, dst)
            d = decision_json(cfg, pkt, filter_name)
            if fmt is ExplainFmt.json:
                out(json.dumps(d) + "\n")
            else:
                from auditor.core.packets import format_packet
                from auditor.report.text import shown as on_terminal  # (the line quoted: no control character)

                out("packet: %s\n%s\n" % (format_packet(pkt), on_terminal(_explain_text(d))))
            return
    except _user_errors() as e:
        fail(str(e))
    from auditor.api import read_input

    try:  # (as a config is read: bounded, text only, one line for a binary or missing file)
        text, shown = read_input(packets, notice=_notice)
    except _user_errors() as e:
        fail(str(e))
    decided = []  # (every line is checked before any is written: the output is whole, or nothing)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = "%s:%d" % (shown, n)
        try:
            p = json.loads(line, object_pairs_hook=_unique_keys)
        except _DuplicateKey as e:
            fail("%s: field '%s' is given twice" % (where, e.args[0]))
        except ValueError as e:
            fail("%s: not a JSON object (%s)" % (where, e.msg if hasattr(e, "msg") else "a number of too many digits"))
        except RecursionError:
            fail("%s: not a packet (JSON nested too deeply)" % where)
        try:
            fields = _packet_fields(p, where)
            pkt = _one_version(make_packet(*fields), *fields[:2])
            decided.append(json.dumps(decision_json(cfg, pkt, filter_name)) + "\n")
        except _user_errors() as e:
            fail("%s: %s" % (where, e))
    out("".join(decided))


def _one_version(pkt: tuple, src: str, dst: str) -> tuple:
    """``pkt``, whose addresses must be of one IP version: an IPv4 header's are 32-bit (RFC 791, 3.1) and
    an IPv6 header's 128-bit (RFC 8200, 3); an IPv4-mapped IPv6 address (RFC 4291, 2.5.5.2) is its IPv4."""
    from auditor.core.packets import V4_BASE, V4_MAX

    if (V4_BASE <= pkt[0] <= V4_MAX) != (V4_BASE <= pkt[1] <= V4_MAX):
        raise ValueError("a packet's source and destination are both IPv4 or both IPv6, got %s and %s" % (src, dst))
    return pkt


class _DuplicateKey(Exception):
    """A JSON object names a field twice (its name in ``args[0]``)."""


def _unique_keys(pairs: list) -> dict:
    """A JSON object as a dict, refusing a name given twice: JSON leaves which value counts to the reader
    (RFC 8259, 4: "the names within an object SHOULD be unique"), so neither is taken silently."""
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for k, _v in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return d


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
    if d.get("modelled"):
        x = d["doubt"]
        more = " (%d such lines)" % x["lines"] if x["lines"] > 1 else ""
        return "UNKNOWN: line %d could change any decision%s: %s\n  the modelled lines alone: %s" % (
            x["line"], more, x["reason"], _explain_text(dict(d, decision=d["modelled"], modelled=None)))
    head = "%s" % d["decision"].upper()
    nat = ""
    if d.get("nat"):
        nat = "\n  translated by %s" % "; ".join("line %d: %s" % (n["line"], n["rule"]) for n in d["nat"])
        if d.get("translated"):
            nat += "\n  the device sees it as %s" % _packet_text(d["translated"])
    if isinstance(d.get("nat_out"), str):
        nat += "\n  source NAT: %s" % d["nat_out"]
    elif d.get("nat_out"):
        nat += "\n  source NAT by %s" % "; ".join("line %d: %s" % (n["line"], n["rule"]) for n in d["nat_out"])
        nat += "\n  it leaves as %s" % _packet_text(d["leaves"])
    # (where the device decides it: an interface's list, a zone pair, the firewall's own input)
    nat = ("\n  at: %s" % d["stage"] if d.get("stage") else "") + nat
    if d["line"] is not None:
        why = "\n  %s" % d["reason"] if d.get("reason") else ""
        return "%s by line %d: %s%s%s" % (head, d["line"], d["rule"], why, nat)
    extra = " (line %d)" % d["default_line"] if d.get("default_line") else ""
    return "%s: %s%s%s" % (head, d.get("reason", "default"), extra, nat)


def _packet_text(p: dict) -> str:
    """A packet of ``explain``'s JSON as text; what the device picks from a pool is ``[one of POOL]``."""
    p = dict(p)
    for k in p.pop("picked", ()):
        p[k] = "[one of %s]" % p[k]
    if "dport" in p:
        return "%s %s:%s -> %s:%s" % (p["proto"], p["src"], p["sport"], p["dst"], p["dport"])
    return "%s %s -> %s" % (p["proto"], p["src"], p["dst"])


@app.command(epilog=_epilog("prinergy-audit init asa.cfg > site.yaml",
                            "prinergy-audit init asa.cfg -o site.yaml && prinergy-audit audit asa.cfg --site site.yaml",
                            codes=False)
             + "\n\nExit codes: 0 a site file was proposed; 2 bad usage or unreadable input.")
def init(
    configs: List[str] = typer.Argument(..., metavar="CONFIG", help="Config file(s), or - for stdin."),
    vendor: str = VENDOR_OPT,
    policy: str = typer.Option("prinergy-8", "--policy", metavar="NAME", help="Policy pack the site file names."),
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="FILE",
                                         help="Write the site file here (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite --output if it exists."),
) -> None:
    """Propose a site file from the names in a config (every role a guess, with its line)."""
    import shlex

    from auditor.init import site_yaml, suggest
    from auditor.policy import is_pack_path, load_pack

    try:
        load_pack(policy)
    except _user_errors() as e:
        fail(str(e))
    cfgs = _load_all(configs, vendor)
    guesses = suggest(cfgs)
    paths = " ".join("-" if c == "-" else shlex.quote(c) for c in configs)
    site = shlex.quote(output) if output else "site.yaml"
    policy_as = None
    if is_pack_path(policy):  # a site file reads its policy: relative to itself
        pack = os.path.abspath(policy)
        try:
            policy_as = os.path.relpath(pack, os.path.dirname(os.path.abspath(output))) if output else pack
        except ValueError:  # (another drive)
            policy_as = pack
    text = site_yaml(guesses, cfgs, policy, "prinergy-audit audit %s --site %s" % (paths, site), policy_as)
    if output:
        if os.path.exists(output) and not force:
            fail("%s exists: give --force to overwrite it, or another --output" % output)
        write_reports([(output, text)])
        _notice("wrote %s: %d address(es) guessed for %d role(s); check every line before auditing with it"
                % (output, len(guesses), len({g.role for g in guesses})))
    else:
        out(text)


@app.command(epilog=_epilog("prinergy-audit serve", "prinergy-audit serve --port 8080 --max-size 50", codes=False)
             + "\n\nThe page runs until Ctrl-C. Nothing is written to disk or logged.\n\n"
             "Exit codes: 0 stopped (Ctrl-C); 2 bad usage, or the address or port cannot be used.")
def serve(
    bind: str = typer.Option("127.0.0.1", "--bind", metavar="ADDR",
                             help="Address to listen on (default 127.0.0.1: this computer only)."),
    port: int = typer.Option(8000, "--port", metavar="PORT", help="TCP port (0: any free port)."),
    max_size: int = typer.Option(20, "--max-size", metavar="MB", help="Largest request accepted, in megabytes."),
) -> None:
    """A local page: paste a config or drop files, get the audit and the flow matrix."""
    if not 0 <= port <= 65535:
        fail("--port must be 0-65535, got %d" % port)
    if not 1 <= max_size <= 1024:
        fail("--max-size must be 1-1024 (megabytes), got %d" % max_size)
    from auditor.web.server import serve as run_server

    try:
        run_server(bind, port, max_size << 20, announce=lambda text: (out(text + "\n"), sys.stdout.flush()),
                   warn=_notice)
    except OSError as e:
        fail("cannot listen on %s:%d: %s" % (bind, port, e.strerror or type(e).__name__))


@app.command(epilog=_epilog("prinergy-audit policies", "prinergy-audit policies show prinergy-8", codes=False)
             + "\n\nExit codes: 0 shown; 2 unknown policy or bad usage.")
def policies(
    action: str = typer.Argument("list", metavar="[list|show]", help="list, or show"),
    name: Optional[str] = typer.Argument(None, metavar="[NAME]", help="Policy name for 'show'."),
) -> None:
    """List the policy packs, or show one pack's required flows."""
    from auditor.policy import list_packs, load_pack, show_pack

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
    from auditor.checks import all_rules

    out(show_pack(p, all_rules()))


def _finish(code: int) -> None:
    """Flush the output and end the process with ``code``.

    The process ends without tearing down what the run built (``os._exit``, as mypy does; the
    command hands it to ``main``: ``_keep``): a 100k-line config's records take a tenth of a
    second or more to free one by one, and the exit frees them at once.  A write error on stdout
    is reported as such (exit 2); a closed pipe (``| head``) ends the process quietly, killed by
    SIGPIPE as Unix tools are.
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


_MESSAGE_HEAD, _MESSAGE_TAIL = 1200, 600  # (of a message quoting an input's line of a megabyte: where and why)


def _stderr_line(text: str) -> None:
    from auditor.core.secrets import redact_keeping

    # (the paths the user gave are shown as they are, their words not taken as a secret's keyword)
    paths = [w for w in sys.argv[1:] if not w.startswith("-") and (os.sep in w or os.path.exists(w))]
    line = redact_keeping(text, paths).replace("\n", " ")
    if len(line) > _MESSAGE_HEAD + _MESSAGE_TAIL + 100:  # (a line is one to read: its start and end are kept)
        left = len(line) - _MESSAGE_HEAD - _MESSAGE_TAIL
        line = "%s ... (%d characters left out) ... %s" % (line[:_MESSAGE_HEAD], left, line[-_MESSAGE_TAIL:])
    try:
        sys.stderr.write(line + "\n")
    except OSError:
        pass


def _enable_progress(progress, environ=os.environ, stdout=None, stderr=None) -> None:
    """Progress on stderr, shown only on a terminal and only for work longer than 2 s: never in CI
    (CI=true), nor when the output goes to a file or a pipe (a machine format being written);
    without escape sequences under NO_COLOR."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    if environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        return
    if not (hasattr(stdout, "isatty") and stdout.isatty()):
        return
    progress.enable(stderr, plain=bool(environ.get("NO_COLOR")))


class _Closed:
    """A standard stream the process was started without (``>&-``): writing to it is an error,
    as writing to a closed descriptor is, and reading it gives nothing."""

    def __init__(self, name: str):
        self.name = name

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "%s is closed" % self.name)

    def read(self, size: int = -1) -> bytes:
        return b""

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def buffer(self):
        return self


def _closed_streams() -> None:
    """Stand-ins for the standard streams the process was started without (Python gives None)."""
    for name in ("stdin", "stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, _Closed("standard " + {"stdin": "input", "stdout": "output", "stderr": "error"}[name]))


def main() -> None:
    """Console entry point: run the app; every failure is one line on stderr (exit 2), never a traceback."""
    from auditor.core import progress

    _closed_streams()
    _enable_progress(progress)
    code = EXIT_PASS
    built: list = []  # (what the command built, freed by the process's end: ``_keep``)
    try:
        code = app(standalone_mode=False, prog_name="prinergy-audit", obj=built) or EXIT_PASS
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
    except OSError as e:  # (a write the commands do not make themselves: help or a usage message to a closed stdout)
        progress.finish()
        _stderr_line("prinergy-audit: error: cannot write: %s" % (e.strerror or type(e).__name__))
        code = EXIT_ERROR
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
