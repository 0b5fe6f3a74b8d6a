"""Packs people write: ``extends`` with added, overridden and removed flows and roles, new roles,
and every mistake reported at its file, line and column (issue 18)."""

import json
import textwrap

import pytest
from conftest import ROOT
from test_cli import CFG, run

from auditor.api import audit
from auditor.policy import PolicyError, load_pack, load_site, required_flows
from parsers.cisco_asa import parse

EXAMPLES = ROOT / "examples" / "policies"


def write(tmp_path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return str(p)


def error(ref, **kw) -> str:
    with pytest.raises(PolicyError) as e:
        load_pack(ref, **kw)
    return str(e.value)


def test_a_child_adds_overrides_and_removes_flows(tmp_path):
    path = write(tmp_path, "ours.yaml", """\
        name: ours
        extends: prinergy-9
        add_flows:
          - id: mis-jdf
            label: JDF hot folder
            kodak: site requirement
            proto: tcp
            ports: "8443"
            from: [mis_link]
            to: [primary]
            severity: warning
            direction: inferred
        override_flows:
          - id: smb
            from: [workshop]
            severity: warning
        remove_flows: [help, rba]
        """)
    parent, child = load_pack("prinergy-9"), load_pack(path)
    assert child.name == "ours" and child.chain == ("prinergy-9",) and child.title == parent.title
    ids = [f.id for f in child.flows]
    assert ids == [f.id for f in parent.flows if f.id not in ("help", "rba")] + ["mis-jdf"]
    smb = child.flow("smb")
    assert smb.from_ == ["workshop"] and smb.severity == "warning"
    assert (smb.to, smb.ports, smb.label) == (parent.flow("smb").to, "445", parent.flow("smb").label)
    assert parent.flow("smb").from_ == ["workshop", "primary", "secondary"]  # the parent is untouched
    assert child.origins["mis-jdf"].path.endswith("ours.yaml") and child.origins["mis-jdf"].line == 4
    assert child.origins["smb"].line == 14 and child.origins["iis"].path.endswith("prinergy-9.yaml")


def test_roles_are_added_replaced_removed_and_like_another(tmp_path):
    path = write(tmp_path, "ours.yaml", """\
        name: ours
        extends: prinergy-8
        roles:
          portal: {description: InSite, server: true}
          secondary: {description: render stations only}
          vpn_workshop: {description: over the VPN, like: workshop}
        remove_roles: [veris, admin]
        """)
    p = load_pack(path)
    assert p.server_roles == ["primary", "portal"]  # secondary replaced without server: true
    assert "veris" not in p.roles() and "admin" not in p.roles() and "portal" in p.roles()
    assert p.flow("veris") is None  # left with no destination role: dropped
    assert p.flow("iis").from_ == ["workshop", "vpn_workshop"]  # admin gone, vpn_workshop after workshop
    assert p.idle.roles == ["workshop", "vpn_workshop"]
    assert p.flow("diagview") is None  # admin was its only source


def test_an_override_of_from_is_taken_as_written_after_like():
    p = load_pack(str(EXAMPLES / "remote-workshop-vpn.yaml"))
    assert p.flow("plocator").from_ == ["workshop"]
    assert p.flow("dynamic").from_ == ["workshop", "remote_workshop", "primary", "secondary"]


def test_a_grandchild_extends_a_child_by_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "base.yaml", """\
        name: base
        extends: prinergy-9
        remove_flows: [help]
        """)
    path = write(tmp_path, "sub/leaf.yaml", """\
        name: leaf
        extends: ../base.yaml
        remove_flows: [rba]
        """)
    p = load_pack(path)
    assert p.chain == ("base", "prinergy-9")
    assert p.flow("help") is None and p.flow("rba") is None and p.flow("smb") is not None


def test_a_cycle_is_an_error_at_the_extends_line(tmp_path):
    a = write(tmp_path, "a.yaml", "name: a\ntitle: A\nextends: b.yaml\n")
    write(tmp_path, "b.yaml", "name: b\n\nextends: ./a.yaml\n")
    msg = error(a)
    assert msg.startswith("%s:3:10: extends: a cycle of packs: " % (tmp_path / "b.yaml")), msg
    assert msg.endswith("a.yaml -> %s -> %s" % (tmp_path / "b.yaml", tmp_path / "a.yaml"))
    own = write(tmp_path, "self.yaml", "name: self\nextends: self.yaml\n")
    assert error(own).startswith("%s:2:10: extends: a cycle" % own)


