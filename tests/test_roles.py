"""A typo in a role name is an error, never a silently unchecked flow (issue: "A typo in a role
name silently turns the change-request gate into a pass"); the shift length is validated."""

import pytest
from test_cli import CFG, run

from auditor.api import audit
from auditor.policy import PolicyError, load_site
from parsers.cisco_asa import parse


@pytest.mark.parametrize("role,guess", [("Workshop", "workshop"), ("primery", "primary"),
                                        ("license-server", "license_server")])
def test_an_unknown_role_on_the_command_line_is_exit_2_with_a_suggestion(role, guess):
    code, out, err = run("audit", CFG, "--role", "%s=10.30.0.0/24" % role, "--role", "primary=10.20.0.10")
    assert code == 2 and out == ""
    assert err.strip() == "prinergy-audit: error: --role: unknown role '%s' (did you mean '%s'?)" % (role, guess)


def test_an_unknown_role_in_a_site_file_names_its_line(tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text("roles:\n  primary: [10.20.0.10]\n  Workshop: [10.30.0.0/24]\n")
    code, _out, err = run("audit", CFG, "--site", str(site))
    assert code == 2
    assert err.strip() == "prinergy-audit: error: %s:3:3: unknown role 'Workshop' (did you mean 'workshop'?)" % site


def test_the_api_refuses_unknown_roles_too():
    cfg = parse(open(CFG).read(), "asa.cfg")
    with pytest.raises(PolicyError, match="unknown role 'wrkshop'"):
        audit([cfg], load_site(None, ["wrkshop=10.30.0.0/24"]))


def test_every_role_a_pack_names_is_accepted():
    from auditor.policy import load_pack
    roles = load_pack("prinergy-9").roles()
    cfg = parse(open(CFG).read(), "asa.cfg")
    audit([cfg], load_site(None, ["%s=192.0.2.%d" % (r, k + 1) for k, r in enumerate(roles)]))


@pytest.mark.parametrize("hours", ["-3", "inf", "nan", "0", "1000"])
def test_shift_hours_must_be_a_positive_finite_number(hours):
    code, out, err = run("audit", CFG, "--role", "primary=10.20.0.10", "--shift-hours=%s" % hours)
    assert code == 2 and out == ""
    assert "--shift-hours must be a number of hours above 0" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["true", "yes", '"8"', "'12'", "[8]"])
def test_shift_hours_in_a_site_file_is_a_number_not_a_boolean_or_a_string(tmp_path, value):
    """YAML's ``true`` was taken as a 1-hour shift (pydantic's lax mode reads a boolean as 1.0), so
    PRN120 compared idle timeouts with 1 hour and passed a 2-hour one that ends an 8-hour shift's
    idle connections; a quoted "8" was read as a number.  Exit 2, naming the line."""
    site = tmp_path / "site.yaml"
    site.write_text("shift_hours: %s\nroles:\n  primary: [10.20.0.10]\n" % value)
    with pytest.raises(PolicyError, match=r"site.yaml:1:14: site file is invalid: shift_hours: Input should be a "
                                          r"valid number"):
        load_site(str(site))
    code, out, err = run("audit", CFG, "--site", str(site))
    assert code == 2 and out == "" and "shift_hours" in err


@pytest.mark.parametrize("value,hours", [("8", 8.0), ("7.5", 7.5), ("168", 168.0)])
def test_shift_hours_numbers_are_taken(tmp_path, value, hours):
    site = tmp_path / "site.yaml"
    site.write_text("shift_hours: %s\nroles:\n  primary: [10.20.0.10]\n" % value)
    assert load_site(str(site)).shift_hours == hours


@pytest.mark.parametrize("text,where,hint", [
    ("role:\n  primary: [10.20.0.10]\n", "1:1", "role: unknown field (did you mean 'roles'?)"),
    ("roles:\n  primary: [10.20.0.10]\nshift_hour: 8\n", "3:1",
     "shift_hour: unknown field (did you mean 'shift_hours'?)"),
    ("polcy: prinergy-8\n", "1:1", "polcy: unknown field (did you mean 'policy'?)"),
    ("zzz: 1\n", "1:1", "zzz: unknown field (fields: policy, shift_hours, roles, through)"),
])
def test_a_misspelt_key_names_its_line_and_the_nearest_field(tmp_path, text, where, hint):
    """A typo in a key is one line, exit 2, with the line and the nearest valid name (as a typo in a
    role name is), not only 'unknown field'."""
    site = tmp_path / "site.yaml"
    site.write_text(text)
    code, out, err = run("audit", CFG, "--site", str(site))
    assert code == 2 and out == ""
    assert err.strip() == "prinergy-audit: error: %s:%s: site file is invalid: %s" % (site, where, hint)


