"""Check Point red-team findings of session 28: the default TCP session timeout of Global Properties, checked
against the document cited in its test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "checkpoint"))

from cp_helpers import (  # noqa: E402
    NO_IMPLIED,
    global_properties,
    host,
    layer,
    network,
    rule,
    tcp,
    text,
)

from parsers.checkpoint.build import build  # noqa: E402
from parsers.checkpoint.document import read  # noqa: E402

WS_NET, WS, SRV = "10.30.0.0", "10.30.0.7", "10.20.0.10"


def _config(*replies, gp=None):
    """One export of several replies, with ``gp`` (or the implied rules of Global Properties off)."""
    gp = gp if gp is not None else global_properties(**NO_IMPLIED)
    return build([read(text(x), "r%d.json" % i) for i, x in enumerate((*replies, gp))])


def _cfg300(cfg) -> list:
    return [d for d in cfg.diagnostics if d.code == "CFG300"]


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
