"""OPNsense ``config.xml`` backups: the same parser as pfSense's (``parsers.pfsense``), registered under
its own name so that each product is named as itself."""

from __future__ import annotations

import re

from parsers.kit import Vendor
from parsers.pfsense import ADVICE, encrypted, parse, redact_text

NAME = "opnsense"

_ROOT = re.compile(r"^\ufeff?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<opnsense[\s>/]", re.S | re.I)


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is an OPNsense config.xml."""
    head = text[:4096]
    if _ROOT.match(head):
        return 96
    if encrypted(head) == "OPNsense":
        return 96  # (an encrypted backup: read to say so, ``parsers.pfsense.parse``)
    return 0


VENDOR = Vendor(NAME, "OPNsense", "System > Configuration > Backups > Download configuration (config.xml)",
                detect, parse, advice=ADVICE, redact=redact_text)
