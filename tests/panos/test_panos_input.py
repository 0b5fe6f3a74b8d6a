"""PAN-OS input: the three forms of one configuration, detection, bad input, secrets.

PAN-OS writes one configuration tree as XML (``show config running``, running-config.xml), as
``set`` commands (``set cli config-output-format set``) and in the CLI's hierarchical form (the
default output format; Batfish's and netutils' PAN-OS test configs use it).  The same settings
in each form must give the same model.
"""

from __future__ import annotations

import json

import pytest
from panos_util import auto, decide

from auditor.api import audit
from auditor.policy import load_site
from auditor.report import render
from parsers import InputError, decode, detect

XML = """<?xml version="1.0"?>
<config version="10.1.0" urldb="paloaltonetworks">
  <mgt-config>
    <users>
      <entry name="admin">
        <phash>$1$secretsalt$hashedpassword</phash>
      </entry>
    </users>
  </mgt-config>
  <devices>
    <entry name="localhost.localdomain">
      <network>
        <interface>
          <ethernet>
            <entry name="ethernet1/1">
              <layer3>
                <ip>
                  <entry name="10.20.0.1/24"/>
                </ip>
              </layer3>
            </entry>
            <entry name="ethernet1/2">
              <layer3>
                <ip>
                  <entry name="10.30.0.1/24"/>
                </ip>
              </layer3>
            </entry>
          </ethernet>
        </interface>
        <ike>
          <gateway>
            <entry name="gw">
              <authentication>
                <pre-shared-key>
                  <key>-AQ==topsecretpsk</key>
                </pre-shared-key>
              </authentication>
            </entry>
          </gateway>
        </ike>
      </network>
      <deviceconfig>
        <setting>
          <session>
            <timeout-tcp>7200</timeout-tcp>
          </session>
        </setting>
      </deviceconfig>
      <vsys>
        <entry name="vsys1">
          <zone>
            <entry name="servers">
              <network>
                <layer3>
                  <member>ethernet1/1</member>
                </layer3>
              </network>
            </entry>
            <entry name="workshop">
              <network>
                <layer3>
                  <member>ethernet1/2</member>
                </layer3>
              </network>
            </entry>
          </zone>
          <address>
            <entry name="prim">
              <ip-netmask>10.20.0.10</ip-netmask>
            </entry>
          </address>
          <service>
            <entry name="smb">
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
                  <from>
                    <member>workshop</member>
                  </from>
                  <to>
                    <member>servers</member>
                  </to>
                  <source>
                    <member>any</member>
                  </source>
                  <destination>
                    <member>prim</member>
                  </destination>
                  <application>
                    <member>any</member>
                  </application>
                  <service>
                    <member>smb</member>
                    <member>service-https</member>
                  </service>
                  <action>allow</action>
                  <description>prinergy-audit: ignore ACL210 until 2099-01-01 test</description>
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

SET = """\
set mgt-config users admin phash $1$secretsalt$hashedpassword
set network interface ethernet ethernet1/1 layer3 ip 10.20.0.1/24
set network interface ethernet ethernet1/2 layer3 ip 10.30.0.1/24
set network ike gateway gw authentication pre-shared-key key -AQ==topsecretpsk
set deviceconfig setting session timeout-tcp 7200
set zone servers network layer3 ethernet1/1
set zone workshop network layer3 ethernet1/2
set address prim ip-netmask 10.20.0.10
set service smb protocol tcp port 445
set rulebase security rules ws-smb from workshop to servers source any destination prim application any
set rulebase security rules ws-smb service [ smb service-https ] action allow
set rulebase security rules ws-smb description "prinergy-audit: ignore ACL210 until 2099-01-01 test"
"""

TREE = """\
config {
  mgt-config {
    users {
      admin {
        phash $1$secretsalt$hashedpassword;
      }
    }
  }
  devices {
    localhost.localdomain {
      network {
        interface {
          ethernet {
            ethernet1/1 {
              layer3 {
                ip {
                  10.20.0.1/24;
                }
              }
            }
            ethernet1/2 {
              layer3 {
                ip 10.30.0.1/24;
              }
            }
          }
        }
        ike {
          gateway {
            gw {
              authentication {
                pre-shared-key {
                  key -AQ==topsecretpsk;
                }
              }
            }
          }
        }
      }
      deviceconfig {
        setting {
          session {
            timeout-tcp 7200;
          }
        }
      }
      vsys {
        vsys1 {
          zone {
            servers {
              network {
                layer3 [ ethernet1/1];
              }
            }
            workshop {
              network {
                layer3 ethernet1/2;
              }
            }
          }
          address {
            prim {
              ip-netmask 10.20.0.10;
            }
          }
          service {
            smb {
              protocol {
                tcp {
                  port 445;
                }
              }
            }
          }
          rulebase {
            security {
              rules {
                ws-smb {
                  from workshop;
                  to servers;
                  source any;
                  destination prim;
                  application any;
                  service [ smb service-https];
                  action allow;
                  description "prinergy-audit: ignore ACL210 until 2099-01-01 test";
                }
              }
            }
          }
        }
      }
    }
  }
}
"""

FORMS = {"xml": XML, "set": SET, "tree": TREE}
PACKETS = [("10.30.0.5", "10.20.0.10", "tcp", 445), ("10.30.0.5", "10.20.0.10", "tcp", 443),
           ("10.30.0.5", "10.20.0.11", "tcp", 445), ("10.30.0.5", "10.20.0.10", "tcp", 80),
           ("10.20.0.10", "10.30.0.5", "tcp", 445), ("10.30.0.5", "10.30.0.6", "udp", 53)]


def _model(cfg):
    return ({n: [(r.action, r.match.cubes, r.maybe.cubes) for r in f.rules] for n, f in cfg.filters.items()},
            sorted((i.name, i.zone, i.networks.iv) for i in cfg.interfaces),
            [(t.idle_seconds, t.default) for t in cfg.timeouts],
            [(p.ingress, p.egress, p.crosses, tuple(s.name for s in p.stages)) for p in cfg.paths])


@pytest.mark.parametrize("form", FORMS)
def test_each_form_is_detected_and_every_line_accounted(form):
    text = FORMS[form]
    assert detect(text) == "paloalto-panos"
    cfg = auto(text, "fw." + form)
    assert cfg.aux["form"] == form
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    from parsers.panos import parse_with_lines

    assert parse_with_lines(text, "x")[1].unaccounted() == []


def test_the_three_forms_give_one_model():
    models = {f: _model(auto(t, "fw")) for f, t in FORMS.items()}
    assert models["xml"] == models["set"] == models["tree"]
    cfgs = {f: auto(t, "fw") for f, t in FORMS.items()}
    for pkt in PACKETS:
        got = {f: decide(c, pkt[0], pkt[1], pkt[2], pkt[3]) for f, c in cfgs.items()}
        assert len(set(got.values())) == 1, (pkt, got)
    assert decide(cfgs["xml"], *PACKETS[0]) == "permit" and decide(cfgs["xml"], *PACKETS[3]) == "deny"


def test_a_rule_points_at_its_entry_line():
    cfg = auto(XML, "fw.xml")
    [r] = cfg.filters["workshop->servers"].rules
    assert r.source.text.strip() == '<entry name="ws-smb">'
    cfg = auto(TREE, "fw.conf")
    [r] = cfg.filters["workshop->servers"].rules
    assert r.source.text.strip() == "ws-smb {"


@pytest.mark.parametrize("form", FORMS)
def test_secrets_never_reach_any_output(form):
    text = FORMS[form] + ("" if form != "set" else "set frobnicate password hunter2-secret\n")
    cfg = auto(text, "fw")
    res = audit([cfg], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"]))
    out = render("text", res) + render("json", res)
    for secret in ("hashedpassword", "topsecretpsk", "hunter2-secret"):
        assert secret not in out
    # and no line of the input, redacted, keeps them
    from parsers.panos.scan import PanLines

    lines = PanLines(text, "x")
    for i in range(len(lines)):
        for secret in ("hashedpassword", "topsecretpsk", "hunter2-secret"):
            assert secret not in lines.source(i).text


def test_inline_waiver_in_a_rule_description():
    cfg = auto(SET.replace("destination prim", "destination any").replace("source any", "source any"), "fw")
    assert any("prinergy-audit:" in s.text for _f, s in cfg.remarks)


# --- detection and bad input -----------------------------------------------------------------------

def test_other_vendors_are_not_taken_for_pan_os():
    asa = "ASA Version 9.16(4)\nhostname fw\naccess-list X extended permit ip any any\n"
    junos = "set system host-name fw\nset security zones security-zone trust interfaces ge-0/0/0.0\n" \
            "set security policies from-zone trust to-zone untrust policy p match source-address any\n"
    junos_tree = "system {\n  host-name fw;\n}\nsecurity {\n  policies {\n  }\n}\n"
    pfsense = '<?xml version="1.0"?>\n<pfsense>\n<filter></filter>\n</pfsense>\n'
    for text in (asa, junos, junos_tree, pfsense):
        from parsers.panos import detect as pan_detect

        assert pan_detect(text) < 30, text


@pytest.mark.parametrize("text,why", [
    ("<config><devices><entry name='localhost.localdomain'><vsys>", "not well-formed"),
    ('<?xml version="1.0"?>\n<!DOCTYPE config [<!ENTITY a "aaaa">]>\n<config><devices/></config>\n',
     "DTD"),
    ("<config>" + "<a>" * 100 + "</a>" * 100 + "<devices/></config>", "nested"),
])
def test_bad_xml_is_one_clear_input_error(text, why):
    from parsers.panos import parse

    with pytest.raises(InputError) as e:
        parse(text, "bad.xml")
    assert why in str(e.value) and "\n" not in str(e.value)


def test_billion_laughs_is_refused_before_expansion():
    text = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
            '<config><devices><entry name="localhost.localdomain">&lol2;</entry></devices></config>\n')
    from parsers.panos import parse

    with pytest.raises(InputError):
        parse(text, "lol.xml")


def test_garbage_after_set_commands_is_reported_not_dropped():
    text = SET + "this is not a command\n\x01\x02 binary-ish\n"
    cfg = auto(decode(text.encode(), "x.set"), "x.set")
    bad = {d.source.line for d in cfg.unrecognized}
    n = len(SET.splitlines())
    assert {n + 1, n + 2} <= bad
    assert all(d.impact.value == "global" for d in cfg.unrecognized if d.source.line > n)


def test_json_output_is_stable_for_every_form():
    for form, text in FORMS.items():
        res = audit([auto(text, "fw." + form)], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"]))
        data = json.loads(render("json", res))
        assert data["inputs"][0]["vendor"] == "paloalto-panos"


def test_a_line_with_only_the_shared_redactions_triggers_is_redacted_too():
    # (a URL's credentials: '://' is a trigger of auditor.core.secrets, none of PAN-OS's own words)
    from auditor.core.secrets import _TRIGGER_WORDS
    from parsers.panos.scan import PanLines

    line = "set deviceconfig system update-server http://admin:Tops3cret@updates.example.com"
    assert "Tops3cret" not in PanLines(line + "\n", "x").source(0).text
    for w in _TRIGGER_WORDS:  # (every shared trigger word is one of the PAN-OS quoting's)
        assert PanLines("set x %s y\n" % w, "x").source(0).text == redact_both("set x %s y" % w), w


def redact_both(line: str) -> str:
    from auditor.core.secrets import redact
    from parsers.panos.scan import redact_more

    return redact_more(redact(line))


# The hierarchical form as 'show' prints it in configuration mode, from [edit]: the top level is the
# set form's (deviceconfig, network, zone, address, rulebase ... of the single vsys), with no
# 'config { devices { localhost.localdomain { vsys { vsys1 {' around it; and the header a collector
# writes above a saved config ('!RANCID-CONTENT-TYPE: paloalto' from RANCID; Batfish's PAN-OS test
# configs carry it too) or the command that was typed ('show config running').
# https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-cli-quick-start/use-the-cli/use-configuration-mode
TOP_TREE = """\
mgt-config {
  users {
    admin {
      phash $1$secretsalt$hashedpassword;
    }
  }
}
network {
  interface {
    ethernet {
      ethernet1/1 {
        layer3 {
          ip 10.20.0.1/24;
        }
      }
      ethernet1/2 {
        layer3 {
          ip 10.30.0.1/24;
        }
      }
    }
  }
  ike {
    gateway {
      gw {
        authentication {
          pre-shared-key {
            key -AQ==topsecretpsk;
          }
        }
      }
    }
  }
}
deviceconfig {
  setting {
    session {
      timeout-tcp 7200;
    }
  }
}
zone {
  servers {
    network {
      layer3 ethernet1/1;
    }
  }
  workshop {
    network {
      layer3 ethernet1/2;
    }
  }
}
address {
  prim {
    ip-netmask 10.20.0.10;
  }
}
service {
  smb {
    protocol {
      tcp {
        port 445;
      }
    }
  }
}
rulebase {
  security {
    rules {
      ws-smb {
        from workshop;
        to servers;
        source any;
        destination prim;
        application any;
        service [ smb service-https];
        action allow;
        description "prinergy-audit: ignore ACL210 until 2099-01-01 test";
      }
    }
  }
}
"""


@pytest.mark.parametrize("header", ["", "!RANCID-CONTENT-TYPE: paloalto\n", "#RANCID-CONTENT-TYPE: paloalto\n",
                                    "show config running\n"])
@pytest.mark.parametrize("form", ["top-tree", "tree", "set"])
def test_the_configure_mode_tree_and_a_collectors_header_give_the_same_model(form, header):
    from parsers.panos import parse_with_lines

    text = header + {"top-tree": TOP_TREE, "tree": TREE, "set": SET}[form]
    assert detect(text) == "paloalto-panos"
    cfg = auto(text, "fw")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert parse_with_lines(text, "x")[1].unaccounted() == []
    assert _model(cfg) == _model(auto(SET, "fw"))


def _full_paths(text: str) -> str:
    """SET with each command's full path from the configuration's root, as the XML's ('set config devices
    localhost.localdomain vsys vsys1 rulebase ...'): the form Batfish calls the filesystem format."""
    out = []
    for ln in text.splitlines():
        rest = ln[4:]
        if rest.startswith("mgt-config "):
            out.append("set config " + rest)
        elif rest.split()[0] in ("network", "deviceconfig"):
            out.append("set config devices localhost.localdomain " + rest)
        else:
            out.append("set config devices localhost.localdomain vsys vsys1 " + rest)
    return "\n".join(out) + "\n"


