"""Linux rulesets written by other tools (ufw, firewalld, Docker, kube-proxy, fail2ban,
iptables-nft), each shape checked against the netfilter documentation cited in its test."""

from __future__ import annotations

from auditor.api import audit, combine_inputs, decision_json, make_packet
from auditor.core.model import Impact
from auditor.policy import load_site
from parsers.linux import iptables, nftables

SITE = ["workshop=10.0.0.0/24", "primary=10.0.1.10"]


def ipt(text: str):
    return iptables.parse(text.strip("\n") + "\n", "fw.rules")


def nft(text: str):
    return nftables.parse(text.strip("\n") + "\n", "ruleset.nft")


def verdict(cfg, host: str | None = "primary") -> str:
    site = load_site(None, SITE)
    return audit(combine_inputs([cfg], host, site), site).verdict


def decide(cfg, src: str, dst: str, dport: int, filt: str, proto: str = "tcp") -> tuple:
    out = decision_json(cfg, make_packet(src, dst, proto, 49152, dport), filt)
    return out["decision"], out.get("line")


# --- nft listing an iptables-nft rule whose extension it cannot translate ------------------
# nft built with xtables support (Debian's and Ubuntu's nft) prints such a match or target as
# '#' and the extension's own print, then the rest of the rule on the same line (nftables
# src/xt.c, xt_stmt_xlate); a real `nft list ruleset` of `iptables -m recent` rules shows
#   iifname "ens33" meta l4proto tcp tcp dport 22 ct state new # recent: UPDATE seconds: 60
#   hit_count: 4 name: DEFAULT side: source mask: 255.255.255.255 counter packets 0 bytes 0 jump LOGDROP
# iptables-extensions(8), "recent": --update matches the sources seen --hitcount times in
# --seconds: a property of the traffic's history, not of the packet.

RECENT = "recent: %s name: DEFAULT side: source mask: 255.255.255.255 counter packets 0 bytes 0"
XT_RECENT = """
table ip filter {
	chain INPUT {
		type filter hook input priority filter; policy drop;
		iifname "lo" counter packets 0 bytes 0 accept
		ct state related,established counter packets 0 bytes 0 accept
		ip saddr 10.0.0.0/24 meta l4proto tcp tcp dport 445 ct state new # %s jump LOGDROP
		ip saddr 10.0.0.0/24 meta l4proto tcp tcp dport 445 ct state new # %s
		ip saddr 10.0.0.0/24 meta l4proto tcp tcp dport 445 counter packets 0 bytes 0 accept
	}

	chain LOGDROP {
		limit rate 3/minute burst 5 packets counter packets 0 bytes 0 log prefix "drop "
		counter packets 0 bytes 0 drop
	}
}
""" % (RECENT % "UPDATE seconds: 30 hit_count: 6", RECENT % "SET")


def test_untranslated_match_keeps_the_rest_of_its_rule():
    # Read as a comment, line 6 lost its 'jump LOGDROP' and SMB from the workshop passed.
    cfg = nft(XT_RECENT)
    assert decide(cfg, "10.0.0.5", "10.0.1.10", 445, "ip/filter/INPUT") == ("unknown", 13)
    assert [(x.source.line, x.impact) for x in cfg.unrecognized] == [(6, Impact.FILTER)]
    assert "recent: UPDATE" in cfg.unrecognized[0].message
    # the '--set' rule (line 7) has no verdict: it decides nothing and is not reported
    assert decide(cfg, "10.0.0.5", "10.0.1.10", 80, "ip/filter/INPUT")[0] == "deny"
    assert verdict(cfg) != "pass"


def test_untranslated_match_on_a_line_of_its_own_and_a_target():
    # nft prints the first match's text first when the rule starts with it (the same real dump:
    # '# PHYSDEV match --physdev-is-bridged counter packets 0 bytes 0 accept' in FORWARD); a
    # target's print follows the counter and is the rule's verdict, not known.  A comment that
    # follows a verdict, or on a line without a listed counter, stays a comment.
    cfg = nft("""
table ip filter {
	chain FORWARD {
		type filter hook forward priority 0; policy accept;
		# PHYSDEV match --physdev-is-bridged counter packets 0 bytes 0 drop
		ip saddr 10.0.0.0/24 counter packets 0 bytes 0 accept
	}
	chain INPUT {
		type filter hook input priority 0; policy drop;
		# accept smb from the workshop
		ip saddr 10.0.0.0/24 tcp dport 445 accept # smb counter
		tcp dport 22 # recent: SET name: DEFAULT side: source mask: 255.255.255.255 counter packets 0 bytes 0 # handle 7
		tcp dport 80 counter packets 3 bytes 180 # TARPIT
	}
}
""")
    assert decide(cfg, "10.0.0.5", "10.9.0.1", 445, "ip/filter/FORWARD") == ("unknown", 4)
    assert decide(cfg, "10.0.0.5", "10.0.1.10", 445, "ip/filter/INPUT") == ("permit", 10)
    assert decide(cfg, "10.0.0.5", "10.0.1.10", 22, "ip/filter/INPUT") == ("deny", 8)
    assert decide(cfg, "10.0.0.5", "10.0.1.10", 80, "ip/filter/INPUT") == ("unknown", 12)
    assert sorted(x.source.line for x in cfg.unrecognized) == [4, 12]
