"""Advice the reports give beside the findings: how to tell the audit where the roles are."""

from __future__ import annotations

import shlex


def nothing_checked(result) -> bool:
    """No required flow was checked because the site lacks roles."""
    return not result.flows and bool(result.unchecked)


def no_roles(result) -> bool:
    """The site defines none of the roles the policy's flows need (each unchecked flow misses both)."""
    return nothing_checked(result) and all(len(missing) == 2 for _k, _why, missing in result.unchecked)


def suggested_command(result) -> tuple[str, bool]:
    """An audit command line with ``--role`` flags guessed from the config's names
    (``auditor.init``), and whether any guess was found (else example addresses)."""
    from auditor.init import role_flags, suggest

    guesses = suggest(result.configs)
    flags = role_flags(guesses, result.policy) or ["--role primary=10.20.0.10", "--role workshop=10.30.0.0/24"]
    paths = ["-" if c.path == "<stdin>" else shlex.quote(c.path) for c in result.configs]
    return "prinergy-audit audit %s %s" % (" ".join(paths), " ".join(flags)), bool(guesses)


def roles_hint(result) -> list[str]:
    """One short paragraph (and a command line) for an audit without roles; [] otherwise."""
    if not nothing_checked(result):
        return []
    from auditor.policy import load_pack

    cmd, guessed = suggested_command(result)
    roles = ", ".join(load_pack(result.policy).roles())
    first = result.configs[0].path if result.configs else "CONFIG"
    first = "CONFIG" if first == "<stdin>" else shlex.quote(first)
    import textwrap

    text = ("%s, so no required flow was checked. Say where Prinergy's servers and clients are with "
            "--role NAME=ADDR[,ADDR] (roles: %s), or with a site file: 'prinergy-audit init %s > site.yaml' "
            "proposes one from the names in the config. %s:"
            % ("No roles are defined" if no_roles(result) else "The roles given make up no required flow",
               roles, first, "Guessed from this config's names (check them)" if guessed
               else "For example (with your addresses)"))
    return textwrap.wrap(text, 100, break_on_hyphens=False, break_long_words=False) + ["  %s" % cmd]
