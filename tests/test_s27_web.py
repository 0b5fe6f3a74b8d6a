"""The page after an error, as a person fixing it sees it: everything sent comes back (the paste,
the roles typed, the files that were fine, the policy and vendor chosen), the error is said in the
page's words (its fields, not the command line's flags) where it is seen without scrolling, and a
role field at fault is marked and focused.  Over real HTTP and, where the behaviour is the
browser's, in a headless Chromium (one server and one browser for the module)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from conftest import EXAMPLES
from test_web import post, role_fields
from web_helpers import chromium, chromium_paths, start_server

ASA = (EXAMPLES / "prinergy-site" / "asa.cfg").read_text()
IPTABLES = b"*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("serve27"))
    yield srv
    srv.stop()


def _error(page: str) -> str:
    return html.unescape(re.search(r'<div class="error" role="alert" id="error">(.*?)</div>', page, re.S).group(1))


def _field(page: str, name: str) -> str:
    return html.unescape(re.search(r'<input id="%s" name="%s" value="([^"]*)"' % (name, name), page).group(1))


def test_a_binary_file_keeps_the_rest_of_the_form(server):
    # (was: the whole form lost, a blank page with the error only)
    code, _h, page = post(server, [("config", ASA), ("policy", "prinergy-9"), ("vendor", "cisco-asa"),
                                   *role_fields({"primary": "10.20.0.10", "workshop": "10.30.0.0/24"})],
                          files=[("files", "fw.bin", b"\x00\x01\x02" * 100), ("files", "rules.v4", IPTABLES)])
    assert code == 400 and _error(page) == "fw.bin is binary, not a text configuration"
    assert "access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log" in page
    assert _field(page, "role_primary") == "10.20.0.10" and _field(page, "role_workshop") == "10.30.0.0/24"
    assert '<option value="prinergy-9" selected>' in page and '<option value="cisco-asa" selected>' in page
    # the file that was fine is carried to the next audit; the binary one is not
    assert '<input type="hidden" name="input_name" value="rules.v4">' in page and "fw.bin</code>" not in page


@pytest.mark.parametrize("fields", [
    [("config", ASA), ("vendor", "junos")],                       # the wrong vendor chosen
    [("config", "hello\nthis is not a firewall\n")],              # not a config
    [("config", "")],                                             # nothing pasted
])
def test_an_error_keeps_the_roles_typed(server, fields):
    # (was: every role field empty again after these errors)
    code, _h, page = post(server, fields + role_fields({"primary": "10.20.0.10", "secondary": "10.20.0.11"}))
    assert code == 422 and _error(page)
    assert _field(page, "role_primary") == "10.20.0.10" and _field(page, "role_secondary") == "10.20.0.11"


def test_errors_name_the_page_s_fields_not_command_line_flags(server):
    code, _h, page = post(server, [("config", "hello\nthis is not a firewall\n")])
    assert code == 422
    assert _error(page).endswith('choose one under "Read as"') and "--vendor" not in page


def test_an_unknown_policy_keeps_the_form(server):
    code, _h, page = post(server, [("config", ASA), ("policy", "prinergy-7")] + role_fields({"primary": "10.20.0.10"}))
    assert code == 400 and _error(page).startswith("unknown policy 'prinergy-7'")
    assert _field(page, "role_primary") == "10.20.0.10" and "access-list WORKSHOP_IN" in page


def test_a_role_at_fault_is_marked(server):
    roles = role_fields({"primary": "10.20.0.300", "workshop": "10.30.0.0/24"})
    code, _h, page = post(server, [("config", ASA)] + roles)
    assert code == 422 and _error(page) == "role primary: '10.20.0.300' is not an address, network or range"
    assert re.search(r'<input id="role_primary" name="role_primary" value="10.20.0.300" aria-invalid="true" '
                     r'aria-errormessage="error" autofocus>', page)
    assert 'id="role_workshop" name="role_workshop" value="10.30.0.0/24">' in page


# --- in the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    if chromium_paths() is None:
        if os.environ.get("CI"):
            raise RuntimeError("chromium and chromium-driver must be installed in CI (.ci/run installs them)")
        pytest.skip("chromium or chromium-driver is not installed")
    tmp = tmp_path_factory.mktemp("browser27")
    drv = chromium(tmp / "downloads", tmp / "profile")
    yield drv
    drv.quit()


def test_after_a_mistake_the_error_is_in_view_and_the_field_focused(server, browser):
    """A typo in a role: the page comes back with the error visible without scrolling (it was below
    the form, off the bottom of a 1000-pixel window) and the caret in the field to fix; fixing it and
    pressing Audit again gives the audit, with no reload and nothing typed twice."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    drv = browser
    drv.get(server.url)
    drv.execute_script("arguments[0].value = arguments[1];", drv.find_element(By.ID, "config"), ASA)
    for role, value in (("primary", "10.20.0.300"), ("secondary", "10.20.0.11, 10.20.0.12"),
                        ("workshop", "10.30.0.0/24")):
        drv.find_element(By.ID, "role_" + role).send_keys(value)
    old = drv.find_element(By.TAG_NAME, "html")
    drv.find_element(By.ID, "audit-button").click()
    WebDriverWait(drv, 120).until(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)
    err = WebDriverWait(drv, 120).until(lambda d: d.find_element(By.ID, "error"))
    assert "role primary: '10.20.0.300' is not an address" in err.text
    top, height = err.rect["y"] - drv.execute_script("return window.scrollY"), err.rect["height"]
    assert 0 <= top and top + height <= drv.execute_script("return window.innerHeight")
    active = drv.switch_to.active_element
    assert active.get_attribute("id") == "role_primary"
    # fix it where the caret is, and audit again from the keyboard
    old = drv.find_element(By.TAG_NAME, "html")
    active.send_keys(Keys.END + Keys.BACKSPACE * 3 + "10" + Keys.ENTER)
    WebDriverWait(drv, 120).until(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)
    WebDriverWait(drv, 120).until(lambda d: d.find_elements(By.ID, "report"))
    assert not drv.find_elements(By.ID, "error") and drv.title == "prinergy-audit: FAIL"
    assert drv.find_element(By.ID, "role_primary").get_attribute("value") == "10.20.0.10"
    assert drv.find_element(By.ID, "role_workshop").get_attribute("value") == "10.30.0.0/24"


