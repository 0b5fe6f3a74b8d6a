"""Config bytes -> text: the one check every input goes through (binary, empty, oversized,
not text), for the registry and for the vendors that read files themselves (a Check Point
package export)."""

from __future__ import annotations

from parsers.kit.errors import InputError

MAX_BYTES = 256 * 1024 * 1024


def decode(data: bytes, path: str) -> str:
    """Bytes of a config file -> text, refusing binary, empty and oversized input."""
    if not data or data.isspace():  # (as ``not data.strip()``, without copying the input: 0.09 s of 110 MB)
        raise InputError("%s is empty" % path)
    if len(data) > MAX_BYTES:
        raise InputError("%s is larger than %d MiB" % (path, MAX_BYTES >> 20))
    bom16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")  # (Windows PowerShell 5.1's '>' writes UTF-16LE with a BOM)
    if b"\x00" in data[:65536] and not bom16:
        raise InputError("%s is binary, not a text configuration" % path)
    for enc in ("utf-16", "utf-8-sig") if bom16 else ("utf-8-sig", "latin-1"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("%s is not valid UTF-8 or UTF-16 text" % path)
    from parsers.kit.paste import control_free

    sample = control_free(text[:65536])  # (a pager's backspaces and ANSI sequences are not binary)
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    if bad > len(sample) // 100 + 1:
        raise InputError("%s does not look like a text configuration (control characters)" % path)
    return text
