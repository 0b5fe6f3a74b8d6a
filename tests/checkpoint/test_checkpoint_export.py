"""A policy export as a folder or a .tar.gz: read whole, safely, and audited as one device.

The archive's layout is the Show Package tool's (CheckPointSW/ShowPolicyPackage, README: "The tool
generates a compressed file (.tar.gz) containing ... HTML files ... JSON files - The objects and
rules exported as multiple JSON files"): one flat JSON list of sections and rules per layer, named
``<layer>-<domain>.json`` by FileNameUtils.sanitizeFileName, ``<package>_objects.json``, and
``index.json`` with each package's ordered ``accessLayers`` (its HtmlUtils writes the JSON of each
page with ``toJSONString``: compact, one line).
"""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from cp_helpers import (
    decide,
    host,
    layer,
    objects_reply,
    rule,
    section,
    system_objects,
    tcp,
    text,
    uid,
)

from parsers.checkpoint import export
from parsers.checkpoint.export import load_export, read_export
from parsers.kit import InputError


def _tool_files():
    """The JSON files of a Show Package export of package Standard (layers Network and, inline, Lab)."""
    ws, srv = host("ws", "10.30.0.5"), host("srv", "10.20.0.10")
    smb, web = tcp("smb", "445"), tcp("https", "443")
    lab_uid, net_uid = uid(), uid()
    lab_layer_obj = {"uid": lab_uid, "name": "Lab", "type": "access-layer", "implicit-cleanup-action": "drop"}
    net_rules = [section("Servers", []), rule("to lab", [ws], action="Inner Layer", inline=lab_uid),
                 rule("smb", [ws], [srv], [smb]), rule("Cleanup rule", action="Drop")]
    net_flat = [dict(net_rules[0])] + net_rules[1:]
    net_flat[0].pop("rulebase")
    lab_flat = [rule("lab https", svc=[web])]
    objects = system_objects() + [ws, srv, smb, web, lab_layer_obj]
    index = {"domain": "SMC User", "policyPackages": [{"packageName": "Standard", "accessLayers": [
        {"uid": net_uid, "name": "Network", "domain": "Management server", "domainType": "domain",
         "htmlFileName": "Network-Management_server.html"}], "threatLayers": [], "natLayer": [], "httpsLayers": []}]}
    compact = {"separators": (",", ":")}
    return {
        "index.json": json.dumps(index, **compact),
        "Network-Management_server.json": json.dumps(net_flat, **compact),
        "Lab-Management_server.json": json.dumps(lab_flat, **compact),
        "Standard_objects.json": json.dumps(objects, **compact),
        "index.html": "<html>not read</html>",
        "show_package-2026-01-01_00-00-00.elg": "log, not read",
    }


def _tar(files: dict, path, extra=None) -> str:
    with tarfile.open(path, "w:gz") as tar:
        for name, body in files.items():
            data = body.encode()
            info = tarfile.TarInfo("show_package/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info, data in extra or ():
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return str(path)


def test_show_package_archive_is_one_device(tmp_path):
    path = _tar(_tool_files(), tmp_path / "export.tar.gz")
    shown = [p for p, _t in read_export(path)]
    assert shown == sorted(path + "!show_package/" + n for n in (
        "Lab-Management_server.json", "Network-Management_server.json", "Standard_objects.json", "index.json"))
    cfg = load_export(path)
    assert [s.name for s in cfg.paths[0].stages] == ["Network"]  # the index's ordered layer; Lab is inline
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=443) == "permit"  # Lab's rule, through 'to lab'
    assert decide(cfg, "10.30.0.5", "10.20.0.10", dport=445) == "deny"  # Lab's implicit cleanup: drop
    assert decide(cfg, "10.30.0.6", "10.20.0.10", dport=445) == "deny"  # Cleanup rule
    rules = cfg.filters["Network"].rules
    assert rules[0].source.path == path + "!show_package/Lab-Management_server.json"
    assert rules[0].source.text.strip() == '"name": "lab https",'  # the line of the file re-indented
    compact = [d.source.path.rsplit("/", 1)[1] for d in cfg.diagnostics if "compact JSON" in d.message]
    # (index.json, a few hundred characters, stays as it is: its one line is short enough to quote)
    assert compact == ["Lab-Management_server.json", "Network-Management_server.json", "Standard_objects.json"]
    # Lab's cleanup comes from its object; the export holds no Global Properties: their implied rules are said once
    assert [d.impact.value for d in cfg.diagnostics if d.impact.value != "none"] == ["filter"]
    assert [d for d in cfg.diagnostics if d.impact.value != "none"][0].message.startswith(
        "line not understood: the implied rules of Global Properties")


def test_folder_of_saved_replies(tmp_path):
    ws = host("ws", "10.30.0.5")
    (tmp_path / "rulebase.json").write_text(text(layer("Network", [rule("r", [ws["uid"]])], [])))
    (tmp_path / "objects").mkdir()
    (tmp_path / "objects" / "show-hosts.json").write_text(text(objects_reply([ws])))
    (tmp_path / "notes.txt").write_text("not read")
    (tmp_path / "link.json").symlink_to(tmp_path / "rulebase.json")  # links are not followed
    shown = [p for p, _t in read_export(str(tmp_path))]
    assert shown == [str(tmp_path / "objects" / "show-hosts.json"), str(tmp_path / "rulebase.json")]
    cfg = load_export(str(tmp_path))
    assert decide(cfg, "10.30.0.5", "10.20.0.10") == "permit"
    assert decide(cfg, "10.30.0.6", "10.20.0.10") == "deny"
    assert cfg.path.endswith("rulebase.json")


def test_members_are_read_in_memory_only(tmp_path):
    # a member named ../../escape.json is read like any other: nothing is written, nothing escapes
    evil = tarfile.TarInfo("../../escape.json")
    body = text(layer("Network", [rule("r")], [])).encode()
    evil.size = len(body)
    link = tarfile.TarInfo("show_package/link.json")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    path = _tar({}, tmp_path / "evil.tgz", [(evil, body), (link, None)])
    before = set(tmp_path.parent.iterdir())
    (shown, _t), = read_export(path)
    assert shown == path + "!escape.json"
    assert set(tmp_path.parent.iterdir()) == before


@pytest.mark.parametrize("bound, value, message", [
    ("MAX_MEMBERS", 3, "more than 3 archive members"),
    ("MAX_FILE", 100, "larger than 0 MiB"),
    ("MAX_TOTAL", 1000, "hold more than 0 MiB"),
])
def test_archive_bounds(tmp_path, monkeypatch, bound, value, message):
    path = _tar(_tool_files(), tmp_path / "export.tar.gz")
    monkeypatch.setattr(export, bound, value)
    with pytest.raises(InputError, match=message):
        read_export(path)


@pytest.mark.parametrize("content, message", [
    (b"\x1f\x8b\x08\x00garbage", "not a readable .tar or .tar.gz archive"),
    (b"", "not a readable .tar or .tar.gz archive"),
])
def test_bad_archives(tmp_path, content, message):
    p = tmp_path / "x.tar.gz"
    p.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_export(str(p))


def test_empty_exports_and_other_json(tmp_path):
    with pytest.raises(InputError, match="no JSON file"):
        read_export(str(tmp_path))
    (tmp_path / "a.json").write_text('{"foo": 1}')
    with pytest.raises(InputError, match="a.json: not a Check Point"):
        load_export(str(tmp_path))
    with pytest.raises(InputError, match="no such file"):
        read_export(str(tmp_path / "missing.tgz"))
    assert export.is_export(str(tmp_path)) and export.is_export("x.tgz") and not export.is_export("x.json")
