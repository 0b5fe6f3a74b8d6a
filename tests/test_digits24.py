"""A digit that is not a decimal one (a superscript, a circled number) is no number to a parser (rev24d's finding).

Python's ``str.isdigit()`` is true for '²' and '①', which ``int()`` refuses ("invalid literal for int()"): a
config line holding one made the audit stop with that message, no file, no line.  The parsers test
``str.isdecimal()``, whose strings ``int()`` always reads: such a line is reported where it stands.
"""

from __future__ import annotations

from test_formats import cli


def test_a_superscript_digit_is_a_line_not_understood(tmp_path):
    f = tmp_path / "fw.cfg"
    f.write_text("ASA Version 9.16(1)\ninterface GigabitEthernet0/1\n nameif inside\n security-level \u00b2\n"
                 " ip address 10.1.0.1 255.255.0.0\n", encoding="utf-8")
    code, out, err = cli("audit", str(f), "--role", "primary=10.1.0.5", "--format", "json")
    assert code in (0, 1), err
    assert "invalid literal" not in out + err
    assert '"line": 4' in out
