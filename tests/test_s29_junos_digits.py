"""Junos numbers in other than ASCII digits, besides ports (session 29 red team; session 28 did the ports).

The Junos command line reads numbers in ASCII digits; Python's ``str.isdecimal()`` and ``int()`` read any Unicode
decimal digit ('\u0668', Arabic-Indic 8, is 8 to them).  A value the device refuses to commit is not the
device's: the line is not understood (its verdicts unknown, never a certain permit or deny).  The documents give
each of these values as a number:

* [ICMP] Juniper, "icmp-type" / "icmp-code" (Applications, Junos OS CLI reference): "icmp-type value ... Range:
  0 through 255"; firewall filters: "Firewall Filter Match Conditions for IPv4 Traffic" ("icmp-type number").
* [TIMEOUT] Juniper, "Understanding Policy Application Timeout Configuration and Lookup" (Junos Security 10.3,
  https://www.juniper.net/documentation/software/junos-security/junos-security10.3/junos-security-swconfig-security/topic-41683.html):
  the application's own timeout in seconds, else the protocol default (TCP 1800 s).
* [STATIC] Juniper, "static (Routing Options)": "preference preference ... Range: 0 through 4,294,967,295";
  [UNIT] "unit (Interfaces)": "unit logical-unit-number ... Range: 0 through 16,384" (a number).
* [AGING] Juniper, "aging" (security flow): "high-watermark percent" (a percentage).

Expected decisions are read from these documents, not from the tool.
"""

from __future__ import annotations

from auditor.api import audit
from auditor.policy import load_site
from parsers import parse_text
from tests.test_hunt7_srx import BASE, decide, parse, policy

AR = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
N = len(BASE.splitlines())
ANY = ("match source-address any", "match destination-address any")
PERMIT_ANY = policy("ws", "srv", "all", *ANY, "match application any", "then permit")


def ar(number: str) -> str:
    return number.translate(AR)


def _codes(cfg) -> list[tuple[str, int, str]]:
    return [(d.code, d.source.line, d.impact.value) for d in cfg.diagnostics]


def test_an_application_icmp_type_in_other_digits_is_not_a_type():  # [ICMP]
    text = "set applications application PING protocol icmp\nset applications application PING icmp-type %s\n" \
        + policy("ws", "srv", "ping", *ANY, "match application PING", "then permit")
    ok = parse(text % "8")
    assert decide(ok, "10.1.0.5", "10.2.0.10", "icmp", 8 * 256, 0) == "permit"
    cfg = parse(text % ar("8"))
    # before: read as type 8, a certain permit of the echo request the device never committed
    assert decide(cfg, "10.1.0.5", "10.2.0.10", "icmp", 8 * 256, 0) == "unknown"
    assert _codes(cfg) == [("CFG300", N + 2, "filter")]  # (the icmp-type line; the protocol line accounted)


def test_a_filter_icmp_type_or_code_in_other_digits_is_not_understood():  # [ICMP]
    text = ("set interfaces ge-0/0/1 unit 0 family inet filter input F\n"
            "set firewall family inet filter F term t from protocol icmp\n"
            "set firewall family inet filter F term t from %s\n"
            "set firewall family inet filter F term t then discard\n"
            "set firewall family inet filter F term z then accept\n") + PERMIT_ANY
    for cond in ("icmp-type %s", "icmp-type 0-%s", "icmp-code %s"):
        cfg = parse(text % (cond % ar("8" if "type" in cond else "0")))
        # before: read as type 8 (code 0): the echo request certainly discarded
        assert decide(cfg, "10.1.0.5", "10.2.0.10", "icmp", 8 * 256, 0) == "unknown", cond
        assert ("CFG300", N + 3, "filter") in _codes(cfg), cond