def test_an_unknown_parent_is_an_error_at_the_extends_line(tmp_path):
    path = write(tmp_path, "ours.yaml", "# our pack\nname: ours\nextends:   prinergy-10\n")
    assert error(path) == ("%s:3:12: extends: no pack 'prinergy-10' (bundled: prinergy-8, prinergy-9; or a path "
                           "relative to this file)" % path)
    path = write(tmp_path, "ours2.yaml", "name: ours\nextends: ./missing.yaml\n")
    assert error(path).startswith("%s:2:10: extends: no pack './missing.yaml'" % path)


@pytest.mark.parametrize("body,where,needle", [
    ("name: x\nextends: prinergy-9\nremove_flows: [help, hepl]\n", "3:22", "'hepl' is not a flow of prinergy-9 "
                                                                           "(did you mean 'help'?)"),
    ("name: x\nextends: prinergy-9\noverride_flows:\n  - id: smbb\n    ports: '139'\n", "4:9",
     "override_flows: 'smbb' is not a flow"),
    ("name: x\nextends: prinergy-9\noverride_flows:\n  - id: smb\n    ports: '44x5'\n", "5:12",
     "override_flows.0.ports: bad port '44x5'"),
    ("name: x\nextends: prinergy-9\nadd_flows:\n  - id: smb\n    label: l\n    kodak: k\n    proto: tcp\n"
     "    ports: '1'\n    from: [workshop]\n    to: [primary]\n    severity: error\n    direction: inferred\n",
     "4:9", "'smb' is already a flow of prinergy-9"),
    ("name: x\nextends: prinergy-9\nadd_flows:\n  - id: new\n    label: l\n    kodak: k\n    proto: tcp\n"
     "    ports: '1'\n    from: [workshp]\n    to: [primary]\n    severity: error\n    direction: inferred\n",
     "9:12", "role 'workshp' is not declared under 'roles' (did you mean 'workshop'?)"),
    ("name: x\nextends: prinergy-9\nadd_flows:\n  - id: new\n    label: l\n    kodak: k\n    proto: sctp\n"
     "    ports: '1'\n    from: [workshop]\n    to: [primary]\n    severity: error\n    direction: inferred\n", "7:12",
     "add_flows.0.proto: Input should be 'tcp' or 'udp'"),
    ("name: x\nextends: prinergy-9\ncolour: red\n", "3:1", "colour: unknown field"),
    ("name: x\nextends: prinergy-9\nremove_roles: [portal]\n", "3:16", "'portal' is not a role of prinergy-9"),
    ("name: x\nextends: prinergy-9\nroles:\n  vpn: {description: v, like: wrkshop}\n", "4:31",
     "role 'vpn' is like 'wrkshop', which is not a role"),
    ("name: x\nextends: prinergy-9\nflows: []\n", "3:1", "changes its flows with add_flows"),
    ("name: x\nextends: prinergy-9\nname: y\n", "3:1", "'name' is given twice"),
    ("name: x\nextends: prinergy-9\nroles: [a\n", "4:1", "is not valid YAML"),
    ("name: x\ntitle: t\nstatus: s\nsource: s\nwindows_firewall: error\nidle: {roles: [], servers: [], kodak: k}\n"
     "remove_flows: [x]\nflows: []\n", "7:1", "remove_flows needs a parent"),
    ("name: x\ntitle: t\n", "1:1", "'status' is required"),
])
def test_mistakes_name_file_line_and_column(tmp_path, body, where, needle):
    path = write(tmp_path, "ours.yaml", body)
    msg = error(path)
    assert msg.startswith("%s:%s: " % (path, where)) and needle in msg, msg


def test_bundled_names_and_unknown_names():
    assert load_pack("prinergy-8").server_roles == ["primary", "secondary"]
    assert "unknown policy 'prinergy-0'" in error("prinergy-0")


def test_the_example_packs_load_and_audit():
    insite = load_pack(str(EXAMPLES / "insite-dmz.yaml"))
    assert insite.flow("portal-web").from_ == ["internet"] and insite.flow("license-renewal").ports == "443"
    assert insite.flow("layout-automation") is None
    assert insite.role_specs["internet"].external and insite.role_specs["portal"].server
    cfg = parse(open(CFG).read(), "asa.cfg")
    site = load_site(None, ["primary=10.20.0.10", "workshop=10.30.0.0/24", "portal=10.20.0.30",
                            "internet=0.0.0.0/0"])
    flows, _ = required_flows(insite, site)
    web = [f for f in flows if f.spec.id == "portal-web"]
    # the internet role is every address but the site's own
    assert len(web) == 1 and not web[0].packets.contains((10 << 24 | 30 << 16 | 5, 0, 6, 2000, 443))
    r = audit([cfg], site, str(EXAMPLES / "insite-dmz.yaml"))
    assert r.policy == "insite-dmz"
    prn100 = {f.key for f in r.findings if f.rule_id == "PRN100"}
    assert "portal-web:internet->portal" in prn100  # 80/tcp from the internet is not permitted
    exposed = [f for f in r.findings if f.rule_id == "PRN150"]
    # 443 from the internet to the portal (line 90) is the flow the pack requires, not an exposure;
    # RDP to the primary from anywhere (line 89) is
    assert 89 in [f.source.line for f in exposed] and 90 not in [f.source.line for f in exposed]
    assert [f.source.line for f in r.findings if f.key == "portal-web:internet->portal"] == [90, 94]


