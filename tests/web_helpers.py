"""The page under test: ``prinergy-audit serve --port 0`` in a subprocess, and a headless Chromium.

The server runs with its working directory, HOME and TMPDIR in empty temporary folders, so a
test can show that nothing was written to disk; its stdout and stderr are kept to show that
nothing was logged.  The browser is Debian's ``chromium`` driven through ``chromium-driver``
(selenium never downloads a browser or a driver here: both paths are given).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1000")


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    home: Path
    stdout: list = field(default_factory=list)

    def stop(self) -> tuple[str, str]:
        """Stop it (Ctrl-C) and return what it printed (stdout after the URL line, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rest = self.proc.stdout.read().decode(errors="replace")
        err = self.proc.stderr.read().decode(errors="replace")
        return rest, err


def start_server(tmp: Path, *args: str) -> Server:
    """``prinergy-audit serve --port 0 ARGS`` with cwd, HOME and TMPDIR in ``tmp``."""
    home = tmp / "home"
    for d in (home, home / "tmp", home / "cwd"):
        d.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HOME=str(home), TMPDIR=str(home / "tmp"), PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-m", "auditor.cli", "serve", "--port", "0", *args],
                            cwd=home / "cwd", env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = proc.stdout.readline().decode()
    if "http://" not in line:
        proc.kill()
        raise RuntimeError("the server did not start: %r %r" % (line, proc.stderr.read().decode()))
    url = line.split("http://", 1)[1].split()[0]
    server = Server("http://" + url, proc, home, [line])
    # wait until it answers
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(server.url, timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    return server


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def chromium_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver) when both are installed, else None."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    return None


def chromium(downloads: Path, profile: Path):
    """A headless Chromium under selenium, downloading into ``downloads`` without asking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = chromium_paths()
    assert paths is not None
    browser, driver = paths
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument("--user-data-dir=%s" % profile)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False,
                                           "safebrowsing.enabled": False})
    drv = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
    drv.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    drv.set_page_load_timeout(120)
    return drv
