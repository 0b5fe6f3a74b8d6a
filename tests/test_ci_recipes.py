"""The CI recipes in examples/ci and .pre-commit-hooks.yaml: valid YAML, and every command they run works."""

import json
import os
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES, FIXTURES, ROOT
from test_formats import cli

CI = EXAMPLES / "ci"
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())


def commands(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip().startswith("prinergy-audit ")]


def expand(cmd: str, env: dict) -> list[str]:
    cmd = cmd.replace("$GITHUB_BASE_REF", "main")  # (set by the runner on a pull request)
    for k, v in env.items():
        cmd = cmd.replace("${%s}" % k, v).replace("$%s" % k, v)
    return shlex.split(cmd)[1:]  # drop the program name


def _git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    p = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env)
    assert p.returncode == 0, p.stderr.decode(errors="replace")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A firewall repository: the example config on origin/main, the changed config in the work tree."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    fw = tmp_path / "firewalls"
    fw.mkdir()
    shutil.copy(EXAMPLES / "change" / "before.cfg", fw / "prepress-fw.cfg")
    shutil.copy(EXAMPLES / "change" / "site.yaml", fw / "site.yaml")
    (tmp_path / ".prinergy-audit.toml").write_text("# the recipes pass --site; nothing else set here\n")
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    _git(tmp_path, "update-ref", "refs/remotes/origin/main", "HEAD")
    shutil.copy(EXAMPLES / "change" / "after.cfg", fw / "prepress-fw.cfg")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_all(cmds: list[str], env: dict) -> list[int]:
    codes = []
    for c in cmds:
        args = expand(c, env)
        code, out, err = cli(*args)
        assert code in (0, 1), "%s -> exit %d: %s" % (c, code, err)
        codes.append(code)
    return codes


def _github_expr(text: str, event: str) -> str:
    """The value of a step's ``${{ github.event_name == 'E' && 'A' || 'B' }}`` for ``event``."""
    m = re.fullmatch(r"\$\{\{\s*github\.event_name == '(\w+)' && '([^']*)' \|\| '([^']*)'\s*\}\}", text.strip())
    assert m, text
    return m.group(2) if event == m.group(1) else m.group(3)


def _runs_after_failure(step: dict, event: str) -> bool:
    """Whether a step with this ``if`` runs, for ``event``, after an earlier step failed."""
    cond = str(step.get("if", "success()")).strip()
    cond = re.sub(r"^\$\{\{\s*(.*?)\s*\}\}$", r"\1", cond)
    if not re.search(r"always\(\)|!cancelled\(\)|failure\(\)", cond):
        return False  # (a condition without a status function implies success())
    return "github.event_name == 'pull_request'" not in cond or event == "pull_request"


def test_github_workflow(repo):
    """On a pull request whose base config already fails the audit, the audit step reports
    (--exit-zero, exit 0), the diff step runs and decides; on a push the audit gates."""
    wf = yaml.safe_load((CI / "github-actions.yml").read_text())
    assert wf["permissions"]["security-events"] == "write"
    steps = wf["jobs"]["audit"]["steps"]
    audit_step = next(s for s in steps if "prinergy-audit audit" in s.get("run", ""))
    diff_step = next(s for s in steps if "prinergy-audit diff" in s.get("run", ""))
    # no ${{ }} expression in a script: GitHub pastes its value into the script before the shell reads it,
    # so a branch name such as 'x$(curl${IFS}...)' would run (docs.github.com/en/actions/reference/security/
    # secure-use, "Use an intermediate environment variable"); steps read values from their environment
    assert not [s["run"] for s in steps if "${{" in s.get("run", "")]
    # the base config (examples/change/before.cfg) has error findings: without --exit-zero it fails
    base_code, _out, _err = cli("audit", "firewalls/prepress-fw.cfg", "--site", "firewalls/site.yaml",
                                "--format", "json", "--output", "base.json")
    assert base_code == 1
    for event, expect in (("pull_request", [0, 1]), ("push", [1])):
        env = dict(wf["env"])
        env.update({k: _github_expr(v, event) for k, v in audit_step.get("env", {}).items()})
        cmds = commands(audit_step["run"])
        if event == "pull_request":
            # the diff step runs whether or not the audit step failed
            assert _runs_after_failure(diff_step, event)
            cmds += commands(diff_step["run"])
        else:
            assert not _runs_after_failure(diff_step, event)
        assert [c.split()[1] for c in cmds] == ["audit", "diff"][:len(expect)]
        assert run_all(cmds, env) == expect, event
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["if"] == "always()"
    sarif = repo / upload[0]["with"]["sarif_file"]
    jsonschema.validate(json.loads(sarif.read_text()), SCHEMA)
    assert (repo / "diff.md").read_text().startswith("## prinergy-audit diff: FAIL")


