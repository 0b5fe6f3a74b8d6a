"""``--format html``: the audit as one self-contained HTML file, and the body the local page shows.

The file has no external asset and no script: its style sheet is inlined and allowed by hash
in its own Content-Security-Policy (``default-src 'none'``), the flow matrices are inline SVG
(``auditor.report.matrix``) drawn with presentation attributes only.  Every text is escaped
(Jinja2 autoescaping) and every config text redacted of secrets.

``body(result, texts=None)`` is the report without the page around it: the local page
(``auditor.web``) shows the same body, with the whole pasted config as ``texts`` so each
finding's line is highlighted in a view of the config; the file shows the lines the findings
and the matrix cite (with a few lines of context where the text is known).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

from auditor.core.packets import format_packet
from auditor.core.secrets import redact
from auditor.findings import SEVERITIES
from auditor.report import fix_hint, verdict_reasons
from auditor.report.text import shown

OPTIONS = ("show_fingerprints",)
HERE = Path(__file__).resolve().parent
FULL_VIEW_MAX = 20000  # a config longer than this is shown around the cited lines only
CONTEXT = 3
TITLES = {"error": "Errors", "warning": "Warnings", "info": "Infos"}


def _visible(value):
    """A value as the page writes it: a text's control characters as ``\\xNN``, as the text report shows them
    (a config's NUL or escape byte is no character of an HTML document: "control-character-in-input-stream",
    HTML Living Standard, 13.2.2); markup (the matrices' SVG) as it is."""
    from markupsafe import Markup

    return shown(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       finalize=_visible)


def css() -> str:
    """The report's style sheet (``static/report.css``)."""
    return (HERE / "static" / "report.css").read_text(encoding="utf-8")


def render(result, color: bool = False, show_fingerprints: bool = False) -> str:
    """The whole HTML document."""
    style = css()
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    return _env().get_template("report.html").render(
        title="prinergy-audit: %s" % result.verdict.upper(), style=style, style_hash=digest,
        body=body(result, show_fingerprints=show_fingerprints))


def render_diff(diff, color: bool = False, show_fingerprints: bool = False) -> str:
    """A diff as HTML: the text of the diff (``auditor.report.text``) in a page."""
    from markupsafe import Markup

    from auditor.report.text import render_diff as text_diff

    style = css()
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    summary = _env().get_template("diff.html").render(text=text_diff(diff, show_fingerprints=show_fingerprints),
                                                      verdict=diff.verdict)
    return _env().get_template("report.html").render(
        title="prinergy-audit diff: %s" % diff.verdict.upper(), style=style, style_hash=digest,
        body=Markup(summary))


def body(result, texts: dict[str, str] | None = None, show_fingerprints: bool = False, prefix: str = ""):
    """The report's HTML (a ``Markup`` fragment); ``texts`` maps a config path to its text for a
    full view of the config, as its vendor's parser quotes it (``parsers.redact_text``: the shared
    redaction here cannot see a vendor's own secrets, e.g. a private key's lines); ``prefix``
    starts every element id (two reports on one page)."""
    from markupsafe import Markup

    return Markup(_env().get_template("body.html").render(**view(result, texts, show_fingerprints, prefix)))


def view(result, texts: dict[str, str] | None = None, show_fingerprints: bool = False, prefix: str = "") -> dict:
    """What the templates show, as plain values (every config text redacted)."""
    from markupsafe import Markup

    from auditor.checks import all_rules
    from auditor.report import matrix as mx
    from auditor.report.hints import roles_hint
    from auditor.report.sarif import rule_doc_url

    rules = all_rules()
    index = {c.path: i for i, c in enumerate(result.configs)}

    def anchor(src) -> str | None:
        if src is None or src.path not in index:
            return None
        return "%sL%d-%d" % (prefix, index[src.path], src.line)

    helped: set[str] = set()
    cited: dict[tuple[str, int], dict] = {}  # (path, line) -> {"text", "sev", "tags"}
    rank = {s: i for i, s in enumerate(SEVERITIES)}

    def cite(src, sev: str | None, fid: str | None, rule_id: str | None) -> None:
        if src is None or src.path not in index:
            return
        c = cited.setdefault((src.path, src.line), {"text": src.text, "sev": None, "tags": []})
        if sev is not None and (c["sev"] is None or rank[sev] < rank[c["sev"]]):
            c["sev"] = sev
        if fid is not None:
            c["tags"].append({"rule": rule_id, "href": "#" + fid, "sev": sev})

    groups = []
    n = 0
    for sev in SEVERITIES:
        items = []
        for f in result.findings:
            if f.severity != sev:
                continue
            fid = "%sf%d" % (prefix, n)
            n += 1
            info = rules.get(f.rule_id)
            item = {
                "id": fid, "rule": f.rule_id, "doc": rule_doc_url(f.rule_id), "sev": sev,
                "name": info.name if info else "", "loc": "%s:%d" % (f.source.path, f.source.line),
                "href": ("#" + anchor(f.source)) if anchor(f.source) else None, "message": f.message,
                "text": f.source.text.strip(), "example": format_packet(f.example) if f.example is not None else "",
                "related": [{"loc": "%s:%d" % (r.path, r.line), "href": ("#" + anchor(r)) if anchor(r) else None,
                             "text": r.text.strip()} for r in f.related],
                "waived": f.waived, "waiver": f.extra.get("waiver", {}).get("justification", "") if f.waived else "",
                "fingerprint": f.fingerprint if show_fingerprints else "",
                "fix": fix_hint(result, f, rules) if info and f.rule_id not in helped else "",
            }
            helped.add(f.rule_id)
            items.append(item)
            cite(f.source, sev, fid, f.rule_id)
            for r in f.related:
                cite(r, None, None, None)
        if items:
            groups.append({"sev": sev, "title": TITLES[sev], "findings": items,
                           "waived": sum(1 for f in items if f["waived"])})

    states = mx.flow_states(result)
    matrices = []
    if result.flows:
        for m, ident in ((mx.by_role(result, states), "roles"), (mx.by_service(result, states), "services")):
            picture = mx.svg(m, lambda s: "#" + anchor(s) if anchor(s) else "#", prefix + "matrix-" + ident)
            if picture:
                matrices.append({"title": m.title, "svg": Markup(picture), "id": prefix + "matrix-" + ident})
        for st in states:
            cite(st.line, None, None, None)

    not_checked = [{"flow": k, "why": "roles %s" % why} for k, why, _m in result.unchecked]
    not_checked += [{"flow": f["flow"], "why": "not routed through the device"} for f in result.flows
                    if f["status"] == "not_routed"]
    counts = {s: sum(1 for f in result.findings if f.severity == s and not f.waived) for s in SEVERITIES}
    flows = result.flows
    failed = sum(1 for f in flows if f["status"] == "fail")
    unknown = sum(1 for f in flows if f["status"] == "unknown")
    unrouted = sum(1 for f in flows if f["status"] == "not_routed")
    hint = roles_hint(result)
    return {
        "prefix": prefix,
        "verdict": result.verdict,
        "policy": result.policy,
        "reasons": verdict_reasons(result),
        "counts": counts,
        "waived": sum(1 for f in result.findings if f.waived),
        "inputs": result.inputs_json(),
        "flow_counts": {"checked": len(flows), "pass": len(flows) - failed - unknown - unrouted, "blocked": failed,
                        "unknown": unknown, "not_checked": len(result.unchecked) + unrouted},
        "matrices": matrices,
        "groups": groups,
        "not_checked": not_checked,
        "hint": {"text": " ".join(hint[:-1]), "command": hint[-1].strip()} if hint else None,
        "configs": [_config_view(c, i, cited, (texts or {}).get(c.path), prefix)
                    for i, c in enumerate(result.configs)],
    }


def _config_view(cfg, i: int, cited: dict, text: str | None, prefix: str) -> dict:
    """Rows of one config's view: every line (a short config whose text is known), else the cited
    lines with ``CONTEXT`` lines around them where the text is known, gaps between."""
    hits = {line: c for (path, line), c in cited.items() if path == cfg.path}
    lines = text.splitlines() if text is not None else None
    if lines is not None and len(lines) <= FULL_VIEW_MAX:
        shown = list(range(1, len(lines) + 1))
    else:
        around = set()
        for line in hits:
            lo, hi = (line - CONTEXT, line + CONTEXT) if lines is not None else (line, line)
            around.update(range(max(1, lo), min(hi, len(lines) if lines is not None else hi) + 1))
        shown = sorted(around)
    rows = []
    last = 0
    for line in shown:
        if line > last + 1:
            rows.append({"gap": line - last - 1})
        last = line
        hit = hits.get(line)
        if lines is not None and line <= len(lines):
            raw = redact(lines[line - 1].rstrip())
        else:
            raw = hit["text"] if hit else ""
        rows.append({"n": line, "id": "%sL%d-%d" % (prefix, i, line), "text": raw,
                     "hit": hit is not None, "sev": (hit or {}).get("sev") or "",
                     "tags": (hit or {}).get("tags", [])})
    total = len(lines) if lines is not None else cfg.lines
    if last < total and rows:
        rows.append({"gap": total - last})
    return {"path": cfg.path, "vendor": cfg.vendor, "rows": rows, "full": len(shown) == total and total > 0,
            "lines": cfg.lines}
