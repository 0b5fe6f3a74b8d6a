"""Keep secrets out of every output.

``redact`` is the one redaction function.  It is applied where text is taken from an input
(every ``Source``, every diagnostic) and again where text leaves the program (findings, the
JSON of every machine format, error messages on stderr), so passwords, keys, tokens and SNMP
communities never reach a report, a log or an error message, whatever form they are written
in:

* a secret word and its value: ``password X``, ``password=X``, ``password: X``,
  ``PASSWORD:"X"``, ``db_password = X``, ``api_key=X``, ``x-api-key: X``, ``token=X``,
  ``community=X``, ``psk=X``, ``set psksecret ENC X``, ``key-string 7 X`` (everything after
  the word goes: a value may be several tokens, and over-redacting is safe); ``pw``/``pwd`` are
  password too (``the pw is X``, ``set auth-pwd ENC X``, ``<ldap_bindpw>X</ldap_bindpw>``), and so are the words
  of the languages a remark is written in at Prinergy's sites (``Passwort``/``Kennwort``, ``wachtwoord``,
  ``contraseña``, ``senha``, ``mot de passe``); ``pass`` before ``=`` or ``:`` (``remark backup pass=X``; not
  pf's ``pass in ...``, whose action it is, nor a comment's ``bypass:``); ``hash`` too, but not an ipset's set type
  (``create S hash:net family inet ...``, ``ipset -N S nethash``: the rest of the line is read on); a PHP array's
  key (``'password' => 'X'``); an HTTP ``Authorization: Basic X`` header (an iptables string match, a comment) too;
* a machine's user data (``user_data = X``, ``"UserData": "X"``, an Azure VM's ``"customData": "X"``: EC2 runs
  it at boot, and it is base64 that no word inside shows the secrets of);
* a JSON member whose name says it is secret: ``"Password": "X"``, ``"apiToken": "X"``, ``"sql_pw": "X"`` (a
  string the line ends in, as a file cut short leaves it: ``"password": "X``);
* a JSON pair whose *sibling* names a secret, as cloud tags are written:
  ``{"Key": "db_password", "Value": "X"}`` (either order; on one line, minified or not);
* credentials in a URL: ``ftp://user:X@host``, and its query string (``https://host/list?license=X``,
  an Azure SAS's ``&sig=X``: any parameter may carry a key);
* a webhook's URL, whose path is its key (``https://hooks.slack.com/services/T/B/X``, a Discord
  ``/api/webhooks/ID/X``, a FortiOS automation action's ``set uri "hooks.slack.com/services/..."`` without a
  scheme): what follows the host or path segment naming a hook; a Telegram bot's ``/botID:X``;
* SNMP host lines, whose community is a bare token (``snmp-server host IP [version] X``), wherever
  the words stand in the line (``no snmp-server host ...``, an unknown line quoted whole);
* an XML element whose tag names a secret anywhere in it (``secret_tag``: ``<authorizedkeys>``,
  ``<ldap_bindpw>``, ``<tls>``, ``<trapstring>``, PAN-OS's ``<phash>``), its text in a CDATA section too;
* a Junos trap group's name (Junos sends it as the community of the group's SNMP traps), and a value Junos
  marks ``## SECRET-DATA`` (``ascii-text "$9$X"; ## SECRET-DATA`` inside a ``pre-shared-key {`` block);
* schtasks's ``/rp X`` and ``/p X``, PsExec's ``-p X``;
* PowerShell's ``ConvertTo-SecureString 'X' -AsPlainText``, netsh's ``-p X`` (a remote password), ``net use
  \\\\srv\\share X`` and ``net user NAME X`` (wherever the password stands among the options), curl's
  ``-u USER:X``, sshpass's ``-p X`` and Check Point mgmt_cli's ``-p X`` / ``--session-id X``;
* an ASA AAA server's key on its host line (``aaa-server T (inside) host IP X``);
* OSPFv3's IPsec keys (IOS ``ipv6 ospf encryption ipsec spi N esp aes-cbc 128 X sha1 X``), the first of
  which no word names.

Some secrets only their context shows (``context_lines``): a private key's PEM body, every value
of a FortiOS ``config system snmp ...`` block (a community's ``set name`` is the community).  These
rules are every vendor's, applied to every input: a text read as one vendor may quote another's
lines (a paste mixing two configs), and only a rule that does not depend on the vendor hides them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MASK = "<redacted>"

# words that name a secret, alone or inside an identifier (db_password, x-api-key, psksecret)
_WORD = (r"pass(?:wor[dt]|wd|-?phrase|code)|kennwort|wachtwoord|contrase[ñn]a|senha|mot[ -]de[ -]passe|[_-]pass|"
         r"(?:old|new)pass|secret|pre-?shared-?key|key-?string|auth-?string|"
         r"authentication(?:-key)?|auth-?key|private-?key|api-?key|apikey|access-?key|token|bearer|credentials?|community(?:-name|-string)?|psk|md5|"
         r"sha\d*|key|hash|pwd?|authorization(?=\s*[=:])|(?<!by)pass(?=\s*[=:])|(?:user|custom)-?_?data(?:[_-]base64)?")
# (a PHP array's key is the word quoted or in brackets: ``'password' => 'X'`` (var_export), ``[password] => X``
# (print_r), ``["password"]=> string(1) "X"`` (var_dump), ``$config['system']['user'][0]['password'] = 'X'``, and a
# serialized array's ``s:8:"password";s:1:"X";`` (serialize): as pfSense's and OPNsense's shells, status pages and
# packages show their config.xml's arrays)
# the word alone, or ending an identifier (db_password, x-api-key, psksecret; not hashlimit, shared), or
# before a number or a side's name (FortiOS's password2..5, a WEP key1..4, psksecret-remote, auth-pwd-alt;
# IOS's ``snmp mib community-map COMMUNITY context C``), or an IS-IS level's or hellos' (FortiOS ``config router
# isis``: ``set auth-password-l1``, ``auth-password-l2``; its ``config isis-interface``: ``auth-password-hello``;
# FortiOS CLI reference, "config router isis"), or before ``-hashed`` (Check Point Gaia's
# ``add snmp usm user U ... auth-pass-phrase-hashed X privacy-pass-phrase-hashed X``, as ``show configuration``
# writes an SNMPv3 user's keys); the word in double quotes before a quoted value too, as FortiOS's
# ``diagnose debug config-error-log read`` writes a statement it refused (``>>>  "set" "password" "ENC" "X"``:
# Fortinet Community, "Technical Tip: How to restore a backup configuration file with private-data-encryption")
_KV = re.compile(
    r"(?i)(?P<kw>(?<![\w-])[\w-]*?(?:%s)(?:\d+|-(?:remote|local|alt|map|hashed|l\d|hello))?)"
    r"(?P<sep>['\"\]]+\s*(?:=>?|;s:\d+:)\s*|\s*[=:]\s*|\s+|\"\s+(?=\"))(?P<val>\S.*)$"
    % _WORD)
# FortiOS shows every password and private key it stores encrypted, after ``ENC`` ("Passwords, as well as the private
# keys used in certificates, are encrypted ... and encoded when displayed in the CLI and configuration file",
# FortiManager/FortiAnalyzer "Secure password storage"; ``set password ENC X``): whatever the setting's name (one
# no secret word names, a release's new one), what follows ``ENC`` is hidden (in the config-error-log's form, each
# word in double quotes, a setting no secret word names is not seen: the trigger's words are plain literals)
_FORTI_ENC = re.compile(r"""((?<![\w-])(?:"set"|set)\s+(?:"[\w.-]+"|[\w.-]+)\s+(?:"ENC"|ENC)\s+)(?!%s)\S.*$"""
                        % re.escape(MASK))
# XML elements: <password>X</password>, <bcrypt-hash>X</bcrypt-hash>, <pre-shared-key>X</...>
# (the value may run to the end of the line: a key or certificate over several lines)
_XML = re.compile(r"(?i)(<(?P<tag>[\w:-]*(?:%s))(?:\s[^>]*)?>)[^<]+(</|$)" % _WORD)
_JSON = re.compile(r'(?i)("[\w .-]*(?:password|passwd|passwort|kennwort|wachtwoord|contrase[ñn]a|senha|pwd|pw(?![a-z])|'
                   r'passphrase|passcode|[_ .-]pass(?=")|secret|token|'
                   r'apikey|api_key|api-key|privatekey|private_key|community|psk|credential|(?:auth(?:entication)?|shared|primary|secondary|access|account|private|'
                   r'encryption|signing|master|client|connection)[-_ ]?key|(?:user|custom)[-_ ]?data)[\w .-]*"\s*:\s*)'
                   r'"(?:[^"\\]|\\.)*(?:"|\\?$)')
_JSON_KEYWORD = re.compile(r'(?i)("(?:password|passwd|secret|pre-shared-key|psk|community|token)"\s*:\s*)'
                           r'"(?:[^"\\]|\\.)*(?:"|\\?$)')
_PAIR = re.compile(r'(?i)("(?:key|name)"\s*:\s*"[^"]*(?:pass|secret|token|key|psk|communit|credential|pw(?![a-ce-z]))'
                   r'[^"]*"\s*,\s*"value"\s*:\s*)"(?:[^"\\]|\\.)*"')
_PAIR_REV = re.compile(r'(?i)("value"\s*:\s*)"(?:[^"\\]|\\.)*"(\s*,\s*"(?:key|name)"\s*:\s*"[^"]*'
                       r'(?:pass|secret|token|key|psk|communit|credential|pw(?![a-ce-z]))[^"]*")')
# the same, escaped inside a JSON string (a description holding JSON): {\"password\": \"X\"}
_JSON_ESCAPED = re.compile(r'(?i)(\\"[\w .-]*(?:pass|pwd|secret|token|psk|communit|credential|[\w -]key)[\w .-]*'
                           r'\\"\s*:\s*)\\"(?:[^"\\]|\\[^"])*\\"')
_URL = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+@")
# a URL's query string: its values may be a licence key, a signature, a session or a token under any name
# (a feed URL's ``?license=X``, an Azure SAS ``&sig=X``): all of it is hidden
# (after ``_URL``: the credentials' mask, whose '<' and '>' would end the URL otherwise, is part of it)
_URL_QUERY = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://(?:[^\s?#\"'<>]|%s)*\?)[^\s#\"'<>]+" % re.escape(MASK))
# a webhook's URL: its path after the host or segment naming a hook is the key that posts to it (Slack's
# ``hooks.slack.com/services/T/B/X``, Discord's ``discord.com/api/webhooks/ID/X``, Teams' ``*.webhook.office.com/...``),
# with a scheme or without (FortiOS ``config system automation-action``: ``set uri "hooks.slack.com/services/..."``);
# a Telegram bot's token in its path (Telegram Bot API: ``https://api.telegram.org/bot<token>/METHOD``)
_HOOK_URL = re.compile(r"(?i)((?:\b[a-z][a-z0-9+.-]*://|(?<![^\s\"'=<>(])(?=[\w-]+\.[\w.-]*/))[^\s\"'<>]*?hook[^\s/\"'<>]*/)"
                       r"(?!%s)[^\s\"'<>]+" % re.escape(MASK))
_BOT_TOKEN = re.compile(r"(?i)(/bot\d+:)(?!%s)[^\s/\"'<>]+" % re.escape(MASK))
# SNMP host lines put the community after "community" (ASA: ``snmp-server host IF IP community X``) or bare after
# the host (IOS: ``snmp-server host host-addr [traps | informs] [version {1 | 2c | 3 [auth | noauth | priv]}]
# community-string [udp-port port] [notification-type]``, Cisco, "Configure Supported IOS SNMP Traps"): everything
# after the host is hidden, the interface's name before an ASA's address kept (a first word that is an address is
# IOS's host, after which the community may stand before ``udp-port N`` or a notification type); what ends the
# line after it (a blank left by an editor, the '\r' of a CRLF paste, as a browser sends a form's text) is no
# community
_SNMP_HOST = re.compile(r"(?i)^(.*?(?<![\w-])snmp-server\s+host\s+"
                        r"(?:(?![\d.]+\s)[\w.-]+\s+(?=(?:\d{1,3}\.){3}\d{1,3}(?:\s|$)|"
                        r"[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\s|$)))?\S+)(\s+\S.*?)(\s*)$")

# an ASA AAA server's key written on its host line (Cisco ASA command reference, ``aaa-server host``:
# ``aaa-server server_tag [(interface_name)] host {server_ip | name} [key] [timeout seconds]``; CIS Cisco ASA 9.x
# benchmark 1.4.2.1: ``aaa-server <group> (<interface>) host <ip> <shared_key>``): what follows the address is hidden,
# but a ``timeout N`` alone
_AAA_HOST = re.compile(r"(?i)^(.*?(?<![\w-])aaa-server\s+\S+\s+(?:\(\S*\)\s*)?host\s+\S+)\s+(?!timeout\s+\d+\s*$)"
                       r"(?!%s)\S.*$" % re.escape(MASK))
_TRIGGER = re.compile(r"(?i)pass|kennwort|wachtwoord|contrase|senha|secret|key|communit|psk|md5|sha|snmp|token|"
                      r"authentication|authorization|bearer|credential|hash|pw|auth-string|authstring|aaa-server|/user:|"
                      r"userdata|user_data|user-data|customdata|custom_data|hook|curl|sshpass|://|trap-group|"
                      r"securestring|netsh|net use|exe use|mgmt_cli|schtasks|psexec|encryption|headers|form-data|"
                      r"params|payload|url-format| enc |xfrm|mysql|mariadb|ldap|smbclient|rpcclient|redis-cli|openssl|"
                      r"mongo")
# PowerShell's plain-text secure string (``ConvertTo-SecureString 'X' -AsPlainText -Force``) and netsh's remote
# password (``netsh -r HOST -u USER -p X ...``): what follows them is hidden
_SECURE_STRING = re.compile(r"(?i)(convertto-securestring)\b.*$")
# (its -String also "Accept pipeline input: True (ByValue)": '"X" | ConvertTo-SecureString -AsPlainText', every quoted
# string before the cmdlet on its line is hidden too)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
# (and a word not quoted, 'Write-Output X | ConvertTo-SecureString': the whole command piped in is hidden, back to
# the '=', '(', '|' or prompt's '>' before it)
_PIPED = re.compile(r"(?i)(^|[=(|>]\s*)[^=(|>]*?(\s*\|\s*convertto-securestring\b)")
# a share mapped with its password on the command line, as a script beside netsh rules maps the job volumes
# (Microsoft Learn, Windows Commands, "net use": ``net use [{<DeviceName> | *}] [\\<ComputerName>\<ShareName>
# [{<Password> | *}]] [/user:...] [/savecred] [/persistent:{yes | no}] ...``), and a local account made or reset with
# its password (the same, "net user": ``net user [<UserName> {<Password> | *} [<Options>]] [/domain]``): every
# argument of the command that is not an option (``/...``), the prompt's ``*``, the device (``Z:``, ``LPT1:``, ``*``
# before the share), the share (``\\srv\share``) or the account's name is a password, wherever it stands among the
# options (``net use \\srv\share /user:DOM\u /persistent:no X``), to the end of the command (``&``, ``|``, ``>``)
# (on a line that holds a trigger's word: ``/user:``, ``share`` (its ``sha``), ``/passwordchg``; a line with none,
# ``net user NAME X``, is not looked at: the trigger's words hold no blank, so ``net use`` is none of them)
_NET = re.compile(r"(?i)((?<![\w-])net(?:\.exe)?\s+(use|user)(?![\w-]))((?:%s|[^&|<>])*)" % re.escape(MASK))
_NET_ARG = re.compile(r'("[^"]*"?|\S+)')
_DEVICE = re.compile(r"\w+:|\*")


def _net_args(m: re.Match) -> str:
    """``_NET``'s command with its passwords hidden."""
    use = m.group(2).lower() == "use"
    parts = _NET_ARG.split(m.group(3))  # (blanks, argument, blanks, argument, ...)
    share = named = False
    for k in range(1, len(parts), 2):
        arg = parts[k].strip('"')  # (a share or a device in quotes is one still)
        if arg.startswith(("/", MASK)) or arg == "*":
            continue
        if use and arg.startswith("\\\\"):
            share = True
        elif use and not share and _DEVICE.fullmatch(arg):
            continue
        elif not use and not named:
            named = True
        else:
            parts[k] = MASK
    return m.group(1) + "".join(parts)


