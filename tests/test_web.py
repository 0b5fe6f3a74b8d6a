"""The local page over real HTTP (``prinergy-audit serve`` in a subprocess, requests with urllib):
the form, the audit, the downloads, the size limit, the security headers, secrets, and that
nothing is written to disk or logged.  The same page in a real browser: ``test_web_browser.py``."""

from __future__ import annotations

import base64
import html
import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid

import jsonschema
import pytest
from conftest import EXAMPLES, FIXTURES
from web_helpers import files_under, start_server

ASA = (EXAMPLES / "prinergy-site" / "asa.cfg").read_bytes()
ROLES = {"primary": "10.20.0.10", "secondary": "10.20.0.11, 10.20.0.12", "license_server": "10.20.0.10",
         "colorflow": "10.20.0.20", "workshop": "10.30.0.0/24", "admin": "10.40.0.5"}
# the secrets the example config carries (tests/test_secrets.py plants more forms)
SECRETS = ["8Ry2YjIyt7RRXU24", "2KFQnbNIdI.2KYOU", "Pr1nergyRadiusK3y", "s3cretCommunity", "Sup3rSecretPSK",
           "Q2hhbmdlTWUxMjM="]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("serve"), "--max-size", "1")
    yield srv
    srv.stop()


def multipart(fields: list[tuple[str, str | bytes]], files: list[tuple[str, str, bytes]] = ()) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary.encode(), name.encode())
        out += value if isinstance(value, bytes) else value.encode()
        out += b"\r\n"
    for name, filename, data in files:
        out += (b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                b"Content-Type: application/octet-stream\r\n\r\n"
                % (boundary.encode(), name.encode(), filename.encode()))
        out += data + b"\r\n"
    out += b"--%s--\r\n" % boundary.encode()
    return bytes(out), "multipart/form-data; boundary=%s" % boundary


