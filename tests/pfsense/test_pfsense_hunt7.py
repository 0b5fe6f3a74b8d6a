"""pfSense / OPNsense rule generation details, checked against the generators themselves.

Sources cited below:
* [FILTERINC] pfSense src/etc/inc/filter.inc (filter_generate_user_rule, filter_generate_address,
  filter_get_time_based_rule_status), pfsense/pfsense at 9363ac5b86;
* [OPNRULE] OPNsense src/opnsense/mvc/app/library/OPNsense/Firewall/FilterRule.php, opnsense/core at f95e81516e;
* [PFCONF] pf.conf(5), https://man.freebsd.org/pf.conf(5).
"""

from pf_helpers import at, decide, floating, parse, pfsense, rule

from auditor.engine import DENY, PERMIT

WS, SRV = "10.30.0.5", "10.20.0.10"  # a Workshop client (OPT1 'WORKSHOP') and a server (LAN)


def test_a_floating_element_other_than_yes_keeps_no_direction():
    # [FILTERINC] the rule is floating when <floating> is set at all ('isset($rule['floating'])': not quick
    # without <quick>), but its direction is written only 'if (isset($rule['floating']) && $rule['floating'] ==
    # "yes")': a <floating/> rule has no direction and applies in and out. Before: taken as 'in' only, so this
    # block did not stop what leaves by LAN (a wrong pass)
    text = pfsense(rule("lan", "block", proto="tcp", descr="flt", extra="<floating/><direction>in</direction><quick/>")
                   + rule("opt1", "pass", descr="all"))
    cfg = parse(text)
    o = decide(cfg, WS, SRV)  # in on WORKSHOP (passed), out on LAN: the floating block
    assert o.kind == DENY and o.source.line == at(text, "flt")
    # written by the GUI ('yes'): its direction holds
    text = pfsense(floating("block", True, "in", "lan", proto="tcp", descr="flt") + rule("opt1", "pass", descr="all"))
    o = decide(parse(text), WS, SRV)
    assert o.kind == PERMIT and o.source.line == at(text, "all")