# a shell script's credentials on a command line (an ``iptables -A ...`` script that fetches a block list): curl's
# ``-u``/``--user``/``-U``/``--proxy-user USER:PASSWORD`` (curl manual: "-u, --user <user:password>"), sshpass's
# ``-p PASSWORD`` (sshpass manual: "-p password: The password is given on the command line")
_CURL_USER = re.compile(r"(?i)(\bcurl\b.*?(?<!\S)(?:-u|--user|-U|--proxy-user)\s*[\"']?[^\s:\"']*:)(?!%s)[^\s\"']+"
                        % re.escape(MASK))
_SSHPASS = re.compile(r"(?i)(\bsshpass\b.*?(?<!\S)-p\s*)(?!%s)(\"[^\"]*\"|'[^']*'|\S+)" % re.escape(MASK))
_NETSH_PASSWORD = re.compile(r"(?i)(\bnetsh(?:\.exe)?\b.*?\s-p\s+)\S.*$")
# Check Point's mgmt_cli, given its password (``-p X``, ``--password X``) or a session's id (``--session-id X``) on its
# command line (Management API reference, "mgmt_cli tool"), as change requests copied from a script carry it: that
# value is hidden, the command kept (a change's line is quoted in findings)
_MGMT_CLI_SECRET = re.compile(r"(?i)((?<!\S)(?:-p|--password|--session-id)\s+)(?!%s)(\"[^\"]*\"|'[^']*'|\S+)"
                              % re.escape(MASK))
