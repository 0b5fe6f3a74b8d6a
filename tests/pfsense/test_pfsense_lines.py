"""pfSense's ``XmlLines`` redacts each quoted line on its own: the same Sources as the kit's ``Lines``
(which first finds the lines that may hold a secret in the whole text), without that search."""

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.kit import Lines
from parsers.pfsense.common import XmlLines

WORDS = ["<password>", "x</password>", "ftp://u:p@h", "Bearer", "<type>pass</type>", "key", "community", "psk",
         "SHA256", "token", "pаss", "ſecret", "<descr>", "10.0.0.1", "any", "=", ":", " ", "\t"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=8).map(" ".join), max_size=12),
       st.sampled_from(["\n", "\r\n", "\r"]), st.lists(st.integers(-2, 14), max_size=4))
def test_each_line_is_quoted_as_the_kit_quotes_it(lines, sep, masked):
    text = sep.join(lines)
    kit, mine = Lines(text, "c.xml"), XmlLines(text, "c.xml")
    kit.mask(masked)
    mine.mask(masked)
    for i in range(-1, len(kit.raw) + 2):
        assert mine.source(i) == kit.source(i)
    assert mine.head() == kit.head()


def test_the_whole_text_is_not_searched_for_secret_lines():
    src = XmlLines("<a>\n<password>s3cret</password>\n</a>\n", "c.xml")
    assert "s3cret" not in src.source(1).text
    assert "_secret" not in vars(src)