def test_set_commands_with_the_full_path_give_the_same_model():
    text = _full_paths(SET)
    assert "set config devices localhost.localdomain vsys vsys1 rulebase security rules ws-smb from" in text
    cfg = auto(text, "fw")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert _model(cfg) == _model(auto(SET, "fw"))


def test_the_xml_apis_answer_gives_the_same_model():
    # the XML API returns the running configuration inside its answer (type=config&action=show, or
    # type=op 'show config running'): <response status="success"><result><config ...>...</config></result>
    # https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-panorama-api/pan-os-xml-api-request-types/configuration-api/get-active-configuration
    from parsers.panos import parse_with_lines

    text = '<response status="success"><result>\n' + XML.split("\n", 1)[1] + "</result></response>\n"
    assert detect(text) == "paloalto-panos"
    cfg = auto(text, "fw")
    assert not cfg.diagnostics, [d.message for d in cfg.diagnostics]
    assert parse_with_lines(text, "x")[1].unaccounted() == []
    assert _model(cfg) == _model(auto(XML, "fw"))


def test_a_list_where_a_rule_setting_is_named_is_reported_not_a_crash():
    # 'set rulebase security rules r1 [ a ] b': the setting's name is a list (found by fuzzing:
    # the reader looked the list up in its schema and raised TypeError, an internal error)
    from panos_util import cfg_of, line_of

    text = "set zone a network layer3 [ ethernet1/1 ]\nset rulebase security rules r1 [ a ] b\n"
    c = cfg_of(text)
    assert line_of(text, "rules r1") in {d.source.line for d in c.unrecognized}


