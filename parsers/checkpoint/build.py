"""Every Check Point input of one audit, built into one device config.

One file alone (a rulebase with its ``objects-dictionary``) is a complete config; several
files of one export (a rulebase, the object replies its groups' members are in, the NAT
rulebase, ``show-package``) are merged by the vendor's ``combine`` hook: their objects are
pooled (by uid, first definition wins), the pages of one layer are put back together, and the
policy is built once over all of them.  Each file keeps its own lines, so every finding points
at the file and line it comes from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from auditor.core.model import Action, Config, Filter, Impact, LeftOut, Stage, new_rule
from auditor.core.packets import ALL, EMPTY, NOTHING
from auditor.core.secrets import redact
from parsers.checkpoint.document import Doc, LayerRec, PlaceHolder, RuleRec
from parsers.checkpoint.nat import automatic_nat_unknown, build_nat
from parsers.checkpoint.objects import GATEWAY_TYPES, Resolver
from parsers.checkpoint.policy import PolicyBuilder, Targets, default_timeouts, one_path
from parsers.kit import Lines

NAME = "checkpoint"


@dataclass(frozen=True, eq=False)
class CheckpointAux:
    """``Config.aux`` of a Check Point config: the inputs it was built from (for ``combine``)."""

    docs: tuple


def build(docs: list[Doc]) -> Config:
    """The config of the inputs ``docs`` (one or more files of one export)."""
    main = next((d for d in docs if "access" in d.kinds), docs[0])
    rep = Lines("", main.path)  # what is found while resolving (the lines are the inputs')

    def report(source, why: str, impact: Impact, scope: str = "") -> None:
        rep.unrecognized(source, why, impact, scope)

    pool: dict = {}
    for d in docs:
        for uid, o in d.objects.items():
            pool.setdefault(uid, o)
    infos: dict = {}
    packages = [p for d in docs for p in d.packages]
    for d in docs:
        for info in d.layer_infos:
            for k in (info.uid, info.name):
                # (the first that says the layer's implicit-cleanup-action: show-package lists a layer by uid and
                # name only, so its record must not hide show-access-layers' or the layer object's given later)
                if k and (k not in infos or (not infos[k].cleanup and info.cleanup)):
                    infos[k] = info
    layers = _merge_layers(docs, packages, report)
    r = Resolver(pool, report)
    rules = [rec for layer in layers.values() for rec in layer.rules if isinstance(rec, RuleRec)]
    pkg = _package(layers, packages)
    targets = Targets(r, rules, report, pkg.targets if pkg is not None else None)
    implied: dict = {}
    for d in docs:
        for k, v in d.implied.items():
            implied.setdefault(k, v)
    tcp_timeout = next((d.tcp_timeout for d in docs if d.tcp_timeout is not None), None)
    pb = PolicyBuilder(r, layers, infos, report, targets, implied, tcp_timeout[0] if tcp_timeout else None)
    ordered, missing, skipped = _ordered_layers(layers, packages, pb, report)
    stages = []
    for item in ordered:
        if isinstance(item, LayerRec):
            # (without show-package, a layer after the first may not be one of the package's ordered layers)
            stages.append(pb.ordered(item, first=not stages, unsure=bool(stages) and not packages))
        else:
            stages.append(_missing_stage(pb, item))
    pb.layer_timeouts(stages)
    if not stages and main.lines.head() is not None:
        # objects, a NAT rulebase, gateways ... without the access rulebase: what the gateway accepts is not here
        report(main.lines.head(), "no access rulebase in the input (objects or NAT rules only): add the "
               "show-access-rulebase replies of the package's layers; what the gateway accepts is unknown",
               Impact.GLOBAL)
    nat = ()
    nat_recs = _nat_rules(docs, report)
    if nat_recs:
        if pkg is not None and pkg.nat is False:
            report(pkg.source, "package %s has its NAT policy off: the NAT rulebase is not applied" % redact(pkg.name),
                   Impact.NONE, "nat")
        else:
            nat = build_nat(nat_recs, r, targets, report, _gateway_addresses(pool, targets))
    elif layers and (pkg is None or pkg.nat is not False):  # (a policy without its NAT rulebase)
        nat = automatic_nat_unknown(pool, r, report)
    if nat:
        stages = [replace(s, sees="sent") for s in stages]
    first = next((layer for layer in ordered if isinstance(layer, LayerRec)), None)
    timeouts = tuple(pb.timeouts) + (default_timeouts(first.source if first else None, tcp_timeout) if stages else ())
    diagnostics = tuple(di for d in docs for di in d.lines.diagnostics) + tuple(rep.diagnostics)
    if first is not None:  # the config is named after the file holding the policy's first layer
        main = next((d for d in docs if d.path == first.source.path), main)
    return Config(
        path=main.path, vendor=NAME, lines=sum(len(d.lines) for d in docs), filters=pb.filters,
        verdicts_only=True,  # (an access rule accepts or drops, an inline layer's rules too; NAT is its own rulebase)
        paths=one_path(stages), timeouts=timeouts, diagnostics=diagnostics,
        address_refs=r.address_refs(), ignored_lines=sum(d.lines.ignored for d in docs),
        head=main.lines.head(), remarks=tuple(dict.fromkeys(pb.remarks)), nat=nat, aux=CheckpointAux(tuple(docs)),
        left_out=tuple(_left_out(layer, pb, pool) for layer in skipped))


def _merge_layers(docs: list[Doc], packages: list, report) -> dict:
    """Each layer's rules from every input (pages and files put back together): in the order of the
    pages' ``from`` (the number of the page's first rule) when every page says it, else in input order."""
    by_file = {}
    for p in packages:
        for info in p.layers:
            f = getattr(info, "file", "")
            if f:
                by_file[f] = info
    out: dict = {}
    chunks: dict = {}
    for d in docs:
        for layer in d.layers.values():
            uid, name = layer.uid, layer.name
            info = by_file.get(os.path.basename(d.path)) if not uid else None
            if info is not None:  # a Show Package tool layer file, named by the tool's index
                uid, name = info.uid, info.name
            k = uid or name
            if k not in out:
                out[k] = LayerRec(uid, name, layer.source)
                chunks[k] = []
            pages = layer.pages or [(None, 0, len(layer.rules), None, None, None)]
            chunks[k] += [(frm, layer.rules[a:b], to, total, src) for frm, a, b, to, total, src in pages]
            out[k].inline_refs.extend(layer.inline_refs)
    for k, got in chunks.items():
        _missing_pages(out[k], got, report)
    return out


def _missing_pages(layer: LayerRec, got: list, report) -> None:
    """The layer's rules from its pages, a place-holder where rules are missing: ``show-access-rulebase``
    returns at most ``limit`` rules a reply (50 unless asked for more, at most 500) with ``from``/``to``, the
    numbers of its first and last rules, and ``total``, the layer's number of rules (Management API reference,
    show-access-rulebase, https://sc1.checkpoint.com/documents/latest/APIs/#cli/show-access-rulebase~v1.9%20):
    rules the pages do not hold may decide any packet that reaches them."""
    layer.rules.extend(_paged(got, "layer %s" % redact(layer.name), "show-access-rulebase", layer.name,
                              layer.source, report))


def _paged(got: list, what: str, command: str, scope: str, where, report) -> list:
    """The records of the pages ``got`` ((from, records, to, total, source) each, in input order), a
    ``PlaceHolder`` where the pages' ``from``/``to``/``total`` say rules are missing (reported)."""
    if len(got) > 1 and all(c[0] is not None for c in got):
        # pages given out of order (files page10.json before page2.json, a list of replies in any
        # order): the records are in the order of their pages' first rule numbers
        got = sorted(got, key=lambda c: c[0])
    out = []
    total = max((c[3] for c in got if c[3] is not None), default=None)
    spans = all(c[0] is not None and c[2] is not None for c in got)
    nxt = 1  # the number of the next rule expected

    def hole(first: int, last: int, src) -> None:
        why = ("rules %d-%d of %s (of its reply's 'total') are not in the input: %s returns one page of rules "
               "a reply (add the other pages: offset, or limit up to 500)" % (first, last, what, command))
        report(src, why, Impact.FILTER, scope)
        out.append(PlaceHolder("", src))

    for frm, recs, to, _total, src in got:
        if spans and frm > nxt:
            hole(nxt, frm - 1, src)
        out.extend(recs)
        nxt = max(nxt, to + 1) if spans else nxt + sum(not isinstance(r, PlaceHolder) for r in recs)
    if total is not None and total >= nxt:
        hole(nxt, total, next((c[4] for c in got if c[4] is not None), where))
    return out


