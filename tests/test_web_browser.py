"""The page end to end in a real headless Chromium (Debian's chromium + chromium-driver, driven by
selenium; nothing is downloaded): paste the bundled example with its roles, audit, check the
findings, follow a matrix cell to its deciding line, download the JSON report; then paste with no
roles and see them guessed and marked.  Skipped only when chromium or its driver is not installed
(never in CI, where ``.ci/run`` installs them)."""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from conftest import EXAMPLES
from web_helpers import chromium, chromium_paths, start_server

ASA = (EXAMPLES / "prinergy-site" / "asa.cfg").read_text()
SITE_ROLES = {"primary": "10.20.0.10", "secondary": "10.20.0.11, 10.20.0.12", "license_server": "10.20.0.10",
              "colorflow": "10.20.0.20", "workshop": "10.30.0.0/24", "admin": "10.40.0.5"}

if chromium_paths() is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium and chromium-driver must be installed in CI (.ci/run installs them)")
    pytest.skip("chromium or chromium-driver is not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    (tmp / "downloads").mkdir()
    srv = start_server(tmp)
    drv = chromium(tmp / "downloads", tmp / "profile")
    try:
        yield drv, srv, tmp / "downloads"
    finally:
        drv.quit()
        srv.stop()


def _audit(drv, url: str, text: str, roles: dict[str, str]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    drv.get(url)
    area = drv.find_element(By.ID, "config")
    # paste: the whole text lands in the text area at once, as a paste does (typing 6,000
    # characters one key at a time would only be slower)
    drv.execute_script("arguments[0].focus(); arguments[0].value = arguments[1];", area, text)
    for role, value in roles.items():
        field = drv.find_element(By.ID, "role_" + role)
        field.clear()
        field.send_keys(value)
    old = drv.find_element(By.TAG_NAME, "html")
    drv.find_element(By.ID, "audit-button").click()
    WebDriverWait(drv, 120).until(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)
    WebDriverWait(drv, 120).until(lambda d: d.find_elements(By.ID, "report") or d.find_elements(By.ID, "error"))


def test_paste_the_example_see_findings_matrix_and_download(page):
    from selenium.webdriver.common.by import By

    drv, srv, downloads = page
    _audit(drv, srv.url, ASA, SITE_ROLES)
    assert not drv.find_elements(By.ID, "error"), drv.find_element(By.ID, "error").text
    assert drv.title == "prinergy-audit: FAIL"
    assert drv.find_element(By.CSS_SELECTOR, "header.verdict h1").text == "prinergy-audit: FAIL"
    # the findings: SMB to the primary blocked by line 76, shown at that line of the config
    findings = drv.find_elements(By.CSS_SELECTOR, "li.finding")
    smb = [f for f in findings if "SMB job volumes (445/tcp) workshop -> primary is fully blocked by line 76" in f.text]
    assert len(smb) == 1 and smb[0].get_attribute("data-rule") == "PRN100"
    assert "access-list WORKSHOP_IN extended deny tcp any object-group PRINERGY-SERVERS eq 445 log" in smb[0].text
    assert "e.g. tcp 10.30.0.2:49152 -> 10.20.0.10:445" in smb[0].text
    errors = [f for f in findings if "sev-error" in f.get_attribute("class")]
    # the matrix: every status cell present; workshop -> primary partly blocked
    statuses = {c.get_attribute("data-status") for c in drv.find_elements(By.CSS_SELECTOR, "#matrix-roles .cell")}
    assert {"pass", "partly", "not_checked"} <= statuses
    cell = drv.find_element(By.XPATH, "//*[@id='matrix-roles']//*[local-name()='a'][*[local-name()='title' and "
                                      "starts-with(., 'workshop -> primary:')]]")
    assert cell.get_attribute("data-status") == "partly"
    # following the cell reaches the deciding line, highlighted in the view of the config
    drv.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}));", cell)
    assert drv.current_url.endswith("#L0-76")
    row = drv.find_element(By.ID, "L0-76")
    assert "hit" in row.get_attribute("class") and "deny tcp any object-group PRINERGY-SERVERS eq 445" in row.text
    assert drv.execute_script("return document.querySelector(':target') === arguments[0];", row)
    # secrets are not on the page
    assert "Sup3rSecretPSK" not in drv.page_source and "<redacted>" in drv.find_element(By.ID, "config").get_attribute(
        "value")
    # download the JSON report: the same audit
    drv.find_element(By.ID, "download-json").click()
    got = _wait_for(downloads / "prinergy-audit.json")
    data = json.loads(got.read_text())
    assert data["verdict"] == "fail"
    assert len([f for f in data["findings"] if f["severity"] == "error"]) == len(errors)
    assert any(f["rule_id"] == "PRN100" and f["line"] == 76 and f["path"] == "pasted-config" for f in data["findings"])


def test_no_roles_are_guessed_and_marked(page):
    from selenium.webdriver.common.by import By

    drv, srv, _downloads = page
    pasted = "prepress-fw# show running-config\n" + ASA.replace(
        "access-list WORKSHOP_IN extended permit udp", "<--- More --->\n              \n"
        "access-list WORKSHOP_IN extended permit udp", 1) + "prepress-fw# \n"
    _audit(drv, srv.url, pasted, {})
    banner = drv.find_element(By.ID, "guess-banner")
    assert "guessed from names in the configuration" in banner.text
    primary = drv.find_element(By.ID, "role_primary")
    assert primary.get_attribute("value") == "10.20.0.10" and "guess" in primary.get_attribute("class")
    note = drv.find_element(By.ID, "guess_primary").get_attribute("textContent")
    assert re.search(r"written as PRINERGY-PRIMARY, pasted-config line 55", note)  # (one line down: the prompt)
    assert drv.find_element(By.ID, "role_workshop").get_attribute("value") == "10.30.0.0/24"
    # the prompt and pager lines were skipped: the config reads as the file does (one line not understood)
    inputs = drv.find_element(By.CSS_SELECTOR, "table.inputs tbody tr").text.split()
    assert inputs[:2] == ["pasted-config", "cisco-asa"] and inputs[-1] == "1"


def _wait_for(path, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and path.stat().st_size > 0 and not path.with_name(path.name + ".crdownload").exists():
            return path
        time.sleep(0.1)
    raise AssertionError("no download at %s" % path)
