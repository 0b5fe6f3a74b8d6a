"""pfSense and OPNsense ``config.xml`` backups -> the rule graph.

A package of small modules, in the order a parse uses them:

* ``xmltree``: the XML, read safely (defusedxml), every element with its lines;
* ``common``: the two dialects (how each reads a boolean option) and secret redaction;
* ``parser``: the sections of config.xml and the accounting of every element;
* ``addresses``: interfaces, their networks and macros (``lan``, ``lanip``, ``(self)``), aliases;
* ``rules``: filter rules (pfSense, OPNsense legacy and OPNsense's new model) -> ``PfRule``;
* ``protocols``: FreeBSD's /etc/protocols, the protocol names pfctl knows (data);
* ``generated``: the rules both products add (default deny, anti-lockout, bogons, ...);
* ``nat``: port forwards, 1:1 and outbound NAT;
* ``policy``: pf's quick / last-match evaluation as first-match filters, stages and paths;
* ``timeouts``: the optimization profile, the TCP established timeout, per-rule state timeouts;
* ``elements``: which elements have no effect on filtering, and why (data);
* ``advice``: how to fix each finding in the pfSense / OPNsense GUI.

pfSense and OPNsense have no command-line change syntax (changes are made in the GUI or by
restoring a config.xml), so there is no ``check-change`` for them: compare two backups with
``prinergy-audit diff OLD.xml NEW.xml``.
"""

from __future__ import annotations

import re

from auditor.core.model import Config
from parsers.kit import Vendor
from parsers.pfsense.advice import ADVICE

NAME = "pfsense"

_ROOT = re.compile(r"^\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<pfsense[\s>/]", re.S | re.I)
# an encrypted backup ("Encrypt this configuration file"): pfSense crypt.inc tagfile_reformat wraps the base64
# ciphertext in '---- BEGIN config.xml ----' / '---- END config.xml ----' lines; OPNsense's Backup\Base::encrypt adds
# 'Version: OPNsense ...', 'Cipher:', 'PBKDF2:', 'Hash:' lines after the first
ENCRYPTED = re.compile(r"^\ufeff?\s*---- BEGIN config\.xml ----[ \t]*\r?$", re.M)
_OPN_HEADER = re.compile(r"^Version: OPNsense\b", re.M)


def encrypted(text: str) -> str | None:
    """The product an encrypted config.xml backup says it is from (``"pfSense or OPNsense"`` when it does not say),
    or None when ``text`` is not one."""
    head = text[:512]
    m = ENCRYPTED.match(head)
    if m is None:
        return None
    return "OPNsense" if _OPN_HEADER.search(head, m.end()) else "pfSense or OPNsense"


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is a pfSense or OPNsense config.xml."""
    head = text[:4096]
    m = _ROOT.match(head)
    if m:
        return 95
    if encrypted(head) == "pfSense or OPNsense":
        return 95  # (read to say so: ``parse``)
    if re.search(r"<pfsense>", head, re.I):
        return 40
    return 0


def parse(text: str, path: str) -> Config:
    """Parse a pfSense or OPNsense config.xml into the normalized rule graph."""
    from parsers.kit import InputError
    from parsers.pfsense.parser import Parser

    product = encrypted(text)
    if product is not None:
        # (Netgate docs, "Restoring from Backup": an encrypted backup is decrypted with its password on restore,
        # https://docs.netgate.com/pfsense/en/latest/backup/restore.html; its rules cannot be read without it)
        raise InputError("%s is an encrypted %s configuration backup ('---- BEGIN config.xml ----'): its rules "
                         "cannot be read without the password; download the backup again without encryption "
                         "(pfSense: Diagnostics > Backup & Restore, 'Encrypt this configuration file' unticked; "
                         "OPNsense: System > Configuration > Backups, no password), or decrypt it first"
                         % (path, product))
    return Parser(text, path).parse()


def redact_text(text: str) -> str:
    """A config.xml as its lines are quoted, every secret masked (``Vendor.redact``)."""
    from parsers.pfsense.parser import redact_text as redact

    return redact(text)


VENDOR = Vendor(NAME, "pfSense", "Diagnostics > Backup & Restore > Download configuration as XML (config.xml)",
                detect, parse, advice=ADVICE, redact=redact_text)

__all__ = ["ADVICE", "NAME", "VENDOR", "detect", "encrypted", "parse", "redact_text"]
