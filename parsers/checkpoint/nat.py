"""The NAT rulebase (``show-nat-rulebase``) as one first-match NAT table.

Check Point matches the NAT rules in order (manual rules, then the automatic rules the objects'
NAT settings generate, then the manual lower rules: the order the API lists them) against the
original packet's source, destination and service; the first matching rule translates the
source, the destination and the service as its ``translated-*`` cells say, ``Original`` meaning
"not translated" (R81 Security Management Administration Guide, "Configuring the NAT Policy",
https://sc1.checkpoint.com/documents/R81/WebAdminGuides/EN/CP_R81_SecurityManagement_AdminGuide/Topics-SECMG/Configuring-NAT-Policy.htm;
Management API reference, ``show-nat-rulebase``/``add-nat-rule``: ``method`` static, hide,
nat64, nat46, cgnat).

* ``static``: a host, network or range onto one of the same size is ``Rewrite(dim, offset)``;
  onto a single address it is that address (a pool of one);
* ``hide``: many-to-one, the source becomes the hiding address (``Rewrite(0, pool=...)``); an
  automatic hide rule whose translated source is the object itself hides behind what the
  object's ``nat-settings`` say: an ``ipv4-address``, or the gateway's own address, which the
  export does not hold (a pool of every IPv4 address, labelled so); the port translation of
  hide NAT is not modelled (the access rules see the packet before NAT);
* nat64, nat46, cgnat, and anything not understood: the packets the rule matches are
  ``maybe`` (unknown), never guessed;
* a disabled rule is left out, and so is one installed only on gateways that the package's
  listed targets do not hold (never installed); one installed on other gateways than the
  audited one is ``maybe`` (see ``policy.Targets``).

The table is applied as the packet arrives (``pre-routing``): the policy has no interfaces, so
when the source is translated changes nothing the model can see.  Bi-directional NAT (a
connection matching an automatic static rule for its source and one for its destination gets
both) is not modelled: only the first matching rule applies, and the parser says so when
automatic rules translate both.
"""

from __future__ import annotations

from auditor.core.model import Impact, Nat, NatRule, Rewrite
from auditor.core.packets import ALL, ALL_V4, EMPTY, NOTHING, Cube, ISet, PacketSet, addr_to_int, cube
from auditor.core.secrets import redact
from parsers.checkpoint.document import PlaceHolder
from parsers.checkpoint.objects import ANY_UID, ORIGINAL_UID, Resolver
from parsers.checkpoint.policy import Targets

KNOWN_METHODS = ("static", "hide")


def _is_original(r: Resolver, ref) -> bool:
    if ref is None or ref == ORIGINAL_UID:
        return True
    got = r.lookup(ref)
    return got is not None and got[2] == "Global" and got[1] == "Original"


def _uid(r: Resolver, ref):
    got = r.lookup(ref)
    return got[0] if got else ref


