"""Terraform's JSON, as the cloud parsers read it: the managed resources of a state or a plan, with their lines.

``terraform show -json`` of a state (``values``) or of a plan (``planned_values``: the resources as they will be),
each a ``root_module`` with ``resources`` and ``child_modules``; a ``terraform.tfstate`` file
(``resources[].instances[].attributes``).  A plan leaves out of ``planned_values`` the values known only after
apply, and says which in ``resource_changes[].change.after_unknown``
(developer.hashicorp.com/terraform/internals/json-format).
"""

from __future__ import annotations

from typing import Any

from auditor.core.model import Impact
from parsers.kit.errors import InputError
from parsers.kit.jsonsrc import JObj


def is_terraform(data: Any) -> bool:
    """Whether a JSON value is Terraform's (``terraform show -json`` or a state file)."""
    return isinstance(data, JObj) and "terraform_version" in data


def resources(data: JObj, path: str) -> list[tuple[str, JObj, int]]:
    """(type, attributes, line) of each managed resource instance, modules included; ``InputError`` for a
    ``format_version`` whose major version is not 1 (the format's docs: "Reject any input which reports an
    unsupported major version")."""
    version = str(data.get("format_version", "1.0"))
    if not version.startswith("1."):
        raise InputError("%s: Terraform JSON format_version %s, which this version does not read (1.x)"
                         % (path, version))
    found: list[tuple[str, JObj, int]] = []

    def module(m: Any) -> None:
        if not isinstance(m, JObj):
            return
        for res in m.get("resources", []) if isinstance(m.get("resources"), list) else []:
            if isinstance(res, JObj) and res.get("mode", "managed") == "managed" and isinstance(
                    res.get("values"), JObj):
                found.append((str(res.get("type", "")), res["values"], res.line))
        for child in m.get("child_modules", []) if isinstance(m.get("child_modules"), list) else []:
            module(child)

    for key in ("values", "planned_values"):
        if isinstance(data.get(key), JObj):
            module(data[key].get("root_module"))
            return found
    for res in data.get("resources", []) if isinstance(data.get("resources"), list) else []:
        if isinstance(res, JObj) and res.get("mode", "managed") == "managed":
            for inst in res.get("instances", []) if isinstance(res.get("instances"), list) else []:
                if isinstance(inst, JObj) and isinstance(inst.get("attributes"), JObj):
                    found.append((str(res.get("type", "")), inst["attributes"], inst.line))
    return found


def report_after_apply(lines, data: JObj, types, computed) -> None:
    """Report, on ``lines`` (a ``Lines``), each planned change to a resource of ``types`` with a value known only
    after apply (``unknown_after_apply``): what it will permit is not in the plan."""
    for line, address in unknown_after_apply(data, types, computed):
        lines.unrecognized_at(line, "%s: values known only after apply (after_unknown) are not in the plan" % address,
                              Impact.GLOBAL)


def unknown_after_apply(data: JObj, types, computed) -> list[tuple[int, str]]:
    """(line, address) of each planned change to a resource of ``types`` with a value known only after apply
    (``after_unknown``) other than the ``computed`` attributes (identifiers, which say nothing of the rules)."""
    out = []
    for ch in data.get("resource_changes", []) if isinstance(data.get("resource_changes"), list) else []:
        change = ch.get("change") if isinstance(ch, JObj) else None
        unknown = change.get("after_unknown") if isinstance(change, JObj) else None
        if str(ch.get("type", "")) in types and isinstance(unknown, JObj) and any(
                _marked(v) for k, v in unknown.items() if k not in computed):
            out.append((ch.line, str(ch.get("address", "?"))))
    return out


def _marked(v: Any) -> bool:
    """Whether an ``after_unknown`` value marks anything unknown."""
    if isinstance(v, dict):
        return any(_marked(x) for x in v.values())
    if isinstance(v, list):
        return any(_marked(x) for x in v)
    return v is True
