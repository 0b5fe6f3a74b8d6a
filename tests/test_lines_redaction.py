"""``Lines`` redacts only the lines that can carry a secret, found in one pass over the text
(``secrets.lines_to_redact``): the same Sources as redacting every line, without the cost of the
trigger's regular expression on each of 100k access-list lines."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.secrets import _TRIGGER, _TRIGGER_WORDS, lines_to_redact, lines_to_redact_holding, redact
from parsers.kit import Lines

WORDS = ["ftp://u:p@h", "Bearer", "credentials", "hash",
         "password", "Passwd", "SECRET", "key", "community", "psk", "md5", "SHA256", "snmp-server", "token",
         "authentication", "kEy", "pаss", "ſecret", "K", "x", "10.0.0.1", "access-list", "any", "=", ":", " "]


def test_the_trigger_is_a_plain_alternation_of_lower_case_literals():
    # (lines_to_redact searches for each alternative as a substring: none may be a pattern)
    assert _TRIGGER_WORDS
    for w in _TRIGGER_WORDS:
        assert w == w.lower() and re.fullmatch(r"[a-z0-9:/_ -]+", w), w  # (a blank: 'net use', a literal too)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8).map(" ".join), max_size=12),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_every_line_redact_would_change_is_found(lines, sep):
    text = sep.join(lines)
    found = lines_to_redact(text)
    for i, line in enumerate(text.splitlines()):
        if _TRIGGER.search(line) is not None:
            assert i in found, line
    src = Lines(text, "t.cfg")
    for i, line in enumerate(text.splitlines()):
        assert src.source(i).text == redact(line.rstrip())


def test_the_search_for_secret_lines_waits_for_the_first_source():
    # (a parser quoting its lines its own way, e.g. FortiOS's FortiLines, never pays for the search)
    text = "hostname fw\nsnmp-server community s3cret RO\n"
    src = Lines(text, "t.cfg")
    assert "_secret" not in vars(src)
    assert src.source(1).text == redact("snmp-server community s3cret RO")
    assert "s3cret" not in src.source(1).text
    assert vars(src)["_secret"] == lines_to_redact(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS[:16] + ["x", "10.0.0.1", "any", " ", "\t", "\r", "\x0c"]),
                         max_size=8).map(" ".join), max_size=12))
def test_ascii_lines_found_are_exactly_the_lines_the_trigger_matches(lines):
    # ASCII text is searched for the trigger's words once; each hit's line is counted from its "\n"s
    # (or, where another line separator occurs, from the lines str.splitlines makes): the oracle is
    # the trigger's regular expression on each line
    text = "\n".join(lines)
    want = {i for i, line in enumerate(text.splitlines()) if _TRIGGER.search(line) is not None}
    assert lines_to_redact(text) == want


def test_a_quoted_word_is_looked_for_on_its_own_lines():
    text = "\n".join(["interface %d up" % i for i in range(5000)] + ["WAN password s3cret", "WAN up", "key"])
    assert lines_to_redact_holding(text, {"WAN"}) == {5000}
    assert lines_to_redact_holding(text, {"WAN", ""}) == lines_to_redact(text) == {5000, 5002}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS[:16] + ["x", "10.0.0.1", "any", "WAN", "<a>", " ", "\t", "\r", "é"]),
                         max_size=8).map(" ".join), max_size=12),
       st.sets(st.sampled_from(["any", "WAN", "10.0.0.1", "key", "x y", "ass"]), max_size=4),
       st.sampled_from([1, 2_000]))
def test_the_lines_holding_few_words_are_the_secret_lines_holding_them(lines, words, repeat):
    # few words: the text is searched for them, not for every trigger word, and each line found is looked at
    # alone (once more lines are found than that pays, the trigger's search is made): every line of
    # lines_to_redact that holds a word is found, and no line it does not find
    text = "\n".join(lines * repeat)
    every = lines_to_redact(text)
    got = lines_to_redact_holding(text, words)
    rows = text.splitlines()
    assert {i for i in every if any(w in rows[i] for w in words)} <= got <= every
