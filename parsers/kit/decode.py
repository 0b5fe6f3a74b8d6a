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
    text = None
    if b"\x00" in data[:65536] and not bom16:
        text = _utf16_without_bom(data, path)
        if text is None:
            raise InputError("%s is binary, not a text configuration%s" % (path, _binary_kind(data)))
    else:
        for enc in ("utf-16", "utf-8-sig") if bom16 else ("utf-8-sig", "latin-1"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise InputError(_cut_short(path) if bom16 and len(data) % 2 else
                             "%s is not valid UTF-8 or UTF-16 text" % path)
    from parsers.kit.paste import control_free

    sample = control_free(text[:65536])  # (a pager's backspaces and ANSI sequences are not binary)
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    if bad > len(sample) // 100 + 1:
        raise InputError("%s does not look like a text configuration (control characters)" % path)
    return _one_line_break(text)


def _cut_short(path: str) -> str:
    return "%s is UTF-16 text cut short: it has an odd number of bytes (copy the whole file again)" % path


def _utf16_without_bom(data: bytes, path: str) -> str | None:
    """``data`` read as UTF-16 without a byte-order mark (.NET's ``Encoding.Unicode.GetBytes``, PowerShell's
    ``Set-Content -Encoding Unicode`` on some hosts, an editor's "UTF-16 LE" without BOM), when its start says so
    unambiguously: no NUL byte where a character's low byte stands, and NUL in at least half of its high bytes
    (text in Latin script); else None (a binary file)."""
    head = data[:65536]
    head = head[:len(head) & ~1]
    even, odd = head[0::2], head[1::2]
    for enc, low, high in (("utf-16-le", even, odd), ("utf-16-be", odd, even)):
        if high and b"\x00" not in low and high.count(0) * 2 >= len(high):
            try:
                return data.decode(enc)
            except UnicodeDecodeError:
                if len(data) % 2:
                    raise InputError(_cut_short(path)) from None
                return None
    return None


# Windows Firewall policies in binary files people are given for a host: what each is and what to give instead
# (the PowerShell cmdlets' text, which the windows-firewall parser reads).  ``netsh advfirewall export FILE.wfw``
# writes a registry hive (base block signature "regf": github.com/msuhanov/regf, "Windows registry file format
# specification"; learn.microsoft.com/windows-server/networking/technologies/netsh/netsh-advfirewall, "export");
# a Group Policy backup holds its firewall settings in Registry.pol (signature "PReg", then version 1:
# learn.microsoft.com/previous-versions/windows/desktop/policy/registry-policy-file-format)
_WINDOWS_FW_TEXT = ("give the text of `Show-NetFirewallRule -PolicyStore ActiveStore` and `Get-NetFirewallProfile "
                    "-PolicyStore ActiveStore | Format-List`, run on the host, which the windows-firewall parser "
                    "reads")
_BINARY_KINDS = (
    (b"regf", "a Windows registry hive, as `netsh advfirewall export` writes a Windows Firewall policy (.wfw)"),
    (b"PReg\x01\x00\x00\x00", "a Group Policy Registry.pol file"),
)


def _binary_kind(data: bytes) -> str:
    """What a binary input known by its signature is, and what to give instead, as the end of a sentence; else ""."""
    for magic, what in _BINARY_KINDS:
        if data.startswith(magic):
            return ": it is %s; %s" % (what, _WINDOWS_FW_TEXT)
    return ""


# characters ``str.splitlines`` ends a line at that git and GitHub do not (they count "\n" only):
# a form feed, or byte 0x85 of a Windows-1252 file ("…", read as latin-1's NEL), numbered every later
# line one past the file's own, so an annotation or SARIF location pointed at the wrong line.  All are
# whitespace to ``str.split`` and ``\s``: a space in their place leaves each line's words as they were.
_ASCII_NOT_BREAKS = "\x0b\x0c\x1c\x1d\x1e"
_NOT_BREAKS = _ASCII_NOT_BREAKS + "\x85\u2028\u2029"
_SPACES = {ord(ch): " " for ch in _NOT_BREAKS}


def _one_line_break(text: str) -> str:
    """``text`` with its line breaks other than "\\n" and "\\r" made spaces."""
    if not any(ch in text for ch in (_ASCII_NOT_BREAKS if text.isascii() else _NOT_BREAKS)):
        return text
    return text.translate(_SPACES)
