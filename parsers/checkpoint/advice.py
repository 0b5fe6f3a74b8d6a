"""How to fix each finding on a Check Point policy, in SmartConsole and ``mgmt_cli`` terms.

Commands follow the Management API reference (``add access-rule``, ``set access-rule``,
``set service-tcp``, ``set access-layer``: https://sc1.checkpoint.com/documents/latest/APIs/);
every change is published (``mgmt_cli publish``) and takes effect when the policy is installed
(``mgmt_cli install-policy policy-package <package> targets <gateway>``).
"""

from __future__ import annotations

ADVICE: dict[str, str] = {
    "PRN100": (
        "Add an Accept rule above the rule that drops the flow, in the layer that drops it (the finding names "
        "it; with ordered layers every layer must accept): SmartConsole > Security Policies > Access Control, or "
        "`mgmt_cli add access-rule layer \"Network\" position 5 name \"Prinergy SMB\" source \"Workshop_Clients\" "
        "destination \"Prinergy_Primary\" service \"microsoft-ds\" action \"Accept\"` (position: the dropping "
        "rule's number, so the new rule goes above it); then publish and install the policy. Check the request "
        "first with `prinergy-audit check-change`."),
    "PRN120": (
        "Give the services that carry Workshop <-> server traffic a session timeout of at least one shift: "
        "SmartConsole > the service object > Advanced > Session timeout > Other: 28800 seconds, or `mgmt_cli set "
        "service-tcp name \"Prinergy_TCP\" use-default-session-timeout false session-timeout 28800`; the rules that "
        "permit the flow must name that service (a rule with service Any uses the default 3600 s of Global "
        "Properties > Stateful Inspection > TCP session timeout, which applies to every service left at the "
        "default). Check Point has no dead connection detection."),
    "PRN150": (
        "Narrow the rule that lets the outside reach the server: replace Any (or a broad network) in its Source "
        "with the site's own networks, e.g. `mgmt_cli set access-rule layer \"Network\" rule-number 7 source "
        "\"Prinergy_Sites\"`, or add a Drop rule above it for sources outside the site; publish and install."),
    "ACL200": (
        "The rule never matches: an earlier rule in the same layer (named in the finding) already decides all its "
        "traffic. Move it above the covering rule if it was meant to take effect (`mgmt_cli set access-rule layer "
        "\"Network\" rule-number 12 new-position 3`), or delete it (`mgmt_cli delete access-rule layer \"Network\" "
        "rule-number 12`)."),
    "ACL201": (
        "The rule is redundant: the rules named in the finding already give its traffic the same action. Delete "
        "it (`mgmt_cli delete access-rule layer \"Network\" rule-number 12`) or disable it first to be sure "
        "(`mgmt_cli set access-rule layer \"Network\" rule-number 12 enabled false`)."),
    "ACL210": (
        "Replace Any in the rule's Source, Destination or Services & Applications with the objects that need the "
        "access, e.g. `mgmt_cli set access-rule layer \"Network\" rule-number 4 source \"Workshop_Clients\" "
        "service.1 \"microsoft-ds\" service.2 \"Prinergy_TCP\"`; publish and install."),
    "CFG300": (
        "The export holds something the auditor does not read exactly (a time object, an access role, an "
        "application, a dynamic object, a key of a newer API version, or an object missing from the export): "
        "export the objects too (`mgmt_cli show objects details-level full limit 500 --format json`, every page) "
        "and the package (`mgmt_cli show package name \"Standard\" --format json`), or, if the part is valid, "
        "report it so the parser learns it. Packets it could decide are reported unknown, never as passing."),
    "CFG301": (
        "A rule or group refers to an object that the export does not define. The management database does not "
        "allow dangling references, so the export is incomplete: export the objects the rules use "
        "(`mgmt_cli show objects details-level full`, or the rulebase with `use-object-dictionary true`)."),
}