# a scheduled task's or a remote command's password (Microsoft Learn, Windows Commands, "schtasks create": ``/rp
# <password>`` "the password of the user account specified in /ru", ``/p <password>`` of ``/u`` on ``/s`` a remote
# system; Sysinternals PsExec: "-p  Specifies optional password for user name"), as a host's setup script beside
# its netsh rules runs them: that value is hidden, the command kept
_SCHTASKS_PASSWORD = re.compile(r"(?i)(\bschtasks(?:\.exe)?\b.*?(?<!\S)/r?p\s+)(?!%s)(\"[^\"]*\"|\S+)"
                                % re.escape(MASK))
_PSEXEC_PASSWORD = re.compile(r"(?i)(\bpsexec(?:64)?(?:\.exe)?\b.*?(?<!\S)-p\s+)(?!%s)(\"[^\"]*\"|\S+)"
                              % re.escape(MASK))
# OSPFv3's IPsec encryption (Cisco IOS ``ipv6 ospf encryption ipsec spi SPI esp {des|3des|aes-cbc {128|192|256}} [0|7]
# KEY {md5|sha1} [0|7] KEY``, ``ospfv3 encryption ...``, an area's ``area N encryption ...``; IOS IPv6 command
# reference, ``ipv6 ospf encryption``): the encryption key stands before the authentication algorithm that names
# the other key, with no word naming it: everything after ``esp`` is hidden
_ESP_KEYS = re.compile(r"(?i)((?<![\w-])encryption\s+ipsec\s+spi\s+\S+\s+esp\s+)\S.*$")

# Element names whose text is a secret (``secret_tag``: a name containing one of these words, lower
# case): passwords and their hashes, private keys, pre-shared keys, SNMP communities, API keys and
# secrets, OTP seeds (pfSense and OPNsense config.xml, PAN-OS XML), the rule subscriptions' codes of pfSense's
# Snort and Suricata packages (``<snortglobal><oinkmastercode>``, ``<etpro_code>``; ``<suricata><config><oinkcode>``,
# ``<etprocode>``: the key a rules download is made with)...
_TAG_WORDS = ("pass", "secret", "psk", "key", "communit", "hash", "prv", "token", "otp", "seed", "pw", "private",
              "tls", "auth_", "oink", "etpro")
# ... and these whole names: the SNMP trap community, PINs (IPsec PKCS#11, a modem's SIM), the SSH host
# keys pfSense keeps in <sshdata><sshkeyfile><xmldata>, a notification service's API token (<api>)
_TAG_NAMES = frozenset({"trapstring", "pkcs11pin", "simpin", "xmldata", "api", "payload"})
# ... except these, which only look like it (over-redaction is safe, but these are read back in findings)
_NOT_TAGS = frozenset({"bypassstaticroutes", "arpwatch"})
# what a line holding such an element has that the trigger's words may miss (looked for where "<" is)
_TAG_TRIGGERS = ("prv", "otp", "seed", "private", "tls", "auth_", "trapstring", "pin", "xmldata", "api", "oink",
                 "etpro")
