"""pfSense / OPNsense semantics left open by the previous round (session 24, second pass).

Sources cited below:
* [OPNFILTERLIB] OPNsense src/etc/inc/filter.lib.inc (opnsense/core at f95e81516e), filter_core_rules_user:
  '$ifgroups[(string)$node->ifname] = ...' then for each legacy <filter><rule>: 'if (isset($rule['floating']))
  $prio = 200000; elseif (isset($ifgroups[$rule['interface']])) $prio = 300000 + $ifgroups[...]; else $prio =
  400000;' -- the group is looked up by the whole interface field, so 'grp,lan' is no group.
"""

from pf_helpers import at, decide, opnsense, parse, rule

from auditor.engine import DENY, PERMIT

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1), a server on LAN

_GROUP = """
	<ifgroups>
		<ifgroupentry>
			<ifname>grp</ifname>
			<members>opt1</members>
			<sequence>5</sequence>
		</ifgroupentry>
	</ifgroups>
	<filter>"""


def test_opnsense_legacy_rule_on_a_group_and_an_interface_is_no_group_rule():
    # [OPNFILTERLIB] 'grp,lan' is not a key of $ifgroups: priority 400000, with the interface rules in file order.
    # Before, it was taken as a group rule (300005), ahead of the OPT1 rule before it, and the flow was blocked.
    legacy = rule("opt1", "pass", descr="opt1 pass") + rule("grp,lan", "block", descr="grp block")
    text = opnsense(legacy=legacy).replace("<filter>", _GROUP, 1)
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "opt1 pass")
    # the group alone is a group rule: ahead of the interface rules
    legacy = rule("opt1", "pass", descr="opt1 pass") + rule("grp", "block", descr="grp block")
    text = opnsense(legacy=legacy).replace("<filter>", _GROUP, 1)
    o = decide(parse(text), WS, SRV)
    assert o.kind == DENY and o.source.line == at(text, "grp block")
