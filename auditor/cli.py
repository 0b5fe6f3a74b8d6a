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


class Fatal(Exception):
    """A one-line error for the user; exit 2."""


def fail(msg: str) -> None:
    raise Fatal(msg)


def use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _user_errors():
    from auditor.policy import PolicyError
    from parsers import InputError
    return (InputError, PolicyError, ValueError)


def _load(config: str, vendor: str):
    from auditor.api import load_config
    try:
        return load_config(config, vendor)
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


VENDOR_HELP = "Input format (auto-detected by default): auto, " + ", ".join(
    ["cisco-asa", "iptables", "nftables", "linux-sysctl", "aws", "azure-nsg", "windows-firewall"])


@app.command()
def audit(
    configs: List[str] = typer.Argument(..., metavar="CONFIG...",
                                        help="Config file(s), or - to read a pasted config from stdin. "
                                             "Auxiliary inputs (e.g. sysctl output) may follow."),
    site: Optional[str] = typer.Option(None, "--site", help="Site YAML: roles -> addresses, shift length."),
    role: List[str] = typer.Option([], "--role", help="NAME=ADDR[,ADDR...]; adds to the site's roles."),
    policy: Optional[str] = typer.Option(None, "--policy", help="Policy pack: prinergy-8 (default) or prinergy-9."),
    vendor: str = typer.Option("auto", "--vendor", help=VENDOR_HELP),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    shift_hours: Optional[float] = typer.Option(None, "--shift-hours", help="Production shift length (default 8)."),
    host: Optional[str] = typer.Option(None, "--host", help="The config is the host firewall of this role "
                                                              "or address (e.g. primary)."),
) -> None:
    """Audit a firewall config: which required Prinergy flows it blocks, and why."""
    from auditor.api import audit as run_audit
    from auditor.policy import load_site
    from auditor.report import render

    try:
        s = load_site(site, role, shift_hours)
    except _user_errors() as e:
        fail(str(e))
    cfgs = _load_all(configs, vendor, host, s)
    try:
        result = run_audit(cfgs, s, policy)
    except _user_errors() as e:
        fail(str(e))
    sys.stdout.write(render(fmt.value, result, color=fmt is Fmt.text and use_color(sys.stdout)))
    raise typer.Exit(EXIT_PASS if result.verdict == "pass" else EXIT_FAIL)


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
    vendor: str = typer.Option("auto", "--vendor", help=VENDOR_HELP),
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
                sys.stdout.write(json.dumps(d) + "\n")
            else:
                sys.stdout.write(_explain_text(d) + "\n")
            return
        stream = sys.stdin if packets == "-" else open(packets, encoding="utf-8")
    except OSError as e:
        fail("%s: cannot read (%s)" % (packets, e.strerror))
    except _user_errors() as e:
        fail(str(e))
    out = sys.stdout
    with stream:
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                p = json.loads(line)
                pkt = make_packet(p["src"], p["dst"], p.get("proto", "tcp"), p.get("sport"), p.get("dport"))
                d = decision_json(cfg, pkt, filter_name)
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
                fail("%s:%d: not a packet (%s)" % (packets, n, type(e).__name__))
            except _user_errors() as e:
                fail("%s:%d: %s" % (packets, n, e))
            out.write(json.dumps(d) + "\n")


def _explain_text(d: dict) -> str:
    from auditor.packets import format_packet  # noqa: F401  (kept for symmetry)

    head = "%s" % d["decision"].upper()
    if d["line"] is not None:
        return "%s by line %d: %s" % (head, d["line"], d["rule"])
    extra = " (line %d)" % d["default_line"] if d.get("default_line") else ""
    return "%s: %s%s" % (head, d.get("reason", "default"), extra)


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
            sys.stdout.write("%-12s %s (%s)\n" % (n, p.title, p.status))
        return
    if action != "show" or not name:
        fail("usage: prinergy-audit policies [list | show NAME]")
    try:
        p = load_pack(name)
    except _user_errors() as e:
        fail(str(e))
    sys.stdout.write("%s: %s\nstatus: %s\nsource: %s\n\n" % (p.name, p.title, p.status, p.source))
    for f in p.flows:
        sys.stdout.write("%-18s %-5s %-40s %s -> %s  [%s, %s]\n" % (
            f.id, f.proto, f.ports, ",".join(f.from_), ",".join(f.to), f.severity, f.direction))


def main() -> None:
    """Console entry point: run the app, turning every failure into one line and exit 2."""
    try:
        app()
    except Fatal as e:
        sys.stderr.write("prinergy-audit: error: %s\n" % e)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("prinergy-audit: interrupted\n")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as e:  # a bug: still one line, never a traceback with config text
        if os.environ.get("PRINERGY_AUDIT_DEBUG"):
            raise
        sys.stderr.write("prinergy-audit: internal error: %s (set PRINERGY_AUDIT_DEBUG=1 for details)\n"
                         % type(e).__name__)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