def _nat_rules(docs: list[Doc], report) -> list:
    """The NAT rules of every input (``NatRec``), the pages of one NAT rulebase put back together in the
    order of their ``from``, a ``PlaceHolder`` where rules are missing: ``show-nat-rulebase`` pages its
    reply as ``show-access-rulebase`` does (``limit``, ``offset``; ``from``, ``to``, ``total``: Management
    API reference, show-nat-rulebase, https://sc1.checkpoint.com/documents/latest/APIs/#cli/show-nat-rulebase)."""
    chunks: dict = {}
    for d in docs:
        for frm, a, b, to, total, src, uid in d.nat_pages:
            chunks.setdefault(uid, []).append((frm, d.nat[a:b], to, total, src))
    if len(chunks) > 1:
        # show-nat-rulebase shows the NAT rulebase of the "package" it is asked for, each with its own uid; the
        # reply does not name the package: which of these the audited package installs is not known
        src = next(iter(chunks.values()))[0][4]
        report(src, "NAT rulebases of %d packages are in the input (show-nat-rulebase replies with different "
               "uids): which one the audited package installs is not known, every NAT verdict is unknown (give "
               "the audited package's NAT rulebase only)" % len(chunks), Impact.FILTER, "nat")
        return [PlaceHolder("", src)]
    out = []
    for got in chunks.values():
        out.extend(_paged(got, "the NAT rulebase", "show-nat-rulebase", "nat", got[0][4], report))
    return out


