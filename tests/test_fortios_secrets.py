"""No password, key, PSK or SNMP community of a FortiOS backup reaches any output.

FortiOS writes secrets as ``set password ENC <base64>``, ``set psksecret ENC ...``, ``set passwd``,
``set auth-pwd``/``priv-pwd`` (SNMP users), ``set api-key``, SNMP community names (``config system snmp
community`` / ``set name``), and multi-line private keys (``set private-key "-----BEGIN ...``).
"""

import subprocess
import sys

from conftest import ROOT

from parsers.fortios import parse
from parsers.fortios.lines import FortiLines

SECRETS = ["SH2Xq9PqSecretAdminHash", "PskV3ryS3cret", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDX",
           "QkFTRTY0a2V5bWF0ZXJpYWw", "Comm-S3cr3t", "ApiK3yValue", "AuthPwdS3cret", "PrivPwdS3cret",
           "LdapB1ndPw", "RadiusSecr3t", "WifiPassphr4se"]

CONF = """#config-version=FG100F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin
config system admin
    edit "admin"
        set password ENC SH2Xq9PqSecretAdminHash
    next
end
config system api-user
    edit "mon"
        set api-key ENC ApiK3yValue
    next
end
config system snmp community
    edit 1
        set name "Comm-S3cr3t"
    next
end
config system snmp user
    edit "nms"
        set auth-pwd ENC AuthPwdS3cret
        set priv-pwd ENC PrivPwdS3cret
    next
end
config user ldap
    edit "dc"
        set password ENC LdapB1ndPw
    next
end
config user radius
    edit "rad"
        set secret ENC RadiusSecr3t
    next
end
config wireless-controller vap
    edit "wifi"
        set passphrase ENC WifiPassphr4se
    next
end
config vpn certificate local
    edit "srv"
        set private-key "-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDX
QkFTRTY0a2V5bWF0ZXJpYWw
-----END ENCRYPTED PRIVATE KEY-----"
    next
end
config vpn ipsec phase1-interface
    edit "tun"
        set psksecret ENC PskV3ryS3cret
    next
end
config system interface
    edit "port1"
        set ip 10.30.0.1 255.255.255.0
    next
    edit "port2"
        set ip 10.20.0.1 255.255.255.0
    next
end
config firewall policy
    edit 1
        set srcintf "port1"
        set dstintf "port2"
        set srcaddr "all"
        set dstaddr "all"
        set action accept
        set schedule "always"
        set service "ALL"
    next
end
"""


def test_the_config_holds_the_secrets():
    assert all(s in CONF for s in SECRETS)


def test_no_source_of_any_line_holds_a_secret():
    # (a bare FortiLines knows the single-line forms and what context alone shows, a private key's body
    # and an SNMP block's values: ``auditor.core.secrets.context_lines``; the parser adds quoted values
    # over several lines)
    lines = FortiLines(CONF, "fw.conf")
    texts = [lines.source(i).text for i in range(len(lines))]
    assert [s for s in SECRETS if any(s in t for t in texts)] == []
    assert "        set name <redacted>" in texts and "<redacted>" in texts
    parsed = parse(CONF, "fw.conf")
    texts = [parsed.aux["lines"].source(i).text for i in range(len(parsed.aux["lines"]))]
    assert not [t for t in texts if any(s in t for s in SECRETS)]


def _run(tmp_path, text):
    cfg = tmp_path / "fw.conf"
    cfg.write_text(text)
    outs = []
    for args in (["audit", str(cfg), "--role", "workshop=10.30.0.0/24", "--role", "primary=10.20.0.10",
                  "--format", "json"],
                 ["audit", str(cfg), "--role", "workshop=10.30.0.0/24", "--format", "sarif"],
                 ["audit", str(cfg), "--role", "workshop=10.30.0.0/24"],
                 ["explain", str(cfg), "--src", "10.30.0.5", "--dst", "10.20.0.10", "--proto", "tcp", "--dport", "445",
                  "--format", "json"]):
        p = subprocess.run([sys.executable, "-m", "auditor.cli", *args], capture_output=True, cwd=ROOT)
        outs.append(p.stdout.decode() + p.stderr.decode())
    return outs


def test_no_output_holds_a_secret(tmp_path):
    outs = _run(tmp_path, CONF)
    assert all(outs)
    for out in outs:
        assert not [s for s in SECRETS if s in out]


def test_no_output_holds_a_secret_when_every_line_is_garbled(tmp_path):
    # every line not understood, so every line is quoted in a CFG300 finding
    garbled = "\n".join(("zzz " + line) if line.strip() and not line.startswith(("config", "end")) else line
                        for line in CONF.splitlines())
    outs = _run(tmp_path, garbled)
    assert "CFG300" in outs[0]
    for out in outs:
        assert not [s for s in SECRETS if s in out]


def test_numeric_lines_need_no_redaction():
    # (FortiLines.source quotes an 'edit ID' and a 'set subnet|start-ip|end-ip' of digits and dots as written,
    # without the shared redaction: it returns them unchanged, none of its trigger words being in them)
    from auditor.core.secrets import _may_hold_secret, redact
    from parsers.fortios.lines import _UNTRIGGERED, _numeric

    for word in _UNTRIGGERED:
        for value in ("0", "12345", "10.49.32.0 255.255.255.0", "203.0.113.2"):
            for line in ("set %s %s" % (word, value), "    edit %s" % value if word == "edit" else "    set %s %s"
                         % (word, value)):
                assert _numeric(value) and not _may_hold_secret(line) and redact(line) == line
    assert not _numeric("1.2.3.4/24") and not _numeric("１２") and not _numeric("") and not _numeric("1\t2")
    lines = FortiLines("config firewall address\n    edit \"a\"\n        set subnet 10.0.0.0 255.0.0.0\n    next\nend\n"
                       "config firewall policy\n    edit 7\n    next\nend\n", "fw.conf")
    assert lines.source(2).text == "        set subnet 10.0.0.0 255.0.0.0" and lines.source(6).text == "    edit 7"
