"""State timeouts: the global TCP established timeout and the per-rule ones.

pf keeps a state per connection and drops it after the connection has been idle for its state's
timeout; for an established TCP connection that is ``tcp.established`` (pf.conf(5), "set timeout":
"tcp.established  The state after a TCP connection is fully established").  Its value:

* ``set optimization`` (pfSense: System > Advanced > Firewall & NAT > Firewall Optimization
  Options; OPNsense: Firewall > Settings > Advanced) loads pfctl's hint table: ``normal`` and
  ``high-latency`` (``satellite``) 86400 s (24 h), ``conservative`` 432000 s (5 days),
  ``aggressive`` 18000 s (5 h) (pfctl.c ``pf_hint_*``; pf.conf(5): "aggressive: Aggressively expire
  connections ... at the cost of dropping idle connections early"); pfSense and OPNsense write
  ``set optimization normal`` when none is chosen;
* pfSense's "TCP Established" state timeout (``<tcpestablishedtimeout>``), written after the
  optimization line, overrides it;
* a rule's Advanced Options "State Timeout" (``<statetimeout>``) is ``keep state (tcp.established N)``
  for the connections that rule creates (pfSense only for TCP, TCP/UDP and any-protocol rules;
  OPNsense for every rule).

A connection through the firewall has two states, "One entering the firewall and one exiting the
firewall" (Netgate, pfSense documentation, Monitoring, "Show States",
https://deploy-preview-90--pfsense-docs.netlify.com/monitoring/show-states ; "Viewing Firewall States
in the GUI", https://docs.netgate.com/pfsense/en/latest/monitoring/status/firewall-states-gui.html : a
state's interface is the one "through which the packet initially entered or exited the firewall"):
the inbound rule's, and the outbound one of the interface it leaves, made by a user's out-direction
rule or the generated ``pass out all keep state``, which sets no timeout (the global one).  Both see
every packet, and the connection ends when either expires, so the shorter applies: the records are
ordered by their timeout, shortest first (a rule's state timeout longer than the global one changes
nothing, unless an out-direction rule of the egress with its own timeout makes the second state: then
the global one is still reported, too short a verdict rather than a pass).

pf has no dead connection detection and no "never": a connection idle longer than its timeout is
dropped.  Adaptive timeouts (``adaptive.start``/``adaptive.end``) shorten every timeout only when the
state table is filling up; they are not modelled.
"""

from __future__ import annotations

from auditor.core.model import Action, Impact, Timeout
from auditor.core.packets import PacketSet, cube
from parsers.pfsense.rules import DIGITS, TCP_ONLY

PF_ESTABLISHED = {"normal": 86400, "high-latency": 86400, "satellite": 86400, "conservative": 432000,
                  "aggressive": 18000}
TCP_ALL = PacketSet([cube(proto=TCP_ONLY)])


def build(p, built) -> tuple[Timeout, ...]:
    """The timeout records of parser ``p``'s config, shortest first (the check takes the first that covers a
    connection: the shorter of its two states' timeouts)."""
    out: list[Timeout] = []
    for rule, r in built.placed:
        if r.timeout is None or rule.action is not Action.PERMIT:
            continue
        secs, src = r.timeout
        match = rule.match.intersect(TCP_ALL).union(rule.maybe.intersect(TCP_ALL))
        if match:
            # (the label names the rule by its description and tab, not its line: finding fingerprints survive
            # unrelated edits)
            what = "rule '%s' on %s" % (r.name, r.tab) if r.name else "a rule on %s" % r.tab
            out.append(Timeout(match, secs, src, label="state timeout %d s of %s (tcp.established)" % (secs, what),
                               rule=(rule.filter, rule.index)))
    out.append(global_timeout(p))
    return tuple(sorted(out, key=lambda t: t.idle_seconds))


def global_timeout(p) -> Timeout:
    """The TCP established timeout in force for every connection without a rule's own."""
    s = p.system
    opt = s.child("optimization") if s is not None else None
    name = (opt.value.lower() if opt is not None else "") or "normal"
    title = p.dialect.title
    if name not in PF_ESTABLISHED:
        # both products write 'set optimization VALUE' as configured (pfSense filter.inc, OPNsense filter.inc);
        # pfctl looks it up in its hint table (pfctl.c pfctl_set_optimization, strcasecmp) and a name not there is
        # a syntax error (parse.y: yyerror("unknown optimization %s"); YYERROR): the whole ruleset is refused
        p.report_once(opt.line, "firewall optimization '%s': pfctl knows no such optimization (normal, high-latency, "
                                "satellite, aggressive, conservative) and refuses the whole ruleset; the firewall "
                                "keeps the rules it had" % opt.value, "timeouts", Impact.GLOBAL)
        name = "normal"
    secs = PF_ESTABLISHED[name]
    est = s.child("tcpestablishedtimeout") if s is not None and not p.dialect.opn else None
    if est is not None and est.value:
        if DIGITS.fullmatch(est.value):
            return Timeout(TCP_ALL, int(est.value), p.lines.source(est.line),
                           label="TCP Established state timeout (%s System > Advanced > Firewall & NAT)" % title)
        # pfSense writes the value only when it is a whole number (filter.inc, filter_configure_sync:
        # 'if (is_numericint($timeo)) $timeoutlist .= " tcp.{$typ} {$timeo} "', since 2.4; the GUI refuses any
        # other): another value writes no 'set timeout tcp.established', and the optimization's applies, known
        p.report_once(est.line, "TCP established timeout '%s' is not a whole number: pfSense does not write it "
                                "(filter.inc writes only is_numericint values), so the optimization's tcp.established "
                                "applies" % est.value, "", Impact.NONE)
    if opt is not None and opt.value:
        return Timeout(TCP_ALL, secs, p.lines.source(opt.line), default=name == "normal",
                       label="firewall optimization '%s': pf's tcp.established %d s" % (name, secs))
    return Timeout(TCP_ALL, secs, None, default=True,
                   label="%s default: optimization 'normal', pf's tcp.established %d s" % (title, secs))
