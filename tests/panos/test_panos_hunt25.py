"""PAN-OS inputs probed in session 25's red-team: a Panorama-managed firewall's own configuration.

Documents cited (Palo Alto Networks):

* [PRE] "Work with Policy Rules on Panorama (REST API)",
  https://docs.paloaltonetworks.com/ngfw/api/pan-os-rest-api-use-cases/work-with-policy-rules-on-panorama-rest-api
  ("Pre Rules are added to the top of the rule order and are evaluated first, and Post Rules are added after
  any locally defined rules on the firewall").
* [ADD] "Add a Firewall as a Managed Device", Panorama administrator's guide,
  https://docs.paloaltonetworks.com/panorama/10-2/panorama-admin/manage-firewalls/add-a-firewall-as-a-managed-device
  (on the firewall, Device > Setup > Management > Panorama Settings: the Panorama server's address;
  ``deviceconfig system panorama-server`` before PAN-OS 9.1, ``deviceconfig system panorama local-panorama
  panorama-server`` from 9.1).
"""

from __future__ import annotations

from panos_util import BASE, allow, cfg_of, decide

WS, SRV = "10.30.0.5", "10.20.0.10"
OLD_FORM = "set deviceconfig system panorama-server 10.40.0.99\n"
NEW_FORM = "set deviceconfig system panorama local-panorama panorama-server 10.40.0.99\n"
PUSHED_DENY = "set policy panorama pre-rulebase security rules pre-deny from any to any source any destination any " \
              "application any service any action deny\n"


def test_a_panorama_managed_firewall_without_the_pushed_rules_is_unknown_where_its_own_allow():  # [PRE] [ADD]
    # the firewall's own rule allows, but a pre-rule Panorama pushed (not in the file) is evaluated first
    for server in (OLD_FORM, NEW_FORM):
        text = BASE + server + allow("smb")
        cfg = cfg_of(text)
        assert decide(cfg, WS, SRV) == "unknown", server
        got = [(d.code, d.source.line, d.impact.value) for d in cfg.diagnostics]
        assert got == [("CFG300", BASE.count("\n") + 1, "global")], server
        assert "managed by Panorama" in cfg.diagnostics[0].message
    # without a Panorama server: the firewall's own rules decide, as before
    assert decide(cfg_of(BASE + allow("smb")), WS, SRV) == "permit"


def test_a_panorama_managed_firewall_with_its_pushed_rules_is_decided_by_them():  # [PRE]
    text = BASE + NEW_FORM + "set deviceconfig system panorama local-panorama panorama-server-2 10.40.0.98\n" \
        + allow("smb") + PUSHED_DENY
    cfg = cfg_of(text)
    assert decide(cfg, WS, SRV) == "deny"
    assert not cfg.diagnostics


def test_the_panorama_servers_of_an_xml_configuration_are_read_in_both_forms():  # [ADD]
    from auditor.api import load_config

    head = ('<config version="10.2.0"><devices><entry name="localhost.localdomain">\n<deviceconfig><system>\n%s\n'
            '</system></deviceconfig>\n<vsys><entry name="vsys1"><rulebase/></entry></vsys>'
            '</entry></devices></config>\n')
    for server, line in (("<panorama-server>10.40.0.99</panorama-server>", 3),
                         ("<panorama>\n<local-panorama>\n<panorama-server>10.40.0.99</panorama-server>\n"
                          "</local-panorama>\n</panorama>", 5)):
        cfg = load_config("fw.xml", text=head % server)
        assert [(d.code, d.source.line) for d in cfg.diagnostics] == [("CFG300", line)], server


# the rules and objects Panorama pushed, as the firewall shows them ('show config pushed-shared-policy', or the XML
# API's answer to the same command): <policy><panorama>..., with no interface, zone or route of the firewall
PUSHED_XML = """<policy>
  <panorama>
    <pre-rulebase>
      <security>
        <rules>
          <entry name="pre-ws">
            <from><member>workshop</member></from>
            <to><member>servers</member></to>
            <source><member>any</member></source>
            <destination><member>any</member></destination>
            <application><member>any</member></application>
            <service><member>any</member></service>
            <action>allow</action>
          </entry>
        </rules>
      </security>
    </pre-rulebase>
  </panorama>
</policy>
"""


