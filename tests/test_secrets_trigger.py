"""``redact`` decides whether a text may hold a secret with a plain search of the trigger's words in the
lower-cased text (every output string passes there): it must answer as the trigger's case-insensitive
expression does, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.core.secrets import _TRIGGER, _TRIGGER_WORDS, _may_hold_secret

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