def build_nat(recs: list, r: Resolver, targets: Targets, report, gateway_addrs: ISet | None) -> tuple:
    """The NAT tables (one, or none) of the NAT rules ``recs`` (``document.NatRec``, or a ``PlaceHolder``
    where rules are missing: what it would translate is unknown), in order."""
    rules = []
    auto_src = auto_dst = None
    for rec in recs:
        if isinstance(rec, PlaceHolder):  # rules of the NAT rulebase not in the input (reported)
            rules.append(NatRule(NOTHING, (), rec.source, maybe=ALL, label="NAT rules not in the input"))
            continue
        d = rec.data
        if d.get("enabled", True) is False or targets.elsewhere(rec):  # (disabled, or not installed)
            continue
        where = rec.source
        why = [w for w, _s in rec.problems] + targets.unsure(rec, r)
        osrc, odst, osvc = d.get("original-source"), d.get("original-destination"), d.get("original-service")
        sa = r.address(osrc if osrc is not None else ANY_UID, where)
        da = r.address(odst if odst is not None else ANY_UID, where)
        sv = r.service(osvc if osvc is not None else ANY_UID, where)
        why += list(sa.why) + list(da.why) + list(sv.why)
        method = str(d.get("method") or "").lower()
        valid = None
        if method == "static" and odst is not None and _same(r, d.get("translated-destination"), odst):
            # an automatic static rule for the destination: its Original Destination is the object's valid
            # (NAT) address, translated back to the object's own address ("Connections from any IP address ...
            # to the HR are translated": Working with Automatic NAT Rules)
            valid = _valid_block(r, odst, da)
            if valid is None:
                why.append("automatic static NAT of %s: its valid address is not in the export"
                           % redact(r.name_of(odst)))
            else:
                da = da._replace(sure=valid)
        sure = _cubes(sa.sure, da.sure, sv.sure)
        total = _cubes(sa.sure.union(sa.maybe), da.sure.union(da.maybe), sv.sure + sv.maybe) if (
            sa.maybe or da.maybe or sv.maybe) else sure
        rewrites = []
        label = "NAT rule %s (%s)" % (d.get("rule-number", "?"), method or "?")
        if method not in KNOWN_METHODS:
            why.append("NAT method '%s' is not modelled" % redact(method))
        else:
            for dim, key, orig, oval in ((0, "translated-source", osrc, sa), (1, "translated-destination", odst, da)):
                t = d.get(key)
                if _is_original(r, t):
                    continue
                if dim == 1 and valid is not None:
                    real = r.address(odst, where)
                    got = Rewrite(1, offset=real.sure.lo - valid.lo)
                else:
                    got = _address_rewrite(r, dim, t, orig, oval, method, d, where, gateway_addrs, why)
                if got is not None:
                    rewrites.append(got)
                if d.get("auto-generated") is True:
                    if dim == 0:
                        auto_src = auto_src or where
                    else:
                        auto_dst = auto_dst or where
            ts = d.get("translated-service")
            if not _is_original(r, ts):
                got = _service_rewrite(r, ts, sv, where, why)
                if got is not None:
                    rewrites.append(got)
        if why:
            rules.append(NatRule(NOTHING, (), where, maybe=total, label="%s: %s" % (label, "; ".join(
                dict.fromkeys(why)))))
            continue
        maybe = total.subtract(sure) if total is not sure else NOTHING
        rules.append(NatRule(sure, tuple(rewrites), where, maybe=maybe, label=label))
    if auto_src is not None and auto_dst is not None:
        report(auto_dst, "bi-directional NAT (automatic rules translating the source and the destination of one "
               "connection both apply) is not modelled: the first matching rule applies", Impact.NONE, "nat")
    if not rules:
        return ()
    return (Nat("NAT rulebase", tuple(rules), when="pre-routing"),)


def automatic_nat_unknown(pool: dict, r: Resolver, report) -> tuple:
    """Without the NAT rulebase, the NAT table of the objects whose ``nat-settings`` say ``auto-rule``: the
    packets their automatic rules would match are unknown (reported), the rules themselves not being in the
    input (Management API reference, add-host, ``nat-settings``; automatic static NAT matches connections from
    the object and to its valid address, hide NAT those from the object: "Working with Automatic NAT Rules")."""
    rules = []
    for o in pool.values():
        ns = o.data.get("nat-settings")
        if not isinstance(ns, dict) or ns.get("auto-rule") is not True:
            continue
        where = o.source
        real = r.address(o.uid, where)
        if real.maybe or not real.sure:
            maybe = ALL
        else:
            cubes = [cube(src=real.sure)]
            if str(ns.get("method") or "").lower() != "hide":  # (static, or a method not known: its valid address)
                valid = _valid_block(r, o.uid, real)
                cubes.append(cube(dst=valid) if valid is not None else cube())
            maybe = PacketSet(cubes)
        why = ("automatic NAT of %s (nat-settings auto-rule) but the NAT rulebase is not in the input (add the "
               "package's show-nat-rulebase): packets its rules may translate are unknown" % redact(o.name))
        report(where, why, Impact.FILTER, "nat")
        rules.append(NatRule(NOTHING, (), where, maybe=maybe, label="automatic NAT of %s (rule not in the input)"
                             % redact(o.name)))
    return (Nat("NAT rulebase", tuple(rules), when="pre-routing"),) if rules else ()


