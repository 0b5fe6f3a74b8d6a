"""Take the README's pictures of the page (run by hand after a change to the page or the report):

    .venv/bin/python scripts/web_screenshots.py

It starts ``prinergy-audit serve`` on a free port, opens it in headless Chromium (Debian's chromium
and chromium-driver, as the browser test does), pastes the bundled example
(``examples/prinergy-site/asa.cfg``) with the roles of its ``site.yaml``, audits, and writes

* ``docs/images/page.png``: the page with the result (verdict, downloads, the start of the matrix);
* ``docs/images/matrix.png``: the flow matrix by source and destination role.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from web_helpers import chromium, start_server  # noqa: E402

ROLES = {"primary": "10.20.0.10", "secondary": "10.20.0.11, 10.20.0.12", "license_server": "10.20.0.10",
         "colorflow": "10.20.0.20", "workshop": "10.30.0.0/24", "admin": "10.40.0.5"}


def main() -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out = ROOT / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "downloads").mkdir()
        srv = start_server(tmp)
        drv = chromium(tmp / "downloads", tmp / "profile")
        try:
            drv.set_window_size(1280, 1100)
            drv.get(srv.url)
            area = drv.find_element(By.ID, "config")
            drv.execute_script("arguments[0].value = arguments[1];", area,
                               (ROOT / "examples" / "prinergy-site" / "asa.cfg").read_text())
            for role, value in ROLES.items():
                drv.find_element(By.ID, "role_" + role).send_keys(value)
            drv.find_element(By.ID, "audit-button").click()
            WebDriverWait(drv, 120).until(lambda d: d.find_elements(By.ID, "report"))
            drv.save_screenshot(str(out / "page.png"))
            svg = drv.find_element(By.ID, "matrix-roles")
            drv.execute_script("arguments[0].scrollIntoView();", svg)
            svg.screenshot(str(out / "matrix.png"))
        finally:
            drv.quit()
            srv.stop()
    print("wrote", out / "page.png", "and", out / "matrix.png")


if __name__ == "__main__":
    main()
