"""Check Point red-team findings of session 28 (objects, services, the default TCP session timeout), each a small
input in the management API's own shapes, checked against the document cited in its test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    NO_IMPLIED,
    decide,
    global_properties,
    host,
    layer,
    network,
    obj,
    rule,
    tcp,
    text,
)

from auditor.core.model import Impact  # noqa: E402
from parsers.checkpoint.build import build  # noqa: E402
from parsers.checkpoint.document import read  # noqa: E402

WS_NET, WS, SRV = "10.30.0.0", "10.30.0.7", "10.20.0.10"


def _config(*replies, gp=None):
    """One export of several replies, with ``gp`` (or the implied rules of Global Properties off)."""
    gp = gp if gp is not None else global_properties(**NO_IMPLIED)
    return build([read(text(x), "r%d.json" % i) for i, x in enumerate((*replies, gp))])


def _cfg300(cfg) -> list:
    return [d for d in cfg.diagnostics if d.code == "CFG300"]


# --- a CpmiAnyObject other than Any -----------------------------------------------------------------------------
# Only the predefined Any matches every address ("Any": the uid 97aeb369-..., Management API reference,
# show-access-rulebase); the Internet object "depends on the gateway's topology" (R81 Security Management
# Administration Guide, "Network Objects": the Internet object is every address outside the gateway's internal
# networks).  A predefined object the export types as CpmiAnyObject under another name (Internet, All) was taken
# for Any: an Accept rule "Internet -> server" then passed a required flow from the internal workshop network,
# which the gateway does not match (a wrong pass).  Now what it holds is unknown, and reported.

def test_a_cpmianyobject_other_than_any_is_not_everything():
    srv, ws = host("Srv", SRV), network("WS", WS_NET, 24)
    internet = obj("CpmiAnyObject", "Internet")
    cfg = _config(layer("Network", [rule("from the Internet", [internet], [srv]), rule("Cleanup rule", action="Drop")],
                        [srv, ws, internet]))
    assert decide(cfg, WS, SRV) == "unknown"  # (before: permit, as if the source were Any)
    (d,) = [d for d in _cfg300(cfg) if "Internet" in d.message]
    assert "other than Any" in d.message and d.impact is Impact.FILTER


def test_any_and_none_keep_their_meaning():
    srv = host("Srv", SRV)
    cfg = _config(layer("Network", [rule("all", None, [srv]), rule("Cleanup rule", action="Drop")], [srv]))
    assert decide(cfg, WS, SRV) == "permit"
    assert not [d for d in _cfg300(cfg) if "other than Any" in d.message]


def test_a_cpmianyobject_other_than_any_in_the_service_cell_is_not_every_service():
    srv = host("Srv", SRV)
    odd = obj("CpmiAnyObject", "All")
    cfg = _config(layer("Network", [rule("svc All", None, [srv], [odd]), rule("Cleanup rule", action="Drop")],
                        [srv, odd]))
    assert decide(cfg, WS, SRV) == "unknown"


# --- service-other with an INSPECT action -----------------------------------------------------------------------
# Management API reference, add-service-other (as the Check Point Terraform provider documents it,
# checkpoint_management_service_other: "action - Contains an INSPECT expression that defines the action to take if
# a rule containing this service is matched"; "match - Contains an INSPECT expression that defines the matching
# criteria").  A match expression already made the service unknown; an action expression was ignored, and a rule
# of that service was a certain permit.

def test_service_other_with_an_inspect_action_is_unknown():
    srv = host("Srv", SRV)
    plain = obj("service-other", "proto 50", ip_protocol=50, match="", action="")
    handled = obj("service-other", "tcp handled", ip_protocol=6, match="", action="set r_mhandler &open_ssl_handler")
    cfg = _config(layer("Network", [rule("esp", None, [srv], [plain]), rule("handled", None, [srv], [handled]),
                                    rule("Cleanup rule", action="Drop")], [srv, plain, handled]))
    assert decide(cfg, WS, SRV, proto=50, dport=0) == "permit"  # (an empty action: the service is exact)
    assert decide(cfg, WS, SRV, dport=445) == "unknown"  # (before: permit)


# --- the default TCP session timeout from Global Properties ------------------------------------------------------
# Management API reference, set-global-properties (as the Check Point Terraform provider documents it,
# checkpoint_management_set_global_properties: "stateful_inspection ... tcp_session_timeout - The length of time
# (in seconds) an idle connection will remain in the Security Gateway connections table"); a service with the
# default takes it (R80.10 SmartConsole help, "TCP Service - Advanced": "Default - Use the default value defined on
# the Stateful Inspection page in the Global Properties window",
# https://sc1.checkpoint.com/documents/R80.10/SmartConsole_OLH/EN/7NORTzJoee6PhQPrm9EZ3A2.htm).  The show-global-
# properties reply was read only for its implied rules: the default stayed 3600 s whatever the site set.

def _timeout_policy():
    srv, ws, smb = host("Srv", SRV), network("WS", WS_NET, 24), tcp("smb", "445")
    return layer("Network", [rule("smb", [ws], [srv], [smb]), rule("Cleanup rule", action="Drop")], [srv, ws, smb])


def test_global_properties_tcp_session_timeout_is_the_default():
    gp = global_properties(**NO_IMPLIED)
    gp["stateful-inspection"] = {"tcp-start-timeout": 25, "tcp-session-timeout": 28800, "tcp-end-timeout": 20}
    cfg = _config(_timeout_policy(), gp=gp)
    (default,) = [t for t in cfg.timeouts if t.default]
    assert default.idle_seconds == 28800
    assert default.source.path == "r1.json" and default.source.text.strip() == '"tcp-session-timeout": 28800,'


def test_without_global_properties_the_default_is_3600():
    cfg = build([read(text(_timeout_policy()), "r0.json")])
    (default,) = [t for t in cfg.timeouts if t.default]
    assert default.idle_seconds == 3600 and default.source.path == "r0.json"


def test_a_global_tcp_session_timeout_that_is_not_a_number_is_reported():
    gp = global_properties(**NO_IMPLIED)
    gp["stateful-inspection"] = {"tcp-session-timeout": "long"}
    cfg = _config(_timeout_policy(), gp=gp)
    assert [d for d in _cfg300(cfg) if "tcp-session-timeout" in d.message]