def _same(r: Resolver, t, orig) -> bool:
    """Whether a translated cell names the original cell's own object (an automatic rule's shape)."""
    return t is not None and not _is_original(r, t) and _uid(r, t) == _uid(r, orig)


def _valid_block(r: Resolver, ref, real) -> ISet | None:
    """The valid (translated) addresses of an object with automatic static NAT: its ``nat-settings``
    address, a block as large as the object's own (one address, network or range); None if unknown."""
    got = r.lookup(ref)
    ns = got[3].get("nat-settings") if got else None
    ip = ns.get("ipv4-address") or ns.get("ipv6-address") if isinstance(ns, dict) else None
    if not isinstance(ip, str) or not ip or real.maybe or len(real.sure.iv) != 1:
        return None
    try:
        lo = addr_to_int(ip)
    except ValueError:
        return None
    size = real.sure.hi - real.sure.lo
    return ISet.of(lo, lo + size)


def _cubes(src: ISet, dst: ISet, triples) -> PacketSet:
    if not src or not dst:
        return NOTHING
    return PacketSet.of_cubes([Cube(src, dst, p, sp, dp) for p, sp, dp in triples if p and sp and dp])


def _address_rewrite(r: Resolver, dim: int, t, orig, oval, method: str, d: dict, where, gateway_addrs, why: list):
    name = redact(r.name_of(t))
    same = orig is not None and _uid(r, t) == _uid(r, orig)
    if same:  # an automatic rule: the object's own NAT settings say where it goes
        got = r.lookup(t)
        ns = got[3].get("nat-settings") if got else None
        ns = ns if isinstance(ns, dict) else {}
        ip = ns.get("ipv4-address") or ns.get("ipv6-address")
        if method == "hide" and ns.get("hide-behind", "gateway") == "gateway" and not ip:
            pool = gateway_addrs if gateway_addrs else ALL_V4
            return Rewrite(dim, pool=pool)
        if not isinstance(ip, str) or not ip:
            why.append("automatic %s NAT of %s: its translated address is not in the export" % (method, name))
            return None
        try:
            target = ISet.of(addr_to_int(ip))
        except ValueError:
            why.append("automatic %s NAT of %s: address '%s'" % (method, name, redact(ip)))
            return None
        if method == "static" and oval.sure and not oval.maybe and len(oval.sure.iv) == 1:
            lo, hi = oval.sure.iv[0]
            return Rewrite(dim, offset=target.lo - lo)
        return Rewrite(dim, pool=target)
    tv = r.address(t, where)
    if tv.maybe or not tv.sure:
        why.append("translated %s %s is not a known address" % ("source" if dim == 0 else "destination", name))
        return None
    if method == "hide":
        if dim != 0:
            why.append("hide NAT of a destination")
            return None
        return Rewrite(0, pool=tv.sure)
    # static: one block onto one block of the same size, or onto a single address
    if len(tv.sure.iv) == 1 and oval.sure and not oval.maybe and len(oval.sure.iv) == 1:
        (tlo, thi), (olo, ohi) = tv.sure.iv[0], oval.sure.iv[0]
        if thi - tlo == ohi - olo:
            return Rewrite(dim, offset=tlo - olo)
        if tlo == thi:
            return Rewrite(dim, pool=tv.sure)
    why.append("static NAT onto %s: the original and translated blocks differ in size" % name)
    return None


def _service_rewrite(r: Resolver, ts, sv, where, why: list):
    name = redact(r.name_of(ts))
    tv = r.service(ts, where)
    if tv.maybe or len(tv.sure) != 1:
        why.append("translated service %s is not one port" % name)
        return None
    dport = tv.sure[0][2]
    if len(dport.iv) != 1 or dport.lo != dport.hi:
        why.append("translated service %s is not one port" % name)
        return None
    ports = EMPTY
    for _p, _sp, dp in sv.sure:
        ports = ports.union(dp)
    if len(ports.iv) == 1 and ports.lo == ports.hi:
        return Rewrite(4, offset=dport.lo - ports.lo)
    return Rewrite(4, pool=dport)
