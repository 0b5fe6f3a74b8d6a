"""ISet / Cube / PacketSet against Python sets (brute force on small universes)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.packets import (
    ALL_ADDR,
    ALL_V4,
    ALL_V6,
    Cube,
    Cuts,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
    format_addr,
    format_iset_addrs,
    format_packet,
    parse_network,
)

U = 40  # small universe for brute force

intervals = st.lists(st.tuples(st.integers(0, U), st.integers(0, U)).map(lambda t: (min(t), max(t))), max_size=5)


def as_set(s: ISet) -> set[int]:
    return {x for lo, hi in s.iv for x in range(lo, hi + 1)}


@given(intervals, intervals)
def test_iset_ops_match_python_sets(a, b):
    A, B = ISet(a), ISet(b)
    sa, sb = as_set(A), as_set(B)
    assert as_set(A.union(B)) == sa | sb
    assert as_set(A.intersect(B)) == sa & sb
    assert as_set(A.subtract(B)) == sa - sb
    assert A.overlaps(B) == bool(sa & sb)
    assert A.issubset(B) == (sa <= sb)
    for x in range(U + 1):
        assert (x in A) == (x in sa)
    # normal form (issubset relies on it): sorted, disjoint, not adjacent, for results too
    for s in (A, A.union(B), A.intersect(B), A.subtract(B)):
        for (_lo1, h1), (l2, _hi2) in zip(s.iv, s.iv[1:]):
            assert h1 + 1 < l2


small = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)).map(lambda t: (min(t), max(t))), min_size=1,
                 max_size=2)
cubes = st.builds(lambda *d: Cube(*(ISet(x) for x in d)), small, small, small, small, small)


def points(ps: PacketSet) -> set:
    out = set()
    for c in ps.cubes:
        dims = [as_set(d) for d in c.dims]
        import itertools
        out.update(itertools.product(*dims))
    return out


def _hull(a: Cube, b: Cube) -> Cube:
    """The smallest one-interval-per-dimension cube holding ``a`` and ``b``."""
    return Cube(*(ISet([(min(x.iv[0][0], y.iv[0][0]), max(x.iv[-1][1], y.iv[-1][1]))]) for x, y in zip(a.dims, b.dims)))


@settings(max_examples=100, deadline=None)
@given(cubes, cubes)
def test_one_cube_intersections_match_brute_force(a, b):
    """``PacketSet.intersect`` of one cube with one cube, inside it (the set itself is the answer:
    no copy made) or not, equals the points both hold; so does ``Cube.intersect``."""
    for A, B in ((PacketSet([a]), PacketSet([b])), (PacketSet([a]), PacketSet([_hull(a, b)])),
                 (PacketSet([_hull(a, b)]), PacketSet([a]))):
        assert points(A.intersect(B)) == points(A) & points(B)
        c = A.cubes[0].intersect(B.cubes[0])
        assert points(PacketSet([c] if c is not None else [])) == points(A) & points(B)


@settings(max_examples=60, deadline=None)
@given(st.lists(cubes, max_size=3), st.lists(cubes, max_size=3))
def test_packetset_ops_match_brute_force(a, b):
    A, B = PacketSet(a), PacketSet(b)
    pa, pb = points(A), points(B)
    assert points(A.union(B)) == pa | pb
    assert points(A.intersect(B)) == pa & pb
    assert points(A.subtract(B)) == pa - pb
    assert A.overlaps(B) == bool(pa & pb)
    ex = A.example()
    assert (ex is None) == (not pa)
    if ex is not None:
        assert ex in pa


@settings(max_examples=80, deadline=None)
@given(cubes, st.integers(0, 5), small, st.lists(st.booleans(), min_size=5, max_size=5))
def test_cube_subtract_cutting_one_dimension(a, k, cut, wider):
    """The fast path of Cube.subtract (the other cube holds ``a`` in all dimensions but at
    most one) against brute force; k == 5 is the other cube holding all of ``a``."""
    dims = [ISet.of(0, 4) if w else d for d, w in zip(a.dims, wider)]
    if k < 5:
        dims[k] = ISet(cut)
    b = Cube(*dims)
    pieces = PacketSet(a.subtract(b))
    assert points(pieces) == points(PacketSet([a])) - points(PacketSet([b]))
    assert sum(p.size() for p in pieces.cubes) == len(points(pieces))  # disjoint pieces


@settings(max_examples=100, deadline=None)
@given(cubes, st.integers(0, 4), st.lists(st.tuples(small, st.lists(st.booleans(), min_size=5, max_size=5),
                                                     st.booleans()), min_size=1, max_size=8))
def test_cuts_in_one_dimension_equal_plain_subtraction(a, d, others):
    """Cuts (a chain of cuts in one dimension, made in place) against PacketSet.subtract,
    cut by cut; ``takes`` accepts only cubes that hold what is left outside the cut dimension."""
    rem = PacketSet([a])
    run = None
    for cut, wider, off in others:
        dims = [ISet.of(0, 4) if w else x for x, w in zip(a.dims, wider)]
        dims[d] = ISet(cut)
        if off:  # one that may not hold ``a`` in a second dimension
            dims[(d + 1) % 5] = ISet(cut)
        other = PacketSet([Cube(*dims)])
        if run is None:
            if not other or not rem.overlaps(other) or (run := Cuts.of(rem, other)) is None:
                continue
        if not run.takes(other):
            continue
        assert all(as_set(o) >= as_set(x) for k, (x, o) in enumerate(zip(a.dims, other.cubes[0].dims))
                   if k != run.d)
        assert run.cut(other) == rem.overlaps(other)
        rem = rem.subtract(other)
        assert points(run.packets()) == points(rem)


def test_cube_subtract_pieces_are_disjoint():
    a = Cube(ISet.of(0, 9), ISet.of(0, 9), ISet.of(0, 9), ISet.of(0, 9), ISet.of(0, 9))
    b = Cube(ISet.of(3, 5), ISet.of(2, 4), ISet.of(0, 9), ISet.of(5, 5), ISet.of(0, 1))
    pieces = a.subtract(b)
    total = sum(p.size() for p in pieces)
    assert total == a.size() - b.size()


def test_addresses_round_trip():
    assert format_addr(addr_to_int("10.1.2.3")) == "10.1.2.3"
    assert format_addr(addr_to_int("2001:db8::1")) == "2001:db8::1"
    assert format_iset_addrs(parse_network("10.0.0.0/24")) == "10.0.0.0/24"
    assert format_iset_addrs(parse_network("10.0.0.1-10.0.0.2")) == "10.0.0.1-10.0.0.2"


@settings(max_examples=500)
@given(st.one_of(st.integers(0, (1 << 32) - 1), st.sampled_from([0, 1, 255, 256, 65535, (1 << 32) - 1, 0x0A000001])),
       st.integers(0, (1 << 128) - 1))
def test_addresses_are_written_as_ipaddress_writes_them(v4, any_addr):
    """IPv4 is spelled out by hand (a report writes an address or two per finding)."""
    import ipaddress

    from auditor.core.packets import V4_BASE, V4_MAX

    assert format_addr(V4_BASE + v4) == str(ipaddress.IPv4Address(v4))
    if not V4_BASE <= any_addr <= V4_MAX:
        assert format_addr(any_addr) == str(ipaddress.IPv6Address(any_addr))


def test_example_prefers_readable_packets():
    ps = PacketSet([Cube(parse_network("0.0.0.0/0"), parse_network("10.20.0.10/32"), ISet.of(6),
                         ISet.of(0, 65535), ISet.of(445))])
    assert format_packet(ps.example()) == "tcp 1.0.0.1:49152 -> 10.20.0.10:445"  # (a client's dynamic port)


def test_example_of_a_fixed_low_source_port_is_a_reply_to_a_client_port_not_port_0():
    """A rule of a server's source port (``udp sport 53``, any destination port) showed ``... -> [2000::2]:0``:
    port 0 is reserved and devices drop a TCP or UDP packet of port 0 (the ASA's syslog 500004), so no device
    sends it.  The example is a reply to a client's port; a set of port 0 alone keeps port 0."""
    v6 = parse_network("2000::/3")
    ps = PacketSet([Cube(v6, v6, ISet.of(17), ISet.of(53), ISet.of(0, 65535))])
    assert format_packet(ps.example()) == "udp [2000::1]:53 -> [2000::2]:1024"
    ps = PacketSet([Cube(parse_network("10.0.0.0/8"), parse_network("10.0.0.0/8"), ISet.of(6), ISet.of(179),
                         ISet.of(0, 1000))])
    assert format_packet(ps.example()) == "tcp 10.0.0.1:179 -> 10.0.0.2:1"  # (no client port: not port 0)
    ps = PacketSet([Cube(parse_network("10.0.0.0/8"), parse_network("10.0.0.0/8"), ISet.of(17), ISet.of(0),
                         ISet.of(0))])
    assert format_packet(ps.example()) == "udp 10.0.0.1:0 -> 10.0.0.2:0"


@given(st.lists(st.integers(0, 60), min_size=17, max_size=50, unique=True).map(
    lambda xs: [(3 * x, 3 * x + x % 2) for x in xs]), intervals)
def test_iset_subtract_splice_path_matches_sets(a, b):
    A, B = ISet(a), ISet(b)
    assert len(A.iv) > 16
    assert as_set(A.subtract(B)) == as_set(A) - as_set(B)
    for (_lo1, h1), (l2, _hi2) in zip(A.subtract(B).iv, A.subtract(B).iv[1:]):
        assert h1 + 1 < l2


@given(st.lists(st.integers(0, 60), min_size=17, max_size=50, unique=True).map(
    lambda xs: [(3 * x, 3 * x + x % 2) for x in xs]), intervals)
def test_iset_intersect_slice_path_matches_sets(a, b):
    A, B = ISet(a), ISet(b)
    assert as_set(A.intersect(B)) == as_set(A) & as_set(B)
    assert as_set(B.intersect(A)) == as_set(A) & as_set(B)


def _example_by_intersection(ps: PacketSet, avoid: PacketSet | None = None):
    """``PacketSet.example`` as specified: intersect with each preference set in turn."""
    from auditor.core.packets import _PREFERENCES, _lowest

    candidates = [ps]
    if avoid is not None and ps.subtract(avoid):
        candidates.insert(0, ps.subtract(avoid))
    for cand in candidates:
        for pref in _PREFERENCES:
            narrowed = cand.intersect(pref)
            if narrowed:
                return min(_lowest(c) for c in narrowed.cubes)
    return min(_lowest(c) for c in ps.cubes)


# values around the preferences' edges: special IPv4 blocks, ports 0/1/1023/1024/49151/49152, tcp/udp
V4 = 1 << 32
ADDRS = [0, 5, V4 - 1, V4, V4 + 1, V4 + 255, V4 + 256, V4 + (10 << 24), V4 + (10 << 24) + 256,
         V4 + (127 << 24) + 1, V4 + (169 << 24) + (254 << 16) + 3, V4 + (224 << 24), V4 + (1 << 32) - 1]
PORTS = [0, 1, 80, 1023, 1024, 5000, 49151, 49152, 65535]


def _ivs(values):
    return st.lists(st.tuples(st.sampled_from(values), st.sampled_from(values)).map(lambda t: (min(t), max(t))),
                    min_size=1, max_size=3).map(ISet)


edge_cubes = st.builds(Cube, _ivs(ADDRS), _ivs(ADDRS), _ivs([0, 1, 6, 17, 50, 255]), _ivs(PORTS), _ivs(PORTS))


@settings(max_examples=300, deadline=None)
@given(st.lists(edge_cubes, min_size=1, max_size=3), st.one_of(st.none(), st.lists(edge_cubes, max_size=2)))
def test_example_equals_the_preference_intersections(cs, avoid):
    ps = PacketSet(cs)
    av = PacketSet(avoid) if avoid is not None else None
    assert ps.example(av) == _example_by_intersection(ps, av)


def test_example_addresses_read_as_hosts():
    # an x.x.x.0 or x.x.x.255 address is the network or broadcast address of every /24 or longer subnet:
    # no client sends from it, no server listens on it (a /16 less the router's own .1 shows .2)
    dst = parse_network("10.20.0.10/32")

    def src_of(s: ISet) -> str:
        pkt = PacketSet([Cube(s, dst, ISet.of(6), ISet.of(0, 65535), ISet.of(445))]).example()
        return format_packet(pkt).split()[1].split(":")[0]

    less_gw = parse_network("10.30.0.0/16").subtract(parse_network("10.30.0.1/32"))
    assert src_of(less_gw) == "10.30.0.2"
    assert src_of(parse_network("10.30.0.255/32").union(parse_network("10.30.1.0/30"))) == "10.30.1.1"
    assert src_of(parse_network("10.30.0.0/32").union(parse_network("10.30.0.255/32"))) == "10.30.0.0"  # none else


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1200), st.integers(0, 3)).map(lambda t: (t[0], t[0] + t[1])),
                min_size=1, max_size=8))
