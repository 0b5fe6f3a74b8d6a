"""The published JSON Schemas (schemas/*.schema.json) are generated from the pydantic models the
code validates packs, site files, waivers and settings with: they must not drift, must accept the
files we ship and reject what the code rejects; the bundled YAML names its schema for editors."""

import importlib.util
import json
import tomllib

import jsonschema
import pytest
import yaml
from conftest import ROOT

SCHEMAS = ROOT / "schemas"


def generator():
    spec = importlib.util.spec_from_file_location("gen_schemas", ROOT / "scripts" / "gen_schemas.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / ("%s.schema.json" % name)).read_text(encoding="utf-8"))


def test_committed_schemas_equal_the_models():
    gen = generator()
    for name, (model, description) in gen.models().items():
        path = SCHEMAS / name
        assert path.is_file(), "missing %s: run .venv/bin/python scripts/gen_schemas.py" % name
        assert path.read_text(encoding="utf-8") == gen.render(name, model, description), (
            "%s drifted from its model: run .venv/bin/python scripts/gen_schemas.py" % name)
    assert {p.name for p in SCHEMAS.glob("*.json")} == set(gen.models())


def test_check_mode_reports_a_stale_schema(tmp_path, monkeypatch):
    gen = generator()
    monkeypatch.setattr(gen, "OUT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0 and gen.main(["--check"]) == 0
    (tmp_path / "pack.schema.json").write_text("{}")
    assert gen.main(["--check"]) == 1


def test_schemas_are_valid_json_schemas():
    for p in SCHEMAS.glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(p.read_text()))


@pytest.mark.parametrize("path", sorted((ROOT / "policies").glob("*.yaml")) +
                         sorted((ROOT / "examples" / "policies").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_yaml_validates_and_names_its_schema(path):
    text = path.read_text(encoding="utf-8")
    kind = "site" if path.name.endswith("site.yaml") else "pack"
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == (SCHEMAS / ("%s.schema.json" % kind)).resolve()
    jsonschema.validate(yaml.safe_load(text), schema(kind))


def test_example_site_files_validate():
    for p in sorted((ROOT / "examples").glob("*/site.yaml")):
        jsonschema.validate(yaml.safe_load(p.read_text()), schema("site"))


def test_schema_and_code_agree_on_what_is_wrong(tmp_path):
    from auditor.policy import PolicyError, load_pack, load_site
    from auditor.settings import SettingsError, load_settings
    from auditor.waivers import WaiverError, load_waivers

    bad_pack = {"name": "x", "extends": "prinergy-9", "colour": "red"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad_pack, schema("pack"))
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(bad_pack))
    with pytest.raises(PolicyError, match="unknown field"):
        load_pack(str(tmp_path / "p.yaml"))

    bad_site = {"roles": {"primary": {"address": "10.20.0.10"}}}  # a mapping, not a list or one address
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad_site, schema("site"))
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(bad_site))
    with pytest.raises(PolicyError):
        load_site(str(tmp_path / "s.yaml"))
    one = {"roles": {"primary": "10.20.0.10"}}  # one address without a list: both take it
    jsonschema.validate(one, schema("site"))
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(one))
    assert list(load_site(str(tmp_path / "s.yaml")).roles) == ["primary"]

    bad_waiver = [{"rule_id": "PRN160", "text": "a", "contains": "b", "justification": "j", "expires": "2030-01-01"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad_waiver, schema("waivers"))
    (tmp_path / "w.yaml").write_text(yaml.safe_dump(bad_waiver))
    with pytest.raises(WaiverError):
        load_waivers(str(tmp_path / "w.yaml"))
    good_waiver = [dict(bad_waiver[0], contains=None)]
    del good_waiver[0]["contains"]
    jsonschema.validate(good_waiver, schema("waivers"))

    bad_settings = 'fail-on = "high"\n'
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(tomllib.loads(bad_settings), schema("settings"))
    (tmp_path / ".prinergy-audit.toml").write_text(bad_settings)
    with pytest.raises(SettingsError, match=r"\.prinergy-audit\.toml:1:1: fail-on"):
        load_settings(str(tmp_path / ".prinergy-audit.toml"))
    jsonschema.validate({"site": "s.yaml", "fail-on": "warning", "format": ["json", "sarif"]}, schema("settings"))