# pfSense's and OPNsense's PPPoE server keep their users in one element, ``<pppoe><username>NAME:BASE64(PASSWORD)[:IP]
# ...</username>`` (OPNsense ``vpn_pppoe_edit.php``: ``$usr . ":" . base64_encode($password)``, joined by blanks;
# CDATA or not): a ``<username>`` holding a colon holds passwords.  (A rule's ``<created><username>admin@10.0.0.5
# (Local Database)`` has none: it is looked at only when its line has a colon.)
_USERS = re.compile(r"(?i)(<username(?:\s[^>]*)?>(?:<!\[CDATA\[)?)(?!%s)([^<\]]*:[^<\]]*)" % re.escape(MASK))
_USERS_LINE = re.compile(r"<username(?:\s[^>]*)?>(?:<!\[cdata\[)?[^<\]:\n\r]*:")  # (of the lower-cased text)
_TAG = re.compile(r"(<([\w:.-]+)(?:\s[^>]*)?(?<!/)>)([^<]+)")
# a Junos trap group's name: set snmp trap-group NAME ..., trap-group "NAME" {
# a PAN-OS HTTP server profile's request (Device > Server Profiles > HTTP, Payload Format: "Headers", "Parameters",
# "Payload"; a log collector's token goes in any of them): a header's or parameter's value, the payload, and the URI
# format whole (a Slack webhook's key is its path: "URI Format: /services/T.../B.../X", the server's address
# ``hooks.slack.com`` elsewhere; a collector's token its query string), in the set form (``... format traffic
# headers Authorization value "Splunk X"``, ``... format traffic payload X``) and the hierarchical form's
# ``payload X;`` (its ``value X;`` lines: ``context_lines``); the XML's ``<payload>`` is a secret tag
_HTTP_FIELD = re.compile(r"(?i)((?<![\w-])(?:headers|params)\s+(?:\"[^\"]*\"|\S+)\s+value\s+)(?!%s)\S.*$"
                         % re.escape(MASK))
_PAYLOAD = re.compile(r"(?i)((?:^\s*|(?<![\w-])format\s+\S+\s+)payload\s+)(?!%s)\S.*$" % re.escape(MASK))
_URL_FORMAT = re.compile(r"(?i)((?<![\w-])url-format[\s>\"']+)(?!%s)[^\s<\"';]+" % re.escape(MASK))
# Junos's mark of a secret value: ``show configuration`` writes ``## SECRET-DATA`` after every value it holds secret
# (Junos CLI User Guide, "Display Configuration Data": "the secret data ... is flagged with '## SECRET-DATA'"),
# the statement's keyword none of the secret words on every line of a block: ``pre-shared-key {`` /
# ``ascii-text "$9$X"; ## SECRET-DATA``, an IPsec manual SA's ``key {`` / ``hexadecimal "$9$X"; ## SECRET-DATA``
_SECRET_DATA = re.compile(r'(?i)(?:"(?:[^"\\]|\\.)*"|[^\s";]+)(?<!%s)(\s*;?\s*##\s*SECRET-DATA\b)' % re.escape(MASK))
_TRAP_GROUP = re.compile(r"(?i)((?<![\w-])trap-group\s+)(?!%s)(\"[^\"]*\"|[^\s;{]+)" % re.escape(MASK))


def secret_tag(tag: str) -> bool:
    """Whether an XML element named ``tag`` holds a secret."""
    t = tag.lower()
    return t not in _NOT_TAGS and (t in _TAG_NAMES or any(w in t for w in _TAG_WORDS))


def _may_hold_secret(text: str) -> bool:
    """``_TRIGGER.search(text)``, ten times faster on ASCII text (a case-insensitive regular
    expression of alternatives tries each at every position; substring tests of the lower-cased
    text, for ``_TRIGGER_WORDS`` below, do not).  Other text takes the regular expression (its
    case folding is Unicode's)."""
    if text.isascii():
        low = text.lower()
        for w in _TRIGGER_WORDS:
            if w in low:
                return True
        return "<" in low and (any(w in low for w in _TAG_TRIGGERS) or "username>" in low and ":" in low)
    if _TRIGGER.search(text) is not None:
        return True
    low = text.lower() if "<" in text else ""
    return any(w in low for w in _TAG_TRIGGERS) or "username>" in low and ":" in low


# a command's secrets given as its options, as a firewall script runs them beside its iptables commands (``(trigger
# word, the command, its secret options)``: each option's value after the command is hidden, the option kept):
# * ip-xfrm(8): ``ALGO := { enc | auth } ALGO-NAME ALGO-KEYMAT | auth-trunc ALGO-NAME ALGO-KEYMAT ALGO-TRUNC-LEN |
#   aead ALGO-NAME ALGO-KEYMAT ALGO-ICV-LEN``: an IPsec SA's keys (``ip xfrm state add ... auth 'hmac(sha256)' 0xK``);
# * snmpcmd(1) (net-snmp's snmpwalk, snmpget, snmptrap...): ``-c COMMUNITY``, ``-A PASSPHRASE`` (authentication),
#   ``-X PASSPHRASE`` (privacy), ``-3m``/``-3M``/``-3k``/``-3K``/``-3x``/``-3X`` keys; net-snmp-create-v3-user's
#   ``-A authpass``, ``-X privpass``;
# * mysql(1): ``-p[password]`` ("you cannot have a space between the option and the password"; ``-p NAME`` prompts
#   and NAME is the database);
# * ldapsearch(1) and the other OpenLDAP clients: ``-w passwd``;
# * smbclient(1), rpcclient(1): ``-U [DOMAIN\\]USERNAME[%PASSWORD]``;
# * redis-cli: ``-a <password>``, ``--pass <password>``;
# * openssl-enc(1): ``-k password``, ``-K key`` (the raw key, in hex);
# * mongosh and the MongoDB database tools: ``-p, --password <password>``.
_OPT_VALUE = r"(?!%s)('[^']*'|\"[^\"]*\"|\S+)" % re.escape(MASK)
_SMB_USER = re.compile(r"((?<!\S)(?:-U\s*|--user[= ])['\"]?[^\s%'\"]*%)(?!" + re.escape(MASK) + r")([^\s'\"]+)")
_CMD_SECRETS = (
    ("xfrm", re.compile(r"(?i)(?<![\w-])xfrm\s+state\b"),
     re.compile(r"(?<!\S)((?:enc|auth|auth-trunc|aead)\s+(?:'[^']*'|\"[^\"]*\"|\S+)\s+)" + _OPT_VALUE)),
    ("snmp", re.compile(r"(?i)(?<![\w-])(?:snmp(?:bulk)?(?:walk|get(?:next)?|set|trap|inform|table|delta|df|netstat|"
                        r"status|test|usm|vacm|ps|top)|net-snmp-create-v3-user|net-snmp-config)(?![\w-])"),
     re.compile(r"(?<!\S)(-(?:c|A|X|3[mMkKxX])\s*)" + _OPT_VALUE)),
    ("mysql", re.compile(r"(?i)(?<![\w-])mysql(?:dump|admin|import|show|check)?(?![\w-])"),
     re.compile(r"(?<!\S)(-p)" + _OPT_VALUE)),
    ("mariadb", re.compile(r"(?i)(?<![\w-])mariadb(?:-dump|-admin)?(?![\w-])"),
     re.compile(r"(?<!\S)(-p)" + _OPT_VALUE)),
    ("ldap", re.compile(r"(?i)(?<![\w-])ldap(?:search|modify|add|delete|whoami|passwd|compare|modrdn|exop|url)"
                        r"(?![\w-])"),
     re.compile(r"(?<!\S)(-w\s*)" + _OPT_VALUE)),
    ("smbclient", re.compile(r"(?i)(?<![\w-])smbclient(?![\w-])"),
     _SMB_USER),
    ("rpcclient", re.compile(r"(?i)(?<![\w-])rpcclient(?![\w-])"),
     _SMB_USER),
    ("redis-cli", re.compile(r"(?i)(?<![\w-])redis-cli(?![\w-])"),
     re.compile(r"(?<!\S)(-a\s+|--pass\s+)" + _OPT_VALUE)),
    ("mongo", re.compile(r"(?i)(?<![\w-])mongo(?:sh|dump|restore|export|import|stat|top|files)?(?![\w-])"),
     re.compile(r"(?<!\S)(-p\s*)" + _OPT_VALUE)),
    ("openssl", re.compile(r"(?i)(?<![\w-])openssl(?![\w-])"),
     re.compile(r"(?<!\S)(-[kK]\s+)" + _OPT_VALUE)),
)