def test_an_inactivity_timeout_in_other_digits_is_not_a_timeout():  # [TIMEOUT]
    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10"])
    text = ("set applications application LONG protocol tcp destination-port 1-65535\n"
            "set applications application LONG inactivity-timeout %s\n"
            + policy("ws", "srv", "long", *ANY, "match application LONG", "then permit"))

    def prn120(value):
        return [(f.status, f.source.line) for f in audit([parse_text(BASE + text % value, "srx.set")], site).findings
                if f.rule_id == "PRN120"]

    assert prn120("28800") == []  # a shift: passes
    # before: read as 28800 s, a pass of the idle-timeout check on a timeout the device never committed; now the
    # line is not understood (scope 'timeouts'): the check cannot pass
    got = prn120(ar("28800"))
    assert got and "pass" not in {s for s, _line in got}, got
    cfg = parse_text(BASE + text % ar("28800"), "srx.set")
    assert [(d.code, d.source.line, d.scope) for d in cfg.diagnostics] == [("CFG300", N + 2, "timeouts")]


def test_a_static_route_preference_in_other_digits_is_not_understood():  # [STATIC]
    # two next hops of 10.9.0.0/16: srv's at preference 2 wins over untrust's at 3
    text = ("set routing-options static route 10.9.0.0/16 qualified-next-hop 10.2.0.254 preference %s\n"
            "set routing-options static route 10.9.0.0/16 qualified-next-hop 203.0.113.254 preference 3\n"
            + PERMIT_ANY)
    assert decide(parse(text % "2"), "10.1.0.5", "10.9.0.10") == "permit"
    cfg = parse(text % ar("2"))
    # before: read as preference 2; the route's line was reported with no impact on any verdict
    assert decide(cfg, "10.1.0.5", "10.9.0.10") == "unknown"
    assert ("CFG300", N + 1, "global") in _codes(cfg)
    for lines, bad in ((("set routing-options static route 10.9.0.0/16 next-hop 10.2.0.254",
                         "set routing-options static route 10.9.0.0/16 preference %s"), N + 2),
                       (("set routing-options static defaults preference %s",
                         "set routing-options static route 10.9.0.0/16 next-hop 10.2.0.254"), N + 1)):
        cfg = parse("\n".join(lines) % ar("2") + "\n" + PERMIT_ANY)
        assert decide(cfg, "10.1.0.5", "10.9.0.10") == "unknown", lines
        assert [c for c in _codes(cfg) if c[0] == "CFG300"] == [("CFG300", bad, "global")], lines


def test_an_interface_unit_in_other_digits_is_not_a_unit():  # [UNIT]
    text = BASE.replace("ge-0/0/2 unit 0", "ge-0/0/2 unit %s" % ar("0")) + PERMIT_ANY
    cfg = parse_text(text, "srx.set")
    # before: a unit named '\u0660' that no zone holds: the server's traffic certainly dropped
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    assert ("CFG300", 3, "global") in _codes(cfg)


def test_a_high_watermark_in_other_digits_leaves_the_idle_timeout_unknown():  # [AGING]
    cfg = parse("set security flow aging high-watermark %s\n" % ar("100") + PERMIT_ANY)
    got = [d for d in cfg.diagnostics if d.code == "CFG300"]
    assert [(d.source.line, d.scope) for d in got] == [(N + 1, "timeouts")]
    assert "aggressive" not in got[0].message


def test_a_wildcard_address_mask_length_in_other_digits_is_not_understood():
    # Juniper, "wildcard-address (Address Book)": "wildcard-address ip-address/wildcard-mask"; the mask written
    # as a length in ASCII digits (the tool's reading of '/24') or dotted
    text = ("set security address-book global address SRV wildcard-address 10.2.0.0/%s\n"
            + policy("ws", "srv", "srv", "match source-address any", "match destination-address SRV",
                     "match application any", "then permit"))
    assert decide(parse(text % "24"), "10.1.0.5", "10.2.0.10") == "permit"
    # before: read as /24, a certain permit
    cfg = parse(text % ar("24"))
    assert decide(cfg, "10.1.0.5", "10.2.0.10") == "unknown"
    assert [c[:2] for c in _codes(cfg)] == [("CFG300", N + 1)]
