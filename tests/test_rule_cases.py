"""Every rule ID's cases, as data (``tests/rules/<RULE>.yml``), in the manner of sqlfluff's rule cases.

A case is a config snippet (and its vendor), the site's roles, optionally ``host``, ``waivers``
and ``today``, and the findings of the file's rule it must give: each ``{line, severity,
message}`` (``message`` a part of the text; ``path`` "--role" or "waivers.yaml" when the finding
points outside the config).  A case with ``new_config`` is a change review (``diff`` of ``config``
to ``new_config``, both named fw.cfg): its findings are the diff's ``located`` ones (CHG rules).
``expect: []`` is a case where the rule must stay silent; ``expect_count`` checks the number of
findings when only some are listed.  Every rule ID has at least one case
that fires and one that does not.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from auditor.api import audit, combine_inputs, diff, load_config
from auditor.checks import all_rules
from auditor.policy import load_site

RULES = Path(__file__).parent / "rules"


def _cases():
    for path in sorted(RULES.glob("*.yml")):
        doc = yaml.safe_load(path.read_text())
        for case in doc["cases"]:
            yield pytest.param(doc["rule"], case, id="%s-%s" % (doc["rule"], case["name"]))


def test_every_rule_has_cases_that_fire_and_that_do_not():
    have: dict[str, set[bool]] = {}
    for path in RULES.glob("*.yml"):
        doc = yaml.safe_load(path.read_text())
        assert path.stem == doc["rule"], path
        for case in doc["cases"]:
            have.setdefault(doc["rule"], set()).add(bool(case["expect"]))
    assert set(have) == set(all_rules()), "rules without a case file, or case files of unknown rules"
    assert all(v == {True, False} for v in have.values()), {k: v for k, v in have.items() if v != {True, False}}


@pytest.mark.parametrize("rule,case", list(_cases()))
def test_rule_case(rule, case, tmp_path):
    cfg = load_config("fw.cfg", case["vendor"], text=case["config"])
    site = load_site(None, case.get("roles", []))
    waivers = None
    if "waivers" in case:
        waivers = tmp_path / "waivers.yaml"
        waivers.write_text(case["waivers"])
        waivers = str(waivers)
    today = case.get("today")
    if isinstance(today, str):
        today = date.fromisoformat(today)
    cfgs = combine_inputs([cfg], case.get("host"), site)
    if "new_config" in case:
        new = combine_inputs([load_config("fw.cfg", case["vendor"], text=case["new_config"])], case.get("host"), site)
        found = [f for f in diff(cfgs[0], new[0], site).located if f.rule_id == rule]
    else:
        found = [f for f in audit(cfgs, site, waivers=waivers, today=today).findings if f.rule_id == rule]
    expected = case["expect"]
    if "expect_count" in case:
        assert len(found) == case["expect_count"], [f.message for f in found]
        for want in expected:
            assert any(_matches(f, want) for f in found), (want, [(f.source.line, f.message) for f in found])
        return
    assert len(found) == len(expected), [(f.source.line, f.message) for f in found]
    for f, want in zip(sorted(found, key=lambda f: f.source.line), sorted(expected, key=lambda w: w["line"]),
                       strict=True):
        assert _matches(f, want), ((f.source.line, f.severity, f.source.path, f.message), want)


def _matches(f, want: dict) -> bool:
    path = want.get("path")
    return (f.source.line == want["line"] and f.severity == want["severity"]
            and want.get("message", "") in f.message
            and (path is None and f.source.path == "fw.cfg" or path is not None and f.source.path.endswith(path)))
