"""``parsers.kit.addr.cidr_set`` reads the usual IPv4 address or CIDR without ``ipaddress`` objects (a large
address book has tens of thousands of them): it must give exactly what the ``ipaddress`` module gives,
accepting and refusing the same texts.  The oracle is the general path, written out here."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.packets import ALL_V4, ALL_V6, ISet, addr_to_int
from parsers.kit.addr import cidr_set


def oracle(text: str, family: int | None = None) -> ISet | None:
    """What ``ipaddress.ip_network(strict=False)`` says (None: refused)."""
    t = text.strip()
    try:
        if "-" in t and "/" not in t:
            lo, hi = (addr_to_int(x.strip()) for x in t.split("-", 1))
            out = ISet.of(lo, hi) if lo <= hi else None
        else:
            net = ipaddress.ip_network(t, strict=False)
            base = (0xFFFF << 32) if net.version == 4 else 0
            lo = base + int(net.network_address)
            out = ISet.of(lo, lo + net.num_addresses - 1).intersect(ALL_V4 if net.version == 4 else ALL_V6)
    except ValueError:
        return None
    if out is not None and family is not None and not out.issubset(ALL_V4 if family == 4 else ALL_V6):
        return None
    return out


def ours(text: str, family: int | None = None) -> ISet | None:
    try:
        return cidr_set(text, family)
    except ValueError:
        return None


octet = st.one_of(st.integers(0, 255).map(str), st.sampled_from(["256", "01", "00", "007", "", "-1", "1a", "١"]))
length = st.one_of(st.integers(0, 33).map(str), st.sampled_from(["", "08", "032", "+8", " 8", "8 ", "١", "255.0.0.0",
                                                                 "0.0.0.255", "255.0.255.0", "x"]))


@st.composite
def v4_texts(draw) -> str:
    n = draw(st.integers(2, 5))
    a = ".".join(draw(octet) for _ in range(n))
    if draw(st.booleans()):
        a += "/" + draw(length)
    return draw(st.sampled_from(["", " ", "\t"])) + a + draw(st.sampled_from(["", " ", "\n"]))


@settings(max_examples=3000, deadline=None)
@given(v4_texts(), st.sampled_from([None, 4, 6]))
def test_the_ipv4_fast_path_answers_as_ipaddress_does(text, family):
    assert ours(text, family) == oracle(text, family)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789./:-abcdef x", max_size=24), st.sampled_from([None, 4, 6]))
def test_any_text_answers_as_ipaddress_does(text, family):
    assert ours(text, family) == oracle(text, family)


def test_examples():
    assert cidr_set("10.1.2.3/8") == cidr_set("10.0.0.0/8") == ISet.of(addr_to_int("10.0.0.0"),
                                                                     addr_to_int("10.255.255.255"))
    assert cidr_set("10.1.2.3") == ISet.of(addr_to_int("10.1.2.3"))
    assert cidr_set("0.0.0.0/0") == ALL_V4
    assert ours("10.0.0.1/33") is None and ours("10.0.0.01") is None and ours("10.0.0.1", 6) is None
