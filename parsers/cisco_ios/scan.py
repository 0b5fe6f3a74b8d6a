"""The block structure of an IOS running-config: top-level commands and their indented lines.

IOS prints a sub-mode's commands indented under the command that entered it (an interface,
an access list, a policy map and its classes); ``!`` separates blocks.  Two shapes are not
indented: a banner's text runs from its delimiter to the next one (``banner motd ^C ... ^C``),
and a macro's body runs to a line ``@``.  ``blocks`` returns (start, end) line index pairs:
the top-level line and the indented lines after it.
"""

from __future__ import annotations


def banner_end(raw: list[str], i: int) -> int:
    """The index after the last line of the banner starting at line ``i``.

    ``banner TYPE D...D``: the delimiter ``D`` is the first character after the banner type
    (shown as ``^C`` for Ctrl-C, two characters, in a running-config); the text ends at its next
    occurrence, on the same line or a later one.
    """
    t = raw[i].split(None, 2)
    rest = t[2] if len(t) > 2 else ""
    if not rest:
        return i + 1
    delim = rest[:2] if rest.startswith("^") and len(rest) > 1 else rest[:1]
    if delim in rest[len(delim):]:
        return i + 1
    for k in range(i + 1, len(raw)):
        if delim in raw[k]:
            return k + 1
    return len(raw)


def blocks(raw: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each top-level command and its indented lines; blank lines and the
    text of banners and macros are not blocks of their own (banner/macro blocks span it)."""
    out: list[tuple[int, int]] = []
    n = len(raw)
    i = 0
    while i < n:
        line = raw[i]
        if not line or line[0] in " \t":
            if line.strip():
                out.append((i, i + 1))  # an indented line with no command above it
            i += 1
            continue
        if line.startswith("banner "):
            j = banner_end(raw, i)
        elif line.startswith("macro name "):
            j = i + 1
            while j < n and raw[j].strip() != "@":
                j += 1
            j = min(j + 1, n)
        else:
            j = i + 1
            while j < n:
                if raw[j][:1] in (" ", "\t") and raw[j].strip():
                    j += 1
                    continue
                # blank lines inside a block (generated configs have them): the block goes on
                # when the next non-blank line is indented
                k = j
                while k < n and not raw[k].strip():
                    k += 1
                if k > j and k < n and raw[k][:1] in (" ", "\t"):
                    j = k
                    continue
                break
        out.append((i, j))
        i = j
    return out


def indent(line: str) -> int:
    """How far a line is indented (a tab counts as one)."""
    return len(line) - len(line.lstrip(" \t"))


def kids(raw: list[str], i: int, j: int) -> list[int]:
    """The indexes of the non-blank lines of block (i, j) after its first."""
    return [k for k in range(i + 1, j) if raw[k].strip()]


def if_name(t: list[str]) -> str:
    """The interface an ``interface`` line (its words ``t``) names, as written (``interface GigabitEthernet 0/0``:
    the number may follow the type after a space)."""
    return "".join(t[1:3]) if len(t) > 2 and t[2][:1].isdecimal() else t[1] if len(t) > 1 else ""
