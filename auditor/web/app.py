"""The page: a form (paste a config, drop files, choose the policy, fill the roles) and its audit.

Routes: ``GET /`` the form; ``POST /audit`` the audit of what was submitted, on the same page
(the roles pre-filled from a site file dropped with the config, or else, when none were given,
from ``auditor.init`` guesses, marked as guesses);
``GET /static/{page.css,report.css}``.  The result offers the JSON, SARIF, Markdown and HTML
reports as downloads made when the audit ran (``data:`` links: nothing is kept on the server
between requests).

Safety: a body over ``max_bytes`` is refused with a clear message (413) before it is read
further; every response carries a strict Content-Security-Policy (no script at all, style
from this server only, no framing); a POST from another origin is refused; the Host header
must name this server (no DNS rebinding); the pasted text is shown again only redacted of
secrets (``auditor.core.secrets.redact``), as every config line and message on the page.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from auditor.core.secrets import redact

HERE = Path(__file__).resolve().parent
REPORT_STATIC = HERE.parent / "report" / "static"
DEFAULT_MAX_BYTES = 20 << 20
PASTE_NAME = "pasted-config"
DOWNLOADS = (("json", "JSON", "prinergy-audit.json", "application/json"),
             ("sarif", "SARIF", "prinergy-audit.sarif", "application/sarif+json"),
             ("markdown", "Markdown", "prinergy-audit.md", "text/markdown"),
             ("html", "HTML", "prinergy-audit.html", "text/html"))
DOWNLOADS_MAX = 32 << 20  # offered in the page up to this size in all
HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # (with no-referrer, a browser sends its own forms as Origin: null)
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cache-control": "no-store",
}


class TooLarge(Exception):
    """The request body is over the limit."""


class BadForm(Exception):
    """A form that cannot be read; one line for the person."""


@dataclass
class Submission:
    """What a form carried: the inputs (name, text), the policy, the vendor and the roles."""

    inputs: list[tuple[str, str]] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # the inputs that are files (not the paste)
    pasted: str = ""
    policy: str = "prinergy-8"
    vendor: str = "auto"
    vdom: str = ""  # the device of a config holding several (a FortiOS VDOM), as --vdom
    roles: dict[str, str] = field(default_factory=dict)  # the role fields filled in
    site: tuple[str, str] | None = None  # (name, text) of a site file among the files
    error: str | None = None  # what of the form was refused (the rest is kept, to be shown again)


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _role_names() -> list[str]:
    from auditor.policy import list_packs, load_pack

    names: list[str] = []
    for p in list_packs():
        names += [r for r in load_pack(p).roles() if r not in names]
    return names


def _vendors() -> list[str]:
    from parsers import VENDORS

    return ["auto", *VENDORS]


def _policies() -> list[str]:
    from auditor.policy import list_packs

    return list_packs()


# --- reading a request ---------------------------------------------------------------------

async def read_body(receive, headers: dict[str, str], limit: int) -> bytes:
    """The request body, read into memory; ``TooLarge`` as soon as it passes ``limit``."""
    try:
        declared = int(headers.get("content-length", "0") or 0)
    except ValueError:
        raise BadForm("the request's Content-Length is not a number") from None
    if declared > limit:
        raise TooLarge()
    body = bytearray()
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise BadForm("the browser closed the connection")
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > limit:
            raise TooLarge()
    return bytes(body)


async def drain(receive, limit: int) -> None:
    """Read and drop what is left of a refused body (up to ``limit`` more bytes), so the browser
    gets the answer instead of a reset connection."""
    seen = 0
    while seen <= limit:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def parse_form(body: bytes, content_type: str) -> list[tuple[str, str | None, bytes]]:
    """(field name, file name or None, bytes) of each part of a multipart/form-data or
    urlencoded body, parsed in memory."""
    import logging

    from python_multipart.multipart import MultipartParser, parse_options_header

    # its parse errors are logged (a line on the server's stderr per bad request, "Expected boundary
    # character ..."); the answer says it once, and nothing about a request is logged
    logging.getLogger("python_multipart").addHandler(logging.NullHandler())
    logging.getLogger("python_multipart").propagate = False
    kind, params = parse_options_header(content_type)
    if kind == b"application/x-www-form-urlencoded":
        from urllib.parse import parse_qsl

        try:
            return [(k, None, v.encode("utf-8")) for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True)]
        except UnicodeDecodeError:
            raise BadForm("the form is not UTF-8") from None
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise BadForm("send the form as multipart/form-data")
    parts: list[tuple[str, str | None, bytes]] = []
    state: dict = {"field": bytearray(), "value": bytearray(), "headers": {}, "data": bytearray()}

    def on_part_begin() -> None:
        state["headers"] = {}
        state["data"] = bytearray()

    def on_header_field(b: bytes, s: int, e: int) -> None:
        state["field"] += b[s:e]

    def on_header_value(b: bytes, s: int, e: int) -> None:
        state["value"] += b[s:e]

    def on_header_end() -> None:
        state["headers"][bytes(state["field"]).lower()] = bytes(state["value"])
        state["field"], state["value"] = bytearray(), bytearray()

    def on_part_data(b: bytes, s: int, e: int) -> None:
        state["data"] += b[s:e]

    def on_part_end() -> None:
        _disp, p = parse_options_header(state["headers"].get(b"content-disposition", b""))
        name = p.get(b"name", b"").decode("utf-8", "replace")
        filename = p.get(b"filename")
        parts.append((name, filename.decode("utf-8", "replace") if filename is not None else None,
                      bytes(state["data"])))

    parser = MultipartParser(params[b"boundary"], {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_part_data": on_part_data, "on_part_end": on_part_end})
    try:
        parser.write(body)
        parser.finalize()
    except Exception:  # (python-multipart's parse errors): one line, never the body
        raise BadForm("the form could not be read (a malformed multipart body)") from None
    return parts


_SAFE_NAME = re.compile(r"[^\w.@+-]+")


def _file_name(raw: str, n: int) -> str:
    """A shown name for an uploaded file: its base name, plain characters only."""
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE_NAME.sub("_", base).strip("._")[:80]
    return base or "file-%d" % n


def submission(parts: list[tuple[str, str | None, bytes]], limit: int = DEFAULT_MAX_BYTES * 8) -> Submission:
    """The form's fields; uploaded and carried files as inputs, the pasted text as another.  A field
    that cannot be taken (a binary file, an unknown policy) is ``error``, the first such; every
    other field is still read, so the page shows the form again as it was sent.  An archive (a Check
    Point Show Package export) is read in memory, each of its JSON files an input, up to ``limit``
    bytes of them in all."""
    from parsers import InputError, decode, unpack

    sub = Submission()
    carried_names: list[str] = []
    carried_texts: list[str] = []
    names: set[str] = set()

    def unique(name: str) -> str:
        base, k = name, 2
        while name in names:
            name = "%s-%d" % (base, k)
            k += 1
        names.add(name)
        return name

    def text_of(data: bytes, shown: str) -> str | None:
        try:
            return decode(data, shown)
        except InputError as e:
            sub.error = sub.error or str(e)
            return None

    for field_name, filename, data in parts:
        if field_name == "files" and filename is not None:
            if not data:
                continue  # (an empty file input)
            name = unique(_file_name(filename, len(names) + 1))
            try:
                members = unpack(data, name, limit)
            except InputError as e:
                sub.error = sub.error or str(e)
                continue
            if members is not None:  # an export's archive: each of its files, named archive!member
                for shown, text in members:
                    sub.files.append((unique(_file_name(shown.replace("!", "_").replace("/", "_"), len(names) + 1)),
                                      text))
                continue
            text = text_of(data, name)
            if text is not None:
                sub.files.append((name, text))
        elif field_name == "config":
            sub.pasted = data.decode("utf-8", "replace")
        elif field_name == "input_name":
            carried_names.append(_file_name(data.decode("utf-8", "replace"), len(carried_names) + 1))
        elif field_name == "input_text":
            carried_texts.append(data.decode("utf-8", "replace"))
        elif field_name == "policy":
            sub.policy = data.decode("utf-8", "replace").strip() or sub.policy
        elif field_name == "vendor":
            sub.vendor = data.decode("utf-8", "replace").strip() or "auto"
        elif field_name == "vdom":
            sub.vdom = data.decode("utf-8", "replace").strip()
        elif field_name.startswith("role_"):
            value = data.decode("utf-8", "replace").strip()
            if value:
                sub.roles[field_name[5:]] = value
    for name, text in zip(carried_names, carried_texts, strict=False):
        if text.strip():
            sub.files.append((unique(name), text))
    if sub.pasted.strip():
        text = text_of(sub.pasted.encode("utf-8"), PASTE_NAME)
        if text is not None:
            sub.inputs.append((unique(PASTE_NAME), text))
    sites = [(n, t) for n, t in sub.files if is_site_file(n, t)]
    if len(sites) > 1:
        sub.error = sub.error or "%s are all site files: give one" % ", ".join(n for n, _t in sites)
    sub.site = sites[0] if sites else None
    sub.inputs += [f for f in sub.files if f not in sites]
    if sub.policy not in _policies():
        sub.error = sub.error or "unknown policy '%s' (available: %s)" % (sub.policy, ", ".join(_policies()))
        sub.policy = "prinergy-8"
    if sub.vendor not in _vendors():
        sub.error = sub.error or "unknown vendor '%s'" % sub.vendor
        sub.vendor = "auto"
    return sub


def is_site_file(name: str, text: str) -> bool:
    """Whether a dropped file is a site file (``policy``, ``roles``, ... in YAML) rather than a config."""
    return name.lower().endswith((".yaml", ".yml")) and re.search(r"^roles\s*:", text, re.M) is not None


# --- the audit -------------------------------------------------------------------------------

def run_audit(sub: Submission) -> dict:
    """Audit a submission; what the page shows (an ``error`` line instead when it cannot).  A site
    file's bundled policy is the one audited with (``sub.policy`` set to it, as the page then shows)."""
    from auditor.api import audit, combine_inputs, load_config
    from auditor.init import suggest
    from auditor.policy import PolicyError, load_site
    from auditor.report import render
    from auditor.report.html import body
    from parsers import InputError, redact_text

    if sub.error:
        return {"error": sub.error, "roles": sub.roles}
    if not sub.inputs:
        return {"error": "Paste a configuration or choose a file first.", "roles": sub.roles}
    try:
        cfgs = [load_config(name, sub.vendor, text=text, part=sub.vdom or None) for name, text in sub.inputs]
    except (InputError, ValueError) as e:
        return {"error": for_the_page(str(e)), "roles": sub.roles}
    # the configs as the report shows them: each line as its parser quotes it (vendor secrets too)
    texts = {name: redact_text(text, cfg.vendor) for (name, text), cfg in zip(sub.inputs, cfgs, strict=True)}
    guesses = []
    roles = dict(sub.roles)
    try:
        # a site file dropped with the config: its roles, shift and devices traffic passes, as --site
        # gives them; a role field filled in replaces the file's addresses for that role
        from_file = load_site(sub.site[0], text=sub.site[1]) if sub.site else None
    except (PolicyError, ValueError) as e:
        return {"error": for_the_page(str(e)), "roles": roles}
    if from_file is not None:
        if from_file.policy is not None:
            if from_file.policy not in _policies():
                return {"error": "%s: policy '%s': the page audits with a bundled policy (%s); audit with a "
                                 "policy file from the command line (prinergy-audit audit CONFIG --site %s)"
                                 % (sub.site[0], from_file.policy, ", ".join(_policies()), sub.site[0]),
                        "roles": roles}
            sub.policy = from_file.policy
        for r, entries in from_file.roles.items():
            roles.setdefault(r, ", ".join(e.text for e in entries))
    elif not roles:
        guesses = suggest(cfgs)
        for g in guesses:
            roles[g.role] = (roles[g.role] + ", " if g.role in roles else "") + g.value
    flags = ["%s=%s" % (r, ",".join(a for a in re.split(r"[\s,]+", v) if a)) for r, v in roles.items()
             if from_file is None or r in sub.roles]
    try:
        site = load_site(None, flags)
        if from_file is not None:
            site = replace(from_file, roles={**from_file.roles, **site.roles})
        cfgs = combine_inputs(cfgs, None, site)
        result = audit(cfgs, site, sub.policy)
    except (InputError, PolicyError, ValueError) as e:
        why = for_the_page(str(e))
        bad = re.match(r"role (\w+): ", why)
        return {"error": why, "roles": roles, "guesses": _guess_notes(guesses), "bad_role": bad and bad.group(1)}
    downloads = []
    total = 0
    for fmt, label, filename, mime in DOWNLOADS:
        data = render(fmt, result).encode("utf-8")
        total += len(data)
        downloads.append({"format": fmt, "label": label, "filename": filename,
                          "href": "data:%s;charset=utf-8;base64,%s" % (mime, base64.b64encode(data).decode("ascii")),
                          "size": len(data)})
    if total > DOWNLOADS_MAX:
        downloads = []
    return {"error": None, "report": body(result, texts=texts), "downloads": downloads, "roles": roles,
            "guesses": _guess_notes(guesses), "verdict": result.verdict}


