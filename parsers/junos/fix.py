"""The Junos fix hook: a security policy (or a firewall filter term) that opens a blocked flow,
as configuration-mode ``set`` and ``insert`` commands (Juniper, "Junos OS CLI User Guide").

Security policies (Juniper, "Security Policies Overview"): a new policy in the zone pair's list,
moved with ``insert security policies from-zone A to-zone B policy NEW before policy P`` right
before the policy that denies the flow, or left at the end of the pair's list (``set`` appends)
when the default policy drops it: the zone pair's policies are looked up before the global ones
and the default, so the new policy decides exactly the packets that reached the default.  Its
addresses go into the address book the policy looks in (Juniper, "Address Books and Address
Sets": the zone's own book when the configuration has zone books, which cannot coexist with the
global book, else the global book), its ports into a custom
application per destination port range (``applications application NAME protocol ...
source-port ... destination-port ...``).

Firewall filters (Juniper, "Firewall Filter Match Conditions for IPv4 Traffic"): a new term
before the term that discards the flow (``insert firewall family inet filter F term NEW before
term T``), or a term appended when the filter's implicit discard drops it; replies a stateless
filter drops are accepted with ``tcp-established`` (TCP packets with ACK or RST).  An IPv6 filter
matches the protocol with ``next-header`` ("Firewall Filter Match Conditions for IPv6 Traffic":
``family inet6`` has no ``protocol`` condition).
"""

from __future__ import annotations

from parsers.junos import tree
from parsers.kit.fix import CannotFix, FixRequest, Part, parts, port_text, unique_name

_PROTO = {6: "tcp", 17: "udp"}


def fix(config_text: str, req: FixRequest) -> str:
    """The Junos commands that permit exactly ``req.packets`` where ``req`` says (``parsers.kit.fix``)."""
    words = _words(config_text)
    name = req.stage.name
    if name.startswith("policy "):
        return _policy(req, words)
    if name.split()[0] in ("input", "output"):
        return _filter_term(req, words)
    raise CannotFix("what drops it here is not a policy or a filter (%s)" % req.stage.default_reason)


def _words(text: str) -> list[tuple[str, ...]]:
    """Every statement of the configuration as its words (the set form, whichever form it is in)."""
    return [tuple(tree.unquote(w) for w in st.toks) for st in tree.read(text).stmts]


def _names_in(words, *prefix: str) -> set[str]:
    n = len(prefix)
    return {t[n] for t in words if t[:n] == prefix and len(t) > n}


# --- security policies ---------------------------------------------------------------------------

def _pair(req: FixRequest) -> tuple[str, str] | None:
    """(from-zone, to-zone) of the stage ``policy A->B``."""
    text = req.stage.name[len("policy "):]
    a, sep, b = text.partition("->")
    return (a, b) if sep else None


def _policy_of(req: FixRequest) -> tuple[tuple[str, str] | None, str]:
    """((from-zone, to-zone) or None for a global policy, the policy's name) of the denying rule."""
    text = req.rule.label or req.rule.source.text
    t = text.replace("{", " ").split()
    if "policy" not in t or t.index("policy") + 1 >= len(t):
        raise CannotFix("cannot tell which policy line %d is" % req.rule.source.line)
    pol = t[t.index("policy") + 1]
    if "global" in t[:t.index("policy")]:
        return None, pol
    if "from-zone" in t and "to-zone" in t:
        return (t[t.index("from-zone") + 1], t[t.index("to-zone") + 1]), pol
    if req.rule.filter.startswith("global"):
        return None, pol
    a, _sep, b = req.rule.filter.partition("->")
    return (a, b), pol


def _policy(req: FixRequest, words) -> str:
    pair = _pair(req)
    if pair is None:
        raise CannotFix("cannot tell the zones of %s" % req.stage.name)
    where, before = pair, None
    if req.rule is not None:
        where, before = _policy_of(req)
    if where is None:
        head = ("security", "policies", "global", "policy")
        book_for = {"source": "global", "destination": "global"}
    else:
        head = ("security", "policies", "from-zone", where[0], "to-zone", where[1], "policy")
        book_for = {"source": where[0], "destination": where[1]}
    taken_pol = {t[len(head)] for t in words if t[:len(head)] == head and len(t) > len(head)}
    pol = unique_name("prinergy-%s" % req.name, lambda n: n in taken_pol)
    out: list[str] = []
    zone_books = {t[3] for t in words if t[:2] == ("security", "zones") and len(t) > 4 and t[4] == "address-book"}
    apps_taken = _names_in(words, "applications", "application") | _names_in(words, "applications",
                                                                               "application-set")
    for k, part in enumerate(parts(req.packets)):
        src = _address(part, "src", book_for["source"], zone_books, words, req.name, out)
        dst = _address(part, "dst", book_for["destination"], zone_books, words, req.name, out)
        apps = _applications(part, req.name, apps_taken, out, req.idle_seconds)
        name = pol if k == 0 else unique_name("%s-%d" % (pol, k + 1), lambda n: n in taken_pol)
        taken_pol.add(name)
        base = "set " + " ".join(head + (name,))
        out.append("%s match source-address %s" % (base, src))
        out.append("%s match destination-address %s" % (base, dst))
        out.extend("%s match application %s" % (base, a) for a in apps)
        out.append("%s then permit" % base)
        if before is not None:
            out.append("insert %s before policy %s" % (" ".join(head + (name,)), before))
    return "\n".join(out) + "\n"


