"""Renames in change requests.

PAN-OS: the CLI's ``rename`` (the XML API's ``action=rename``, Palo Alto, "PAN-OS and Panorama API Guide: Rename
Configuration", https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-panorama-api/pan-os-xml-api-request-types/
configuration-api/rename-configuration) renames the object and the device renames the references to it:
pan-os-python's ``PanObject.rename`` ("This does not change any references that may exist in your pan-os-python
object hierarchy", panos/base.py) and PaloAltoNetworks/pan-os-python#225 (the rename action renamed an address
group's member along with the address).  Junos: "rename <statement-path> identifier1 to identifier2" (Juniper CLI
reference, https://juniper.net/documentation/en_US/junos13.2/topics/reference/command-summary/rename.html) says
nothing of the statements naming it, so a Junos rename is refused with the reason.
"""

from __future__ import annotations

import pytest

from parsers import InputError
from parsers.junos.change import apply_change as junos_apply
from parsers.panos.change import apply_change

XML = """<config version="10.1.0">
  <devices>
    <entry name="localhost.localdomain">
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="workshop"><network><layer3><member>ethernet1/2</member></layer3></network></entry>
          </zone>
          <address>
            <entry name="WS-NET">
              <ip-netmask>10.30.0.0/24</ip-netmask>
            </entry>
            <entry name="SRV">
              <ip-netmask>10.20.0.10/32</ip-netmask>
            </entry>
          </address>
          <address-group>
            <entry name="G">
              <static>
                <member>WS-NET</member>
              </static>
            </entry>
          </address-group>
          <service>
            <entry name="svc-smb">
              <protocol>
                <tcp>
                  <port>445</port>
                </tcp>
              </protocol>
            </entry>
          </service>
          <rulebase>
            <security>
              <rules>
                <entry name="ws-smb">
                  <from><member>workshop</member></from>
                  <to><member>servers</member></to>
                  <source><member>WS-NET</member></source>
                  <destination><member>SRV</member></destination>
                  <source-user><member>any</member></source-user>
                  <application><member>any</member></application>
                  <service><member>svc-smb</member></service>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
          </rulebase>
        </entry>
      </vsys>
    </entry>
  </devices>
</config>
"""

SET = """set zone workshop network layer3 [ ethernet1/2 ]
set address WS-NET ip-netmask 10.30.0.0/24
set address SRV ip-netmask 10.20.0.10/32
set address-group G static [ WS-NET ]
set service svc-smb protocol tcp port 445
set rulebase security rules ws-smb from workshop
set rulebase security rules ws-smb to servers
set rulebase security rules ws-smb source [ WS-NET SRV ]
set rulebase security rules ws-smb destination SRV
set rulebase security rules ws-smb service svc-smb
set rulebase security rules ws-smb action allow
"""


@pytest.mark.parametrize("cfg", [XML, SET])
def test_renaming_an_address_renames_the_rule_and_group_references(cfg):
    before = apply_change(cfg, "", "c.txt")
    assert "WS-NET" in before and "WORKSHOP" not in before
    out = apply_change(cfg, "rename address WS-NET to WORKSHOP\n", "c.txt")
    assert "WS-NET" not in out
    # the object under its new name, the rule's source and the group's member naming it
    lines = [x.strip() for x in out.splitlines()]
    if cfg is SET:
        assert "set address WORKSHOP ip-netmask 10.30.0.0/24" in lines
        assert "set rulebase security rules ws-smb source [ WORKSHOP SRV ]" in lines
        assert "set address-group G static [ WORKSHOP ]" in lines
    else:
        assert '<entry name="WORKSHOP">' in lines
        assert "<source><member>WORKSHOP</member></source>" in lines and "<member>WORKSHOP</member>" in lines


@pytest.mark.parametrize("cfg", [XML, SET])
def test_renaming_a_service_and_a_zone_renames_the_rule_references(cfg):
    out = apply_change(cfg, "rename service svc-smb to smb\nrename zone workshop to ws\n", "c.txt")
    assert "svc-smb" not in out and "workshop" not in out
    if cfg is SET:
        assert "set rulebase security rules ws-smb service smb" in out.splitlines()
        assert "set rulebase security rules ws-smb from ws" in out.splitlines()
    else:
        assert "<service><member>smb</member></service>" in out
        assert "<from><member>ws</member></from>" in out


@pytest.mark.parametrize("cfg", [XML, SET])
def test_renaming_a_rule_touches_nothing_else(cfg):
    out = apply_change(cfg, "rename rulebase security rules ws-smb to smb-rule\n", "c.txt")
    assert "ws-smb" not in out and "svc-smb" in out and "WS-NET" in out


@pytest.mark.parametrize("cfg", [XML, SET])
def test_renaming_to_an_existing_name_is_refused(cfg):
    with pytest.raises(InputError, match=r"c.txt:1: .*'SRV' already exists"):
        apply_change(cfg, "rename address WS-NET to SRV\n", "c.txt")


def test_a_reference_this_tool_does_not_place_refuses_the_rename_at_its_line():
    cfg = SET + "set tag T color color1\nset address SRV tag [ T ]\n"
    with pytest.raises(InputError, match=r"c.txt:2: cannot apply 'rename tag T to U': 'address SRV tag' .*names 'T'"):
        apply_change(cfg, "set address X ip-netmask 10.0.0.1\nrename tag T to U\n", "c.txt")


def test_a_vsys_own_object_of_the_name_keeps_its_references():
    cfg = ("set shared address A ip-netmask 10.0.0.1\n"
           "set vsys vsys2 address A ip-netmask 10.0.0.2\n"
           "set vsys vsys2 rulebase security rules r source A\n"
           "set vsys vsys3 rulebase security rules r source A\n")
    out = apply_change(cfg, "rename shared address A to B\n", "c.txt").splitlines()
    assert "set vsys vsys2 rulebase security rules r source A" in out
    assert "set vsys vsys3 rulebase security rules r source B" in out


def test_a_junos_rename_is_refused_with_the_reason():
    cfg = ("set security address-book global address WS 10.30.0.0/24\n"
           "set security policies from-zone a to-zone b policy p match source-address WS\n")
    with pytest.raises(InputError, match=r"c.txt:1: .*rename is not applied.*statements naming it"):
        junos_apply(cfg, "rename security address-book global address WS to address WS2\n", "c.txt")
