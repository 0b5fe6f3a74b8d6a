"""``parsers.kit.addr.wildcard_blocks``, the non-contiguous masks four vendors write, against brute force."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.packets import V4_BASE
from parsers.kit.addr import wildcard_blocks


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 0xFFFFFFFF), st.lists(st.integers(0, 31), max_size=9, unique=True))
def test_the_blocks_are_the_addresses_that_agree_outside_the_free_bits(value, bits):
    free = sum(1 << b for b in bits)
    got = wildcard_blocks(value, free)
    # every combination of the free bits, and nothing else: the set has 2**len(bits) addresses
    want = set()
    for k in range(1 << len(bits)):
        v = value & ~free & 0xFFFFFFFF
        for j, b in enumerate(sorted(bits)):
            if k >> j & 1:
                v |= 1 << b
        want.add(V4_BASE + v)
    members = {x for lo, hi in got.iv for x in range(lo, hi + 1)}
    assert members == want
    for (_a, b), (c, _d) in zip(got.iv, got.iv[1:]):
        assert b + 1 < c  # normal: apart, in order


def test_too_many_scattered_free_bits_is_none():
    scattered = sum(1 << b for b in range(1, 27, 2))  # 13 free bits, none adjacent below the lowest
    assert wildcard_blocks(0, scattered) is None
    assert wildcard_blocks(0, scattered, max_bits=13) is not None
    assert len(wildcard_blocks(0x0A000100, 0x00FF00FF).iv) == 256  # 10.x.1.y: 256 runs of 256