def for_the_page(message: str) -> str:
    """An error as the page says it: the command line's flags named by the page's fields (the roles
    come from the role fields, not ``--role`` flags; the vendor from "Read as", not ``--vendor``)."""
    message = re.sub(r"^--role(?::\d+)?: (?:role (\w+): )?", lambda m: "role %s: " % m.group(1) if m.group(1) else "",
                     message)
    message = message.replace("use --vendor to choose one", 'choose one under "Read as"')
    message = re.sub(r"--vdom (?:does not apply|NAME)", lambda m: m.group(0).replace("--vdom", 'the "VDOM" field'),
                     message)
    return re.sub(r"`?--vendor ([\w-]+)`?", r'"Read as: \1"', message)


def _guess_notes(guesses) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    for g in guesses:
        out.setdefault(g.role, []).append("%s: %s, %s line %d" % (g.value, g.why, g.source.path, g.source.line))
    return {r: "; ".join(v) for r, v in out.items()}


# --- the ASGI application -----------------------------------------------------------------------

def _page(**context) -> str:
    """The page; every text from the request or the config goes through ``redact`` first."""
    for key in ("error", "vdom"):
        if context.get(key):
            context[key] = redact(str(context[key])).replace("\n", " ")
    for key in ("roles", "guesses"):
        if context.get(key):
            context[key] = {r: redact(v) for r, v in context[key].items()}
    if context.get("inputs"):
        context["inputs"] = [(redact(n), t) for n, t in context["inputs"]]
    base = {"roles": {}, "guesses": {}, "error": None, "report": None, "downloads": [], "inputs": [],
            "pasted": "", "policy": "prinergy-8", "vendor": "auto", "verdict": None, "limit_mb": 20, "bad_role": None,
            "vdom": "",
            "role_names": _role_names(), "policies": _policies(), "vendors": _vendors()}
    base.update(context)
    return _env().get_template("page.html").render(**base)