def test_cli_policy_path_and_site_policy_relative_to_the_site(tmp_path):
    pack = write(tmp_path, "ours.yaml", "name: ours\nextends: prinergy-9\nremove_flows: [help]\n")
    code, out, err = run("audit", CFG, "--site", str(ROOT / "examples/prinergy-site/site.yaml"),
                         "--policy", pack, "--format", "json")
    data = json.loads(out)
    assert data["policy"] == "ours" and not any(f["flow"].startswith("help:") for f in data["flows"])
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "ours.yaml").write_text(open(pack).read())
    site = write(tmp_path, "site.yaml", "policy: packs/ours.yaml\nroles:\n  primary: [10.20.0.10]\n")
    assert load_site(site).policy == str(tmp_path / "packs" / "ours.yaml")
    code, out, err = run("audit", CFG, "--site", site, "--format", "json")
    assert json.loads(out)["policy"] == "ours", err
    bad = write(tmp_path, "bad.yaml", "name: bad\nextends: prinergy-9\nremove_flows: [nope]\n")
    code, out, err = run("audit", CFG, "--policy", bad)
    assert code == 2 and out == "" and err.startswith("prinergy-audit: error: %s:3:16: remove_flows" % bad), err


def test_settings_policy_path_is_relative_to_the_settings_file(tmp_path):
    from auditor.settings import load_settings

    (tmp_path / ".prinergy-audit.toml").write_text('policy = "packs/ours.yaml"\n')
    assert load_settings(str(tmp_path / ".prinergy-audit.toml")).policy == str(tmp_path / "packs" / "ours.yaml")
    (tmp_path / ".prinergy-audit.toml").write_text('policy = "prinergy-9"\n')
    assert load_settings(str(tmp_path / ".prinergy-audit.toml")).policy == "prinergy-9"


def test_site_file_errors_name_line_and_column(tmp_path):
    site = write(tmp_path, "site.yaml", "roles:\n  primary: [10.20.0.10, 10.20.0.300]\n")
    with pytest.raises(PolicyError, match=r"site.yaml:2:25: role primary: '10.20.0.300' is not an address"):
        load_site(site)
    site = write(tmp_path, "site2.yaml", "shift_hours: 8\nroles:\n  primary: {host: 10.20.0.10}\n")
    with pytest.raises(PolicyError, match=r"site2.yaml:3:12: site file is invalid: roles.primary: a list of "
                                          r"addresses, networks or ranges, or one of them alone"):
        load_site(site)
    site = write(tmp_path, "site3.yaml", "shift_hours: 8\nshift-hours: 9\n")
    with pytest.raises(PolicyError, match=r"site3.yaml:2:1: site file is invalid: shift-hours: unknown field"):
        load_site(site)


ASA_DFE = """\
interface GigabitEthernet0/0
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif press
 security-level 50
 ip address 10.50.0.1 255.255.255.0
access-list PRESS_IN extended deny ip any any
access-group PRESS_IN in interface press
"""


@pytest.mark.parametrize("policy", ["prinergy-8", "prinergy-9"])
def test_digital_print_ports_are_required_from_the_front_ends_too(policy):
    # Kodak "Ports required" (/work/shared/reference/kodak-prinergy-8-ports-required.txt: "37102,
    # 37150 - 37250, 61237 TCP Digital Print") lists ports "used by Prinergy" and gives no direction;
    # prinergy-requirements.md section 4 ("Direction not documented. Assume both directions between
    # Prinergy servers and DFEs"). A firewall dropping every connection a press front end opens to the
    # Prinergy servers on those ports was not reported at all (only servers -> DFE was required).
    site = load_site(None, ["primary=10.20.0.10", "digital_front_end=10.50.0.20"])
    res = audit([parse(ASA_DFE, "asa.cfg")], site, policy)
    got = [f for f in res.findings if f.rule_id == "PRN100" and f.key.startswith("digital-print-dfe:")]
    assert [f.key for f in got] == ["digital-print-dfe:digital_front_end->primary"]
    assert got[0].status == "fail" and got[0].severity == "warning" and got[0].source.line == 9
    # the other direction (servers -> DFE, through the unfiltered 'servers' side) is still required, and passes
    assert not [f for f in res.findings if f.rule_id == "PRN100" and f.key.startswith("digital-print:")]
