"""Our parsers and engine against aerleon on term options the shape tests (``test_aerleon_shapes``) do not draw:
TCP flag options (``initial``, ``tcp-initial``, ``syn``, ``rst``, ``ack``, ``fin``, ``urg``, ``psh``, ``all``,
``none``), ``is-fragment``, ``inactive`` terms, expired terms (an
``expiration`` in the past), ``sample`` and the Junos actions that do not decide (``policer``, ``qos``,
``loss-priority``, ``dscp-set``, ``port-mirror``), and ASA ``log`` / ``log disable``.

aerleon's ``AclCheck`` models none of these (it judges a term with an option as a possible match only, and judges
expired and inactive terms as if in force), so the judge here is ``aerleon_shapes.Judge`` over the policy as the
device reads aerleon's text for the packets judged (the first packet of a connection, unfragmented: a TCP SYN):

* ``--syn`` / ``tcp-initial`` match it: iptables-extensions(8), tcp: "[!] --syn  Only match TCP packets with the
  SYN bit set and the ACK,RST and FIN bits cleared" (https://ipset.netfilter.org/iptables-extensions.man.html);
  Junos ``tcp-initial`` is an alias for ``tcp-flags "(!ack & syn)"``, the first packet of a TCP connection
  (Juniper, "Firewall Filter Match Conditions Based on Bit-Field Values", Table 2, below); aerleon writes
  ``initial`` as these too;
* ``--tcp-flags MASK COMP`` (aerleon's ``syn``, ``rst``, ``ack``, ``fin``, ``urg``, ``psh``, ``all``, ``none`` as
  ``--tcp-flags X X``): "Match when the TCP flags are as specified. The first argument mask is the flags which we
  should examine ... the second argument comp is a comma-separated list of flags which must be set" (same page):
  a SYN matches ``SYN SYN`` and ``NONE NONE`` (no flag examined), not ``RST RST``, ``ACK ACK``, ``FIN FIN``,
  ``URG URG``, ``PSH PSH`` nor ``ALL ALL``;
* ``is-fragment`` is "a text alias for the bit-field match condition fragment-offset 0 except, which indicates a
  trailing fragment of a fragmented packet" (Juniper, "Firewall Filter Match Conditions Based on Bit-Field Values",
  https://juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/
  firewall-filter-stateless-match-conditions-bit-field-values.html); IOS ``fragments`` applies to noninitial
  fragments only (Cisco, "Access Control Lists and IP Fragments"): neither matches an unfragmented packet
  (Junos ``first-fragment``, "fragment-offset 0", is not drawn: see ``test_s29_aerleon.py``);
* Junos ignores a deactivated statement (``inactive: term T``) when it commits the configuration (Juniper, CLI
  User Guide, "deactivate"), and aerleon leaves an expired term out of every render ("Term %s in policy %s is
  expired and will not be rendered": aerleon's ``aclgenerator``);
* ``sample``, ``count``, ``log``, ``policer``, ``forwarding-class``, ``loss-priority``, ``dscp`` and
  ``port-mirror`` are nonterminating actions, "which include an implicit accept action" (Juniper, "Firewall Filter
  Nonterminating Actions", https://juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/
  firewall-filter-actions-nonterminating.html): the term's own action decides; an ASA ACE's ``log`` only logs.

Where an option's effect is not decidable for such a packet (Junos ``tcp-flags`` and ``first-fragment``, iptables
``-m u32``), our answer is ``unknown`` (the line is reported), which the judge here cannot say: those options are
left out (``test_s29_aerleon.py`` checks a few such renders one by one).
Runs are derandomized and fast (a few seconds per target).
"""

from __future__ import annotations

import dataclasses

import aerleon_oracle as O
import aerleon_shapes as S
import pytest
from aerleon_oracle import SETTINGS
from hypothesis import given, settings
from hypothesis import strategies as st
from test_aerleon_shapes import VENDOR, filter_name

from auditor.api import decision_json
from parsers import parse_text

PAST = "2001-01-01"
MATCH, NEVER, GONE, NO_EFFECT = "match", "never", "gone", "no-effect"  # what an option does to a first packet

