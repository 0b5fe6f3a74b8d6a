"""Check Point management API JSON -> the rule graph.

Inputs: ``show-access-rulebase`` replies (``details-level full``, ``use-object-dictionary
true``), ``show-nat-rulebase``, object replies (``show-objects``, ``show-hosts``,
``show-networks``, ``show-groups``, ``show-services-tcp`` ...), ``show-package``, and the Show
Package tool's export (a folder or ``.tar.gz`` of its JSON files: ``export.read_export``).
Several inputs of one export are one device: the ``combine`` hook merges them.

The package is small modules:

* ``jsonread``: the JSON, read at C speed, with the lines of its records;
* ``document``: one file's replies as records (every key used, ignored with a reason, or
  reported);
* ``objects``: network objects and services as exact packet sets (or ``maybe``);
* ``policy``: ordered layers as stages, inline layers flattened, per-rule session timeouts;
* ``nat``: the NAT rulebase as a NAT table;
* ``build``: every input at once, as one ``Config``;
* ``export``: reading a Show Package folder or archive safely;
* ``change``: change requests as ``mgmt_cli`` commands;
* ``advice``: how to fix each finding in SmartConsole or ``mgmt_cli`` terms.
"""

from __future__ import annotations

import os
import re

from auditor.core.model import Config
from parsers.checkpoint.advice import ADVICE
from parsers.checkpoint.build import NAME, CheckpointAux, build
from parsers.checkpoint.change import apply_change
from parsers.checkpoint.document import read
from parsers.kit import InputError
from parsers.kit.jsonsrc import json_head, redact_json
from parsers.kit.vendor import Vendor

_ITEM = re.compile(r'"type"\s*:\s*"(?:access-rule|access-section|nat-rule|nat-section|place-holder)"')
_OBJECT = re.compile(r'"type"\s*:\s*"(?:host|network|address-range|group|group-with-exclusion|service-tcp|'
                     r'service-udp|service-group|service-icmp|service-other|CpmiAnyObject|RulebaseAction|'
                     r'access-layer|package|simple-gateway|CpmiGatewayCluster|time|access-role|global-properties)"')
_MARKS = re.compile(r'"(?:domain-type|meta-info|objects-dictionary|use-default-session-timeout|'
                    r'implicit-cleanup-action|policyPackages|accessLayers)"|97aeb369-9aea-11d5-bd16-0090272ccb30')


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is Check Point management API JSON."""
    head = json_head(text)
    if head is None:
        return 0
    score = 0
    if _ITEM.search(head):
        score += 60
    if _OBJECT.search(head) and '"uid"' in head:
        score += 40
    if _MARKS.search(head):
        score += 30
    if re.search(r'"(?:rulebase|objects)"\s*:\s*\[', head):
        score += 10
    return min(100, score)


def parse(text: str, path: str) -> Config:
    """Parse one Check Point JSON input into the normalized rule graph."""
    return build([read(text, path)])


def combine(configs: list) -> list:
    """Merge every Check Point input of the run into one config (the first one's place)."""
    mine = [c for c in configs if c.vendor == NAME and isinstance(c.aux, CheckpointAux)]
    if len(mine) < 2:
        return configs
    merged = build([d for c in mine for d in c.aux.docs])
    out, done = [], False
    for c in configs:
        if c in mine:
            if not done:
                out.append(merged)
                done = True
            continue
        out.append(c)
    return out



def _bundle(path: str) -> list[tuple[str, str]] | None:
    """The JSON files of a package export (a folder or an archive), None when ``path`` is neither,
    ``InputError`` saying what it is when it is one of them but no export (no JSON file, or one that
    is not Check Point's; a .zip, which the Show Package tool does not write)."""
    from parsers.checkpoint import export

    if not export.is_export(path):
        if path.lower().endswith(".zip") and os.path.isfile(path):
            raise InputError("%s is a .zip archive: a Check Point export is read as a folder or a .tar.gz" % path)
        return None
    files = export.read_export(path)
    if not files or any(detect(text) < 30 for _shown, text in files):
        if os.path.isdir(path):
            raise InputError("%s is a directory, not a configuration file (nor a Check Point export: its JSON "
                             "files are not management API replies)" % path)
        raise InputError("%s is an archive, but not a Check Point export (its JSON files are not management "
                         "API replies)" % path)
    return files


# the first bytes of a tar archive, bare or compressed (gzip, bzip2, xz), as tarfile's "r:*" reads them
_COMPRESSED = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")


def unpack(data: bytes, name: str, max_total: int) -> list[tuple[str, str]] | None:
    """The JSON files of a package export uploaded as an archive (``data``, named ``name``), read in
    memory with at most ``max_total`` bytes of JSON; None when ``data`` is no archive.  ``InputError``
    for a .zip (the Show Package tool writes a .tar.gz) and for an archive that is not an export."""
    import io

    from parsers.checkpoint import export

    if data[:4] == b"PK\x03\x04":
        raise InputError("%s is a .zip archive: a Check Point export is read as the Show Package tool's .tar.gz, "
                         "or as its JSON files" % name)
    if not (data.startswith(_COMPRESSED) or data[257:262] == b"ustar"):
        return None
    files = export.read_archive(io.BytesIO(data), name, max_total)
    if any(detect(text) < 30 for _shown, text in files):
        raise InputError("%s is an archive, but not a Check Point export (its JSON files are not management "
                         "API replies)" % name)
    return files


VENDOR = Vendor(
    NAME, "Check Point (management API JSON)",
    "mgmt_cli show access-rulebase name <layer> details-level full use-object-dictionary true --format json "
    "(with show-nat-rulebase, show-objects, show-package), or the Show Package tool's export",
    detect, parse, combine=combine, apply_change=apply_change, advice=ADVICE, bundle=_bundle, unpack=unpack,
    redact=redact_json)
