"""PAN-OS numbers other than ports written in other than ASCII digits (session 29, PAN-OS red team, round 2).

Python's ``int()`` reads any Unicode decimal digit ('٢٨٨٠٠', Arabic-Indic 28800; 'ＸＸ' full-width), while
PAN-OS's CLI and configuration schema take ASCII digits only and refuse the value (the ports were fixed in
session 28, tests/test_s28_digits.py).  A timeout, a translated port, a route's admin distance or metric, an
ICMP type, an IP protocol number or a prefix length so written is therefore no value the device holds: the
line is reported (CFG300) and what it could decide is unknown, never a pass.  Before, each was read as the
number its digits spell (a service 'override yes timeout ٢٨٨٠٠' made PRN120 pass, as 28800 does).

Documents (Palo Alto Networks) for the settings themselves:

* "Maintain Custom Timeouts for Data Center Applications" (a service's 'Override' TCP Timeout "1 - 604800"),
  https://docs.paloaltonetworks.com/content/techdocs/en_US/ngfw/administration/app-id/service-based-session-timeouts.html
* "Session Timeouts" (Device > Setup > Session; TCP "range is 1 - 15,999,999"),
  https://docs.paloaltonetworks.com/ngfw/help/12-1/device/device-setup-session/session-timeouts
* "Destination NAT with port translation" ('translated-port', 1-65535), "NAT Policy Rules".
* "Virtual Router > Static Routes" (Admin Distance 10-240, Metric 1-65535).
The expected verdicts are written from these documents and the refusal, not from the tool.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "panos"))
from panos_util import BASE, allow, auto, cfg_of, decide, line_of  # noqa: E402

from auditor.api import audit  # noqa: E402
from auditor.policy import load_site  # noqa: E402
from parsers.panos.objects import _app_default, pan_address  # noqa: E402

AR = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
FW = str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")
SITE = ["workshop=10.30.0.0/24", "primary=10.20.0.10"]


def _findings(text: str, rule_id: str) -> list:
    return [f for f in audit([auto(text, "fw")], load_site(None, SITE)).findings if f.rule_id == rule_id]


def _reported(text: str, needle: str) -> bool:
    """Whether the line holding ``needle`` is reported as not understood."""
    cfg = cfg_of(text)
    n = line_of(text, needle)
    return any(d.source.line == n for d in cfg.unrecognized)


@pytest.mark.parametrize("digits", [AR, FW])
def test_a_service_override_timeout_in_other_digits_decides_no_timer(digits):
    # ASCII: the service's override decides the sessions' timer (8 h, longer than the shift): PRN120 passes
    ascii_text = BASE + "set service s445 protocol tcp port 445 override yes timeout 28800\n" + allow("r1", svc="s445")
    assert _findings(ascii_text, "PRN120") == []
    text = ascii_text.replace("timeout 28800", "timeout " + "28800".translate(digits))
    got = _findings(text, "PRN120")
    assert got and all(f.status == "unknown" for f in got)
    assert _reported(text, "override yes timeout")


def test_timeout_tcp_in_other_digits_is_reported_and_keeps_no_value():
    # a custom application without a timer of its own has timeout-tcp: 28800 passes, a value the device refuses
    # cannot be the one in force
    app = ("set application prin category business-systems subcategory database technology client-server "
           "risk 1 default port tcp/445\n")
    ascii_text = BASE + app + allow("r1", app="prin", svc="application-default") + \
        "set deviceconfig setting session timeout-tcp 28800\n"
    assert _findings(ascii_text, "PRN120") == []
    text = ascii_text.replace("timeout-tcp 28800", "timeout-tcp " + "28800".translate(AR))
    assert _reported(text, "timeout-tcp")
    got = _findings(text, "PRN120")
    assert got and all(f.status == "unknown" for f in got)


def test_a_custom_application_timeout_in_other_digits_is_not_its_timer():
    app = ("set application prin category business-systems subcategory database technology client-server "
           "risk 1 default port tcp/445\nset application prin tcp-timeout %s\n")
    text = BASE + app % "28800".translate(AR) + allow("r1", app="prin", svc="application-default")
    # (the rule matches maybe, App-ID deciding which sessions are 'prin': PRN120 reports no timer known to be
    # in force for them, either way; the line is reported where it stands, and the application keeps no timer)
    assert _reported(text, "tcp-timeout")


def test_a_translated_port_in_other_digits_leaves_the_nat_rule_uncertain():
    nat = ("set address pub ip-netmask 203.0.113.10\nset address srv ip-netmask 10.20.0.10\n"
           "set rulebase nat rules dn from untrust to untrust source any destination pub service any "
           "destination-translation translated-address srv translated-port %s\n")
    sec = allow("in", frm="untrust", to="servers", dst="pub")
    ascii_text = BASE + nat % "8445" + sec
    assert decide(cfg_of(ascii_text), "198.51.100.5", "203.0.113.10") == "permit"
    text = BASE + nat % "8445".translate(AR) + sec
    assert _reported(text, "translated-port")
    assert decide(cfg_of(text), "198.51.100.5", "203.0.113.10") == "unknown"


@pytest.mark.parametrize("key", ["admin-dist", "metric"])
def test_a_route_admin_distance_or_metric_in_other_digits_is_not_understood(key):
    text = BASE.replace("nexthop ip-address 203.0.113.1",
                        "nexthop ip-address 203.0.113.1 %s %s" % (key, "20".translate(AR)))
    text += allow("out", frm="workshop", to="untrust")
    assert _reported(text, key)
    # the default route is the only way to the Internet: not known, so neither is the verdict
    assert decide(cfg_of(text), "10.30.0.5", "198.51.100.5", dport=443) == "unknown"
    ascii_text = text.replace(key + " " + "20".translate(AR), key + " 20")
    assert decide(cfg_of(ascii_text), "10.30.0.5", "198.51.100.5", dport=443) == "permit"


def test_a_prefix_length_in_other_digits_is_no_network():
    assert pan_address("10.20.0.0/24") is not None
    with pytest.raises(ValueError):
        pan_address("10.20.0.0/" + "24".translate(AR))


@pytest.mark.parametrize("words", [["ident-by-icmp-type", "type", "8"], ["ident-by-ip-protocol", "47"]])
def test_a_custom_application_icmp_type_or_protocol_in_other_digits_is_refused(words):
    assert _app_default(words)
    with pytest.raises(ValueError):
        _app_default(words[:-1] + [words[-1].translate(AR)])


def test_an_icmp_type_out_of_range_is_refused():
    # ICMP types are 0-255 (IANA "ICMP Type Numbers"); 300 would land outside the type-and-code dimension
    with pytest.raises(ValueError):
        _app_default(["ident-by-icmp-type", "type", "300"])


def test_a_list_where_a_number_stands_is_a_line_not_understood():
    # ('[ 1 2 ]' where PAN-OS takes one number: reported, not an internal error)
    with pytest.raises(ValueError):
        _app_default(["ident-by-ip-protocol", ["1", "2"]])
    text = BASE + ("set application a category c subcategory s technology t risk 1\n"
                   "set application a default ident-by-ip-protocol [ 1 2 ]\n") + allow("r1", app="a")
    assert _reported(text, "ident-by-ip-protocol")


def test_an_interface_prefix_length_in_other_digits_is_reported():
    # (read as /24 before: the servers' network, and a certain permit of the Workshop's SMB to it)
    text = BASE.replace("ethernet1/1 layer3 ip 10.20.0.1/24", "ethernet1/1 layer3 ip 10.20.0.1/" + "24".translate(AR))
    text += allow("r1")
    assert _reported(text, "ethernet1/1 layer3 ip")
    assert decide(cfg_of(text), "10.30.0.5", "10.20.0.10") != "permit"
