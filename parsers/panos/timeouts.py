"""Session idle timeouts for TCP, in PAN-OS's order of precedence.

* A service object with ``override yes timeout N`` (PAN-OS 8.1+, "Maintain Custom Timeouts
  for Data Center Applications": "Define the session timeout for the service ...
  Override—Define a custom session timeout for the service"; "Inherit from application
  (default)—No service-based timeouts are applied; instead, apply the application timeout")
  sets the timeout of the sessions a rule permits through that service: one record per (pair
  filter, rule) with ``rule=``, matching the rule's packets of that service.
* Otherwise the application's timeout ("Configure Session Timeouts": "When configured,
  timeouts for an application override the global TCP or UDP session timeouts"), for a rule
  that names its applications (not ``any``): a custom application's ``tcp-timeout`` (or
  ``timeout``); a predefined application's timer changed in the configuration (``override
  application A tcp-timeout N``); a custom application without one has the global timeout. A
  predefined (App-ID) application's own timeout is in App-ID's content, not in the
  configuration: the rule's sessions get a record that says the timer is not known
  (``unknown=True``), never the global value; so do a rule's applications of different
  timers (which session is which is App-ID's to say) and application filters.
* Otherwise ``deviceconfig setting session timeout-tcp`` (default 3600 s, range 1 to
  15,999,999; "Configure Session Timeouts (PAN-OS)"), for the sessions of a custom application
  without a timer of its own (a record per rule); and for every other session (a rule of
  ``application any``) unless App-ID gives the application it names the session a timer of its
  own: App-ID identifies every session's application whatever the rule's application cell, and
  "the firewall applies application timeouts to an application that is in Established state"
  ('Session Timeouts'). So the last record, ``default=True``, says the timer is not known
  (``unknown=True``), naming timeout-tcp's value.

PAN-OS has no dead-connection detection and no "never" (the largest value is about 185 days).
"""

from __future__ import annotations

from auditor.core.model import Action, Impact, Timeout
from auditor.core.packets import ALL_PORTS, ISet, PacketSet, cube
from parsers.panos.objects import APP_PROTOCOLS, Objects, number

TCP = ISet.of(6)
DEFAULT_TCP = 3600
GLOBAL = "global"  # an application whose sessions have the global timeout (a custom one without its own)
DOC = "'Configure Session Timeouts': an application's timeout overrides timeout-tcp"


def timeouts(policies: dict, objs: Objects, settings: dict, lines, app_timers: dict | None = None) -> list[Timeout]:
    """The timeout records of the device, most specific first (``app_timers``: the predefined
    applications' timers the configuration changes, ``Collector.app_timers``)."""
    out: list[Timeout] = []
    tcp_all = PacketSet([cube(proto=TCP)])
    secs_all, src_all, said = _global(settings, lines)
    overrides: dict = {}  # (chain, service name) -> its overriding services (none for most)
    timers: dict = {}  # (chain, application list) -> what it gives
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
            named = tuple((a, line) for a, line in pl.apps if a != "any")
            if not ovr and not named:
                continue
            packets = pl.match.union(pl.maybe).intersect(tcp_all)
            if not packets:
                continue
            rest = packets  # (the rule's sessions of no overriding service: its applications' timer)
            if ovr:
                for svc, secs, oline in ovr:
                    spec = objs.service_def(svc)
                    ports = _svc_packets(spec)
                    match = packets.intersect(ports) if ports is not None else packets
                    if not match:
                        continue
                    rest = rest.subtract(match)
                    for f, k in pl.places:
                        out.append(Timeout(match, secs, lines.source(oline), rule=(f, k),
                                           label="service %s override timeout %d s, rule %s"
                                                 % (svc.name, secs, pl.d.name)))
            if not named or not rest:
                continue
            key = (pl.chain, tuple(a for a, _ in named))
            timer = timers.get(key)
            if timer is None:
                timer = timers[key] = _apps_timer(objs, pl.chain, named, app_timers or {})
            if timer[0] == GLOBAL:  # (custom applications without a timer: App-ID names them, with none of its own)
                for f, k in pl.places:
                    out.append(Timeout(rest, secs_all, src_all, rule=(f, k),
                                       label="%s, for custom application(s) %s without a timeout of their own, rule %s"
                                             % (said, ", ".join(a for a, _ in named), pl.d.name)))
                continue
            secs, line, why = timer
            for f, k in pl.places:
                if secs is None:
                    out.append(Timeout(rest, None, lines.source(line), rule=(f, k), unknown=True,
                                       label="%s, rule %s" % (why, pl.d.name)))
                else:
                    out.append(Timeout(rest, secs, lines.source(line), rule=(f, k),
                                       label="application timeout %d s (%s), rule %s" % (secs, why, pl.d.name)))
    # every other session (a rule of application 'any', or of none of the above) has the application App-ID names
    # it: that application's own timeout, where App-ID's content gives it one, overrides timeout-tcp ("The firewall
    # applies application timeouts to an application that is in Established state. When configured, timeouts for
    # an application override the global TCP, UDP, or SCTP session timeouts", 'Session Timeouts'), whatever the
    # rule's application cell: which timer is in force is not in the configuration
    out.append(Timeout(tcp_all, None, src_all, default=True, unknown=True,
                       label="%s, unless App-ID gives the session's application a timeout of its own, which is App-ID "
                             "content, not in the configuration (%s); a service with 'override yes timeout N' sets "
                             "it" % (said, DOC)))
    return out