# target -> option -> (its effect on a first, unfragmented packet, the terms it is drawn on: "tcp" (tcp only) or
# "any", the families it is drawn in)
TCP_FLAGS = {"syn": MATCH, "none": MATCH, "rst": NEVER, "ack": NEVER, "fin": NEVER, "urg": NEVER, "psh": NEVER,
             "all": NEVER}
IPTABLES = {"initial": (MATCH, "tcp", (4, 6)), "tcp-initial": (MATCH, "tcp", (4, 6)),
            "sample": (NO_EFFECT, "any", (4, 6)), **{f: (e, "tcp", (4, 6)) for f, e in TCP_FLAGS.items()}}
JUNIPER = {"initial": (MATCH, "tcp", (4, 6)), "tcp-initial": (MATCH, "tcp", (4, 6)),
           "is-fragment": (NEVER, "any", (4,)),
           "inactive": (GONE, "any", (4, 6)), "sample": (NO_EFFECT, "any", (4, 6))}
CISCO = {"is-fragment": (NEVER, "any", (4,))}
OPTIONS = {"iptables": IPTABLES, "speedway": IPTABLES, "juniper": JUNIPER, "srxlo": JUNIPER, "cisco": CISCO,
           "ciscoxr": CISCO, "ciscoasa": {}, "nftables": {}}
# Junos actions that do not decide (each with the value aerleon takes)
JUNOS_EXTRAS = {"policer": "P1", "qos": "af1", "loss-priority": "low", "dscp-set": "af11", "port-mirror": "true"}
ASA_LOGGING = ["disable", "true", "syslog", "log-both"]  # (aerleon writes "log", or "log disable")


@dataclasses.dataclass
class OCase:
    """A drawn policy as aerleon renders it (``case``) and as the device reads it for first packets (``judged``)."""

    case: S.SCase
    judged: S.SCase


def header_for(target: str, family: int, default: str) -> str:
    af = {4: "inet", 6: "inet6"}[family]
    if target in ("iptables", "speedway"):
        return "INPUT %s %s" % (default.upper(), af)
    if target == "nftables":
        return "%s input" % af + (" ACCEPT" if default == "accept" else "")
    if target in ("juniper", "srxlo"):
        return "PRINERGY-EDGE %s" % af
    if target == "cisco":
        return "ORACLE-ACL " + ("extended" if family == 4 else "inet6")
    if target == "ciscoxr":
        return "ORACLE-ACL" + ("" if family == 4 else " inet6")
    return "ORACLE-ACL"  # ciscoasa (IPv4)


@st.composite
def ocases(draw, target: str, family: int) -> OCase:
    default = draw(st.sampled_from(["accept", "drop"])) if target in ("iptables", "speedway", "nftables") else "drop"
    header = header_for(target, family, default)
    prof = S.PROFILES[(target, family)]
    prof = dataclasses.replace(prof, features=prof.features - {"est"})
    terms = draw(S.sterms(family, prof))
    drawn, judged = [], []
    table = OPTIONS[target]
    for i, t in enumerate(terms):
        t = dataclasses.replace(t, options=[], extras=dict(t.extras))
        effect = NO_EFFECT
        fits = [o for o, (_e, on, fams) in sorted(table.items())
                if family in fams and (on == "any" or t.protos == ["tcp"])]
        if fits and draw(st.integers(0, 1)) == 0:
            opt = draw(st.sampled_from(fits))
            t.options = [opt]
            effect = table[opt][0]
        # (an expired term: never the first, so that some term is rendered: an ASA list of remarks only, or an SRX
        # policy with empty blocks, is refused as no configuration at all)
        if i and draw(st.integers(0, 4)) == 0:
            t.extras["expiration"] = PAST
            effect = GONE
        if target == "juniper" and draw(st.integers(0, 3)) == 0:  # (srxlo takes none of them)
            k = draw(st.sampled_from(sorted(JUNOS_EXTRAS)))
            t.extras[k] = JUNOS_EXTRAS[k]
        if target == "ciscoasa" and draw(st.integers(0, 2)) == 0:
            t.extras["logging"] = draw(st.sampled_from(ASA_LOGGING))
        drawn.append(t)
        if effect in (NEVER, GONE):
            continue
        j = dataclasses.replace(t, options=[], extras={})
        judged.append(j)
    pol, defs = S.to_policy(target, header, drawn)
    jpol, jdefs = S.to_policy(target, header, judged)
    return OCase(S.SCase(target, family, drawn, header, default, pol, defs),
                 S.SCase(target, family, judged, header, default, jpol, jdefs))