def test_a_list_where_one_value_belongs_is_reported_not_a_crash():
    """``[ ... ]`` lists (or a value missing, kept as an empty list) where PAN-OS takes one value:
    each found by fuzzing the corpus with values swapped for lists, each was a traceback."""
    from panos_util import BASE

    from parsers import parse_text

    text = BASE + (
        "set address srv ip-netmask [ 10.20.0.10 10.20.0.11 ]\n"
        "set service svc protocol tcp port 445\n"
        "set service svc protocol tcp override yes timeout [ 1 2 ]\n"
        "set application app default port tcp/445\n"
        "set application app tcp-timeout [ 3600 ]\n"
        "set deviceconfig setting session timeout-tcp [ 3600 ]\n"
        "set rulebase default-security-rules rules interzone-default action [ allow deny ]\n"
        "set rulebase nat rules n from workshop to servers source any destination srv service any "
        "to-interface [ ethernet1/1 ]\n"
        "set rulebase security rules r from workshop to servers source any destination srv application app "
        "service svc action allow\n")
    cfg = parse_text(text, "lists.set", "paloalto-panos")
    said = " | ".join(d.message for d in cfg.diagnostics)
    for needle in ("ip-netmask value '['", "timeout-tcp '['", "unknown action '['"):
        assert needle in said, needle
    audit([cfg], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"]))


def test_a_service_override_timeout_not_understood_makes_the_timeout_check_unknown():
    """A service's session timeout override (``override yes timeout N``) that cannot be read was
    dropped, as if the service had no override: the idle-timeout check then passed on the default."""
    from panos_util import BASE, allow

    from parsers import parse_text

    for bad in ("abc", "[ 1 2 ]"):
        text = BASE + ("set deviceconfig setting session timeout-tcp 86400\n"  # (a default of a day: passes)
                       "set service svc protocol tcp port 445\n"
                       "set service svc protocol tcp override yes timeout %s\n" % bad
                       + allow("r", app="any", svc="svc"))
        cfg = parse_text(text, "ovr.set", "paloalto-panos")
        said = [d for d in cfg.diagnostics if "override timeout" in d.message]
        assert [d.scope for d in said] == ["timeouts"], cfg.diagnostics
        got = audit([cfg], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10"])).findings
        assert [f.status for f in got if f.rule_id == "PRN120"] == ["unknown"]


# --- a Panorama's own configuration --------------------------------------------------------------
# Panorama keeps device groups (rules and objects) and templates (zones, interfaces, device settings)
# and pushes them to the firewalls it manages ("Panorama Commit Operations": "Push to Devices ... pushes
# the Panorama running configuration to device groups, templates ...",
# https://docs.paloaltonetworks.com/pan-os/11-0/pan-os-web-interface-help/panorama-web-interface/panorama-commit-operations):
# no firewall applies the file as written, so it is refused with what to audit instead, not read as a
# firewall with every line not understood.

PANORAMA_XML = """<config version="10.1.0" urldb="paloaltonetworks">
  <devices>
    <entry name="localhost.localdomain">
      <deviceconfig>
        <system>
          <hostname>panorama1</hostname>
        </system>
      </deviceconfig>
      <device-group>
        <entry name="DG1">
          <pre-rulebase>
            <security>
              <rules>
                <entry name="allow-smb">
                  <from><member>trust</member></from>
                  <to><member>servers</member></to>
                  <source><member>any</member></source>
                  <destination><member>any</member></destination>
                  <application><member>any</member></application>
                  <service><member>application-default</member></service>
                  <action>allow</action>
                </entry>
              </rules>
            </security>
          </pre-rulebase>
        </entry>
      </device-group>
    </entry>
  </devices>
</config>
"""

PANORAMA_SET = """set deviceconfig system hostname panorama1
set device-group DG1 pre-rulebase security rules R1 from trust
set device-group DG1 pre-rulebase security rules R1 action allow
set template T1 config devices localhost.localdomain network interface ethernet ethernet1/1 layer3 ip 10.0.1.1/24
"""


@pytest.mark.parametrize("vendor", ["auto", "paloalto-panos"])
def test_a_panorama_configuration_is_refused_with_what_to_audit_instead(vendor):
    from auditor.api import load_config

    with pytest.raises(InputError) as xml:
        load_config("panorama.xml", vendor, text=PANORAMA_XML)
    assert "panorama.xml:9: a Palo Alto Networks Panorama configuration" in str(xml.value)  # (<device-group>)
    assert "show config merged" in str(xml.value)
    with pytest.raises(InputError) as set_form:
        load_config("panorama.set", vendor, text=PANORAMA_SET)
    assert "Panorama configuration" in str(set_form.value) and "show config merged" in str(set_form.value)


def test_a_firewall_config_with_a_stray_panorama_section_is_audited_and_the_section_reported():
    from panos_util import BASE, allow

    text = BASE + allow("smb", svc="any") + "set device-group DG1 pre-rulebase security rules R1 action allow\n"
    cfg = auto(text)
    got = [d for d in cfg.diagnostics if "Panorama management configuration" in d.message]
    assert cfg.filters and [d.source.line for d in got] == [text.count("\n")]