def test_a_misspelt_key_in_a_pack_names_the_nearest_field_of_its_level(tmp_path):
    from auditor.policy import load_pack

    pack = tmp_path / "pk.yaml"
    pack.write_text("name: pk\nextends: prinergy-9\noverride_flows:\n  - id: smb\n    severty: warning\n")
    with pytest.raises(PolicyError, match=r"pk.yaml:5:5: policy pack is invalid: override_flows.0.severty: "
                                          r"unknown field \(did you mean 'severity'\?\)"):
        load_pack(str(pack))


@pytest.mark.parametrize("value,why", [
    ("10.30.0.5/16", "'10.30.0.5/16' has host bits set: write the network 10.30.0.0/16, or the host 10.30.0.5"),
    ("10.30.0.5/255.255.0.0", "has host bits set: write the network 10.30.0.0/16, or the host 10.30.0.5"),
    ("2001:db8::5/64", "has host bits set: write the network 2001:db8::/64, or the host 2001:db8::5"),
    ("10.30.0.1-2001:db8::1", "runs from an IPv4 to an IPv6 address: give each family its own range"),
])
def test_a_role_address_that_reads_two_ways_is_refused(tmp_path, value, why):
    """'10.30.0.5/16' (an interface's address and mask pasted) was taken as the whole 10.30.0.0/16,
    the host perhaps meant, so flows were checked for 65536 workshop addresses and blocked for the
    ones that do not exist; a range from an IPv4 to an IPv6 address spanned the whole IPv6 space
    below 2001:db8::1.  One line, exit 2, with both readings."""
    site = tmp_path / "site.yaml"
    site.write_text("roles:\n  primary: [10.20.0.10]\n  workshop: ['%s']\n" % value)
    code, out, err = run("audit", CFG, "--site", str(site))
    assert code == 2 and out == ""
    assert err.startswith("prinergy-audit: error: %s:3:14: role workshop: " % site) and why in err
    code, out, err = run("audit", CFG, "--role", "workshop=%s" % value)
    assert code == 2 and why in err


@pytest.mark.parametrize("value,first,last", [
    ("10.30.0.0/16", "10.30.0.0", "10.30.255.255"), ("10.30.0.5/32", "10.30.0.5", "10.30.0.5"),
    ("10.30.0.0/255.255.255.0", "10.30.0.0", "10.30.0.255"),
    ("2001:db8::/64", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff"),
    ("::ffff:10.30.0.5", "10.30.0.5", "10.30.0.5"),  # IPv4-mapped: the IPv4 host
    ("10.30.0.10-10.30.0.40", "10.30.0.10", "10.30.0.40"),
])
def test_role_addresses_that_read_one_way(value, first, last):
    from auditor.core.packets import format_addr

    (lo, hi), = load_site(None, ["workshop=%s" % value]).addresses("workshop").iv
    assert (format_addr(lo), format_addr(hi)) == (first, last)


def test_a_role_of_one_address_may_be_written_without_a_list(tmp_path):
    """'primary: 10.20.0.10' (one address, no list) was "Input should be a valid list": it is the list of one, and
    a bad address written so is still named at its line and column."""
    from auditor.core.packets import parse_network

    site = tmp_path / "site.yaml"
    site.write_text("roles:\n  workshop: 10.30.0.0/24\n  primary: 10.20.0.10\n  secondary: [10.20.0.11]\n")
    s = load_site(str(site))
    assert s.addresses("primary") == parse_network("10.20.0.10/32")
    assert s.addresses("workshop") == parse_network("10.30.0.0/24")
    assert s.addresses("secondary") == parse_network("10.20.0.11/32")
    site.write_text("roles:\n  workshop: 10.30.0.0/24\n  primary: 10.20.0.300\n")
    with pytest.raises(PolicyError, match=r"site.yaml:3:12: role primary: '10.20.0.300' is not an address"):
        load_site(str(site))
