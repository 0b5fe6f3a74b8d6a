"""Former quadratic shapes, each checked by the work it does (never by wall time).

Each test counts an operation that the old code repeated per element of the input (a
union rebuilt per path, a remainder cut per later rule, every earlier duplicate visited per
rule) at two sizes: the work must grow with the input (at most a little faster), not with
its square.  Issue 20; the benchmark (``benchmarks/run.py --shapes``) times the same shapes.
"""

from __future__ import annotations

from contextlib import contextmanager

from auditor.core import packets
from parsers.cisco_asa import parse


@contextmanager
def counting(cls, name: str, weight=None):
    """Count the calls of ``cls.name`` (a plain function attribute) while the block runs, or
    the sum of ``weight(args)`` over them (``weight`` may return the arguments to pass on)."""
    calls = [0]
    orig = getattr(cls, name)

    def counted(*a, **k):
        if weight is None:
            calls[0] += 1
        else:
            n, a = weight(a)
            calls[0] += n
        return orig(*a, **k)

    setattr(cls, name, counted)
    try:
        yield calls
    finally:
        setattr(cls, name, orig)


def _cubes(args):
    """(how many cubes a ``PacketSet(cubes)`` call is given, the arguments with them as a tuple)."""
    self, *rest = args
    cubes = tuple(rest[0]) if rest else ()
    return len(cubes), (self, cubes)


def _vlans(n: int) -> str:
    """An ASA with ``n`` VLAN interfaces (``n * n`` paths), each with a small ACL bound in."""
    out = ["ASA Version 9.16(4)", "hostname many-vlans"]
    for k in range(n):
        out += ["interface GigabitEthernet0/1.%d" % (100 + k), " vlan %d" % (100 + k), " nameif v%d" % k,
                " security-level 50", " ip address 10.%d.%d.1 255.255.255.0" % (k // 200, k % 200), "!"]
        out += ["access-list A%d extended permit tcp any host 10.0.0.10 eq 445" % k,
                "access-group A%d in interface v%d" % (k, k)]
    return "\n".join(out) + "\n"


def test_splitting_flows_by_path_is_linear_in_the_paths():
    """A device of many interfaces: the packets of a flow are split over its n * n paths.
    The old split rebuilt the union of every earlier path's box per path and subtracted it
    whole (cube tests growing with the square of the paths: 40 interfaces took 40 s)."""
    from auditor.core.packets import ALL_PORTS, ISet, PacketSet, cube
    from auditor.engine import split_by_path

    work = []
    for n in (20, 40):
        cfg = parse(_vlans(n), "vlans.cfg")
        assert len(cfg.paths) >= n * n
        flows = PacketSet([cube(src=ISet.of(packets.addr_to_int("10.0.1.0"), packets.addr_to_int("10.0.1.255")),
                                dst=ISet.of(packets.addr_to_int("10.0.0.10")), proto=ISet.of(6), dport=ALL_PORTS)])
        with counting(packets.Cube, "overlaps") as ov, counting(packets.PacketSet, "__init__", _cubes) as made:
            parts = split_by_path(cfg, flows)
        assert [p.ingress for p, _ in parts if p is not None] == ["v1"]
        work.append(ov[0] + made[0])
    assert work[1] <= 5 * work[0], work  # 4x the paths: at most a little over 4x the work (old: 16x)