def check(oc: OCase, data) -> None:
    case = oc.case
    text = O.render(case)
    cfg = parse_text(text, "aerleon-options-%s" % case.target)
    assert cfg.vendor == VENDOR[case.target]
    nd = [d for d in cfg.diagnostics if "neighbour discovery" in d.message]
    assert len(cfg.diagnostics) == len(nd), ([d.message for d in cfg.diagnostics], text)
    judge = S.Judge(oc.judged)
    for _ in range(O.PACKETS):
        pkt = data.draw(S.packets(case))
        want = judge.decision(pkt)
        fname = filter_name(case, cfg, S.family_of(pkt))
        if fname not in cfg.filters:
            assert want == ("permit" if case.default == "accept" else "deny"), (pkt, text)
            continue
        ours = decision_json(cfg, S.our_packet(pkt), fname)
        assert ours["decision"] == want, (pkt, ours, text)


CASES = [("iptables", 4), ("iptables", 6), ("speedway", 4), ("juniper", 4), ("juniper", 6), ("srxlo", 4),
         ("cisco", 4), ("ciscoxr", 4), ("ciscoasa", 4), ("nftables", 4)]


@pytest.mark.parametrize("target,family", CASES, ids=["%s-v%d" % c for c in CASES])
def test_options_agree_with_the_device(target, family):
    @settings(max_examples=8, **SETTINGS)
    @given(st.data())
    def run(data):
        check(data.draw(ocases(target, family)), data)

    run()


ONE_BY_ONE = [(target, family, opt) for target, table in sorted(OPTIONS.items()) for opt, (_e, _on, fams)
              in sorted(table.items()) for family in fams]


@pytest.mark.parametrize("target,family,opt", ONE_BY_ONE, ids=["%s-v%d-%s" % c for c in ONE_BY_ONE])
def test_each_option_on_a_deny_term_before_an_accept(target, family, opt):
    """Every option of the table, alone on a TCP term that denies 10.0.0.0/16, before a term that accepts all:
    a SYN from 10.0.1.5 is denied where the option matches it (or does not decide), accepted where it never matches
    it (or the term is gone), and a packet from elsewhere is accepted."""
    effect = OPTIONS[target][opt][0]
    src = ["10.0.0.0/16"] if family == 4 else ["2001:db8::/48"]
    ts = [S.STerm("t0", src, None, ["tcp"], None, [(80, 80)], "deny", options=[opt]),
          S.STerm("t1", None, None, None, None, None, "accept")]
    header = header_for(target, family, "drop")
    pol, defs = S.to_policy(target, header, ts)
    case = S.SCase(target, family, ts, header, "drop", pol, defs)
    text = O.render(case)
    cfg = parse_text(text, "aerleon-option-%s" % opt)
    nd = [d for d in cfg.diagnostics if "neighbour discovery" in d.message]
    assert len(cfg.diagnostics) == len(nd), ([d.message for d in cfg.diagnostics], text)
    inside, outside = ("10.0.1.5", "10.9.9.9") if family == 4 else ("2001:db8::5", "2001:db8:9::5")
    fname = filter_name(case, cfg, family)
    got = decision_json(cfg, S.our_packet((inside, outside, "tcp", 1024, 80, None)), fname)
    assert got["decision"] == ("deny" if effect in (MATCH, NO_EFFECT) else "permit"), (got, text)
    got = decision_json(cfg, S.our_packet((outside, inside, "tcp", 1024, 80, None)), fname)
    assert got["decision"] == "permit", (got, text)