# chpasswd(8) reads "user_name:password" pairs from its standard input: the command piped into it is hidden
# (``echo 'admin:X' | chpasswd``), back to the start of the command list it is in
_CHPASSWD = re.compile(r"(?i)(^|[;&(]\s*)(?!%s)[^;&(|]*?(\s*\|\s*(?:sudo\s+)?chpasswd\b)" % re.escape(MASK))


def _cmd_secrets(line: str, low: str) -> str:
    """``line`` with the secret options of each command of ``_CMD_SECRETS`` it runs hidden (each option after the
    command's name, to the line's end: a pipe's or a list's next command may be hidden too, over-redacting is
    safe)."""
    for word, command, options in _CMD_SECRETS:
        if word in low:
            m = command.search(line)
            if m is not None:
                line = line[:m.end()] + options.sub(_keep_head, line[m.end():])
    if "chpasswd" in low:
        line = _CHPASSWD.sub(lambda m: m.group(1) + MASK + m.group(2), line)
    return line


# a command line's secret after the word that names the command, masked with what precedes it kept (``_keep_head``),
# in this order
_AFTER_WORD = (("curl", _CURL_USER), ("sshpass", _SSHPASS),
               ("netsh", _NETSH_PASSWORD), ("encryption", _ESP_KEYS), ("mgmt_cli", _MGMT_CLI_SECRET),
               ("schtasks", _SCHTASKS_PASSWORD), ("psexec", _PSEXEC_PASSWORD))


def _keep_head(m: re.Match) -> str:
    return m.group(1) + MASK


def redact(text: str) -> str:
    """``text`` (one line or several) with every secret value replaced by ``<redacted>``; of several
    lines, those that only their context makes secret too (``context_lines``)."""
    if not text or not _may_hold_secret(text):
        return text
    if "\n" in text:
        lines = text.split("\n")
        context = context_lines(lines, text)
        return "\n".join(context.get(i) or _line(x) for i, x in enumerate(lines))
    return _line(text)


def redact_keeping(text: str, keep) -> str:
    """``redact(text)``, each of ``keep`` (the paths of the files the user named) standing in it as
    ``redact`` shows it alone: the words of a path are not a secret's keyword for what follows them
    (``error: /tmp/ios-bgp-extcommunity: could not recognise ...`` keeps its message), while a path
    written as a secret (``password=X.cfg``), or standing where a secret's value does, is still hidden."""
    if not text or not _may_hold_secret(text):
        return text
    kept = []
    for k in sorted((k for k in keep if k and k in text), key=len, reverse=True):
        if k in text:
            text = text.replace(k, "\0%d\0" % len(kept))
            kept.append(redact(k))
    text = redact(text)
    for i, k in enumerate(kept):
        text = text.replace("\0%d\0" % i, k)
    return text


_KEY_BEGIN = re.compile(r"-----BEGIN [A-Za-z0-9 ]*(?:PRIVATE KEY(?: BLOCK)?|Static key V\d)-----")
_BEGIN = re.compile(r"-----BEGIN[A-Za-z0-9 ]*-*")
_KEY_BEFORE = re.compile(r"(?i)key\W*-----BEGIN")


def key_body_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside a private key's PEM block (``-----BEGIN ... PRIVATE KEY-----``,
    an OpenPGP ``PRIVATE KEY BLOCK``, an OpenVPN static key, or any ``-----BEGIN`` right after a key's name:
    ``private-key "-----BEGIN``) up to its ``-----END`` line: base64 that no word marks as secret."""
    out: set[int] = set()
    inside = False
    for i, line in enumerate(lines):
        if inside:
            if "-----END" in line:
                inside = False
            else:
                out.add(i)
        elif "-----BEGIN" in line:
            m = _KEY_BEGIN.search(line)
            if m is None and _KEY_BEFORE.search(line):  # (private-key "-----BEGIN, its label cut off)
                m = _BEGIN.search(line)
            inside = m is not None and "-----END" not in line[m.end():]
    return out


_KEY_NAME = re.compile(r"[a-z0-9-]+$")


def snmp_line(line: str) -> str:
    """A line of a FortiOS SNMP block, whose every value may be a secret: ``set KEY <redacted>``,
    ``edit N`` (a number; another name masked), ``config``, ``next`` and ``end`` as they are,
    ``<redacted>`` for anything else.  The block's structure stays (a page showing the config can be
    given it back)."""
    w = line.split()
    if not w or w[0] in ("next", "end") and len(w) == 1:
        return line.rstrip()
    if w[0] == "config" and len(w) > 1:
        return line.rstrip()
    lead = line[:len(line) - len(line.lstrip())]
    if w[0] in ("set", "unset", "append") and len(w) > 1:
        if not _KEY_NAME.match(w[1]):
            return "%s%s %s" % (lead, w[0], MASK)
        return "%s%s %s%s" % (lead, w[0], w[1], " " + MASK if len(w) > 2 else "")
    if w[0] == "edit":
        return line.rstrip() if len(w) == 2 and w[1].isdecimal() else "%sedit %s" % (lead, MASK)
    return MASK