def test_gitlab_job(repo):
    ci = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "script" in v}
    assert set(jobs) == {"prinergy-audit", "prinergy-audit-diff"}
    for name, job in jobs.items():
        cmds = [c for line in job["script"] for c in commands(line)]
        assert cmds, name
        env = {**ci["variables"], "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
        # on a merge request (the first rule's variables) the audit only reports; elsewhere it fails on errors
        mr = {k: str(v) for k, v in (job.get("rules") or [{}])[0].get("variables", {}).items()}
        codes = run_all(cmds, {**env, **mr})
        report = repo / job["artifacts"]["reports"]["junit"]
        assert ET.fromstring(report.read_text()).tag == "testsuites"
        if name == "prinergy-audit":
            assert codes == [0] and run_all(cmds, {**env, "REPORT_ONLY": ""}) == [1]


def _gitlab_rule(rules: list[dict], variables: dict) -> dict | None:
    """The first of a job's ``rules`` whose ``if`` holds for ``variables`` (None: the job is not added).
    Only the forms the recipe uses: ``$A``, ``$A == "x"``, joined by ``&&``."""
    for rule in rules:
        cond = rule.get("if")
        if cond is None or all(
                variables.get(m.group(1), "") == m.group(2) if m.group(2) is not None else variables.get(m.group(1))
                for m in (re.fullmatch(r'\$(\w+)(?: == "([^"]*)")?', part.strip()) for part in cond.split("&&"))):
            return None if rule.get("when") == "never" else rule
    return None


def test_gitlab_audit_job_runs_once_per_push():
    """A push to a branch with an open merge request starts a branch pipeline and a merge request
    pipeline (GitLab CI/CD, job rules, "Avoid duplicate pipelines"): the audit job without --exit-zero
    ran in the branch one and failed it on the base config's findings, though on a merge request only
    the diff job is to decide.  It runs in the merge request pipeline (reporting) and in branch
    pipelines without a merge request (gating)."""
    ci = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    rules = ci["prinergy-audit"]["rules"]
    mr = _gitlab_rule(rules, {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_IID": "7"})
    assert mr is not None and mr["variables"]["REPORT_ONLY"] == "--exit-zero"
    push = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "feature"}
    assert _gitlab_rule(rules, dict(push, CI_OPEN_MERGE_REQUESTS="group/fw!7")) is None
    alone = _gitlab_rule(rules, dict(push, CI_COMMIT_BRANCH="main"))
    assert alone is not None and "variables" not in alone
    assert _gitlab_rule(ci["prinergy-audit-diff"]["rules"], dict(push, CI_OPEN_MERGE_REQUESTS="group/fw!7")) is None


def test_pre_commit_hook(repo):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    files = re.compile(hook["files"])
    cfg = "firewalls/prepress-fw.cfg"
    assert files.search(cfg) and not files.search("README.md")
    entry = shlex.split(hook["entry"])
    assert entry[0] == "prinergy-audit"
    code, out, err = cli(*entry[1:], cfg, "--site", "firewalls/site.yaml")
    assert code == 1 and "verdict: FAIL" in out
