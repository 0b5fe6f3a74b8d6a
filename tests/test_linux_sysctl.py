"""parsers.linux_sysctl: sysctl output as an auxiliary input to the Linux firewall parsers."""

from __future__ import annotations

import pytest

from auditor.api import audit, combine_inputs, load_config
from auditor.core.model import Impact
from auditor.policy import load_site
from parsers import InputError
from parsers.linux import iptables, nftables
from parsers.linux import sysctl as linux_sysctl

SYSCTL_A = """\
kernel.hostname = prinergy-fw
net.core.somaxconn = 4096
net.ipv4.ip_forward = 1
net.netfilter.nf_conntrack_max = 262144
net.netfilter.nf_conntrack_tcp_timeout_close_wait = 60
net.netfilter.nf_conntrack_tcp_timeout_established = 3600
net.netfilter.nf_conntrack_tcp_timeout_time_wait = 120
sysctl: permission denied on key 'fs.protected_hardlinks'
"""

IPT = """*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -j ACCEPT
COMMIT
"""

NFT = """table inet filter {
    chain input {
        type filter hook input priority 0; policy accept;
    }
}
"""

SITE = ["workshop=10.1.0.0/24", "primary=10.2.0.10"]


def test_detect():
    assert linux_sysctl.detect(SYSCTL_A) >= 80
    assert linux_sysctl.detect("net.netfilter.nf_conntrack_tcp_timeout_established = 432000\n") >= 80
    assert linux_sysctl.detect(IPT) == 0
    assert linux_sysctl.detect(NFT) == 0
    assert iptables.detect(SYSCTL_A) == 0 and nftables.detect(SYSCTL_A) == 0
    assert linux_sysctl.detect("just some words\nand more\n") == 0


def test_parse_reads_the_timeout_and_ignores_the_rest():
    cfg = linux_sysctl.parse(SYSCTL_A, "sysctl.txt")
    [t] = cfg.timeouts
    assert t.idle_seconds == 3600 and t.default and t.source.line == 6
    assert cfg.paths == () and not cfg.diagnostics
    assert cfg.ignored_lines == 6
    assert cfg.aux.forwarding[4][0] is True


def test_every_line_is_accounted_for():
    cfg, lines = linux_sysctl.read(SYSCTL_A + "# a comment\n\nwhat is this\n", "s")
    assert lines.unaccounted() == []
    assert cfg.ignored_lines == 7 and [d.source.line for d in cfg.diagnostics] == [11]


def test_bad_lines():
    cfg = linux_sysctl.parse("net.netfilter.nf_conntrack_tcp_timeout_established = soon\nwhat is this\n", "s")
    assert [x.impact for x in cfg.diagnostics] == [Impact.FILTER, Impact.NONE]
    assert cfg.diagnostics[0].scope == "timeouts"
    assert cfg.timeouts == ()


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_combine_replaces_the_default_timeout_and_drops_itself(tmp_path):
    s = load_config(write(tmp_path, "sysctl.txt", SYSCTL_A))
    i = load_config(write(tmp_path, "fw.rules", IPT))
    n = load_config(write(tmp_path, "ruleset.nft", NFT))
    assert (s.vendor, i.vendor, n.vendor) == ("linux-sysctl", "iptables", "nftables")
    out = combine_inputs([i, s, n])
    assert [c.vendor for c in out] == ["iptables", "nftables"]
    for c in out:
        [t] = [t for t in c.timeouts if t.default]
        assert t.idle_seconds == 3600 and t.source.path.endswith("sysctl.txt") and t.source.line == 6


def test_sysctl_alone_stays_and_decides_nothing(tmp_path):
    s = load_config(write(tmp_path, "sysctl.txt", SYSCTL_A))
    out = combine_inputs([s])
    assert out == [s]
    res = audit(out, load_site(None, SITE))
    assert not [f for f in res.findings if f.rule_id in ("PRN100", "PRN120")]


def test_ip_forward_adds_or_removes_the_transit_path():
    i = iptables.parse(IPT, "fw")
    assert [p.local for p in i.paths] == ["in", "out"]  # FORWARD ACCEPT, no rule: left out
    on = combine_inputs([i, linux_sysctl.parse(SYSCTL_A, "s")])[0]
    assert sorted(str(p.local) for p in on.paths) == ["None", "in", "out"]
    fwd = iptables.parse(IPT.replace(":FORWARD ACCEPT", ":FORWARD DROP"), "fw")
    off = combine_inputs([fwd, linux_sysctl.parse("net.ipv4.ip_forward = 0\n", "s")])[0]
    assert sorted(str(p.local) for p in off.paths) == ["in", "out"]


def test_idle_check_quotes_the_sysctl_line():
    site = load_site(None, SITE)
    fw = iptables.parse(IPT, "fw")
    assert not [f for f in audit([fw], site).findings if f.rule_id == "PRN120"]  # 432000 s default passes
    cfgs = combine_inputs([fw, linux_sysctl.parse(SYSCTL_A, "sysctl.txt")])
    [f] = [f for f in audit(cfgs, site).findings if f.rule_id == "PRN120"]
    assert f.status == "fail" and f.source.path == "sysctl.txt" and f.source.line == 6


def test_garbage_input_is_not_detected(tmp_path):
    with pytest.raises(InputError):
        load_config(write(tmp_path, "junk", "== = ==\n:::\n"))
