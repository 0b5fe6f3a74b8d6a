"""The bundled Prinergy packs, line by line against Kodak's "Ports required" text
(/work/shared/reference/kodak-prinergy-8-ports-required.txt) and the research notes
(/work/shared/reference/prinergy-requirements.md): flows required that Kodak does not give (a false
FAIL) and flows Kodak gives that the packs missed (a wrong pass)."""

import pytest

from auditor.api import audit
from auditor.policy import load_pack, load_site, required_flows
from parsers.cisco_asa import parse

# an ASA between the servers (inside) and the Workshop LAN (workshop), and a storage segment
ASA = """\
interface GigabitEthernet0/0
 nameif servers
 security-level 100
 ip address 10.20.0.1 255.255.255.0
interface GigabitEthernet0/1
 nameif workshop
 security-level 50
 ip address 10.30.0.1 255.255.255.0
interface GigabitEthernet0/2
 nameif storage
 security-level 60
 ip address 10.60.0.1 255.255.255.0
timeout conn 12:00:00
access-list WS_IN extended permit tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0 range 1024 9000
access-list WS_IN extended permit tcp 10.30.0.0 255.255.255.0 10.20.0.0 255.255.255.0 eq 445
access-list WS_IN extended deny ip any any
access-group WS_IN in interface workshop
"""


def _site(*extra):
    return load_site(None, ["primary=10.20.0.10", "secondary=10.20.0.11", "workshop=10.30.0.0/24", *extra])


@pytest.mark.parametrize("policy", ["prinergy-8", "prinergy-9"])
def test_workshop_clients_are_not_required_to_reach_the_storage(policy):
    # Kodak: "445 TCP SMB" (no direction). prinergy-requirements.md section 4, row 445: "`workshop` ->
    # `primary`,`secondary` (job volumes); `primary`<->`secondary`; `primary`,`secondary` -> `storage`"
    # (the storage is the servers' tertiary job home, S8). The pack's one smb flow from
    # [workshop, primary, secondary] to [primary, secondary, storage] also required workshop -> storage:
    # a site whose storage only the servers reach failed (error) for a flow nobody gives.
    pack = load_pack(policy)
    flows, _ = required_flows(pack, _site("storage=10.60.0.5"))
    smb = sorted(f.key for f in flows if f.spec.ports == "445")
    assert smb == ["smb-storage:primary->storage", "smb-storage:secondary->storage",
                   "smb:primary->secondary", "smb:secondary->primary",
                   "smb:workshop->primary", "smb:workshop->secondary"]
    res = audit([parse(ASA, "asa.cfg")], _site("storage=10.60.0.5"), policy)
    assert not [f for f in res.findings if f.rule_id == "PRN100" and "->storage" in f.key and "workshop" in f.key]


def test_prinergy_8_requires_the_windows_dynamic_range_between_workshop_and_servers():
    # Kodak 8.0 "Ports required": "Aside from the list of static ports listed above, Prinerger
    # Connect/Direct/Powerpack uses many ephemeral (temporary) TCP/IP ports over a very wide range" and
    # "Prinerger requires a large range of ports to be opened between primary and secondary servers and
    # Workshop clients"; the same page names Windows 2008 and 2012 as the servers' OS. Microsoft KB 929851
    # ("The default dynamic port range for TCP/IP has changed in Windows Vista and in Windows Server 2008",
    # https://support.microsoft.com/kb/929851): "The new default start port is 49152, and the default end
    # port is 65535". A firewall opening only the 8.0 table (1024-9000 here) to Workshop passed every
    # prinergy-8 flow while the daemons' dynamic ports were dropped.
    pack = load_pack("prinergy-8")
    eph = pack.flow("ephemeral")
    assert (eph.proto, eph.ports, eph.severity) == ("tcp", "49152-65535", "warning")
    assert eph.from_ == ["workshop", "primary", "secondary"] and eph.to == ["primary", "secondary"]
    res = audit([parse(ASA, "asa.cfg")], _site(), "prinergy-8")
    got = {f.key: f for f in res.findings if f.rule_id == "PRN100" and f.key.startswith("ephemeral:")}
    assert sorted(got) == ["ephemeral:workshop->primary", "ephemeral:workshop->secondary"]
    f = got["ephemeral:workshop->primary"]
    assert f.status == "fail" and f.severity == "warning" and f.source.line == 16
    assert 49152 <= f.example[4] <= 65535
    # the 8.0 table's own range still passes
    assert not [f for f in res.findings if f.rule_id == "PRN100" and f.key.startswith("daemons:workshop")]


def test_prn120_quotes_kodak_on_what_idle_timeouts_cause_and_what_dead_connection_detection_is():
    # Kodak "Additional Firewall considerations": closing idle connections "could result in lags or stalls
    # in Workshop when it is forced to re-establish its connections"; the firewall "should be configured to
    # only close the connection if it is determined to be dead by probing to the end hosts"; without such a
    # feature "the idle timeout should be set to a period equal to a typical production shift and operators
    # should be warned that Workshop may stall for up to a couple of minutes when they return to it". The
    # rule gave the "couple of minutes" stall as what a short timeout causes, and said nothing of probing.
    from auditor.checks import all_rules

    why = all_rules()["PRN120"].why
    assert '"lags or stalls"' in why and "probing the end hosts" in why
    assert "typical production shift" in why and "after idling longer" in why


def test_prn100_says_which_directions_kodak_states_and_which_the_pack_infers():
    # Kodak's table gives ports and protocols; it states a direction only for "PrinterJTP to Veris" (8.0),
    # "Prinergy access to ColorFlow Server" and the rows "must be accessible from Workshop clients" (newer
    # table, prinergy-requirements.md section 2). The rule said Kodak lists the ports "between" the roles.
    from auditor.checks import all_rules

    why = all_rules()["PRN100"].why
    assert "states few directions" in why and "'inferred'" in why and "policies show" in why


def test_prinergy_9_marks_the_colorflow_direction_kodak_states_as_documented():
    # The newer table (prinergy-requirements.md section 2): 52001/TCP "Prinergy access to ColorFlow Server"
    # states who connects (D in section 4); 49105/TCP "ColorFlow database access" does not (I). One flow held
    # both, marked inferred, so 'policies show' hid the documented direction.
    pack = load_pack("prinergy-9")
    cf, db = pack.flow("colorflow"), pack.flow("colorflow-db")
    assert (cf.ports, cf.direction, cf.from_, cf.to) == ("52001", "documented", ["primary", "secondary"], ["colorflow"])
    assert (db.ports, db.direction, db.proto) == ("49105", "inferred", "tcp")
