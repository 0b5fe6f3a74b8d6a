"""How to fix each finding in FortiOS CLI (``VENDOR.advice``; the per-rule docs are generated from it)."""

ADVICE: dict[str, str] = {
    "PRN100": "Add an accept policy for the flow above the policy that blocks it: `config firewall policy` / "
              "`edit 0` / `set srcintf \"<workshop-if>\"` / `set dstintf \"<server-if>\"` / `set srcaddr "
              "\"<workshop>\"` / `set dstaddr \"<prinergy-servers>\"` / `set service \"<prinergy-tcp>\"` / "
              "`set action accept` / `set schedule \"always\"` / `next` / `end`, then `move <new-id> before "
              "<blocking-id>` (policies match top down; the ID does not set the order).",
    "PRN120": "Raise the idle timeout for Workshop <-> server TCP to at least a shift (FortiGate has no dead "
              "connection detection): on the policy, `config firewall policy` / `edit <id>` / `set session-ttl "
              "28800` (or `never`) / `next` / `end`; a service's own `set session-ttl` overrides the policy's, so "
              "check `config firewall service custom` too; or raise `config system session-ttl` / `set default`.",
    "PRN150": "Narrow the policy that exposes the server: `config firewall policy` / `edit <id>` / `set srcaddr "
              "\"<site-networks>\"` (not `all`) / `next` / `end`, or add a deny policy above it; for a VIP, "
              "restrict its sources (`config firewall vip` / `edit <vip>` / `set src-filter ...`).",
    "ACL200": "The policy never matches: the earlier policies named in the finding already decide its traffic. "
              "Delete it (`config firewall policy` / `delete <id>` / `end`) or move it above them "
              "(`move <id> before <earlier-id>`) if it was meant to win.",
    "ACL201": "The policy is redundant: removing it changes nothing (`config firewall policy` / `delete <id>` / "
              "`end`).",
    "ACL210": "Replace `srcaddr all` / `dstaddr all` / `service ALL` with the site's address groups and the "
              "services Prinergy needs (`config firewall policy` / `edit <id>` / `set srcaddr ...` / `set "
              "service ...` / `next` / `end`).",
    "CFG300": "The auditor could not read this line. Check it against the CLI reference of your FortiOS version; "
              "if it is valid, report it. Export the whole configuration (System > Configuration > Backup, or "
              "`show full-configuration`) rather than an excerpt.",
    "CFG301": "Define the missing object (`config firewall address` / `edit \"<name>\"` / `set subnet ...` / "
              "`next` / `end`, or the service, group or interface), or correct the name in the policy.",
}
