"""A policy export as a folder or an archive: the Show Package tool's ``.tar.gz``, or the replies
an operator saved with ``mgmt_cli ... --format json`` into one folder.

The Show Package tool (``$MDS_FWDIR/scripts/web_api_show_package.sh``, CheckPointSW/ShowPolicyPackage)
"generates a compressed file (.tar.gz)" holding HTML pages and "the objects and rules exported as
multiple JSON files": one per layer (its sections and rules in one flat list, named
``<layer>-<domain>.json``), ``<package>_objects.json``, ``<package>_gateway_objects.json``, and
``index.json`` (each package's ordered access layers).  Every ``.json`` file of the folder or
archive is read; the rest (HTML, scripts, the tool's log) is skipped.

Reading is bounded and never touches the disk: at most ``MAX_MEMBERS`` entries, ``MAX_FILE``
bytes a file and ``MAX_TOTAL`` bytes in all; archive members are read into memory (nothing is
extracted, so a member named ``../../x`` cannot write anywhere), only regular files are read
(no links, devices or fifos), and a folder's symbolic links are not followed.  Anything past a
bound is an ``InputError`` (one line), never a partial audit.

``read_archive(fileobj, name)`` reads an archive already in memory (the page's upload).
``read_export(path)`` gives ``(display path, text)`` per JSON file, its display path being
``archive.tar.gz!dir/file.json`` (or the file's path in the folder); ``load_export(path)`` parses
them all and combines them into one config.
"""

from __future__ import annotations

import os
import tarfile

from parsers.kit import InputError
from parsers.kit.decode import decode

MAX_MEMBERS = 5000
MAX_FILE = 256 * 1024 * 1024
MAX_TOTAL = 1024 * 1024 * 1024
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar")


def is_export(path: str) -> bool:
    """Whether ``path`` is a folder or an archive this module reads."""
    return os.path.isdir(path) or path.lower().endswith(ARCHIVE_SUFFIXES)


def read_export(path: str) -> list[tuple[str, str]]:
    """``(display path, text)`` of each JSON file of the export at ``path``, in name order."""
    if os.path.isdir(path):
        return _folder(path)
    if not os.path.exists(path):
        raise InputError("%s: no such file" % path)
    return _archive(path)


def _folder(root: str) -> list[tuple[str, str]]:
    found: list[str] = []
    seen = 0
    for base, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            seen += 1
            if seen > MAX_MEMBERS:
                raise InputError("%s: more than %d files" % (root, MAX_MEMBERS))
            full = os.path.join(base, name)
            if name.lower().endswith(".json") and not os.path.islink(full) and os.path.isfile(full):
                found.append(full)
    out, total = [], 0
    for full in sorted(found):
        size = os.path.getsize(full)
        total += size
        if size > MAX_FILE or total > MAX_TOTAL:
            raise InputError("%s: larger than %d MiB" % (full if size > MAX_FILE else root,
                                                         (MAX_FILE if size > MAX_FILE else MAX_TOTAL) >> 20))
        with open(full, "rb") as f:
            out.append((full, decode(f.read(MAX_FILE + 1), full)))
    if not out:
        raise InputError("%s: no JSON file in the folder" % root)
    return out


def _archive(path: str) -> list[tuple[str, str]]:
    return read_archive(path, path)


def read_archive(source, path: str, max_total: int | None = None) -> list[tuple[str, str]]:
    """``(display path, text)`` of each JSON member of a tar archive, in name order: ``source`` is its
    path, or a binary file object (an archive uploaded to the page, read in memory), ``path`` its
    name as shown; at most ``max_total`` (default ``MAX_TOTAL``) bytes of JSON in all."""
    max_total = MAX_TOTAL if max_total is None else max_total
    out, total, seen = [], 0, 0
    try:
        opened = tarfile.open(source, "r:*") if isinstance(source, str) else tarfile.open(fileobj=source, mode="r:*")
        with opened as tar:
            for member in tar:  # (read one header at a time: a huge member list is refused early)
                seen += 1
                if seen > MAX_MEMBERS:
                    raise InputError("%s: more than %d archive members" % (path, MAX_MEMBERS))
                if not member.isreg() or not member.name.lower().endswith(".json"):
                    continue
                shown = "%s!%s" % (path, member.name.lstrip("./"))
                if member.size > MAX_FILE:
                    raise InputError("%s: larger than %d MiB" % (shown, MAX_FILE >> 20))
                total += member.size
                if total > max_total:
                    raise InputError("%s: its JSON files hold more than %d MiB" % (path, max_total >> 20))
                f = tar.extractfile(member)
                data = f.read(MAX_FILE + 1) if f is not None else b""
                out.append((shown, decode(data, shown)))
    except (tarfile.TarError, EOFError, OSError, ValueError) as e:
        why = "cut short" if isinstance(e, EOFError) else "damaged or not an archive"
        raise InputError("%s: not a readable .tar or .tar.gz archive (%s)" % (path, why)) from None
    if not out:
        raise InputError("%s: no JSON file in the archive" % path)
    return sorted(out)


def load_export(path: str):
    """The one config of every JSON file of the export at ``path``."""
    from parsers.checkpoint import combine, parse

    configs = [parse(text, shown) for shown, text in read_export(path)]
    (cfg,) = combine(configs) if len(configs) > 1 else configs
    return cfg
