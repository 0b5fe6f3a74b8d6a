#!/usr/bin/env python3
"""Generate schemas/*.schema.json: the JSON Schemas of the files people write, from the pydantic
models the code validates them with (packs, site files, waivers, settings).

``tests/test_schemas.py`` checks that the committed schemas equal what this script produces, so
they cannot drift from the code.  Editors use them: the bundled YAML files start with
``# yaml-language-server: $schema=...`` (VS Code's YAML extension, and any editor using the YAML
language server); a TOML editor (taplo, Even Better TOML) takes ``#:schema`` at the top of
``.prinergy-audit.toml``.  Run it after changing one of the models:

    .venv/bin/python scripts/gen_schemas.py          # write the schemas
    .venv/bin/python scripts/gen_schemas.py --check  # exit 1 if one is stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "schemas"
BASE_URL = "https://raw.githubusercontent.com/prinergy-audit/prinergy-audit/main/schemas/"


def models() -> dict:
    """File name -> (pydantic model, what the file is)."""
    sys.path.insert(0, str(ROOT))
    from auditor.policy import PackFile, SiteFile
    from auditor.settings import SettingsFile
    from auditor.waivers import WaiversFile

    return {
        "pack.schema.json": (PackFile, "A prinergy-audit policy pack (policies/*.yaml, or --policy PATH)."),
        "site.schema.json": (SiteFile, "A prinergy-audit site file (--site): where Prinergy's roles are."),
        "waivers.schema.json": (WaiversFile, "A prinergy-audit waivers file (--waivers): accepted findings."),
        "settings.schema.json": (SettingsFile, "prinergy-audit settings: .prinergy-audit.toml, or "
                                               "[tool.prinergy-audit] in pyproject.toml."),
    }


def render(name: str, model, description: str) -> str:
    """The text of one schema file."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE_URL + name}
    doc.update(schema)
    if "[" in doc.get("title", "["):  # (a RootModel's generated title: its Python type)
        doc["title"] = "prinergy-audit " + name.split(".")[0]
    doc["description"] = description
    return json.dumps(doc, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    OUT.mkdir(exist_ok=True)
    for name, (model, description) in models().items():
        text = render(name, model, description)
        path = OUT / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            path.write_text(text, encoding="utf-8")
    if check and stale:
        print("stale schemas (run scripts/gen_schemas.py): %s" % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
