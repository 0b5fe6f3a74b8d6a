"""FortiOS red team (session 30): change requests that set an idle timeout the CLI refuses.

Documents, each cited at its test:
- Fortinet KB 189741, "Technical Tip: Changing the TCP session TTL" (https://community.fortinet.com/t5/FortiGate/
  Technical-Tip-Changing-the-TCP-session-TTL/ta-p/189741): a policy's "set session-ttl <value> <----- Enter an
  integer value from <300> to <2764800> or (special = <0>)"; 'config system session-ttl' "set default <value> ...
  Value range (300 - 2764800)".
- Fortinet KB 191228, "Technical Tip: Session timeout settings": a 'config port' entry's 'timeout' "can be set to
  a value ranging from 1 to ..."; FortiOS 6.0.5 CLI Reference, "system session-ttl" (https://docs.fortinet.com/
  document/fortigate/6.0.5/cli-reference/476602/system-session-ttl): "protocol ... range[0-255]", "start-port ...
  range[0-65535]", "end-port ... range[0-65535]".
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from parsers import InputError
from parsers.fortios import parse
from parsers.fortios.change import apply_change

CONF = (EXAMPLES / "fortios-site" / "fortigate.conf").read_text()


def _policy_ttls(text: str) -> list:
    return [(t.label, t.idle_seconds) for t in parse(text, "f.conf").timeouts if t.rule]


# 1. a change setting session-ttl to a value the device refuses: the device keeps the previous value; before, the
# change was applied as written and the policy fell back to the system default (a wrong "introduced" finding)

@pytest.mark.parametrize("bad", ["99999999", "60", "\u0663\u0666\u0660\u0660", "1e4", "-5"])
def test_a_change_setting_a_policy_session_ttl_the_cli_refuses_is_refused_at_its_line(bad):
    change = "config firewall policy\n    edit 11\n        set session-ttl %s\n    next\nend\n" % bad
    with pytest.raises(InputError, match=r"change\.txt:3: .*FortiOS refuses"):
        apply_change(CONF, change, "change.txt")


@pytest.mark.parametrize("block", [
    "config system session-ttl\n    set default 100\nend\n",
    "config system session-ttl\n    set default 0\nend\n",
    "config system session-ttl\n    config port\n        edit 9\n            set protocol 6\n"
    "            set start-port 445\n            set end-port 445\n            set timeout 0\n        next\n    end\nend\n",
    "config system session-ttl\n    config port\n        edit 9\n            set protocol 6\n"
    "            set start-port 445\n            set end-port 70000\n            set timeout 30000\n        next\n"
    "    end\nend\n",
    "config firewall service custom\n    edit \"SMB\"\n        set session-ttl 3000000\n    next\nend\n",
    "config vdom\n    edit root\n        config firewall policy\n            edit 0\n                set session-ttl 10\n"
    "            next\n        end\n    next\nend\n",
])
def test_other_idle_timeouts_the_cli_refuses_are_refused_too(block):
    with pytest.raises(InputError, match="FortiOS refuses"):
        apply_change(CONF, block, "change.txt")


def test_values_the_cli_takes_are_applied():
    for value, secs in (("300", 300), ("2764800", 2764800), ("0", None)):
        text = apply_change(CONF, "config firewall policy\n    edit 11\n        set session-ttl %s\n    next\nend\n"
                            % value, "change.txt")
        assert _policy_ttls(text) == ([("policy 11 session-ttl", secs)] if secs else [])
    text = apply_change(CONF, "config system session-ttl\n    config port\n        edit 9\n            set protocol 6\n"
                        "            set start-port 445\n            set end-port 445\n            set timeout 1\n"
                        "        next\n    end\nend\n", "change.txt")
    assert ("system session-ttl port 9", 1) in [(t.label, t.idle_seconds) for t in parse(text, "f").timeouts]