def _ordered_layers(layers: dict, packages: list, pb: PolicyBuilder, report) -> tuple[list, list, list]:
    """The ordered layers of the policy (LayerRec, or the LayerInfo of one not in the input), those not in the
    input, and the layers of the input the package does not install (not audited)."""
    inline = set()
    for layer in list(layers.values()):  # (naming a tool's layer file by its uid adds a key)
        for ref in layer.inline_refs:
            sub = pb.layer_by_ref(ref)
            if sub is not None:
                inline.add(id(sub))
    if packages:
        fitting = _fitting(layers, packages)
        pkg = (fitting or packages)[0]
        if len(fitting) > 1:
            report(pkg.source, "layers of %d packages are in the input; the policy is taken as package %s's" % (
                len(fitting), redact(pkg.name)), Impact.GLOBAL, "")
        out, missing, skipped = [], [], []
        taken = set()
        for info in pkg.layers:
            layer = layers.get(info.uid) or pb.layer_by_name(info.name)
            if layer is None:
                report(info.source, "ordered layer %s of package %s is not in the input (add its show-access-"
                       "rulebase): every packet is unknown there" % (redact(info.name), redact(pkg.name)),
                       Impact.GLOBAL, "")
                out.append(info)
                missing.append(info)
            else:
                out.append(layer)
                taken.add(id(layer))
        for layer in {id(x): x for x in layers.values()}.values():
            if id(layer) not in taken and id(layer) not in inline:
                report(layer.source, "layer %s is not one of package %s's ordered layers nor an inline layer of them: "
                       "not audited" % (redact(layer.name), redact(pkg.name)), Impact.NONE, layer.name)
                skipped.append(layer)
        return out, missing, skipped
    out = [layer for layer in {id(x): x for x in layers.values()}.values() if id(layer) not in inline]
    if len(out) > 1:
        report(out[0].source, "no show-package in the input: the layers %s are taken as the policy's ordered layers, "
               "in input order; whether %s %s the package's ordered layers is not known, so what %s drop%s "
               "that %s accepts is unknown (add show-package)" % (
                   ", ".join(redact(x.name) for x in out), ", ".join(redact(x.name) for x in out[1:]),
                   "is one of" if len(out) == 2 else "are among", "it" if len(out) == 2 else "they",
                   "s" if len(out) == 2 else "", redact(out[0].name)), Impact.FILTER, "")
    return out, [], []