_SNMP_BLOCK = re.compile(r"\s*config\s+system\s+snmp\s+\S")
# FortiOS's HTTP header tables, whose every value may be a credential (an ``Authorization`` or ``X-Auth-Token``
# header, a form's token; FortiOS CLI reference, ``config system automation-action``: ``config http-headers`` and
# ``config form-data``, ``edit <id>`` / ``set key`` / ``set value``; ``config web-proxy profile``: ``config headers``,
# ``set name`` / ``set content``), and the one statement of such a table holding the value
_HEADER_BLOCK = re.compile(r"\s*config\s+(?:http-headers|form-data|headers)\s*$")
_HEADER_VALUE = re.compile(r"(\s*(?:set|append)\s+(?:value|content)\s+)\S.*$")
_OPEN_TAG = re.compile(r"<([\w:.-]+)(?:\s[^>]*)?(?<!/)>")
_BODY_LINES = 1000  # (a certificate chain's base64, wrapped at 64 characters, is a few hundred lines)


def _block_lines(lines: list[str], opens) -> Iterator[tuple[int, str]]:
    """(index, line) of every line inside a FortiOS ``config`` block whose first line ``opens`` accepts, to its
    ``end`` (not included): a nested block's lines too, its own ``config`` and ``end`` lines included."""
    depth = 0
    for i, line in enumerate(lines):
        if depth:
            s = line.strip()
            if s == "end":
                depth -= 1
                if not depth:
                    continue
            elif s.startswith("config "):
                depth += 1
            yield i, line
        elif opens(line):
            depth = 1


# a Junos obfuscated or encrypted secret (``context_lines``), quoted or not
_JUNOS_SECRET = re.compile(r'"\$[89]\$[^"]*"?|(?<![\w$])\$[89]\$[^\s;"]+')


def context_lines(lines: list[str], text: str) -> dict[int, str]:
    """The lines (``lines``: ``text`` split into lines) that only their context makes secret, as they
    are quoted, whatever vendor the text is read as (a paste may mix two configs):

    * inside a private key's PEM block (``key_body_lines``): ``<redacted>``;
    * inside a FortiOS ``config system snmp ...`` block, to its ``end`` (a community's ``set name``
      is the community string; FortiOS CLI reference, ``config system snmp community``): ``snmp_line``;
    * inside a FortiOS HTTP header table (``_HEADER_BLOCK``), to its ``end``: each header's value
      (``set value <redacted>``, ``set content <redacted>``);
    * inside a PAN-OS HTTP server profile's ``headers`` or ``params`` (hierarchical ``headers {``, XML
      ``<headers>``): each value (``value <redacted>;``, ``<value><redacted></value>``), which a header's or
      parameter's name on an earlier line makes a secret (``_http_values``);
    * in a text that is not an XML document, after the start tag of an element naming a secret
      (``secret_tag``) that its line does not close, to the line that does (a ``<prv>`` body pasted
      into another config): ``<redacted>``.  (An XML document's parser reads its elements whole.)
    * a Junos ``$9$`` or ``$8$`` string, wherever it stands (``value "$9$X";`` inside an ``authentication-key 1 {``
      block shown without its ``## SECRET-DATA`` comment): ``$9$`` is a keyless, reversible obfuscation (Crypt::Juniper,
      ``juniper_decrypt('$9$LbHX-wg4Z')`` is "lc"), ``$8$`` an encryption with the master password; only the
      configuration's secrets are written so.  (Its line has no trigger's word, whose words are plain literals: only
      the lines of a text are looked at so, not a line alone.)
    """
    out: dict[int, str] = {}
    if "$9$" in text or "$8$" in text:
        for i, line in enumerate(lines):
            if "$9$" in line or "$8$" in line:
                hidden = _JUNOS_SECRET.sub(MASK, _line(line))
                if hidden != line:
                    out[i] = hidden
    if "-----BEGIN" in text:
        out.update(dict.fromkeys(key_body_lines(lines), MASK))
    if "system snmp" in text:
        for i, line in _block_lines(lines, lambda line: "snmp" in line and _SNMP_BLOCK.match(line)):
            out.setdefault(i, snmp_line(line))
    if "headers" in text or "form-data" in text:
        for i, line in _block_lines(lines, lambda line: "config" in line and _HEADER_BLOCK.match(line)):
            if (m := _HEADER_VALUE.match(line)) is not None:
                out.setdefault(i, m.group(1) + MASK)
    if "headers" in text or "params" in text:
        # (the rest of a value's line is redacted as any line is: a server's ``<password>`` on the same line)
        out.update((i, _line(v)) for i, v in _http_values(lines) if i not in out)
    if "<" in text and not text.lstrip().startswith("<"):
        n, i = len(lines), 0
        while i < n:
            line = lines[i]
            i += 1
            if "<" not in line:
                continue
            for m in _OPEN_TAG.finditer(line):
                close = "</" + m.group(1)
                if secret_tag(m.group(1)) and close not in line[m.end():]:
                    # (its body runs to the line that closes it, within _BODY_LINES; a tag never closed,
                    # as a '<key>' in a banner or a remark, is no element: nothing after it is masked)
                    end = next((k for k in range(i, min(n, i + _BODY_LINES)) if close in lines[k]), None)
                    if end is not None:
                        out.update((k, MASK) for k in range(i, end + 1) if k not in out)
                        i = end + 1
                    break
    return out


_HTTP_BLOCK = re.compile(r"^\s*(headers|params)\s*\{|<(headers|params)(?:\s[^>]*)?>")
_HTTP_XML_VALUE = re.compile(r"(<value(?:\s[^>]*)?>)(?!%s)[^<]+" % re.escape(MASK))
_HTTP_VALUE_LINE = re.compile(r"^(\s*value\s+)(?!%s)\S.*?(;?)$" % re.escape(MASK))


