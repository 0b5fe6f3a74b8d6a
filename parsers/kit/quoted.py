"""The words a config's diagnostics quote, hidden where the input shows them to be secrets."""

from __future__ import annotations

import re

_QUOTED = re.compile(r"'([^'\s]{3,})'")


def hide_quoted(cfg, text: str):
    """``cfg`` with every word its diagnostics quote (``'X'``) or are scoped to hidden where a line of
    ``text`` that holds it hides it: a message may name a word of another line than its own (a
    service's bad port range reported at the policy using it, the object a line is inside), and only
    that line shows the keyword that makes the word a secret.  Only the lines that may hold a secret are read, and
    of those only the ones holding a quoted word (found first when the words are few: ``lines_to_redact_holding``)
    are redacted."""
    from dataclasses import replace

    from auditor.core.secrets import hidden_words, hide_words, lines_to_redact_holding, redact, words_of

    words = {w for d in cfg.diagnostics if "'" in d.message for w in _QUOTED.findall(d.message)}
    # (a scope is a filter's name, from the input, or the model's own word "timeouts")
    words.update(w for d in cfg.diagnostics if d.scope and d.scope != "timeouts" for w in words_of(d.scope)
                 if len(w) > 2)
    if not words:
        return cfg
    raw = None
    secret: set[str] = set()
    for i in lines_to_redact_holding(text, words):
        if raw is None:
            raw = text.splitlines()
        if i >= len(raw):
            continue
        line = raw[i].rstrip()
        if words.isdisjoint(words_of(line)):
            continue
        secret.update(w for w in hidden_words(line, redact(line)) if w in words)
    if not secret:
        return cfg
    order = sorted(secret, key=len, reverse=True)
    return replace(cfg, diagnostics=tuple(
        replace(d, message=hide_words(d.message, order), scope=hide_words(d.scope, order) if d.scope else d.scope)
        for d in cfg.diagnostics))