def post(server, fields, files=(), headers=None) -> tuple[int, dict, str]:
    body, ctype = multipart(fields, files)
    req = urllib.request.Request(server.url + "audit", data=body, method="POST",
                                 headers={"Content-Type": ctype, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def role_fields(roles=ROLES) -> list[tuple[str, str]]:
    return [("role_%s" % k, v) for k, v in roles.items()]


def downloads(page: str) -> dict[str, bytes]:
    out = {}
    for m in re.finditer(r'href="data:[^;"]+;charset=utf-8;base64,([^"]+)" id="download-(\w+)"', page):
        out[m.group(2)] = base64.b64decode(m.group(1))
    return out


def test_the_form(server):
    with urllib.request.urlopen(server.url, timeout=30) as r:
        page = r.read().decode()
        headers = dict(r.headers)
    assert 'enctype="multipart/form-data"' in page and 'name="config"' in page and 'type="file"' in page
    for role in ("primary", "secondary", "workshop", "admin", "license_server", "kodak_cloud", "storage", "veris",
                 "mis_link", "digital_front_end", "colorflow"):
        assert 'name="role_%s"' % role in page
    assert "<script" not in page.lower() and " style=" not in page.lower() and "http://" not in page.replace(
        server.url, "") and "https://" not in page
    _secure(headers)


def _secure(headers: dict) -> None:
    h = {k.lower(): v for k, v in headers.items()}
    csp = h["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert "'unsafe-inline'" not in csp and "style-src 'self'" in csp
    assert h["x-frame-options"] == "DENY" and h["x-content-type-options"] == "nosniff"
    assert h["cache-control"] == "no-store" and "server" not in h


def test_static_files_only_the_two_style_sheets(server):
    for name in ("report.css", "page.css"):
        with urllib.request.urlopen(server.url + "static/" + name, timeout=30) as r:
            assert r.headers["Content-Type"].startswith("text/css")
            css = r.read().decode()
            assert "url(" not in css and "@import" not in css  # nothing fetched from anywhere
    for name in ("../app.py", "x.css", "%2e%2e%2fapp.py"):
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(server.url + "static/" + name, timeout=30)
        assert e.value.code == 404


def test_the_audit_of_the_pasted_example(server):
    code, headers, page = post(server, [("config", ASA), ("policy", "prinergy-8"), ("vendor", "auto")]
                               + role_fields())
    assert code == 200, page[:2000]
    _secure(headers)
    assert "<script" not in page.lower()
    assert "prinergy-audit: FAIL" in page
    # findings grouped by severity, each pointing at its line in the view of the config
    assert re.search(r'<h3 id="findings-error">Errors \(\d+\)</h3>', page)
    assert 'href="#L0-76">pasted-config:76</a>' in page
    assert re.search(r'<tr id="L0-76" class="hit sev-error">', page)
    # the matrix, its workshop -> primary cell partly blocked and linked to the blocking line
    assert page.count("<svg") == 2
    cell = re.search(r'<a href="#(L0-\d+)" class="cell cell-partly" data-status="partly"><title>workshop -&gt; '
                     r'primary', page)
    assert cell and cell.group(1) == "L0-76"
    # the four downloads, made from the same audit
    got = downloads(page)
    assert sorted(got) == ["html", "json", "markdown", "sarif"]
    data = json.loads(got["json"])
    assert data["verdict"] == "fail" and data["inputs"][0]["path"] == "pasted-config"
    assert sum(1 for f in data["findings"] if f["severity"] == "error") == int(
        re.search(r"<span>(\d+) errors?</span>", page).group(1))
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(json.loads(got["sarif"]), schema)
    assert got["markdown"].decode().startswith("## prinergy-audit: FAIL")
    assert got["html"].decode().startswith("<!DOCTYPE html>") and b"<script" not in got["html"]


def test_secrets_never_reach_the_page_nor_its_downloads(server):
    code, _h, page = post(server, [("config", ASA)] + role_fields())
    assert code == 200
    everything = page + "".join(d.decode() for d in downloads(page).values())
    for secret in SECRETS:
        assert secret not in everything, secret
    assert "&lt;redacted&gt;" in page


def test_without_roles_they_are_guessed_and_marked(server):
    code, _h, page = post(server, [("config", ASA)])
    assert code == 200
    assert 'id="guess-banner"' in page
    m = re.search(r'<input id="role_primary" name="role_primary" value="([^"]*)" class="guess"', page)
    assert m and m.group(1) == "10.20.0.10"
    assert re.search(r'<small id="guess_primary" class="guess-note">guess: 10.20.0.10: written as PRINERGY-PRIMARY, '
                     r'pasted-config line 54</small>', page)
    assert 'value="10.30.0.0/24" class="guess"' in page


def test_files_dropped_and_carried_back(server):
    code, _h, page = post(server, role_fields(), files=[("files", "C:\\fw\\prepress fw.cfg", ASA)])
    assert code == 200 and "prinergy-audit: FAIL" in page
    assert "<code>prepress_fw.cfg</code>" in page  # (a base name, plain characters)
    carried = re.search(r'<textarea hidden name="input_text">(.*?)</textarea>', page, re.S).group(1)
    assert "&lt;redacted&gt;" in carried and "Sup3rSecretPSK" not in carried
    # auditing again the carried (redacted) text gives the same findings
    code2, _h, page2 = post(server, [("input_name", "prepress_fw.cfg"), ("input_text", html.unescape(carried))]
                            + role_fields())
    assert code2 == 200
    assert json.loads(downloads(page2)["json"])["findings"] == json.loads(downloads(page)["json"])["findings"]


@pytest.mark.parametrize("payload,needle", [
    (b"hello\nthis is not a firewall\n", "could not recognise the configuration format"),
    (b"address-object ipv4 \"WS\" network 10.30.0.0 255.255.255.0 zone LAN\n", "looks like a SonicWall"),
])
def test_bad_input_is_one_line_on_the_page(server, payload, needle):
    code, _h, page = post(server, [("config", payload)])
    assert code == 422
    err = re.search(r'<div class="error" role="alert" id="error">(.*?)</div>', page, re.S).group(1)
    assert needle in err and "\n" not in err.strip() and "Traceback" not in page


def test_a_binary_file_is_named(server):
    code, _h, page = post(server, [], files=[("files", "fw.bin", b"\x00\x01\x02" * 100)])
    assert code == 400 and "fw.bin is binary" in page


def test_nothing_pasted(server):
    code, _h, page = post(server, role_fields())
    assert code == 422 and "Paste a configuration or choose a file first." in page


def test_a_body_over_the_limit_gets_a_clear_message(server):
    big = b"access-list A extended permit ip any any\n" * 40000  # 1.6 MB, the server allows 1 MB
    code, headers, page = post(server, [("config", big)])
    assert code == 413
    assert "The request is larger than 1 MB, this page's limit." in html.unescape(page)
    _secure(headers)
    # sent in chunks, without a length: refused as soon as it passes the limit
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    body, ctype = multipart([("config", big)])
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.putrequest("POST", "/audit")
    conn.putheader("Content-Type", ctype)
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    for k in range(0, len(body), 65536):
        chunk = body[k:k + 65536]
        conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    conn.send(b"0\r\n\r\n")
    r = conn.getresponse()
    assert r.status == 413 and "this page's limit" in html.unescape(r.read().decode())
    conn.close()


def test_forms_from_other_sites_and_other_host_names_are_refused(server):
    code, _h, page = post(server, [("config", ASA)], headers={"Sec-Fetch-Site": "cross-site"})
    assert code == 403
    code, _h, page = post(server, [("config", ASA)], headers={"Origin": "http://evil.example"})
    assert code == 403
    req = urllib.request.Request(server.url, headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 400


def test_nothing_written_to_disk_or_logged(tmp_path):
    srv = start_server(tmp_path)
    try:
        for _ in range(2):
            assert post(srv, [("config", ASA)] + role_fields())[0] == 200
        assert post(srv, [("config", b"garbage\n")])[0] == 422
    finally:
        rest, err = srv.stop()
    assert files_under(srv.home) == []  # cwd, HOME and TMPDIR all empty
    assert rest.strip() == "" and err.strip() == "", (rest, err)
    assert srv.stdout[0].startswith("prinergy-audit page: http://127.0.0.1:")


def test_another_address_only_when_asked_and_with_a_warning(tmp_path):
    srv = start_server(tmp_path, "--bind", "0.0.0.0")
    try:
        with urllib.request.urlopen(srv.url, timeout=30) as r:
            assert r.status == 200
    finally:
        _rest, err = srv.stop()
    assert "listening on 0.0.0.0: anyone who can reach this computer" in err


def test_secrets_typed_into_a_field_are_not_echoed(server):
    code, _h, page = post(server, [("config", ASA), ("role_primary", "10.20.0.10, secret=Hunter2xyz")])
    assert code == 422 and "Hunter2xyz" not in page
    err = re.search(r'<div class="error" role="alert" id="error">(.*?)</div>', page, re.S).group(1)
    assert "&lt;redacted&gt;" in err


def test_a_port_in_use_is_one_line():
    import socket
    import subprocess
    import sys

    from conftest import ROOT

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        p = subprocess.run([sys.executable, "-m", "auditor.cli", "serve", "--port", str(port)], capture_output=True,
                           cwd=ROOT, timeout=60)
    assert p.returncode == 2 and p.stdout == b""
    assert p.stderr.decode().startswith("prinergy-audit: error: cannot listen on 127.0.0.1:%d: " % port)
    assert p.stderr.count(b"\n") == 1
