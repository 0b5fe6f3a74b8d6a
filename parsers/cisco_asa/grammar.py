"""pyparsing reference grammar for ASA extended access-list entries.

``parsers.cisco_asa.acl.parse_ace_tokens`` is the fast path used on every line;
this grammar is the readable specification it is tested against, and the
fallback for a line the fast path rejects.  Both produce an ``Ace``.
"""

from __future__ import annotations

from functools import lru_cache

import pyparsing as pp

from auditor.core.model import Action
from auditor.core.packets import ALL_PROTO

_WORD = pp.Word(pp.printables)
_NUM = pp.Word(pp.nums)
_IDENT = pp.alphanums + "-_$."
_LOG_LEVELS = ("emergencies alerts critical errors warnings notifications informational debugging "
               "disable default").split()


def _kw(*words: str) -> pp.ParserElement:
    return pp.MatchFirst([pp.Keyword(w, ident_chars=_IDENT) for w in words])


@lru_cache(maxsize=32)
def _grammar(port_groups: frozenset[str], proto_groups: frozenset[str]) -> pp.ParserElement:
    port_group_name = _WORD.copy().add_condition(lambda t: t[0] in port_groups)
    not_port_group = _WORD.copy().add_condition(lambda t: t[0] not in port_groups)
    port_op = pp.Group(
        _kw("eq", "neq", "lt", "gt") + _WORD
        | pp.Keyword("range", ident_chars=_IDENT) + _WORD + _WORD
        | pp.Keyword("object-group", ident_chars=_IDENT) + port_group_name
    )
    address = pp.Group(
        _kw("any", "any4", "any6")
        | _kw("host", "object", "interface") + _WORD
        | pp.Keyword("object-group", ident_chars=_IDENT) + not_port_group
        | pp.Regex(r"[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*/\d+")
        | ~_kw("eq", "neq", "lt", "gt", "range", "log", "time-range", "inactive", "object-group") + _WORD + _WORD
    )
    icmp = pp.Group(
        pp.Keyword("object-group", ident_chars=_IDENT) + _WORD
        | ~_kw("log", "time-range", "inactive") + _WORD + pp.Optional(_NUM)
    )
    option = pp.Group(
        pp.Keyword("log", ident_chars=_IDENT) + pp.Optional(_NUM | _kw(*_LOG_LEVELS))
        + pp.Optional(pp.Keyword("interval", ident_chars=_IDENT) + _NUM)
        | pp.Keyword("time-range", ident_chars=_IDENT) + _WORD
        | pp.Keyword("inactive", ident_chars=_IDENT)
    )
    ported_proto = _kw("tcp", "udp", "sctp", "6", "17", "132")
    proto_group = (pp.Keyword("object-group", ident_chars=_IDENT)
                   + _WORD.copy().add_condition(lambda t: t[0] in proto_groups))
    icmp_proto = _kw("icmp", "icmp6", "1", "58")
    other_proto = (pp.Keyword("object-group", ident_chars=_IDENT) + _WORD
                   | pp.Keyword("object", ident_chars=_IDENT) + _WORD | _WORD)

    action = _kw("permit", "deny")("action")
    identity = pp.Group(pp.ZeroOrMore(_kw("user", "user-group", "object-group-user", "security-group",
                                          "object-group-security") + _WORD))("identity")
    ported = (pp.Group(ported_proto | proto_group)("proto") + identity + address("src") + pp.Optional(port_op)("sport")
              + address("dst") + pp.Optional(port_op)("dport"))
    with_icmp = (pp.Group(icmp_proto)("proto") + identity + address("src") + address("dst") + pp.Optional(icmp)("icmp"))
    other = pp.Group(other_proto)("proto") + identity + address("src") + address("dst")
    return (action + (ported | with_icmp | other) + pp.Group(pp.ZeroOrMore(option))("options")
            + pp.StringEnd())


def parse_ace_grammar(t: list[str], objects: dict):
    """Parse the tokens from the action onwards into an ``Ace`` (raises ``AceError``)."""
    from parsers.cisco_asa.acl import Ace
    from parsers.cisco_asa.services import AceError, proto_set

    port_groups = frozenset(n for n, d in objects.items() if d.kind == "port")
    proto_groups = frozenset(n for n, d in objects.items() if d.kind == "protocol")
    try:
        r = _grammar(port_groups, proto_groups).parse_string(" ".join(t), parse_all=True)
    except pp.ParseBaseException as e:
        raise AceError("does not match the access-list grammar (column %d)" % e.column) from None
    proto_toks = list(r["proto"])
    if proto_toks[0] in ("object-group", "object"):
        proto, proto_obj = ALL_PROTO, proto_toks[1]
    else:
        proto, proto_obj = proto_set(proto_toks[0]), None
    ace = Ace(Action(r["action"]), proto, proto_obj, list(r["src"]),
              list(r["sport"][0]) if "sport" in r and len(r["sport"]) else None,
              list(r["dst"]),
              list(r["dport"][0]) if "dport" in r and len(r["dport"]) else None,
              list(r["icmp"][0]) if "icmp" in r and len(r["icmp"])
              else ([] if proto_toks[0] in ("icmp", "icmp6", "1", "58") else None))
    ace.identity = tuple(r["identity"]) if "identity" in r else ()
    for opt in r["options"]:
        if opt[0] == "log":
            ace.log = True
        elif opt[0] == "time-range":
            ace.time_range = opt[1]
        elif opt[0] == "inactive":
            ace.inactive = True
    return ace