def _address(part: Part, side: str, zone: str, zone_books: set[str], words, base: str, out: list[str]) -> str:
    nets = part.src if side == "src" else part.dst
    if nets is None:
        return "any-ipv4" if part.family == 4 else "any-ipv6"
    if zone_books:
        # (zone address books and the global one cannot be in one configuration: commit refuses
        # "Zone specific address books are not allowed when there are global address books defined";
        # Juniper, Security Director "NAT Global Address Book Overview": "If a global address book is
        # defined, you cannot create zone-based address books")
        if zone == "global":
            raise CannotFix("a global policy takes its addresses from the global address book, and this "
                            "configuration has zone address books, which cannot be used with it")
        prefix = ("security", "zones", "security-zone", zone, "address-book")
    else:
        prefix = ("security", "address-book", "global")
    taken = _names_in(words, *prefix, "address") | _names_in(words, *prefix, "address-set")
    taken |= {t.split()[-2] for t in out if " address " in t}
    names = []
    for k, net in enumerate(nets):
        n = unique_name("prinergy-%s-%s%s" % (base, side, "" if len(nets) == 1 else "-%d" % (k + 1)),
                        lambda x: x in taken)
        taken.add(n)
        out.append("set %s address %s %s" % (" ".join(prefix), n, net))
        names.append(n)
    if len(names) == 1:
        return names[0]
    group = unique_name("prinergy-%s-%s" % (base, side), lambda x: x in taken)
    out.extend("set %s address-set %s address %s" % (" ".join(prefix), group, n) for n in names)
    return group


def _applications(part: Part, base: str, taken: set[str], out: list[str], idle: int | None) -> list[str]:
    proto = _PROTO[part.proto]
    names = []
    for lo, hi in part.dport or ((0, 65535),):
        n = unique_name("prinergy-%s-%s-%s" % (base, proto, port_text(lo, hi)), lambda x: x in taken)
        taken.add(n)
        head = "set applications application %s" % n
        out.append("%s protocol %s" % (head, proto))
        if part.sport is not None:
            if len(part.sport) != 1:
                raise CannotFix("several client port ranges")
            out.append("%s source-port %s" % (head, port_text(*part.sport[0])))
        out.append("%s destination-port %s" % (head, port_text(lo, hi)))
        if idle is not None:
            # (a custom application's sessions time out after the protocol default, 1800 s for
            # TCP, unless it says otherwise: Juniper, "inactivity-timeout (Applications)")
            out.append("%s inactivity-timeout %d" % (head, idle))
        names.append(n)
    return names


# --- firewall filters ----------------------------------------------------------------------------

def _filter_term(req: FixRequest, words) -> str:
    fname = req.rule.filter if req.rule is not None else (req.stage.filters[-1] if req.stage.filters else None)
    if fname is None or fname not in req.config.filters:
        raise CannotFix("no filter decides here")
    family, _sep, name = fname.partition(" ")
    if not name:
        family, name = "inet", fname
    head = ("firewall", "family", family, "filter", name, "term")
    if not any(t[:len(head)] == head for t in words):
        head = ("firewall", "filter", name, "term") if family == "inet" else head
    before = None
    if req.rule is not None:
        text = req.rule.label or req.rule.source.text
        t = text.replace("{", " ").split()
        if "term" not in t or t.index("term") + 1 >= len(t):
            raise CannotFix("cannot tell which term line %d is" % req.rule.source.line)
        before = t[t.index("term") + 1]
    taken = {t[len(head)] for t in words if t[:len(head)] == head and len(t) > len(head)}
    out: list[str] = []
    for k, part in enumerate(parts(req.packets)):
        term = unique_name("prinergy-%s" % req.name if k == 0 else "prinergy-%s-%d" % (req.name, k + 1),
                           lambda n: n in taken)
        taken.add(term)
        base = "set " + " ".join(head + (term,))
        for side, nets in (("source-address", part.src), ("destination-address", part.dst)):
            for net in nets or ():
                out.append("%s from %s %s" % (base, side, net))
        # (an inet6 filter has no 'protocol' match: it is 'next-header' there, Juniper, "Firewall Filter
        # Match Conditions for IPv6 Traffic")
        out.append("%s from %s %s" % (base, "next-header" if family == "inet6" else "protocol", _PROTO[part.proto]))
        for key, ranges in (("source-port", part.sport), ("destination-port", part.dport)):
            for lo, hi in ranges or ():
                out.append("%s from %s %s" % (base, key, port_text(lo, hi)))
        if req.phase == "reply" and part.proto == 6:
            out.append("%s from tcp-established" % base)
        out.append("%s then accept" % base)
        if before is not None:
            out.append("insert %s before term %s" % (" ".join(head + (term,)), before))
    return "\n".join(out) + "\n"


__all__ = ["fix"]
