"""Progress reporting: silent unless stderr is a terminal and the work is long."""

import io

from auditor.core import progress


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_silent_when_not_a_terminal():
    s = io.StringIO()
    progress.enable(s, delay=0, interval=0)
    progress.report("x", 1, 2)
    progress.finish()
    assert s.getvalue() == ""


def test_shown_on_a_terminal_after_the_delay_and_cleared():
    s = Tty()
    progress.enable(s, delay=0, interval=0)
    progress.report("rule anomalies", 5, 10)
    progress.finish()
    assert "rule anomalies 5/10 (50%)" in s.getvalue()
    assert s.getvalue().endswith("\r\033[K")


def test_short_work_prints_nothing():
    s = Tty()
    progress.enable(s, delay=60)
    progress.report("x")
    progress.finish()
    assert s.getvalue() == ""
