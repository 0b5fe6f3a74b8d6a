"""Session idle timeouts for TCP, in PAN-OS's order of precedence.

* A service object with ``override yes timeout N`` (PAN-OS 8.1+, "Maintain Custom Timeouts
  for Data Center Applications": "Define the session timeout for the service ...
  Override—Define a custom session timeout") sets the timeout of the sessions a rule permits
  through that service: one record per (pair filter, rule) with ``rule=``, matching the
  rule's packets of that service.
* A custom application's ``tcp-timeout`` (or ``timeout``) overrides the global timeout for
  its sessions ("Configure Session Timeouts": "When configured, timeouts for an application
  override the global TCP or UDP session timeouts"): a record per rule that permits only
  such applications (every session it permits is one of them).
* Otherwise ``deviceconfig setting session timeout-tcp`` (default 3600 s, range 1 to
  15,999,999; "Configure Session Timeouts (PAN-OS)"): the last record, ``default=True``.
  Predefined applications carry timeouts of their own in App-ID's content, which is not in
  the configuration; the label says so.

PAN-OS has no dead-connection detection and no "never" (the largest value is about 185 days).
"""

from __future__ import annotations

from auditor.core.model import Action, Impact, Timeout
from auditor.core.packets import ALL_PORTS, ISet, PacketSet, cube
from parsers.panos.objects import Objects

TCP = ISet.of(6)
DEFAULT_TCP = 3600


def timeouts(policies: dict, objs: Objects, settings: dict, lines) -> list[Timeout]:
    """The timeout records of the device, most specific first."""
    out: list[Timeout] = []
    tcp_all = PacketSet([cube(proto=TCP)])
    overrides: dict = {}  # (chain, service name) -> its overriding services (none for most)
    for pol in policies.values():
        for pl in pol.placed:
            if pl.action is not Action.PERMIT or not pl.places:
                continue
            ovr = []
            for name, _line in pl.services:
                key = (pl.chain, name)
                got = overrides.get(key)
                if got is None:
                    got = overrides[key] = objs.service_overrides(pl.chain, name)
                ovr += got
            apps = [a for a, _ in pl.apps]
            custom = apps and "any" not in apps
            if not ovr and not custom:
                continue
            packets = pl.match.union(pl.maybe).intersect(tcp_all)
            if not packets:
                continue
            if ovr:
                for svc, secs, oline in ovr:
                    spec = objs.service_def(svc)
                    ports = _svc_packets(spec)
                    match = packets.intersect(ports) if ports is not None else packets
                    if not match:
                        continue
                    for f, k in pl.places:
                        out.append(Timeout(match, secs, lines.source(oline), rule=(f, k),
                                           label="service %s override timeout %d s, rule %s"
                                                 % (svc.name, secs, pl.d.name)))
            if custom:
                got = [objs.application(pl.chain, a, pl.d.line, "timeouts") for a in apps]
                secs = {g.timeout[0] for g in got if g.timeout}
                if len(secs) == 1 and all(g.timeout for g in got):
                    (s,) = secs
                    line = next(g.timeout[1] for g in got if g.timeout)
                    for f, k in pl.places:
                        out.append(Timeout(packets, s, lines.source(line), rule=(f, k),
                                           label="application timeout %d s (%s), rule %s"
                                                 % (s, ", ".join(apps), pl.d.name)))
    value = settings.get("timeout-tcp")
    if value is not None:
        v, line = value
        try:
            secs = int(v)
            if not 1 <= secs <= 15_999_999:
                raise ValueError(v)
        except (ValueError, TypeError):  # (TypeError: a '[ ]' list)
            lines.unrecognized(lines.source(line), "timeout-tcp '%s' not understood" % v, Impact.FILTER, "timeouts")
        else:
            out.append(Timeout(tcp_all, secs, lines.source(line), default=True,
                               label="deviceconfig setting session timeout-tcp; App-ID's predefined applications "
                                     "may have their own"))
            return out
    out.append(Timeout(tcp_all, DEFAULT_TCP, None, default=True,
                       label="PAN-OS default timeout-tcp 3600 s (no 'deviceconfig setting session timeout-tcp'); "
                             "App-ID's predefined applications may have their own"))
    return out


def _svc_packets(spec: dict) -> PacketSet | None:
    from parsers.panos.objects import PROTOS, port_set

    proto = spec.get("proto")
    if proto is None or proto[0] not in PROTOS:
        return None
    try:
        dport = port_set(spec["port"][0]) if "port" in spec else ALL_PORTS
        sport = port_set(spec["source-port"][0]) if "source-port" in spec else ALL_PORTS
    except ValueError:
        return None
    return PacketSet([cube(proto=PROTOS[proto[0]], sport=sport, dport=dport)])