def test_example_source_is_the_lowest_host_address(ivs):
    """Brute force: the example's source is the lowest address of the set whose last byte is
    neither 0 nor 255, or the lowest address when it has none."""
    from auditor.core.packets import addr_to_int

    base = addr_to_int("10.30.0.0")
    s = ISet([(base + a, base + b) for a, b in ivs])
    members = [x for lo, hi in s.iv for x in range(lo, hi + 1)]
    hosts = [x for x in members if x & 0xFF not in (0, 255)]
    pkt = PacketSet([Cube(s, parse_network("10.20.0.10/32"), ISet.of(6), ISet.of(0, 65535), ISet.of(445))]).example()
    assert pkt[0] == (min(hosts) if hosts else min(members))


def test_address_sets_read_per_family_and_by_what_they_miss():
    # (the shared space holds IPv4 as ::ffff:0:0/96: a range never spans the two families in the text, and
    # "everything but the LAN" reads as that, not as '::-192.168.0.255, 192.168.2.0-ffff:...:ffff')
    lan = parse_network("192.168.1.0/24")
    assert format_iset_addrs(ALL_ADDR.subtract(lan)) == "any except 192.168.1.0/24"
    assert format_iset_addrs(ALL_V4.subtract(parse_network("10.30.0.0/24"))) == "any4 except 10.30.0.0/24"
    assert format_iset_addrs(ALL_V6.subtract(parse_network("2001:db8::/32"))) == "any6 except 2001:db8::/32"
    assert format_iset_addrs(lan.union(ALL_V6)) == "192.168.1.0/24, any6"
    assert format_iset_addrs(parse_network("2001:db8::/32").union(lan)) == "192.168.1.0/24, 2001:db8::/32"
    assert format_iset_addrs(ALL_ADDR) == "any" and format_iset_addrs(ALL_V4) == "any4"
    # a set of many blocks is listed, the first few shown
    many = ISet.union_of(parse_network("10.0.%d.0/24" % (2 * k)) for k in range(6))
    assert format_iset_addrs(many) == "10.0.0.0/24, 10.0.2.0/24, 10.0.4.0/24, 10.0.6.0/24, ... (2 more)"


def test_example_is_not_a_host_sending_to_itself():
    # (a packet from an address to that same address never crosses a firewall: a rule of 'any' to 'any', or
    # of a server block to itself, shows two hosts; only a set of one host to itself shows it twice)
    anyany = PacketSet([cube(proto=ISet.of(6), dport=ISet.of(80))])
    assert format_packet(anyany.example()) == "tcp 1.0.0.1:49152 -> 1.0.0.2:80"
    block = parse_network("10.20.0.10-10.20.0.12")
    assert format_packet(PacketSet([cube(src=block, dst=block, proto=ISet.of(6), dport=ISet.of(22))]).example()) \
        == "tcp 10.20.0.10:49152 -> 10.20.0.11:22"
    one = parse_network("10.20.0.10")
    assert format_packet(PacketSet([cube(src=one, dst=one, proto=ISet.of(6), dport=ISet.of(22))]).example()) \
        == "tcp 10.20.0.10:49152 -> 10.20.0.10:22"