def _left_out(layer: LayerRec, pb: PolicyBuilder, pool: dict) -> LeftOut:
    """A layer the package does not install, as a part left out of the review: its rules, the rules of its
    inline layers, and the objects they name (through groups: a change to an object only this layer uses
    changes nothing reviewed either), each written out at its line (an object's at the layer's)."""
    says, at, names = [], [], []
    todo, seen = [layer], set()
    while todo:
        cur = todo.pop(0)
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        says.append(repr((cur.uid, cur.name)))
        at.append(cur.source.line if cur.source.path == layer.source.path else layer.source.line)
        for rec in cur.rules:
            if isinstance(rec, RuleRec):
                says.append(repr((rec.name, rec.section, rec.data, [why for why, _s in rec.problems])))
                names.append(rec.data)
            else:
                says.append(repr(("place-holder", rec.uid)))
            at.append(rec.source.line if rec.source.path == layer.source.path else layer.source.line)
        todo += [sub for ref in cur.inline_refs for sub in (pb.layer_by_ref(ref),) if sub is not None]
    objs: dict = {}
    while names:
        found = dict.fromkeys(v for x in names for v in _strings(x) if v in pool and v not in objs)
        names = []
        for uid in found:
            o = pool[uid]
            data = {k: v for k, v in o.data.items() if k != "meta-info"} if isinstance(o.data, dict) else o.data
            objs[uid] = repr((uid, o.name, o.type, data))
            names.append(data)
    says += [objs[k] for k in sorted(objs)]
    at += [layer.source.line] * len(objs)
    return LeftOut("layer %s" % redact(layer.name), layer.source, ((0, len(says)),), says, at)


def _strings(value):
    """The strings in a JSON value (the uids a record names)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _fitting(layers: dict, packages: list) -> list:
    """The packages of the input that name a layer of the input."""
    names = {k for k in layers} | {layer.name for layer in layers.values()}
    return [p for p in packages if any(i.uid in names or i.name in names for i in p.layers)]


def _package(layers: dict, packages: list):
    """The package the policy is taken from (the first naming a layer of the input), None without one."""
    return (_fitting(layers, packages) or packages or [None])[0]


def _missing_stage(pb: PolicyBuilder, info) -> Stage:
    fname = pb.filter_name(info.name)
    why = "ordered layer %s is not in the input" % info.name
    rule = new_rule(fname, 0, Action.DENY, NOTHING, info.source, True, ALL, True, (), why)
    pb.filters[fname] = Filter(fname, (rule,), info.source, kind="access-layer")
    return Stage(info.name, (fname,), Action.DENY, info.source, why)


def _gateway_addresses(pool: dict, targets: Targets):
    """The audited gateway's addresses (hide NAT behind the gateway), when the export says them."""
    gws = [o for o in pool.values() if o.type in GATEWAY_TYPES]
    if len(targets.every) == 1:
        (name,) = targets.every
        gws = [o for o in gws if o.name == name]
    if len(gws) != 1:
        return None
    v = targets.r.address(gws[0].uid, gws[0].source)
    return v.sure if v.sure and not v.maybe else None


__all__ = ["EMPTY", "NAME", "CheckpointAux", "build"]
