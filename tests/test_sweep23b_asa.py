"""Cisco ASA, real-config sweep 23b: a Firepower Threat Defense (FTD) ``show running-config``.

An FTD's LINA running-config looks like an ASA's (``: Saved``, ``nameif``, ``security-level``,
``access-list``), so it was read as one; but it starts ``NGFW Version X`` and its access control
policy is deployed in two halves: the LINA list ``access-list CSM_FW_ACL_ advanced ...`` bound by
``access-group CSM_FW_ACL_ global``, and Snort rules that are not in this text.  Cisco, "Clarify the
Firepower Threat Defense Access Control Policy Rule Actions" (document 212321,
https://www.cisco.com/c/en/us/support/docs/security/firepower-ngfw/212321-clarify-the-firepower-threat-defense-acc.html):
a rule with L7 conditions (application, URL, user) is pushed to LINA as ``permit`` whatever its action
and Snort blocks or allows the flow; only an L3/L4 Block is a LINA ``deny``.  Read as an ASA's, every
FTD config (every interface at security level 0, which the FMC writes) gave a decided "fail" for
traffic between two interfaces ("same security level ... dropped without same-security-traffic"),
an ASA rule applied to a device whose policy is elsewhere.  It is now refused with a message that
names the line, as the auditor does with any input it cannot read (exit 2), never a verdict.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

from auditor.core.model import Impact
from parsers import cisco_asa
from parsers.kit import InputError

# (the LINA half of an FTD running-config, without its header: tests/test_cisco23.py reads it as a paste)
FTD_BODY = """\
interface Ethernet1/2
 nameif inside
 security-level 0
 ip address 10.1.0.1 255.255.0.0
!
interface Ethernet1/3
 nameif servers
 security-level 0
 ip address 10.2.0.1 255.255.255.0
!
access-list CSM_FW_ACL_ remark rule-id 268434435: L7 RULE: Block-Apps
access-list CSM_FW_ACL_ advanced permit tcp ifc inside any ifc servers host 10.2.0.10 eq 445 rule-id 268434435
access-list CSM_FW_ACL_ remark rule-id 268434432: L4 RULE: DEFAULT ACTION RULE
access-list CSM_FW_ACL_ advanced deny ip any any rule-id 268434432 event-log flow-start
access-group CSM_FW_ACL_ global
"""
FTD = """: Saved

:
: Hardware:   FPR-2110, 6854 MB RAM, CPU MIPS 1200 MHz, 1 CPU (6 cores)
:
NGFW Version 7.0.1
!
hostname firepower
!
""" + FTD_BODY + """: end
"""


def audit_cli(tmp_path, text: str) -> subprocess.CompletedProcess:
    """``auditor.cli audit`` of ``text`` (workshop 10.1.0.0/16, primary 10.2.0.10), JSON."""
    path = tmp_path / "fw.cfg"
    path.write_text(text)
    return subprocess.run([sys.executable, "-m", "auditor.cli", "audit", str(path), "--role", "workshop=10.1.0.0/16",
                           "--role", "primary=10.2.0.10", "--format", "json"], capture_output=True, cwd=ROOT,
                          env=dict(os.environ, PRINERGY_AUDIT_WORKERS="1"), timeout=120)


def test_ftd_running_config_is_refused_not_read_as_an_asa():
    with pytest.raises(InputError) as e:
        cisco_asa.parse(FTD, "ftd.cfg")
    assert "line 6" in str(e.value) and "Firepower Threat Defense" in str(e.value)


def test_ftd_running_config_gives_no_verdict(tmp_path):
    # before: exit 1, "fail" (same security level 0 on inside and servers)
    p = audit_cli(tmp_path, FTD)
    assert p.returncode == 2
    assert b"Firepower Threat Defense" in p.stderr and p.stdout == b""


def test_an_asa_config_is_still_read():
    # (with the ASA's 'extended': 'advanced' is an FTD's entry, refused on its own, tests/test_cisco23.py)
    asa = FTD.replace("NGFW Version 7.0.1", "ASA Version 9.16(1)").replace(" advanced ", " extended ")
    assert cisco_asa.parse(asa, "asa.cfg").vendor == "cisco-asa"


ASA = """ASA Version 9.8(4)
hostname asa
interface Vlan200
 nameif INSIDE
 security-level 100
 ip address 192.0.2.1 255.255.255.0
interface Vlan100
 nameif OUTSIDE
 security-level 0
 ip address 198.51.100.1 255.255.255.0
%s
"""


def test_filter_java_and_activex_change_no_verdict():
    """``filter java 1-65535 192.0.2.0 255.255.255.0 0.0.0.0 0.0.0.0``, from mpenning/ciscoconfparse2's
    sample_01.asa (and CIS Cisco ASA 9 benchmark 3.11 recommends it): the ASA removes Java applets
    (ActiveX objects) from HTTP replies "instead of blocking access altogether" (Cisco ASA 8.4
    configuration guide, "Configuring Filtering Services",
    http://www.cisco.com/en/US/docs/security/asa/asa84/configuration/guide/access_filter.html).
    Before: "unknown command 'filter'", global: every verdict unknown."""
    cfg = cisco_asa.parse(ASA % "filter java 1-65535 192.0.2.0 255.255.255.0 0.0.0.0 0.0.0.0\n"
                                 "filter activex 80 0 0 0 0", "asa.cfg")
    assert cfg.unrecognized == ()
    # a URL filtering server can block the request: still reported, any verdict
    cfg = cisco_asa.parse(ASA % "filter url http 192.0.2.0 255.255.255.0 0 0", "asa.cfg")
    assert [(d.source.line, d.impact) for d in cfg.unrecognized] == [(11, Impact.GLOBAL)]
