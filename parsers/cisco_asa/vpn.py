"""VPN traffic and the access lists: ``sysopt connection permit-vpn`` (the default).

"To permit any packets that come from an IPsec tunnel without checking ACLs for the source and destination
interfaces, enter the sysopt connection permit-vpn command" (Cisco ASA 5500 Series Configuration Guide using the
CLI, 8.4, "Setting General VPN Parameters", "Configuring IPsec to Bypass ACLs"); it is on by default and
``show running-config`` does not print it ("Enable inbound IPsec sessions to bypass interface access-lists.
Group policy and per-user authorization access lists still apply to the traffic": ASDM 6.4 guide, "System
Options"; ``no sysopt connection permit-vpn`` makes the access rules apply to the decrypted packets).

Which packets arrive through a tunnel is not in the configuration (a tunnel's peer may be down, a remote-access
user's address comes from a pool, RADIUS or DHCP), nor what the group policies' ``vpn-filter`` lists allow, so
the model does not decide them: on an interface where VPNs terminate (``crypto map NAME interface IF``,
``webvpn`` / ``enable IF``), the packets whose source a tunnel can carry (the destinations of the crypto map's
``match address`` lists, seen from the remote side; any address for a dynamic crypto map or AnyConnect) may pass
whatever the interface's access lists say: a gate put in front of its inbound access lists, and of the outbound
lists of the paths it starts, permits them or lets them go on (``Rule.sure_action``).  What the access lists
permit anyway stays permitted; what they deny becomes ``unknown`` at the ``crypto map`` line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.core.model import Action, Filter, Source, new_rule
from auditor.core.packets import ALL_ADDR, ISet, PacketSet, cube
from parsers.cisco_asa.names import IGNORED_COMMANDS
from parsers.cisco_asa.services import decimal

if TYPE_CHECKING:
    from parsers.cisco_asa.scan import Asa


@dataclass
class Tunnels:
    """What the scan collects about VPN termination."""

    bypass: bool = True  # sysopt connection permit-vpn (the default)
    bound: dict[str, tuple[str, Source]] = field(default_factory=dict)  # interface -> (crypto map, its line)
    # crypto map -> the access lists of its 'match address' entries (None: a dynamic entry, any peer)
    entries: dict[str, list[str | None]] = field(default_factory=dict)
    anyconnect: dict[str, Source] = field(default_factory=dict)  # interface -> its webvpn 'enable IF' line


def crypto(st: Asa, toks: list[str], i: int, j: int) -> None:
    """``crypto map NAME interface IF``, ``crypto map NAME SEQ match address ACL``, ``crypto map NAME SEQ
    ipsec-isakmp dynamic DYN``: collected; other ``crypto`` commands (keys, proposals, peers) are ignored."""
    t = toks[1:]
    tun = st.tunnels
    if len(t) == 4 and t[0] == "map" and t[2] == "interface":
        tun.bound[t[3]] = (t[1], st.src(i))
        st.lines.use(i, j)
        return
    if len(t) == 6 and t[0] == "map" and t[3:5] == ["match", "address"] and decimal(t[2]):
        tun.entries.setdefault(t[1], []).append(t[5])
        st.lines.use(i, j)
        return
    if len(t) == 6 and t[0] == "map" and t[3:5] == ["ipsec-isakmp", "dynamic"] and decimal(t[2]):
        tun.entries.setdefault(t[1], []).append(None)
        st.lines.use(i, j)
        return
    st.lines.ignore(i, IGNORED_COMMANDS["crypto"], j)


def webvpn(st: Asa, toks: list[str], i: int, j: int) -> None:
    """The ``webvpn`` block: ``enable IF`` terminates AnyConnect (SSL VPN) clients on interface IF."""
    st.lines.ignore(i, IGNORED_COMMANDS["webvpn"])
    for k in range(i + 1, j):
        t = st.raw[k].split()
        if len(t) == 2 and t[0] == "enable":
            st.tunnels.anyconnect[t[1]] = st.src(k)
            st.lines.use(k)
        else:
            st.lines.ignore(k, IGNORED_COMMANDS["webvpn"])


def gates(st: Asa, filters: dict[str, Filter], known: set[str]) -> dict[str, str]:
    """The gate filter of each interface where VPN traffic may bypass the access lists, added to ``filters``:
    interface -> the gate's name (none when ``no sysopt connection permit-vpn``)."""
    tun = st.tunnels
    if not tun.bypass:
        return {}
    out: dict[str, str] = {}
    for iface in sorted(set(tun.bound) | set(tun.anyconnect)):
        if iface not in known:
            continue
        sources: list[ISet] = []
        where: list[Source] = []
        if iface in tun.anyconnect:
            sources.append(ALL_ADDR)
            where.append(tun.anyconnect[iface])
        if iface in tun.bound:
            name, s = tun.bound[iface]
            where.append(s)
            for acl in tun.entries.get(name, [None]):
                sources.append(_remote(filters.get(acl)) if acl is not None else ALL_ADDR)
        remote = ISet.union_of(sources)
        if not remote:
            continue
        gate = "vpn:%s" % iface
        s = where[0]
        note = ("VPN traffic decrypted on %s bypasses the access lists (sysopt connection permit-vpn, the default): "
                "which packets come through a tunnel is not in the configuration" % iface)
        filters[gate] = Filter(gate, (new_rule(gate, 0, Action.PERMIT, PacketSet(), s,
                                               maybe=PacketSet([cube(src=remote)]), note=note, builtin=True,
                                               label="VPN traffic on %s" % iface, sure_action=True),), s,
                               kind="implicit")
        out[iface] = gate
    return out


def _remote(f: Filter | None) -> ISet:
    """The remote networks of a crypto map entry's ``match address`` list: the destinations of its entries
    (the list is written from the ASA's side: "permit ip LOCAL REMOTE"); any address when it is undefined."""
    if f is None:
        return ALL_ADDR
    dsts = [c.dims[1] for r in f.rules if r.action is Action.PERMIT for part in (r.match, r.maybe) for c in part]
    return ISet.union_of(dsts)
