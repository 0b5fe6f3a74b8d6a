"""``redact`` decides whether a text may hold a secret with a plain search of the trigger's words in the
lower-cased text (every output string passes there): it must answer as the trigger's case-insensitive
expression does, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.secrets import _TRIGGER, _TRIGGER_WORDS, _blocks_clean, _may_hold_secret, is_clean, scrub

# the trigger's words in every case, cut and joined with other text; some non-ASCII letters that
# case-fold onto ASCII ones (the Kelvin sign, the long s, the dotted capital I)
pieces = st.one_of(st.sampled_from(_TRIGGER_WORDS).map(lambda w: w[: len(w) // 2 + 1]),
                   st.sampled_from(_TRIGGER_WORDS), st.text(max_size=6),
                   st.sampled_from(["\u212a", "\u017f", "\u0130", "PASS", "Snmp", "K", ":/", "/", " "]))


@settings(max_examples=3000, deadline=None)
@given(st.lists(pieces, max_size=6).map("".join), st.booleans())
def test_the_plain_search_answers_as_the_expression(text, upper):
    t = text.upper() if upper else text
    assert _may_hold_secret(t) == (_TRIGGER.search(t) is not None)


def test_examples():
    assert _may_hold_secret("set PassWord x") and _may_hold_secret("snmp-server host 1.2.3.4 public")
    assert not _may_hold_secret("access-list OUT permit tcp any any eq 443")
    assert _may_hold_secret("\u212aEY x") == (_TRIGGER.search("\u212aEY x") is not None)


# JSON-like values: strings (some with secrets), numbers, booleans, None, nested lists, tuples and dicts
values = st.recursive(st.one_of(st.none(), st.integers(), st.booleans(), st.floats(allow_nan=False),
                                st.lists(pieces, max_size=4).map("".join),
                                st.sampled_from(["snmp-server community s3cret RO", "password 7 0822455D0A16",
                                                 "tcp 10.1.0.5:49152 -> 10.2.0.10:445"])),
                      lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                                              st.dictionaries(st.text(max_size=3), inner, max_size=3)),
                      max_leaves=12)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.lists(pieces, max_size=4).map("".join), max_size=5))
def test_a_block_of_texts_hides_no_trigger(texts):
    """``is_clean`` asks blocks of texts joined by newlines: a block must be found whenever one of its
    texts would be (finding one where none is only costs the text-by-text check)."""
    if any(_may_hold_secret(t) for t in texts):
        assert _may_hold_secret("\n".join(texts))


def test_blocks_find_the_one_text_to_redact():
    texts = ["tcp 10.1.0.5:49152 -> 10.2.0.10:445"] * 300 + ["snmp-server community s3cret RO"] + ["api", "<x>"]
    assert not _blocks_clean(texts) and not _blocks_clean(texts[::-1], size=7)
    assert _blocks_clean(texts[:300] + ["api", "<x>"], size=2)  # (a block of both words, each text clean)


def _plain(o):
    """``o`` as JSON sees it (tuples are arrays)."""
    if isinstance(o, dict):
        return {k: _plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_plain(v) for v in o]
    return o


@settings(max_examples=300, deadline=None)
@given(values)
def test_a_report_is_clean_exactly_when_scrubbing_changes_nothing(obj):
    """The machine formats skip rebuilding a report that ``is_clean`` passes: it must pass only
    those whose scrubbed form is the same JSON."""
    assert is_clean(obj) == (scrub(obj) == _plain(obj))


# ``_line`` returns a text with a trigger word but none of the characters every secret form needs
# beside its word (a blank, "=", ":", "<", '"') at once: no form's expression can match it
from auditor.core import secrets as S  # noqa: E402

_FORMS = (S._URL, S._PAIR, S._PAIR_REV, S._JSON, S._JSON_KEYWORD, S._JSON_ESCAPED, S._XML, S._KV, S._SNMP_HOST)
near = st.one_of(pieces, st.sampled_from(["-", "_", ".", "/", "\\", "'", ">", "@", "=", ":", "<", '"', "\t", "\u00a0",
                                          "\u2003", "x-api-key", "db_password", "snmp-server", "host", "7", "ENC"]))


@settings(max_examples=3000, deadline=None)
@given(st.lists(near, max_size=8).map("".join))
def test_a_text_it_passes_by_matches_no_secret_form(text):
    if S._unchanged(text):
        assert not any(rx.search(text) for rx in _FORMS), text
        assert S._line(text) == text


def test_single_words_are_passed_by():
    assert S._unchanged("redundant-upward") and S._unchanged("shadowed")
    assert not S._unchanged("password=x") and not S._unchanged("key\u00a0x")
    assert scrub({"kind": "redundant-upward"}) == {"kind": "redundant-upward"}
    assert scrub({"kind": "password:x"}) == {"kind": "password:" + S.MASK}
