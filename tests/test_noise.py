"""Findings that would be noise or wrong: duplicates, self-reference, examples in the rule's family."""

from hypothesis import given
from hypothesis import strategies as st

from auditor.api import audit
from auditor.core.model import Action, Config, Filter, Path, Rule, Source, Stage
from auditor.core.packets import ALL_V6, V4_BASE, V4_MAX, ISet, PacketSet, cube, format_packet, parse_network
from auditor.findings import Finding, sort_findings
from auditor.policy import load_site
from parsers.cisco_asa import parse

ASA = ("ASA Version 9.12(4)\n"
       "interface G0\n nameif inside\n security-level 100\n ip address 10.30.0.1 255.255.255.0\n"
       "interface G1\n nameif servers\n security-level 90\n ip address 10.20.0.1 255.255.255.0\n"
       "access-list IN extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 445\n"
       "access-list IN extended permit tcp 10.30.0.0 255.255.255.0 host 10.20.0.10 eq 445\n"
       "access-list IN extended deny ip any6 any6\n"
       "access-list IN extended permit tcp any4 host 10.20.0.10 eq www\n"
       "access-group IN in interface inside\n")


def acl_findings(text):
    r = audit([parse(text, "fw.cfg")], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"]))
    return [f for f in r.findings if f.rule_id.startswith("ACL")]


def test_of_two_identical_lines_only_the_later_is_redundant():
    found = [(f.rule_id, f.source.line) for f in acl_findings(ASA)]
    assert ("ACL201", 11) in found and ("ACL201", 10) not in found


def test_an_example_packet_is_in_the_rules_family_with_a_protocol_it_matches():
    [f] = [f for f in acl_findings(ASA) if f.source.line == 12]
    src, dst, proto, _sp, _dp = f.example
    assert src in ALL_V6 and dst in ALL_V6 and proto != 0
    assert format_packet(f.example).startswith("tcp [2000::1]:49152 -> [")


def test_ipv6_packets_are_printed_with_brackets():
    a = parse_network("2001:db8::1").lo
    assert format_packet((a, 0, 6, 1024, 445)) == "tcp [2001:db8::1]:1024 -> [::]:445"
    assert format_packet((V4_BASE + 1, V4_MAX, 17, 53, 53)) == "udp 0.0.0.1:53 -> 255.255.255.255:53"


def test_identical_findings_get_their_own_fingerprints_and_are_printed_once():
    s = Source("fw.cfg", 3, "permit ip any any")
    a = Finding("ACL210", "warning", "broad", s, key="IN")
    b = Finding("PRN100", "error", "blocked", s, key="smb")
    c = Finding("PRN100", "warning", "cannot tell", s, key="smb")
    out = sort_findings([a, b, c, b])
    assert len(out) == 3
    assert len({f.fingerprint for f in out}) == 3
    # the first of its kind keeps the fingerprint it always had
    assert out[0].fingerprint == a.fingerprint


def test_a_repeat_is_the_finding_replace_would_make():
    """``sort_findings`` numbers repeats without building them again (``_with_occurrence``): every
    field, the extra data and the fingerprint are what ``dataclasses.replace`` gives."""
    from dataclasses import asdict, replace

    from auditor.findings import _with_occurrence

    s = Source("fw.cfg", 3, "  permit   ip any any community s3cret  ")
    f = Finding("ACL201", "warning", "redundant: snmp-server community public", s, key="IN",
                example=(V4_BASE + 1, V4_BASE + 2, 6, 1024, 445), status="unknown", related=(s,),
                extra={"filter": "IN", "kind": "redundant-upward", "n": [1, 2]}, waived=True)
    for n in (1, 7):
        want, got = replace(f, occurrence=n), _with_occurrence(f, n)
        assert type(got) is Finding and got == want and asdict(got) == asdict(want)
        assert got.extra == want.extra and got.fingerprint == want.fingerprint and got.to_json() == want.to_json()
    assert f.occurrence == 0  # (the original is left as it was)
    twice = sort_findings([f, replace(f, source=Source("fw.cfg", 9, "permit ip any any community s3cret"))])
    assert [x.occurrence for x in twice] == [0, 1]  # (the same text, spaced otherwise: a repeat)


def test_no_finding_names_its_own_line_as_the_reason():
    # one rule line reached twice in one filter (an iptables user chain jumped to from two places)
    same = Source("fw.rules", 9, "-A COMMON -p tcp --dport 445 -j ACCEPT")
    r1 = Rule("F", 0, Action.PERMIT, PacketSet([cube(proto=ISet.of(6), dport=ISet.of(445))]), same)
    r2 = Rule("F", 1, Action.PERMIT, PacketSet([cube(proto=ISet.of(6), dport=ISet.of(445))]), same)
    st = Stage("F", ("F",), Action.DENY, Source("fw.rules", 1, ":F DROP"), "policy")
    cfg = Config("fw.rules", "test", 9, {"F": Filter("F", (r1, r2))}, (Path(None, None, (st,)),))
    found = audit([cfg], load_site(None, [])).findings
    for f in found:
        assert "line 9" not in f.message or f.source.line != 9, f.message


def test_a_finding_is_built_as_the_generated_dataclass_init_would():
    """``Finding.__init__`` sets the fields into the instance's dict (a frozen dataclass's own
    ``__init__`` sets each through ``object.__setattr__``): its parameters and every field, default,
    redaction, equality and hash are those of the class ``dataclasses`` makes from Finding's own fields
    (so a field added to the class and not to ``__init__`` fails here)."""
    import dataclasses
    import inspect

    from auditor.core.secrets import redact, scrub

    def post_init(self) -> None:  # (what Finding did after the generated __init__)
        object.__setattr__(self, "message", redact(self.message))
        if self.extra:
            object.__setattr__(self, "extra", scrub(self.extra))

    Generated = dataclasses.make_dataclass(
        "Generated", [(f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory,
                                                          compare=f.compare, hash=f.hash))
                      for f in dataclasses.fields(Finding)], frozen=True, namespace={"__post_init__": post_init})
    assert list(inspect.signature(Finding.__init__).parameters)[1:] == [f.name for f in dataclasses.fields(Finding)]
    for p in list(inspect.signature(Finding.__init__).parameters.values())[1:]:
        f = next(f for f in dataclasses.fields(Finding) if f.name == p.name)
        want = f.default if f.default is not dataclasses.MISSING else (
            inspect.Parameter.empty if f.default_factory is dataclasses.MISSING else None)
        assert p.default == want, p  # (a default factory's field takes None and makes its own)
    s = Source("fw.cfg", 3, "snmp-server community s3cret")
    given = [
        (("ACL201", "warning", "redundant", s), {}),
        (("ACL201", "warning", "quotes 'snmp-server community s3cret'", s, "IN", (1, 2, 6, 3, 4)),
         {"related": (s,), "extra": {"filter": "IN", "note": "password hunter2"}, "status": "unknown"}),
        (("PRN100", "error", "blocked", s), {"extra": {}, "waived": True, "occurrence": 2}),
    ]
    for args, kw in given:
        got, want = Finding(*args, **kw), Generated(*args, **kw)
        assert got.__dict__ == want.__dict__ and "s3cret" not in got.message and "hunter2" not in str(got.extra)
        assert got == Finding(*args, **kw) and hash(got) == hash(Finding(*args, **kw))
        assert dataclasses.replace(got, key="x").__dict__ == dataclasses.replace(want, key="x").__dict__
    a, b = Finding("ACL201", "warning", "m", s), Finding("ACL201", "warning", "m", s)
    assert a.extra == {} and a.extra is not b.extra  # (each its own default)