# --- a site file dropped with the config ------------------------------------------------------------

def _json_download(page: str) -> dict:
    import json

    from test_web import downloads

    return json.loads(downloads(page)["json"])


@pytest.mark.parametrize("example,config", [("prinergy-site", "asa.cfg"), ("panos-site", "running-config.xml")])
def test_a_site_file_dropped_with_the_config_is_the_site(server, example, config):
    """The folder of a site as the command line audits it (``audit CONFIG --site site.yaml``): the page
    takes the site file among the dropped files (was: 'site.yaml: could not recognise the configuration
    format ... use --vendor'), fills the role fields from it, guesses nothing, and audits the same."""
    from auditor.api import audit, load_config
    from auditor.policy import load_site
    from auditor.report import render

    folder = EXAMPLES / example
    code, _h, page = post(server, [], files=[("files", config, (folder / config).read_bytes()),
                                             ("files", "site.yaml", (folder / "site.yaml").read_bytes())])
    assert code == 200, _error(page)
    assert 'id="guess-banner"' not in page
    assert _field(page, "role_secondary") == "10.20.0.11, 10.20.0.12"
    assert _field(page, "role_colorflow") == {"prinergy-site": "10.20.0.20", "panos-site": "10.25.0.20"}[example]
    # carried to the next audit as a file, not read as a config
    assert '<input type="hidden" name="input_name" value="site.yaml">' in page
    got = _json_download(page)
    assert [i["path"] for i in got["inputs"]] == [config]
    cli = __import__("json").loads(render("json", audit([load_config(config, text=(folder / config).read_text())],
                                                         load_site(str(folder / "site.yaml")))))
    assert got["verdict"] == cli["verdict"]
    key = lambda f: (f["rule_id"], f["line"], f["message"])  # noqa: E731
    assert sorted(map(key, got["findings"])) == sorted(map(key, cli["findings"]))


def test_a_site_file_s_policy_shift_and_a_role_typed_over_it(server):
    site = b"policy: prinergy-9\nshift_hours: 12\nroles:\n  primary: [10.20.0.10]\n  workshop: 10.30.0.0/24\n"
    code, _h, page = post(server, [("role_primary", "10.20.0.11")],
                          files=[("files", "asa.cfg", ASA.encode()), ("files", "site.yml", site)])
    assert code == 200, _error(page)
    assert '<option value="prinergy-9" selected>' in page
    assert _field(page, "role_primary") == "10.20.0.11" and _field(page, "role_workshop") == "10.30.0.0/24"
    got = _json_download(page)
    assert got["policy"] == "prinergy-9"
    # the site's 12-hour shift: the example's 2-hour Workshop timeout is shorter than it (PRN120)
    assert any("shorter than the 12-hour shift" in f["message"] for f in got["findings"] if f["rule_id"] == "PRN120")