def test_the_pushed_shared_policy_alone_is_recognised_and_refused_with_what_to_audit():
    import pytest

    from auditor.api import load_config
    from parsers import InputError

    for text, line in ((PUSHED_XML, 2),
                       ('<response status="success"><result>\n' + PUSHED_XML + "</result></response>\n", 3),
                       ("admin@fw1> show config pushed-shared-policy vsys vsys1\n\n" + PUSHED_XML, 4),
                       ("show config pushed-shared-policy\n" + PUSHED_XML, 3)):
        with pytest.raises(InputError) as e:
            load_config("pushed.xml", text=text)
        assert "pushed.xml:%d: the policy Panorama pushed" % line in str(e.value), text[:40]
        assert "pushed-shared-policy" in str(e.value)


def test_an_xml_configuration_below_a_collectors_header_and_the_command_is_read_with_its_lines():
    from auditor.api import load_config

    text = ('<?xml version="1.0"?>\n<config version="10.2.0"><devices><entry name="localhost.localdomain">\n'
            '<vsys><entry name="vsys1"><zone><entry name="servers"><network><layer3><member>ethernet1/9</member>'
            '</layer3></network></entry></zone></entry></vsys></entry></devices></config>\n')
    plain = load_config("fw.xml", text=text)
    for header in ("show config running\n", "!RANCID-CONTENT-TYPE: paloalto\n#\nshow config running\n"):
        cfg = load_config("fw.xml", text=header + text)
        k = header.count("\n")
        assert cfg.vendor == "paloalto-panos" and cfg.lines == plain.lines + k
        got = [(d.code, d.source.line - k, d.message) for d in cfg.diagnostics]
        assert got == [(d.code, d.source.line, d.message) for d in plain.diagnostics] and got, header


# A CLI session as a terminal log keeps it ("PAN-OS CLI Quick Start", Palo Alto Networks: 'configure' answers
# "Entering configuration mode" and "[edit]"; 'set cli config-output-format set|xml|default' picks the form 'show'
# prints; 'exit' leaves with "Exiting configuration mode"), with or without its prompts
def _session(fmt: str, body: str, prompt: str) -> tuple[str, int]:
    top = [prompt + ">" + " set cli config-output-format " + fmt, prompt + "> configure",
           "Entering configuration mode", "[edit]", prompt + "# show"]
    tail = ["[edit]", prompt + "# exit", "Exiting configuration mode"]
    return "\n".join(top) + "\n" + body + "\n".join(tail) + "\n", len(top)


def test_a_configuration_in_a_cli_session_log_reads_as_the_configuration_alone():
    from auditor.api import load_config

    text = BASE + allow("smb")
    xml = ('<config version="10.2.0"><devices><entry name="localhost.localdomain">\n'
           '<vsys><entry name="vsys1"><zone><entry name="servers"><network><layer3><member>ethernet1/9</member>'
           '</layer3></network></entry></zone></entry></vsys></entry></devices></config>\n')
    tree = "zone {\n  servers {\n    network {\n      layer3 [ ethernet1/9 ];\n    }\n  }\n}\n" \
           "rulebase {\n  security {\n    rules {\n      r1 {\n        from workshop;\n        to servers;\n" \
           "        action allow;\n      }\n    }\n  }\n}\n"
    for fmt, body in (("set", text), ("xml", xml), ("default", tree)):
        plain = load_config("fw", text=body)
        for prompt in ("admin@site-fw", ""):
            session, k = _session(fmt, body, prompt)
            if not prompt:
                session = session.replace(">" + " ", "").replace("# ", "").replace("> ", "")
            cfg = load_config("fw", text=session)
            assert cfg.vendor == "paloalto-panos", (fmt, prompt)
            got = [(d.code, d.source.line - k, d.message) for d in cfg.diagnostics]
            assert got == [(d.code, d.source.line, d.message) for d in plain.diagnostics], (fmt, prompt, got)
            assert cfg.filters.keys() == plain.filters.keys()
