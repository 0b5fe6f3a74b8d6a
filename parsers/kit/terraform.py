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


def report_after_apply(lines, data: JObj, types, computed, exempt: dict | None = None) -> None:
    """Report, on ``lines`` (a ``Lines``), each planned change to a resource of ``types`` with a value known only
    after apply (``unknown_after_apply``): what it will permit is not in the plan."""
    for line, address in unknown_after_apply(data, types, computed, exempt):
        lines.unrecognized_at(line, "%s: values known only after apply (after_unknown) are not in the plan" % address,
                              Impact.GLOBAL)


def unknown_after_apply(data: JObj, types, computed, exempt: dict | None = None) -> list[tuple[int, str]]:
    """(line, address) of each planned change to a resource of ``types`` with a value known only after apply
    (``after_unknown``) other than the ``computed`` attributes (identifiers, which say nothing of the rules) and,
    for a resource whose address ``exempt`` holds, the attributes it gives (values the parser has settled)."""
    out = []
    for ch in data.get("resource_changes", []) if isinstance(data.get("resource_changes"), list) else []:
        change = ch.get("change") if isinstance(ch, JObj) else None
        unknown = change.get("after_unknown") if isinstance(change, JObj) else None
        settled = (exempt or {}).get(ch.get("address")) or ()
        if str(ch.get("type", "")) in types and isinstance(unknown, JObj) and any(
                _marked(v) for k, v in unknown.items() if k not in computed and k not in settled):
            out.append((ch.line, str(ch.get("address", "?"))))
    return out


def _marked(v: Any) -> bool:
    """Whether an ``after_unknown`` value marks anything unknown."""
    if isinstance(v, dict):
        return any(_marked(x) for x in v.values())
    if isinstance(v, list):
        return any(_marked(x) for x in v)
    return v is True


def addresses(data: JObj) -> dict[int, str]:
    """The address of each resource of a plan's ``planned_values`` (or a state's ``values``), by the line of its
    object, as ``resources`` gives it (``module.NAME.TYPE.NAME[KEY]``)."""
    out: dict[int, str] = {}

    def module(m: Any) -> None:
        if not isinstance(m, JObj):
            return
        for res in m.get("resources", []) if isinstance(m.get("resources"), list) else []:
            if isinstance(res, JObj) and isinstance(res.get("address"), str):
                out[res.line] = res["address"]
        for child in m.get("child_modules", []) if isinstance(m.get("child_modules"), list) else []:
            module(child)

    for key in ("values", "planned_values"):
        if isinstance(data.get(key), JObj):
            module(data[key].get("root_module"))
            break
    return out


def references(data: JObj) -> dict[str, dict[str, list[str]]]:
    """A plan's ``configuration``: for each managed resource (its address in the configuration, modules as
    ``module.NAME.`` prefixes, without a count or for_each key), each attribute its configuration sets, with the
    expression's ``references`` that name a managed resource of the same module, as that resource's address
    (``aws_security_group.prn.id`` -> ``aws_security_group.prn``; developer.hashicorp.com/terraform/internals/
    json-format, "Expression Representation": "references" lists the addresses the expression refers to)."""
    out: dict[str, dict[str, list[str]]] = {}

    def module(m: Any, prefix: str) -> None:
        if not isinstance(m, JObj):
            return
        for res in m.get("resources", []) if isinstance(m.get("resources"), list) else []:
            if not isinstance(res, JObj) or res.get("mode", "managed") != "managed" or not isinstance(
                    res.get("address"), str) or not isinstance(res.get("expressions"), JObj):
                continue
            attrs: dict[str, list[str]] = {}
            for k, expr in res["expressions"].items():
                attrs[k] = []  # (every attribute the configuration sets, whatever it refers to)
                refs = expr.get("references") if isinstance(expr, JObj) else None
                for r in refs if isinstance(refs, list) else []:
                    parts = r.split(".") if isinstance(r, str) else []
                    if len(parts) >= 2 and parts[0] not in ("var", "local", "module", "data", "each", "count",
                                                            "path", "terraform", "self"):
                        attrs.setdefault(k, []).append(prefix + ".".join(parts[:2]))
            out[prefix + res["address"]] = {k: list(dict.fromkeys(v)) for k, v in attrs.items()}
        calls = m.get("module_calls")
        for name, call in calls.items() if isinstance(calls, JObj) else ():
            if isinstance(call, JObj):
                module(call.get("module"), "%smodule.%s." % (prefix, name))

    conf = data.get("configuration")
    if isinstance(conf, JObj):
        module(conf.get("root_module"), "")
    return out
