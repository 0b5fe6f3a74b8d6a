"""What a paste carries around a config: recognized, and taken out before any parser sees it.

A configuration copied out of a terminal session brings lines that no device stores in its
configuration: the prompt and the command that printed it (``prepress-fw# show
running-config``, ``admin@srx> show configuration | display set``), the command's own header
(``Building configuration...``, ``Current configuration : 1234 bytes``, the ASA's ``: Saved``),
the pager's prompt with the backspaces or spaces that erased it (``<--- More --->``,
`` --More-- ``, ``---(more 45%)---``) and session banners (``Last login: ...``).  Left in, a
parser reports each as a line it does not understand, and one such line can make a clean
config's verdict ``unknown``.

``clean(text)`` blanks those lines (or, for a pager prompt followed on the same line by the
next config line, keeps that config line alone), so that every other line keeps its number:
findings still point at the line the person pasted.  What it recognizes is deliberately
narrow (a prompt only with a command a person types to show a config, or alone; a banner only
in the exact words the devices print), so that a config line is never taken for one.

Where the forms come from: the pager prompts are those of Cisco ASA (``<--- More --->``, erased
by printing spaces after a carriage return or backspaces), Cisco IOS and FortiOS (``--More--``,
erased by backspaces), Junos (``---(more)---``, ``---(more 45%)---``) and Huawei/H3C
(``---- More ----``, erased with an ANSI cursor-left sequence); ASA prints ``: Saved`` as the
first line of ``show running-config``, IOS ``Building configuration...`` and ``Current
configuration : N bytes`` before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# a pager prompt where a page ended (optionally in reverse video, as some terminals log it)
_PAGER = re.compile(
    r"^[ \t]*(?:\x1b\[[0-9;]*m)*(?:<--- More --->|-- ?More ?--|---- More ----|---\(more(?: \d{1,3}%)?\)---|"
    r"\[More\]|Press any key to continue(?: \(Q to quit\))?)(?:\x1b\[[0-9;]*m)*")
# what erases it: backspaces, spaces, tabs and ANSI cursor/erase sequences
_ERASE = re.compile(r"(?:[\x08 \t]|\x1b\[[0-9;]*[A-Za-z])*")
_CSI = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])")

# the commands a person types to print a configuration (or to end the session after it)
_COMMANDS = (r"(?:show|sho|sh|more|display|disp|dis|get|write|wr|terminal|term|copy|cat|type|sudo|"
             r"iptables-save|ip6tables-save|nft|sysctl|netsh|Get-NetFirewall\w*|Show-NetFirewall\w*|aws|az|"
             r"exit|quit|logout|end|enable|en|configure|conf|config|set cli|save|export|/export)\b")
# prompts: Cisco (host#, host>, host(config)#, host/ctx/pri/act#), Junos and PAN-OS (user@host>),
# FortiOS (host # , host (vdom) # ), a Unix shell ([user@host dir]# , user@host:~$ ), Windows, and
# PowerShell in a remote session: Microsoft, "Enter-PSSession", example 2 ("[Server01]: PS C:\> Get-Process
# PowerShell > C:\ps-test\Process.txt"; the prompt gets the remote computer's name in brackets)
_PROMPT = (r"(?:[A-Za-z0-9][\w.-]*(?:/[\w.-]+)*(?:\([\w./:-]+\))?[#>]"
           r"|[\w.-]+@[\w.:-]+(?:\([\w.-]+\))?[#>%]"
           r"|[A-Za-z0-9][\w.-]*(?: \([\w.-]+\))? [#$]"
           r"|\[[^\]\r\n]{1,80}\][#$>]"
           r"|[\w.-]+@[\w.-]+:[^\s#$]*[#$]"
           r"|(?:PS )?[A-Za-z]:\\[^>\r\n]*>"
           r"|\[[\w.:-]{1,80}\]: PS(?: [A-Za-z]:\\[^>\r\n]*)?>)")
_PROMPT_LINE = re.compile(r"^%s ?(?:%s.*)?\s*$" % (_PROMPT, _COMMANDS))
_SHELL_LINE = re.compile(r"^[$#] (?:sudo |iptables-save|ip6tables-save|nft list|sysctl |cat )")

# the header a show command prints before the configuration, and session banners
_BANNERS = re.compile(
    r"^(?:Building configuration\.\.\.(?:\s*\[OK\])?"
    r"|Current configuration ?: ?\d+ bytes"
    r"|: Saved"
    r"|Last login: .*"
    r"|Last failed login: .*"
    r"|Type help or '\?' for a list of available commands\."
    r"|Using username \".*\"\."
    r"|Authenticated with partial success\."
    r"|login as: \S+"
    r"|[\w.-]+@[\w.:-]+'s password: ?"
    r"|Connection to \S+ closed(?: by remote host)?\."
    r"|--- JUNOS \S+ built .*"
    r"|\{(?:master|backup|primary|secondary|linecard)(?::[\w-]+)?\}"
    r"|Windows PowerShell"
    r"|Copyright \(C\) Microsoft Corporation\. All rights reserved\.)\s*$")


@dataclass(frozen=True)
class Skipped:
    """A line ``clean`` took out (1-based ``line``) and what it was."""

    line: int
    kind: str  # prompt | pager | header | banner
    text: str = ""  # (a prompt's line as it was: the command that printed what follows, for a parser that asks)


def _erase(line: str) -> str:
    """The line as a terminal shows it: backspaces move left, later characters overwrite,
    ``ESC[nD`` moves left n, ``ESC[K`` erases to the end; other ANSI sequences draw nothing."""
    buf: list[str] = []
    cur = 0
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "\x08":
            cur = max(0, cur - 1)
            i += 1
            continue
        if ch == "\x1b":
            m = _CSI.match(line, i)
            if m:
                arg, op = m.group(1), m.group(2)
                if op == "D":
                    cur = max(0, cur - int(arg or "1"))
                elif op == "C":
                    cur += int(arg or "1")
                elif op == "K":
                    del buf[cur:]
                i = m.end()
                continue
        while len(buf) < cur:
            buf.append(" ")
        if cur < len(buf):
            buf[cur] = ch
        else:
            buf.append(ch)
        cur += 1
        i += 1
    return "".join(buf).rstrip()


def _after_pager(line: str) -> str | None:
    """The config text on a line that starts with a pager prompt ("" if none), or None."""
    m = _PAGER.match(line)
    if m is None:
        return None
    rest = line[m.end():]
    if "\x08" in rest or "\x1b" in rest:
        # backspaces or cursor moves overwrite the prompt: what is left is what the terminal showed
        shown = _erase(line)
        again = _PAGER.match(shown)
        if again is not None:  # (erased only in part)
            shown = shown[again.end():].lstrip(" \t")
        return shown if shown.strip() else ""
    if not rest.strip():
        return ""
    # the spaces that erased the prompt (as many as it had characters) then the next line as it is
    width = len(line[:m.end()].strip())
    spaces = len(rest) - len(rest.lstrip(" "))
    return rest[width:] if spaces >= width else rest.lstrip(" \t")


def _line(line: str) -> tuple[str, str] | None:
    """(what is left of ``line``, kind) if ``line`` is terminal output around a config, else None."""
    rest = _after_pager(line)
    if rest is not None:
        return rest, "pager"
    if "\x08" in line or "\x1b" in line:
        shown = _erase(line)
        if shown != line:
            if not shown.strip():
                return "", "pager"
            line = shown
            got = _line(line)
            return got if got is not None else (line, "pager")
    s = line.strip()
    if _BANNERS.match(s):
        return "", "header" if s.startswith(("Building", "Current", ": Saved")) else "banner"
    if _PROMPT_LINE.match(line) or _SHELL_LINE.match(line):
        return "", "prompt"
    return None


# where the lines ``_line`` may take start (a superset, found fast: it begins with a newline, and the
# possessive scans never backtrack); the first line is looked at apart.  A line's indent is read
# once: the banners may follow one, the prompts (none of which starts with a blank) only the newline
# (?<=\n); with the indent inside each alternative, the scan of a 2.8-million-line JSON export
# took 0.5 s, now 0.35 s.  The indent is read as its spaces then the rest of its blanks (the same
# characters as [ \t]*+ alone): a run of one character is counted faster than a run of a class
# (the JSON export's scan 0.35 s -> 0.27 s; tab-indented text as before).
_AT_LINE = re.compile(
    r"\n *+[ \t]*+(?:Building|Current configuration|: Saved|Last (?:failed )?login|Type help|Using username|"
    r"Authenticated with|login as|Connection to|--- JUNOS|\{(?:master|backup|primary|secondary|linecard)|"
    r"Windows PowerShell|Copyright \(C\) Microsoft"
    r"|(?<=\n)(?:[\w.@:~/()\[\]\\-]{1,80}+ ?(?:\([\w.-]+\) )?[#>$%]|\[[^\]\n]{1,80}+\][#$>]|PS [A-Za-z]:|[$#] "
    r"|\[[\w.:-]{1,80}+\]: PS"
    r"|[^\n\s]{1,80}+'s password))")
# text anywhere in a line that marks a pager prompt or its erasing, each with the offset in it of
# a character that is rare in configs (``_find`` looks for that character)
_MARKERS = (("More", 0), ("---(more", 3), ("Press any key", 0), ("\x08", 0), ("\x1b", 0))
# line separators other than \n and \r\n (``str.splitlines`` splits at them; the fast path does not)
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ASCII_BREAKS = "\x0b\x0c\x1c\x1d\x1e"


def _other_breaks(text: str) -> bool:
    # (ASCII text cannot hold the separators past \x7f; text without "\r" needs no count of "\r\n")
    if any(ch in text for ch in (_ASCII_BREAKS if text.isascii() else _OTHER_BREAKS)):
        return True
    return "\r" in text and text.count("\r") != text.count("\r\n")


def _candidates(text: str) -> list[int]:
    """Offsets of the line starts ``_line`` might take, in order (one fast scan of the text)."""
    starts = {0}
    starts.update(m.start() + 1 for m in _AT_LINE.finditer(text))
    for marker, rare in _MARKERS:
        at = _find(text, marker, rare, 0)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            starts.add(start)
            nl = text.find("\n", at)
            if nl < 0:
                break
            at = _find(text, marker, rare, nl)
    return sorted(starts)


def _find(text: str, marker: str, rare: int, start: int) -> int:
    """``text.find(marker, start)``, by looking for the character at offset ``rare`` of the marker.

    ``str.find`` of a word reads about 1 GB/s (0.1 s for each marker in a 110 MB export); a single
    character is found at memory speed, and a rare one seldom starts anything else.  After more
    tries than the text's length / 1024 (a text where the character is common) ``str.find`` takes
    over from the first place not yet excluded, so no text costs much more than before."""
    c = marker[rare]
    q = text.find(c, start + rare)
    for _ in range(len(text) >> 10):
        if q < 0:
            return -1
        if text.startswith(marker, q - rare):
            return q - rare
        q = text.find(c, q + 1)
    return -1 if q < 0 else text.find(marker, q - rare)


def clean(text: str) -> tuple[str, list[Skipped]]:
    """``text`` with the lines of a terminal session around a config blanked, and what was taken.

    The result has as many lines (``str.splitlines``) as ``text``: a line is blanked, or keeps
    only its config part, never removed.  Text with nothing to clean is returned as it is.
    Only the lines that could be such output are looked at (found in one scan of the text),
    unless the text breaks lines with a bare carriage return (a pager erasing its prompt), when
    every line is.
    """
    if _other_breaks(text):
        return _clean_lines(text)
    out: list[str] = []
    skipped: list[Skipped] = []
    pos = 0  # text before it is in ``out``
    lineno, counted = 1, 0  # the line number at offset ``counted``
    for start in _candidates(text):
        if start < pos or start >= len(text):
            continue
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        raw = text[start:end]
        cr = raw.endswith("\r")
        got = _line(raw[:-1] if cr else raw)
        if got is None:
            continue
        lineno += text.count("\n", counted, start)
        counted = start
        out.append(text[pos:start])
        out.append(got[0] + ("\r" if cr else ""))
        shown = (raw[:-1] if cr else raw) if got[1] == "prompt" else ""
        skipped.append(Skipped(lineno, got[1], shown))
        pos = end
        if got[1] == "pager" and not got[0]:
            pos = _blank_spaces(text, end + 1, pos, out, skipped, lineno + 1)
    if not skipped:
        return text, []
    out.append(text[pos:])
    return "".join(out), skipped


def _blank_spaces(text: str, at: int, pos: int, out: list, skipped: list, lineno: int) -> int:
    """Blank the line at offset ``at`` if it holds only spaces (a pager's erasing); the new ``pos``."""
    if at >= len(text) or at < pos:
        return pos
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    raw = text[at:end]
    if raw.strip(" \t\r\x08") or not raw.strip("\r"):
        return pos
    out.append(text[pos:at])
    out.append("\r" if raw.endswith("\r") else "")
    skipped.append(Skipped(lineno, "pager"))
    return end


def _clean_lines(text: str) -> tuple[str, list[Skipped]]:
    """``clean`` looking at every line (``str.splitlines``)."""
    lines = text.splitlines()
    skipped: list[Skipped] = []
    after_pager = False
    for i, line in enumerate(lines):
        if not line:
            after_pager = False  # (the erasing spaces are on the line right after the prompt, as ``_blank_spaces``)
            continue
        if after_pager and not line.strip(" \t\x08"):
            lines[i] = ""  # the spaces a pager prints after a carriage return to erase its prompt
            skipped.append(Skipped(i + 1, "pager"))
            after_pager = False
            continue
        got = _line(line)
        after_pager = False
        if got is None:
            continue
        lines[i] = got[0]
        skipped.append(Skipped(i + 1, got[1], line if got[1] == "prompt" else ""))
        after_pager = got[1] == "pager" and not got[0]
    if not skipped:
        return text, []
    tail = "\n" if text.endswith(("\n", "\r")) else ""
    return "\n".join(lines) + tail, skipped


def control_free(text: str) -> str:
    """``text`` without the control characters a terminal's pager writes (backspaces, ANSI
    sequences): what is left is judged for binary content (``parsers.decode``)."""
    if "\x08" not in text and "\x1b" not in text:
        return text
    return _CSI.sub("", text).replace("\x08", "")
