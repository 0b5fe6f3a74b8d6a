"""pfSense / OPNsense semantics left open by the previous round (session 24, second pass).

Sources cited below:
* [OPNFILTERLIB] OPNsense src/etc/inc/filter.lib.inc (opnsense/core at f95e81516e), filter_core_rules_user:
  '$ifgroups[(string)$node->ifname] = ...' then for each legacy <filter><rule>: 'if (isset($rule['floating']))
  $prio = 200000; elseif (isset($ifgroups[$rule['interface']])) $prio = 300000 + $ifgroups[...]; else $prio =
  400000;' -- the group is looked up by the whole interface field, so 'grp,lan' is no group.
* [SORTEDBY] OPNsense models/OPNsense/Base/FieldTypes/ArrayField.php sortedBy: the key of each item is
  'sprintf("%30s,", $payload)' of a numeric sequence followed by '$nodeKey' (the uuid), sorted with 'ksort($sortedData,
  SORT_NATURAL | SORT_FLAG_CASE)'; etc/inc/filter.inc sorts the port forwards so ('(new
  OPNsense\\Firewall\\DNat())->rule->sortedBy(['sequence'])'), as pf.inc does the filter rules.  [NATCMP] php-src
  ext/standard/strnatcmp.c strnatcmp_ex: a run of digits that starts with '0' is compared digit by digit from the
  left (compare_left), so 'a01b...' comes before 'a1a...'.
"""

from pf_helpers import at, decide, opnsense, parse, rule
from test_pfsense_nat import OUT, WAN_IP, opn_forward, opn_nat, wan_rule

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


def test_opnsense_forwards_of_one_sequence_follow_the_natural_order_of_their_uuids():
    # [SORTEDBY][NATCMP] 'a01b...' before 'a1a...' ('01' against '1' from the left: 0 < 1).  Before, the uuids were
    # compared by the values of their digit runs (1 = 1, then 'b' > 'a'): the forward to SRV, which the WAN rule
    # admits, took the packet and it passed; OPNsense redirects it to the other server, which no rule admits.
    other = "10.20.0.11"
    for order in (0, 1):
        fwds = [opn_forward(other, seq="100", uuid="a01b0000-0000-4000-8000-000000000001", descr="to other"),
                opn_forward(seq="100", uuid="a1a00000-0000-4000-8000-000000000002", descr="to srv")]
        text = opn_nat("".join(fwds[::-1] if order else fwds), legacy=wan_rule("3389"))
        o = decide(parse(text), OUT, WAN_IP, "tcp", 3389)
        assert o.kind == DENY and [x.source.line for x in o.xlate.rules] == [at(text, "to other")]
