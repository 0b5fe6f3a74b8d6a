"""The flow matrix: which Prinergy roles can reach which services, as one picture.

Built from an ``AuditResult`` alone (``result.flows``, ``result.flow_lines``, the PRN100
findings, ``result.unchecked``), shared by the text report (a compact table on a terminal),
the HTML report and the page (SVG).  Two views:

* ``by_service(result)``: source roles (rows) by required flows (columns): can Workshop reach
  the primary's SMB, IIS, RBA ...  (a cell covers every destination of the flow);
* ``by_role(result)``: source role (rows) by destination role (columns): every required flow
  between the two roles in one cell.

Each cell is ``pass`` (every flow it covers passes), ``blocked`` (none of them gets through),
``partly`` (some of it is blocked), ``unknown`` (a line not understood decides part of it and
nothing is blocked), or ``not_checked`` (the site does not say where a role is, or no
interface of the input routes it); a cell with some flows not checked says so in its note and
never turns them into a pass.  Each cell names its deciding line: the first line that blocks
(or cannot be decided), else the first that permits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from auditor.core.model import Source

PASS, BLOCKED, PARTLY, UNKNOWN, NOT_CHECKED = "pass", "blocked", "partly", "unknown", "not_checked"
STATUSES = (PASS, PARTLY, BLOCKED, UNKNOWN, NOT_CHECKED)
WORDS = {PASS: "pass", BLOCKED: "blocked", PARTLY: "partly blocked", UNKNOWN: "unknown", NOT_CHECKED: "not checked"}
# terminal table: one short word per status
SHORT = {PASS: "pass", BLOCKED: "BLOCK", PARTLY: "PART", UNKNOWN: "??", NOT_CHECKED: "n/c"}
# SVG colours (fill, text) per status: colour-blind safe pairs, each status also has its own word
COLOURS = {PASS: ("#1b7837", "#ffffff"), BLOCKED: ("#b2182b", "#ffffff"), PARTLY: ("#ef8a62", "#000000"),
           UNKNOWN: ("#fddb6d", "#000000"), NOT_CHECKED: ("#e0e0e0", "#404040")}


@dataclass(frozen=True)
class FlowState:
    """One required flow between two roles, as the audit left it."""

    key: str  # spec:src->dst
    spec: str
    label: str
    ports: str  # "445/tcp"
    src: str
    dst: str
    status: str  # one of STATUSES
    line: Source | None  # the deciding line
    note: str = ""


@dataclass(frozen=True)
class Cell:
    status: str
    flows: tuple[FlowState, ...]
    line: Source | None

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for f in self.flows:
            out[f.status] += 1
        return out

    def note(self) -> str:
        """One line for a tooltip: the status, then each flow and its own status."""
        parts = ["%s %s -> %s: %s" % (f.label, f.src, f.dst, WORDS[f.status] + (" (%s)" % f.note if f.note else ""))
                 for f in self.flows]
        return "%s. %s" % (WORDS[self.status], "; ".join(parts))


@dataclass(frozen=True)
class Matrix:
    title: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: dict = field(default_factory=dict)  # (row, col) -> Cell
    row_title: str = "from"
    col_title: str = "to"
    col_notes: dict = field(default_factory=dict)  # col -> a longer label


def flow_states(result) -> list[FlowState]:
    """Every required flow of the policy for the site's roles, checked or not, in the pack's order."""
    from auditor.policy import load_pack

    pack = load_pack(result.policy)
    specs = {s.id: s for s in pack.flows}
    status = {f["flow"]: f["status"] for f in result.flows}
    lines = getattr(result, "flow_lines", {}) or {}
    blocking: dict[str, Source] = {}
    for f in result.findings:
        if f.rule_id == "PRN100" and f.key not in blocking:
            blocking[f.key] = f.source
    unchecked = {k: (missing, why) for k, why, missing in result.unchecked}
    out: list[FlowState] = []
    for key in [f["flow"] for f in result.flows] + [k for k, _r, _m in result.unchecked]:
        spec_id, _, pair = key.partition(":")
        src, _, dst = pair.partition("->")
        spec = specs.get(spec_id)
        label = spec.label if spec else spec_id
        ports = "%s/%s" % (spec.ports, spec.proto) if spec else ""
        d = lines.get(key, {})
        note = ""
        if key in unchecked:
            st, line = NOT_CHECKED, None
            missing, why = unchecked[key]
            note = "the site does not say where %s is" % " and ".join(missing) if missing else "roles " + why
        else:
            raw = status.get(key, "unknown")
            if raw == "pass":
                st = PASS
                line = next(iter(d.get("permit", ())), None)
            elif raw == "fail":
                st = PARTLY if d.get("allowed") else BLOCKED
                line = blocking.get(key) or next(iter(d.get("deny", ())), None)
            elif raw == "not_routed":
                st, line = NOT_CHECKED, None
                note = "no interface or route of the input reaches it"
            else:
                st = UNKNOWN
                line = blocking.get(key) or next(iter(d.get("unknown", ())), None)
        out.append(FlowState(key, spec_id, label, ports, src, dst, st, line, note))
    order = {s.id: i for i, s in enumerate(pack.flows)}
    out.sort(key=lambda f: order.get(f.spec, len(order)))
    return out


def _combine(flows: list[FlowState]) -> Cell:
    checked = [f for f in flows if f.status != NOT_CHECKED]
    kinds = {f.status for f in checked}
    if not checked:
        status = NOT_CHECKED
    elif kinds == {PASS}:
        status = PASS
    elif kinds == {BLOCKED}:
        status = BLOCKED
    elif kinds & {BLOCKED, PARTLY}:
        status = PARTLY
    else:
        status = UNKNOWN
    line = None
    for want in ((BLOCKED, PARTLY), (UNKNOWN,), (PASS,)):
        line = next((f.line for f in checked if f.status in want and f.line is not None), None)
        if line is not None:
            break
    return Cell(status, tuple(flows), line)


def _role_order(result, states: list[FlowState]) -> list[str]:
    from auditor.policy import load_pack

    named = [r for r in load_pack(result.policy).roles()]
    seen = {f.src for f in states} | {f.dst for f in states}
    return [r for r in named if r in seen] + sorted(seen - set(named))


def by_role(result, states: list[FlowState] | None = None) -> Matrix:
    """Source role by destination role: every required flow between the two in one cell."""
    states = flow_states(result) if states is None else states
    roles = _role_order(result, states)
    groups: dict[tuple[str, str], list[FlowState]] = {}
    for f in states:
        groups.setdefault((f.src, f.dst), []).append(f)
    rows = tuple(r for r in roles if any(k[0] == r for k in groups))
    cols = tuple(r for r in roles if any(k[1] == r for k in groups))
    cells = {k: _combine(v) for k, v in groups.items()}
    return Matrix("Required flows by source and destination role", rows, cols, cells, "from", "to")


def by_service(result, states: list[FlowState] | None = None) -> Matrix:
    """Source role by required flow (every destination of the flow in one cell)."""
    states = flow_states(result) if states is None else states
    roles = _role_order(result, states)
    groups: dict[tuple[str, str], list[FlowState]] = {}
    notes: dict[str, str] = {}
    for f in states:
        groups.setdefault((f.src, f.spec), []).append(f)
        notes.setdefault(f.spec, "%s (%s)" % (f.label, f.ports))
    rows = tuple(r for r in roles if any(k[0] == r for k in groups))
    cols = tuple(dict.fromkeys(f.spec for f in states))
    cells = {k: _combine(v) for k, v in groups.items()}
    return Matrix("Required flows by source role and service", rows, cols, cells, "from", "service", notes)


# --- text: a compact table for a terminal ----------------------------------------------------

_TTY_COLOURS = {PASS: "\033[32m", BLOCKED: "\033[31m", PARTLY: "\033[33m", UNKNOWN: "\033[35m",
                NOT_CHECKED: "\033[2m"}


def text_table(m: Matrix, color: bool = False) -> list[str]:
    """The matrix as lines of text: a header of column names, one row per source role."""
    if not m.rows or not m.cols:
        return []
    first = max(len(m.row_title) + 3 + len(m.col_title), *(len(r) for r in m.rows)) + 2
    widths = [max(len(c), 5) + 2 for c in m.cols]
    out = ["%s (%s: rows, %s: columns)" % (m.title, m.row_title, m.col_title)]
    head = ("%s \\ %s" % (m.row_title, m.col_title)).ljust(first)
    out.append(head + "".join(c.ljust(w) for c, w in zip(m.cols, widths, strict=True)).rstrip())
    for r in m.rows:
        line = r.ljust(first)
        for c, w in zip(m.cols, widths, strict=True):
            cell = m.cells.get((r, c))
            word = SHORT[cell.status] if cell else "."
            pad = word.ljust(w)
            if color and cell:
                pad = "%s%s\033[0m%s" % (_TTY_COLOURS[cell.status], word, " " * (w - len(word)))
            line += pad
        out.append(line.rstrip())
    out.append("  %s, . no required flow" % ", ".join("%s %s" % (SHORT[s], WORDS[s]) for s in STATUSES))
    return out


# --- SVG ---------------------------------------------------------------------------------

CELL_W, CELL_H, CHAR_W = 84, 26, 7.2


def svg(m: Matrix, href=None, ident: str = "matrix") -> str:
    """The matrix as an SVG picture (presentation attributes only, no style or script, so it
    passes a strict Content-Security-Policy); ``href(source)`` gives each cell's link to its
    deciding line (none: no links)."""
    if not m.rows or not m.cols:
        return ""
    left = int(max(len(r) for r in m.rows) * CHAR_W) + 24
    top = int(max(len(c) for c in m.cols) * CHAR_W * 0.6) + 28
    width = left + CELL_W * len(m.cols) + 16
    height = top + CELL_H * len(m.rows) + 58
    e = escape
    out = ['<svg xmlns="http://www.w3.org/2000/svg" class="matrix" id="%s" role="img" '
           'aria-labelledby="%s-title" viewBox="0 0 %d %d" width="%d" height="%d" '
           'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12">'
           % (e(ident), e(ident), width, height, width, height),
           '<title id="%s-title">%s</title>' % (e(ident), e(m.title))]
    # column labels, slanted
    for j, c in enumerate(m.cols):
        x = left + CELL_W * j + CELL_W / 2
        label = m.col_notes.get(c, c)
        out.append('<text x="%.1f" y="%d" transform="rotate(-35 %.1f %d)" fill="#202020"><title>%s</title>%s</text>'
                   % (x, top - 8, x, top - 8, e(label), e(c)))
    for i, r in enumerate(m.rows):
        y = top + CELL_H * i
        out.append('<text x="%d" y="%.1f" text-anchor="end" fill="#202020">%s</text>'
                   % (left - 8, y + CELL_H / 2 + 4, e(r)))
        for j, c in enumerate(m.cols):
            x = left + CELL_W * j
            cell = m.cells.get((r, c))
            if cell is None:
                out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#ffffff" stroke="#d0d0d0"/>'
                           % (x, y, CELL_W, CELL_H))
                continue
            fill, ink = COLOURS[cell.status]
            n = cell.counts()
            checked = len(cell.flows) - n[NOT_CHECKED]
            word = "partly %d/%d" % (n[PASS], checked) if cell.status == PARTLY else WORDS[cell.status]
            body = ('<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="2"/>'
                    '<text x="%.1f" y="%.1f" text-anchor="middle" fill="%s">%s</text>'
                    % (x, y, CELL_W, CELL_H, fill, x + CELL_W / 2, y + CELL_H / 2 + 4, ink, e(word)))
            where = (" Deciding line: %s:%d" % (cell.line.path, cell.line.line)) if cell.line else ""
            tip = "<title>%s</title>" % e("%s -> %s: %s%s" % (r, c, cell.note(), where))
            if href is not None and cell.line is not None:
                out.append('<a href="%s" class="cell cell-%s" data-status="%s">%s%s</a>'
                           % (e(href(cell.line)), cell.status, cell.status, tip, body))
            else:
                out.append('<g class="cell cell-%s" data-status="%s">%s%s</g>' % (cell.status, cell.status, tip, body))
    # legend
    y = top + CELL_H * len(m.rows) + 22
    x = 8
    for s in STATUSES:
        fill, _ink = COLOURS[s]
        out.append('<rect x="%d" y="%d" width="14" height="14" fill="%s"/>' % (x, y - 11, fill))
        out.append('<text x="%d" y="%d" fill="#202020">%s</text>' % (x + 19, y, e(WORDS[s])))
        x += 19 + int(len(WORDS[s]) * CHAR_W) + 18
    out.append('<text x="8" y="%d" fill="#505050">rows: %s role; columns: %s; a cell links to the line that '
               'decides it</text>' % (y + 22, e(m.row_title), e(m.col_title)))
    out.append("</svg>")
    return "\n".join(out)