def create_app(max_bytes: int = DEFAULT_MAX_BYTES, allowed_hosts: tuple[str, ...] | None = None):
    """The Starlette application; ``allowed_hosts`` (None: any) are the Host names it answers to."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route

    limit_mb = max(1, max_bytes >> 20)

    async def index(request):
        return HTMLResponse(_page(limit_mb=limit_mb))

    async def audit_page(request):
        try:
            if not _same_origin(request):
                return HTMLResponse(_page(limit_mb=limit_mb, error="This page only takes forms from itself."),
                                    status_code=403)
            try:
                body = await read_body(request.receive, dict(request.headers), max_bytes)
            except TooLarge:
                await drain(request.receive, 64 << 20)
                return HTMLResponse(_page(limit_mb=limit_mb, error=(
                    "The request is larger than %d MB, this page's limit. Audit a configuration that large from "
                    "the command line (prinergy-audit audit FILE), or start the page with a larger "
                    "--max-size." % limit_mb)), status_code=413)
            sub = submission(parse_form(body, request.headers.get("content-type", "")), 8 * max_bytes)
            got = run_audit(sub)
            from parsers import redact_text
            return HTMLResponse(_page(limit_mb=limit_mb, pasted=redact_text(sub.pasted, sub.vendor),
                                      inputs=[(name, redact_text(text, sub.vendor)) for name, text in sub.files],
                                      policy=sub.policy, vendor=sub.vendor, vdom=sub.vdom, **got),
                                status_code=200 if not got.get("error") else 400 if sub.error else 422)
        except BadForm as e:
            return HTMLResponse(_page(limit_mb=limit_mb, error=str(e)), status_code=400)
        except Exception as e:  # a bug: one line, no traceback, nothing logged
            return HTMLResponse(_page(limit_mb=limit_mb, error="internal error: %s" % type(e).__name__),
                                status_code=500)

    async def static(request):
        name = request.path_params["name"]
        folder = {"page.css": HERE / "static", "report.css": REPORT_STATIC}.get(name)
        if folder is None:
            return PlainTextResponse("not found", status_code=404)
        return Response((folder / name).read_bytes(), media_type="text/css")

    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    return Starlette(routes=[Route("/", index, methods=["GET"]), Route("/audit", audit_page, methods=["POST"]),
                             Route("/static/{name}", static, methods=["GET"])],
                     middleware=middleware)


def _same_origin(request) -> bool:
    """A POST from another site is refused: the browser's Sec-Fetch-Site says where the form
    came from (same-origin, or none when typed); without it, the Origin header, if any, must
    name this server."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1].rstrip("/") == request.headers.get("host", "")


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every response (errors included)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