def _global(settings: dict, lines) -> tuple:
    """(seconds, its line or None, what it is) of ``deviceconfig setting session timeout-tcp`` (default 3600 s,
    range 1 to 15,999,999; a value not understood is reported and the default kept)."""
    value = settings.get("timeout-tcp")
    if value is not None:
        v, line = value
        try:
            secs = number(v)
            if not 1 <= secs <= 15_999_999:
                raise ValueError(v)
        except (ValueError, TypeError):  # (TypeError: a '[ ]' list)
            lines.unrecognized(lines.source(line), "timeout-tcp '%s' not understood" % v, Impact.FILTER, "timeouts")
        else:
            return secs, lines.source(line), "timeout-tcp %d s (deviceconfig setting session timeout-tcp)" % secs
    return DEFAULT_TCP, None, "PAN-OS default timeout-tcp 3600 s (no 'deviceconfig setting session timeout-tcp')"


def _apps_timer(objs: Objects, chain: tuple, named: tuple, app_timers: dict) -> tuple:
    """The TCP timer of a rule's sessions of the applications ``named`` ((name, line) pairs, not ``any``):
    ``(GLOBAL,)``, ``(seconds, line, names)``, or ``(None, line, why)`` when the configuration cannot tell."""
    got: list[tuple] = []  # (seconds or GLOBAL or None, line, name or why)
    for name, line in named:
        _app_timer(objs, chain, name, line, app_timers, got, set())
    doubts = [g for g in got if g[0] is None]
    if doubts:
        names = [g[2] for g in doubts if not g[2].startswith("application filter")]
        if not names:
            return doubts[0]
        if len(names) == 1:
            return (None, doubts[0][1], "application '%s' is App-ID's: its own timeout, if App-ID's content gives it "
                    "one, is not in the configuration (%s; a service with 'override yes timeout N' sets it)"
                    % (names[0], DOC))
        return (None, doubts[0][1], "applications %s are App-ID's: their own timeouts, if App-ID's content gives them "
                "any, are not in the configuration (%s; a service with 'override yes timeout N' sets them)"
                % (", ".join("'%s'" % n for n in names), DOC))
    values = {g[0] for g in got}
    if not got or values == {GLOBAL}:
        return (GLOBAL,)
    if len(values) > 1:
        return (None, got[0][1], "applications %s have different timeouts (%s), and which of them a session is "
                "App-ID decides" % (", ".join(g[2] for g in got), ", ".join(
                    "timeout-tcp" if g[0] == GLOBAL else "%d s" % g[0] for g in got)))
    (secs,) = values
    return (secs, got[0][1], ", ".join(g[2] for g in got))


def _app_timer(objs: Objects, chain: tuple, name: str, line: int, app_timers: dict, got: list, seen: set) -> None:
    """Add what application member ``name`` (at ``line``) gives TCP sessions to ``got``: (seconds, line of
    the timeout, name), (GLOBAL, line, name), (None, line, name) for a predefined application, or (None, line,
    why) for an application filter; nothing for one that is never TCP."""
    found = objs.find(chain, ("application", "application-group", "application-filter"), name)
    if found is None:  # a predefined (App-ID) application
        proto = APP_PROTOCOLS.get(name)
        if proto is not None and not proto.overlaps(TCP):
            return  # (identified by an IP protocol other than TCP: none of its sessions is TCP)
        changed = app_timers.get(name, {})
        for key in ("tcp-timeout", "timeout"):
            v = changed.get(key)
            if v is None:
                continue
            try:
                secs = number(v[0])
            except ValueError:  # (the line is reported where it is read)
                break
            if secs:  # (zero: "the default timeout of the application", App-ID's, "Defining Applications")
                got.append((secs, v[1], name))
                return
        got.append((None, line, name))
        return
    kind, d = found
    if kind == "application":
        app = objs.application(chain, name, line, "timeouts")
        got.append((app.timeout[0], app.timeout[1], name) if app.timeout else (GLOBAL, line, name))
    elif kind == "application-group":
        if id(d) in seen:
            return  # (a cycle: reported where the rule's applications are read)
        seen.add(id(d))
        own = objs.own_chain(chain, kind, d)
        for m, mline in d.members("members"):
            if m != "any":
                _app_timer(objs, own, m, mline, app_timers, got, seen)
    else:
        got.append((None, line, "application filter '%s': App-ID decides which applications it holds, and their "
                    "timeouts are App-ID's (%s)" % (name, DOC)))


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