def _http_values(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(index, line as quoted) of each value line inside a PAN-OS HTTP server profile's ``headers`` or
    ``params`` block (hierarchical braces, or XML elements), to the block's end."""
    end = None  # "}" (a braces block, ``depth`` deep) or the XML end tag
    depth = 0
    for i, line in enumerate(lines):
        if end is None:
            m = _HTTP_BLOCK.search(line)
            if m is None:
                continue
            if m.group(2):  # XML
                end = "</%s>" % m.group(2)
                if end in line:
                    end = None
            else:
                end, depth = "}", 0
        if end == "}":
            depth += line.count("{") - line.count("}")
        if "value" in line:
            was = line.rstrip()
            got = _HTTP_XML_VALUE.sub(lambda m: m.group(1) + MASK, was) if "<" in was else \
                _HTTP_VALUE_LINE.sub(lambda m: m.group(1) + MASK + m.group(2), was)
            if got != was:
                yield i, got
        if end == "}" and depth <= 0 or end not in (None, "}") and end in line:
            end = None


# what every secret form needs beside its word: a blank or "=" / ":" before a value, "<" of an XML
# element, a JSON string's quote ("://" has its ":")
_SEPARATOR = re.compile(r'[\s=:<"]')


def _unchanged(line: str) -> bool:
    """Whether ``_line`` returns ``line`` as it is, surely: it has no trigger word, or is one word
    ('redundant-upward' holds 'pw', 'shadowed' 'sha')."""
    return not _may_hold_secret(line) or not _SEPARATOR.search(line)


def _line(line: str) -> str:
    if _unchanged(line):
        return line
    out = line
    if "://" in out:  # (both scan every word for a scheme: quadratic in a long dotted word)
        out = _URL.sub(lambda m: m.group(1) + MASK + "@", out)
        if "?" in out:
            out = _URL_QUERY.sub(lambda m: m.group(1) + MASK, out)
        if "/bot" in out:
            out = _BOT_TOKEN.sub(lambda m: m.group(1) + MASK, out)
    if "hook" in out.lower():
        out = _HOOK_URL.sub(lambda m: m.group(1) + MASK, out)
    out = _PAIR.sub(lambda m: m.group(1) + '"%s"' % MASK, out)
    out = _PAIR_REV.sub(lambda m: m.group(1) + '"%s"' % MASK + m.group(2), out)
    out = _JSON.sub(lambda m: m.group(1) + '"%s"' % MASK, out)
    out = _JSON_KEYWORD.sub(lambda m: m.group(1) + '"%s"' % MASK, out)
    if '\\"' in out:
        out = _JSON_ESCAPED.sub(lambda m: m.group(1) + '\\"%s\\"' % MASK, out)
    out = _XML.sub(lambda m: m.group(1) + MASK + m.group(3), out)
    if "<" in out:
        if "CDATA[" in out:
            out = _CDATA.sub(_cdata, out)
        out = _TAG.sub(_tag, out)
        if "><" in out:
            out = _nested_tags(out)
    if ":" in out and "username>" in out.lower():
        out = _USERS.sub(lambda m: m.group(1) + MASK, out)
    if "trap-group" in out or "TRAP-GROUP" in out.upper():
        out = _TRAP_GROUP.sub(lambda m: m.group(1) + MASK, out)
    if "##" in out and "secret-data" in out.lower():
        out = _SECRET_DATA.sub(lambda m: MASK + m.group(1), out)
    out = _KV.sub(_kv, out)
    low = out.lower()
    if "headers" in low or "params" in low:
        out = _HTTP_FIELD.sub(lambda m: m.group(1) + MASK, out)
    if "payload" in low:
        out = _PAYLOAD.sub(lambda m: m.group(1) + MASK, out)
    if "url-format" in low:
        out = _URL_FORMAT.sub(lambda m: m.group(1) + MASK, out)
    if "securestring" in low:
        out = _PIPED.sub(lambda m: m.group(1) + MASK + m.group(2), out)
        out = _SECURE_STRING.sub(lambda m: m.group(1) + " " + MASK, out)
        out = _QUOTED.sub(MASK, out)
    for word, pattern in _AFTER_WORD:
        if word in low:
            out = pattern.sub(_keep_head, out)
    out = _cmd_secrets(out, low)
    if "ENC" in out:
        out = _FORTI_ENC.sub(_keep_head, out)
    if "net" in low:
        out = _NET.sub(_net_args, out)
    if "aaa-server" in low:
        out = _AAA_HOST.sub(lambda m: m.group(1) + " " + MASK, out)
    m = _SNMP_HOST.match(out)
    if m and MASK not in m.group(2):
        # IOS form: snmp-server host IP [version] COMMUNITY ...: hide the rest
        out = m.group(1) + " " + MASK + m.group(3)
    return out


# words that also name things: before a value in single quotes (how the auditor's own messages
# quote a token: "unknown permission key 'X'") they are ordinary words
_WEAK = re.compile(r"(?i)^(?:key|hash|md5|sha\d*|authentication)$")


def _tag(m: re.Match) -> str:
    if not secret_tag(m.group(2)) or m.group(3).startswith(MASK):
        return m.group(0)
    return m.group(1) + MASK


_TEXT_NODE = re.compile(r">(?:<!\[CDATA\[.*?(?:\]\]>|$)|[^<]+)")  # (a text, or a CDATA section)
# an element's text in a CDATA section (pfSense's config.xml writes a value holding '<', '>' or '&' so: a password's
# ``<ldap_bindpw><![CDATA[X&Y]]></ldap_bindpw>``), to the section's end or the line's
_CDATA = re.compile(r"(<([\w:.-]+)(?:\s[^>]*)?(?<!/)>\s*<!\[CDATA\[)(?!%s)(.*?)(\]\]>|$)" % re.escape(MASK))


def _cdata(m: re.Match) -> str:
    if not secret_tag(m.group(2)) or not m.group(3):
        return m.group(0)
    return m.group(1) + MASK + m.group(4)


def _nested_tags(line: str) -> str:
    """``line`` with the text inside each element naming a secret that holds others on the line
    hidden (pfSense's WEP key ``<key><value>X</value></key>``), to its end tag or the line's end."""
    parts, pos = [], 0
    for m in _OPEN_TAG.finditer(line):
        if m.start() < pos or not line.startswith("<", m.end()) or line.startswith("<![CDATA[", m.end()) \
                or not secret_tag(m.group(1)):
            continue  # (a CDATA section is ``_CDATA``'s)
        end = line.find("</" + m.group(1), m.end())
        end = len(line) if end < 0 else end
        parts += [line[pos:m.end()], _TEXT_NODE.sub(">" + MASK, line[m.end():end])]
        pos = end
    return "".join(parts) + line[pos:] if parts else line


# an ipset set's type (ipset(8): ``create SETNAME TYPENAME``, "TYPENAME := method:datatype[,datatype[,datatype]]",
# the hash method's datatypes ``ip``, ``net``, ``mac``, ``port``, ``iface``, ``mark``: ``hash:net``, ``hash:ip,port``),
# and the type names of ipset before 6 (``ipset -N S nethash``, ``iphash``, ``ipporthash``...), and nft's hash
# expressions (nft(8), HASH EXPRESSIONS: ``jhash {ip saddr | ...} [. ...] mod NUM [seed NUM] [offset NUM]``,
# ``symhash mod NUM [offset NUM]``, as a load-balancing ``dnat to jhash ip saddr mod 2 map { ... }`` writes them):
# names, no secret's value, so what follows them is read on (``create S hash:net family inet hashsize 1024``)
_IPSET_TYPE = re.compile(r"(?i)(?:ip|net|mac|port|iface|mark)(?:,(?:ip|net|mac|port|iface|mark)){0,2}(?=\s|$)")
_HASH_NAMES = re.compile(r"(?i)(?:ip|net|ipport|ipportip|ipportnet)hash|jhash|symhash")


def _kv(m: re.Match) -> str:
    val = m.group("val")
    if val.startswith(MASK) or val.startswith('"%s"' % MASK):
        return m.group(0)
    kw, sep = m.group("kw"), m.group("sep")
    if _WEAK.match(kw) and not sep.strip() and val.startswith("'"):
        return m.group(0)
    if sep == ":" and kw.lower() == "hash":
        t = _IPSET_TYPE.match(val)
        if t is not None:
            return kw + sep + t.group(0) + _KV.sub(_kv, val[t.end():])
    elif not sep.strip() and _HASH_NAMES.fullmatch(kw):
        return kw + sep + _KV.sub(_kv, val)
    return kw + sep + MASK


_WORDS = re.compile(r"[^\s\"'<>=:,;]+")


def hidden_words(raw: str, shown: str) -> list[str]:
    """The words of line ``raw`` that its quote ``shown`` (``raw`` redacted) hides, longest first:
    a message quoting a word of the line (``unexpected 'X'``, ``setting 'X' not understood``)
    cannot show the keyword that makes it secret, so it is hidden by the line's own redaction.
    (Words of one or two characters are left: no secret is that short, and they are everywhere.)"""
    if MASK not in shown:
        return []
    kept = set(_WORDS.findall(shown))
    return sorted({w for w in _WORDS.findall(raw) if w not in kept and len(w) > 2}, key=len, reverse=True)


def words_of(line: str) -> set[str]:
    """The words of ``line`` as ``hidden_words`` splits it."""
    return set(_WORDS.findall(line))


def hide_words(text: str, words: list[str]) -> str:
    """``text`` with each of ``words`` (``hidden_words``) replaced by ``<redacted>``."""
    for w in words:
        if w in text:
            text = text.replace(w, MASK)
    return text


def is_clean(obj) -> bool:
    """Whether ``redact`` leaves every string in ``obj`` (JSON-like) as it is: then ``scrub(obj)``
    would write the same JSON.  The containers are walked once, without building anything but the
    set of distinct strings (a report of 70,000 findings has 1.6 million values, 200,000 distinct
    strings); those are asked in blocks (``_blocks_clean``)."""
    if not isinstance(obj, (dict, list, tuple)):
        return not isinstance(obj, str) or redact(obj) == obj
    seen: set[str] = set()
    stack = [obj]
    pop, push, add = stack.pop, stack.append, seen.add
    while stack:
        o = pop()
        for v in (o.values() if isinstance(o, dict) else o):
            t = type(v)
            if t is str:
                add(v)
            elif t is dict or t is list or t is tuple:
                push(v)
            elif t is int or v is None or t is bool or t is float:
                continue
            elif isinstance(v, str):
                add(v)
            elif isinstance(v, (dict, list, tuple)):
                push(v)
    return _blocks_clean(list(seen))


def _blocks_clean(texts: list[str], size: int = 256) -> bool:
    """Whether ``redact`` leaves each of ``texts`` as it is, asked of blocks of ``size`` texts joined
    by newlines first: ``_may_hold_secret`` looks for words none of which holds a newline, so a block
    it finds nothing in holds no text it would find anything in (a block of texts that each lack a
    word it needs with another, e.g. "<" and "api", is asked text by text).  The usual report has
    a handful of texts with a trigger word among 200,000: 0.4 s of ``redact`` calls -> 0.1 s."""
    for k in range(0, len(texts), size):
        block = texts[k:k + size]
        if _may_hold_secret("\n".join(block)) and any(redact(v) != v for v in block):
            return False
    return True


def scrub(obj):
    """``obj`` (JSON-like: dicts, lists, strings) with ``redact`` applied to every string value.

    A report repeats its strings (severities, paths, the same quoted line in many findings):
    each distinct string is redacted once per call."""
    if type(obj) is dict:
        for v in obj.values():
            if type(v) is not str or not _unchanged(v):
                break
        else:
            return dict(obj)  # (a finding's extra data, as usual: names, none a secret's; ``redact``'s test)
    done: dict[str, str] = {}

    def walk(o):
        if isinstance(o, str):
            r = done.get(o)
            if r is None:
                r = done[o] = redact(o)
            return r
        if isinstance(o, dict):
            return {k: walk(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return [walk(v) for v in o]
        return o

    return walk(obj)


# the trigger's words (its pattern is a plain alternation of lower-case literals)
_TRIGGER_WORDS = tuple(_TRIGGER.pattern.removeprefix("(?i)").split("|"))


# the ASCII characters other than "\n" that ``str.splitlines`` ends a line at
_ASCII_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e"


def lines_to_redact(text: str) -> set[int]:
    """Indexes (as in ``text.splitlines()``) of the lines ``redact`` may change: every other line
    it returns unchanged.  One search per trigger word over the whole text, instead of the
    trigger's case-insensitive regular expression on each line (which costs more than parsing a
    line); a line with non-ASCII characters is always included (its case folding is Unicode's)."""
    out: set[int] = set()
    ascii_text = text.isascii()
    if ascii_text:
        low = text.lower()
    else:
        out.update(i for i, line in enumerate(text.splitlines()) if not line.isascii())
        low = text.encode("ascii", "replace").decode("ascii").lower()  # (one character for one)
    hits = []
    for w in _TRIGGER_WORDS + (_TAG_TRIGGERS if "<" in text else ()):
        k = low.find(w)
        while k >= 0:
            hits.append(k)
            k = low.find(w, k + 1)
    k = low.find("<username") if "<" in text else -1
    while k >= 0:  # (``_USERS``: a <username> holding a colon)
        if _USERS_LINE.match(low, k):
            hits.append(k)
        k = low.find("<username", k + 9)
    if not hits:
        return out
    if ascii_text and not any(c in text for c in _ASCII_BREAKS):
        # every line ends in "\n": a hit's line is the count of "\n" before it (counted between
        # consecutive hits, so the text is read once, without splitting it into lines)
        hits.sort()
        line = prev = 0
        count = text.count
        for k in hits:
            line += count("\n", prev, k)
            prev = k
            out.add(line)
        return out
    from bisect import bisect_right
    from itertools import accumulate

    ends = list(accumulate(map(len, text.splitlines(keepends=True))))
    out.update(bisect_right(ends, k) for k in hits)
    return out


def lines_to_redact_holding(text: str, words: set[str]) -> set[int]:
    """The lines of ``lines_to_redact(text)`` that hold one of ``words`` (as a substring), and maybe
    more of its lines (the caller looks at each line anyway).

    A text is searched once per trigger word: with fewer ``words`` than those, in an ASCII text whose
    lines all end in "\n", it is searched once per word instead, and each line found is looked at
    alone (a pfSense config.xml of 17 MB whose one diagnostic quotes 'WAN': 0.38 s -> 0.01 s).  So
    many lines found that looking at them could cost more than the trigger's search: that search."""
    if len(words) >= len(_TRIGGER_WORDS) or "" in words or not text.isascii() or \
            any(c in text for c in _ASCII_BREAKS):
        return lines_to_redact(text)
    triggers = _TRIGGER_WORDS + (_TAG_TRIGGERS if "<" in text else ())
    budget = len(text) // 200  # (lines looked at, about the cost of the trigger's searches)
    starts: set[int] = set()  # (where each line found begins)
    find = text.find
    for w in words:
        k = find(w)
        while k >= 0:
            a = text.rfind("\n", 0, k) + 1
            b = find("\n", k)
            if b < 0:
                b = len(text)
            if a not in starts:
                budget -= 1
                if budget < 0:
                    return lines_to_redact(text)
                line = text[a:b].lower()
                if any(t in line for t in triggers):
                    starts.add(a)
            k = find(w, b)
    out = set()
    line = prev = 0
    for a in sorted(starts):
        line += text.count("\n", prev, a)
        prev = a
        out.add(line)
    return out