def test_findings_sort_by_path_line_rule_and_key():
    fs = [Finding(r, "warning", "m", Source(p, n, "x"), key=k) for p in ("b.cfg", "a/b.cfg")
          for n in (10, 2) for r in ("ACL201", "ACL200") for k in ("IN", "")]
    assert [f.sort_key() for f in sort_findings(fs)] == sorted(
        (f.source.path, f.source.line, f.rule_id, f.key) for f in fs)
    assert sort_findings(fs)[0].sort_key() == ("a/b.cfg", 2, "ACL200", "")


_BLANKS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


@given(st.text(alphabet=st.sampled_from(_BLANKS + "ab\x00é"), max_size=30) | st.text(max_size=30))
def test_a_fingerprint_spaces_its_text_as_the_regular_expression_did(text):
    """``spaced`` splits on Python's blanks, which are the characters ``\\s`` matches (every one of them
    is in ``_BLANKS``): the same text as ``re.sub(r"\\s+", " ", text.strip())``, so fingerprints stay."""
    import re

    from auditor.findings import spaced

    assert spaced(text) == re.sub(r"\s+", " ", text.strip())


def test_the_blanks_tried_are_every_character_the_regular_expression_calls_blank():
    import re
    import sys

    assert [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", c)] == list(_BLANKS)