@pytest.mark.parametrize("site,needle", [
    (b"roles:\n  primary: [10.20.0.300]\n", "site.yaml:2:13: role primary: '10.20.0.300' is not an address"),
    (b"policy: ../my-pack.yaml\nroles:\n  primary: [10.20.0.10]\n",
     "site.yaml: policy '../my-pack.yaml': the page audits with a bundled policy"),
])
def test_a_site_file_at_fault_is_one_line(server, site, needle):
    code, _h, page = post(server, [], files=[("files", "asa.cfg", ASA.encode()), ("files", "site.yaml", site)])
    assert code == 422 and _error(page).startswith(needle)


# --- an export uploaded as one archive ------------------------------------------------------------------

def _tar(gz: bool) -> bytes:
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz" if gz else "w") as tar:
        for f in sorted((EXAMPLES / "checkpoint-site" / "export").iterdir()):
            tar.add(f, arcname="export/" + f.name)
        tar.addfile(tarfile.TarInfo("export/index.html"))  # (the tool's pages: skipped)
    return buf.getvalue()


@pytest.mark.parametrize("name,gz", [("show_package.tar.gz", True), ("export.tar", False)])
def test_a_check_point_show_package_archive_is_read(server, name, gz):
    """The Show Package tool's .tar.gz, dropped on the page as it came (was: 'is binary, not a text
    configuration'), audits as ``audit EXPORT.tar.gz --site site.yaml`` does: each JSON file an input."""
    from auditor.api import audit, combine_inputs, load_inputs
    from auditor.policy import load_site
    from auditor.report import render

    site = EXAMPLES / "checkpoint-site" / "site.yaml"
    code, _h, page = post(server, [], files=[("files", name, _tar(gz)), ("files", "site.yaml", site.read_bytes())])
    assert code == 200, _error(page)
    got = _json_download(page)
    cli = __import__("json").loads(render("json", audit(
        combine_inputs(load_inputs(str(EXAMPLES / "checkpoint-site" / "export"))), load_site(str(site)))))
    # the export's files joined into its one gateway, named by the archive and the member
    assert [i["path"] for i in got["inputs"]] == ["%s_export_%s" % (name, Path(i["path"]).name)
                                                  for i in cli["inputs"]]
    assert got["verdict"] == cli["verdict"] == "fail"
    key = lambda f: (f["rule_id"], f["line"], f["message"])  # noqa: E731
    assert sorted(map(key, got["findings"])) == sorted(map(key, cli["findings"]))


@pytest.mark.parametrize("data,needle", [
    (b"PK\x03\x04" + b"\x00" * 60, "fw.zip is a .zip archive: a Check Point export is read as the Show Package"),
    (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "fw.zip: not a readable .tar or .tar.gz archive"),
])
def test_an_archive_that_cannot_be_read_is_one_line(server, data, needle):
    code, _h, page = post(server, [("config", ASA)], files=[("files", "fw.zip", data)])
    assert code == 400 and _error(page).startswith(needle) and "access-list WORKSHOP_IN" in page


# --- a FortiGate with several VDOMs ---------------------------------------------------------------------

def test_a_vdom_other_than_root_can_be_audited(server):
    """A multi-VDOM FortiGate backup: its report says 'VDOM cust is not part of this audit (audit it
    with --vdom cust)'; the page has the VDOM field for it (was: no way to audit 'cust' on the page)."""
    from test_gate_scope import FG

    from auditor.api import audit, load_config
    from auditor.policy import load_site
    from auditor.report import render

    roles = {"workshop": "10.30.0.0/24", "primary": "10.20.0.10"}
    code, _h, page = post(server, [("config", FG), ("vdom", "cust")] + role_fields(roles))
    assert code == 200, _error(page)
    assert 'value="cust" size="12"' in page  # (kept for the next audit)
    cli = __import__("json").loads(render("json", audit([load_config("pasted-config", text=FG, part="cust")],
                                                        load_site(None, ["%s=%s" % kv for kv in roles.items()]))))
    got = _json_download(page)
    key = lambda f: (f["rule_id"], f["line"], f["message"])  # noqa: E731
    assert got["verdict"] == cli["verdict"] and sorted(map(key, got["findings"])) == sorted(map(key, cli["findings"]))
    assert "VDOM 'cust' is not part of this audit" not in page
    code, _h, page = post(server, [("config", FG), ("vdom", "cutomer")] + role_fields(roles))
    assert code == 422 and _error(page) == "pasted-config: no VDOM 'cutomer' (VDOMs: root, cust)"
    code, _h, page = post(server, [("config", ASA), ("vdom", "root")])
    assert code == 422 and _error(page) == 'pasted-config: a Cisco ASA config holds one device: the "VDOM" field ' \
                                           'does not apply'
