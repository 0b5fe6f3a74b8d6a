"""Azure network security groups (JSON) -> the rule graph.

Inputs: ``az network nsg show`` (flattened rules), the REST/ARM resource form
(``properties.securityRules[].properties``), ``az network nsg list`` or a
REST ``{"value": [...]}`` list, an ARM template (``resources`` of type
``Microsoft.Network/networkSecurityGroups``, child ``.../securityRules``
resources and ``virtualNetworks``), ``az network nsg rule list`` (a bare
list of rules), and ``az network nic list-effective-nsg`` (each NSG applied to
the interface with its effective rules: default rules listed, service tags
expanded into ``expanded*AddressPrefix``, which are then exact).  Azure
PowerShell's ``Get-AzEffectiveNetworkSecurityGroup`` and
``Get-AzNetworkSecurityGroup`` piped to ``ConvertTo-Json -Depth 10`` hold the
same data in Az.Network's classes (capitalised keys, a rule's ports and
prefixes one list each): ``_powershell`` reads them as the CLI's shape.

Semantics chosen:

* An NSG is a stateful host firewall of the audited VM: ``Inbound`` rules make
  a ``local="in"`` path, ``Outbound`` rules a ``local="out"`` path.  Rules are
  evaluated by ``priority`` (lower first), first match wins.  When several
  NSGs are in the input they are taken to be on the same path (a subnet NSG
  and a NIC NSG): a flow must pass each of them; but NSGs the input says are
  associated with subnets only (interfaces only: ``az network nsg list``'s
  ``subnets``, ``networkInterfaces``) are alternatives, since a subnet (an
  interface) has one NSG: a flow is permitted where each of them permits it,
  denied where each denies it, unknown otherwise (``parsers.kit.sets.one_of``).
  Where the input places NSGs (a virtual network's subnets with their
  ``addressPrefix`` and ``networkSecurityGroup``, a network interface's
  ``privateIPAddress`` and ``networkSecurityGroup``; in this input, or in
  another of the run: ``combine``), the addresses placed meet their own
  subnet's and interface's NSG only, and a packet between two placed
  addresses the other end's too (``AzureParser.placed``).
* The default rules (65000 AllowVnetInBound, 65001
  AllowAzureLoadBalancerInBound, 65500 DenyAllInBound, 65000
  AllowVnetOutBound, 65001 AllowInternetOutBound, 65500 DenyAllOutBound)
  always exist; those missing from the input are added, pointing at the NSG's
  ``name`` line.
* Addresses: ``*`` / ``Any`` is every address (IPv4 and IPv6); CIDRs and
  addresses are exact.  Service tags are resolved only as far as the input
  allows, and the rest goes to ``maybe`` (the engine reports it unknown; each
  such rule is reported as CFG300):

  - ``VirtualNetwork``: certainly the address space of the virtual networks in
    the input (ARM template), possibly any other address (peered networks,
    on-premises ranges, user-defined routes);
  - ``Internet``: possibly any address outside those virtual networks;
  - ``AzureLoadBalancer``: certainly 168.63.129.16, possibly IPv6 addresses;
  - any other tag: possibly anything; an application security group: certainly
    the private addresses of the network interfaces the run's inputs list in
    it (``az network nic list``: ``ipConfigurations[].applicationSecurityGroups``,
    ``AzureParser.members``), possibly anything else.

  Rules see the VM's private address (inbound after Azure translates a public
  address to it, outbound before): on a rule's own side (an inbound rule's
  destination, an outbound rule's source) an address outside RFC 1918, unique
  local IPv6 and the input's virtual networks may be a public address, which
  never matches, and is only possibly matched.  The other way round, a rule
  naming private addresses there only possibly matches a public address (the
  site may name the VM by its public address, translated to which private one
  the export does not say).
* Two rules with one priority and direction: Azure refuses one of them (or
  the whole template), so both are unknown.
* Protocols: ``Tcp``, ``Udp`` (ports apply), ``Icmp`` (ICMPv4 certainly,
  ICMPv6 possibly), ``Esp``, ``Ah``, ``*``/``Any``.  Port ranges on ``*`` apply
  to TCP and UDP; other protocols under such a rule are uncertain.
* ARM template expressions (``"[parameters('x')]"``) are not evaluated: the
  rule is opaque.  Nested deployments' inline templates are read with the
  outer template (a linked one is not in the input: every verdict unknown);
  a child rule resource's name may be a ``concat``/``format`` of literals (as
  Bicep writes it) or use its NSG's own name expression, else it may belong
  to any NSG of the input; a ``copy`` property loop's rules are unknown.
  Templates with symbolic names (``languageVersion`` 2.0) are read too.
* Idle timeouts: Azure Load Balancer (4 min default, ``azure-load-balancer``)
  and Azure NAT Gateway (4 min default, ``azure-nat-gateway``) as ``Timeout``
  records that apply only when the site's ``through`` list names them.  An
  NSG itself has no documented idle timeout, so none is assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from auditor.core.model import (
    ANY_STATE,
    Action,
    AddressRef,
    Config,
    Filter,
    Impact,
    Path,
    Rule,
    Source,
    Stage,
    Timeout,
)
from auditor.core.packets import (
    ALL,
    ALL_ADDR,
    ALL_PORTS,
    ALL_PROTO,
    ALL_V4,
    ALL_V6,
    EMPTY,
    MAX_PORT,
    NOTHING,
    PROTO_ICMP,
    PROTO_ICMP6,
    PROTO_TCP,
    PROTO_UDP,
    ISet,
    PacketSet,
    addr_to_int,
    cube,
    parse_network,
)
from parsers.kit import terraform
from parsers.kit.addr import address_refs, cidr_set
from parsers.kit.jsonsrc import JArr, JObj, JsonInput, json_head, line_of, redact_json
from parsers.kit.names import TCP_PACKETS, TCP_UDP, ascii_digits
from parsers.kit.sets import one_of
from parsers.kit.vendor import Vendor  # noqa: E402

NAME = "azure-nsg"

AZURE_LB_IDLE = 240
AZURE_NAT_IDLE = 240
AZURE_LB_VIP = ISet.of(addr_to_int("168.63.129.16"))
# RFC 1918 and IPv6 unique local space: never a public address, so an NSG rule naming it on the VM's side is exact
PRIVATE_SPACE = ISet.union_of(cidr_set(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
NSG_TYPE = "microsoft.network/networksecuritygroups"
RULE_TYPE = NSG_TYPE + "/securityrules"
VNET_TYPE = "microsoft.network/virtualnetworks"
SUBNET_TYPE = VNET_TYPE + "/subnets"
NIC_TYPE = "microsoft.network/networkinterfaces"
DEPLOYMENT_TYPE = "microsoft.resources/deployments"
DEFAULT_RULE_TYPE = "microsoft.network/networksecuritygroups/defaultsecurityrules"
# a rule's members that have a list form beside them (one or the other: ``_one_of``; PowerShell's lists: ``_camel``)
_PLURALS = {k: k + ("es" if k.endswith("Prefix") else "s")
            for k in ("sourcePortRange", "destinationPortRange", "sourceAddressPrefix", "destinationAddressPrefix")}

# name, priority, direction, access, source, destination
DEFAULT_RULES = (
    ("AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
    ("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*"),
    ("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"),
    ("AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
    ("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"),
    ("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"),
)

_RULE_PROPS = {
    "protocol", "sourcePortRange", "sourcePortRanges", "destinationPortRange", "destinationPortRanges",
    "sourceAddressPrefix", "sourceAddressPrefixes", "destinationAddressPrefix", "destinationAddressPrefixes",
    "sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups", "access", "priority", "direction",
    "description", "provisioningState",
    "expandedSourceAddressPrefix", "expandedDestinationAddressPrefix",  # (effective rules: tags expanded)
}
_RULE_OUTER = {"name", "id", "etag", "type", "properties", "apiVersion", "dependsOn", "location", "tags",
               "resourceGroup", "comments"}
_TAG_SYNONYMS = {"virtual_network": "virtualnetwork", "azure_loadbalancer": "azureloadbalancer"}


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is Azure NSG JSON."""
    head = json_head(text)
    if head is None:
        return 0
    score = 0
    if re.search(r'"(?:[dD]efault|[eE]ffective)?[sS]ecurityRules"\s*:', head):
        score += 60
    if re.search(r"Microsoft\.Network/networkSecurityGroups", head, re.I):
        score += 30
    if (re.search(r'"direction"\s*:\s*"(?:In|Out)bound"', head, re.I)
            and re.search(r'"access"\s*:\s*"(?:Allow|Deny)"', head, re.I) and re.search(r'"[pP]riority"\s*:', head)):
        score += 40
    if re.search(r'"terraform_version"\s*:', head) and re.search(
            r'"type"\s*:\s*"azurerm_network_security_(?:group|rule)"', head):
        score += 95  # Terraform state or plan JSON with NSGs or their rules
    if re.search(r'"type"\s*:\s*"Microsoft\.Network/virtualNetworks(?:/subnets)?"', head, re.I) and re.search(
            r'"(?:subnets|addressPrefix(?:es)?)"\s*:', head):
        score += 60  # az network vnet list / vnet subnet list (where the NSGs of the run are)
    if re.search(r'"type"\s*:\s*"Microsoft\.Network/networkInterfaces"', head, re.I) and re.search(
            r'"ipConfigurations"\s*:', head):
        score += 60  # az network nic list
    if re.search(r'"(?:SecurityGroups|NetworkAcls|IpPermissions)"\s*:', head):
        score -= 50
    return max(0, min(100, score))


@dataclass(frozen=True)
class AzurePlaces:
    """``Config.aux`` of an input of virtual networks, subnets or network interfaces without NSGs (``az network vnet
    list``, ``az network vnet subnet list``, ``az network nic list``): where the NSGs of the run's other inputs are
    (``AzureParser.where``: (``"subnet"`` or ``"nic"``, its addresses, its NSG's name in lower case, "" for none)) and
    the virtual networks' address space (the ``VirtualNetwork`` tag's); ``combine`` reads the NSGs' inputs again with
    them."""

    where: tuple
    space: ISet
    asgs: tuple = ()  # (application security group's name in lower case, a member's private address)


@dataclass(frozen=True)
class AzureNsgs:
    """``Config.aux`` of an input of NSGs: its text, read again by ``combine`` with the places other inputs give."""

    text: str = field(repr=False)


class _Nsg:
    """One NSG being assembled: its name, where it starts, its rules (with containers)."""

    def __init__(self, name: str, line: int, name_line: int):
        self.name, self.line, self.name_line = name, line, name_line
        self.rules: list[tuple[Any, int, bool]] = []  # (rule object, line, is default)
        self.unknown: list[tuple[int, str]] = []  # (line, why): rules the input holds in a form not read
        self.effective = False  # (effective rules: the whole list as applied, default rules included)
        self.bound = ""  # "subnet" or "nic": the input says it is associated with subnets only, or interfaces only
        self.lists: set[str] = set()  # "subnet", "nic": its own 'subnets', 'networkInterfaces' lists name some
        self.state = ""  # its own provisioningState, for the rules that give none (``AzureParser.unsettled``)


class AzureParser:
    """One parse of one JSON file; use ``parse()``.  ``given``: the places (``AzurePlaces``) other inputs of the run
    give (``combine``), read as if this input held them."""

    def __init__(self, text: str, path: str, given: AzurePlaces | None = None):
        self.path = path
        self.text = text
        self.lines = JsonInput(text, path)  # (the value, each line's Source, the diagnostics)
        self.filters: dict[str, Filter] = {}
        self.address_refs: list[AddressRef] = []
        self.vnet_space = given.space if given is not None else EMPTY
        self.given = given.where if given is not None else ()
        self.seen_places = False  # (the input holds a virtual network, subnet or network interface)
        # (once the input's virtual networks are read, before any rule, ``build``: the addresses a rule's own side
        # may name as the VM's, RFC 1918, unique local IPv6 and those networks; every other address, public, by
        # address family)
        self.private = PRIVATE_SPACE
        self.public: tuple[tuple[ISet, ISet], ...] = ()
        self.internet = EMPTY  # (the Internet tag's possible addresses: all but the virtual networks')
        # where the input says an NSG is (``_where``): ("subnet" or "nic", the subnet's or the interface's addresses,
        # the NSG's name in lower case, "" for none)
        self.where: list[tuple[str, ISet, str]] = list(self.given)
        # the application security groups' members the input gives (``place``): (name in lower case, its address)
        self.asg_members: list[tuple[str, ISet]] = list(given.asgs if given is not None else ())

    # --- finding the NSGs in whatever shape the JSON has ------------------------------------------
    def collect(self, data: Any) -> list[_Nsg]:
        nsgs: list[_Nsg] = []
        data = _powershell(data)
        if terraform.is_terraform(data):
            self.terraform(data, nsgs)
        elif isinstance(data, JObj) and isinstance(data.get("resources"), (list, JObj)) and (
                isinstance(data.get("resources"), list) or "$schema" in data or "languageVersion" in data):
            children: list[JObj] = []
            self.template(data["resources"], nsgs, children)
            self.attach(children, nsgs)
        elif isinstance(data, JObj) and isinstance(data.get("value"), list):
            for i, item in enumerate(data["value"]):
                self.one(item, line_of(data["value"], i), nsgs)
        elif isinstance(data, JObj) and isinstance(data.get("effectiveSecurityRules"), list):
            self.effective(data, nsgs)
        elif isinstance(data, JObj):
            self.one(data, data.line, nsgs)
        elif isinstance(data, JArr):
            if data and all(isinstance(x, JObj) and _is_rule(x) for x in data):
                nsg = _Nsg("nsg", data.line, data.line)
                # ('az network nsg rule list --include-default' appends the default rules, typed as such)
                nsg.rules = [(x, line_of(data, i), str(x.get("type", "")).lower() == DEFAULT_RULE_TYPE)
                             for i, x in enumerate(data)]
                nsgs.append(nsg)
            else:
                for i, item in enumerate(data):
                    self.one(item, line_of(data, i), nsgs)
        return nsgs

    def terraform(self, data: JObj, nsgs: list[_Nsg]) -> None:
        """Terraform's JSON (``parsers.kit.terraform``): the azurerm provider's ``azurerm_network_security_group``
        (its ``security_rule`` blocks), ``azurerm_network_security_rule`` (a rule of the NSG it names, by name and
        resource group; one the NSG's own ``security_rule`` list holds already, as a refreshed state lists it, is
        that rule) and ``azurerm_virtual_network`` (its ``address_space``); the attributes are the REST members'
        in snake case (registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/
        network_security_group, network_security_rule)."""
        terraform.report_after_apply(self.lines, data, _TF_TYPES, _TF_COMPUTED)
        found = terraform.resources(data, self.path)
        by_name: dict[tuple[str, str], _Nsg] = {}
        self.tf_places(found)
        for typ, v, line in found:
            if typ == "azurerm_virtual_network":
                self.vnet_prefixes(v.get("address_space"))
            elif typ == "azurerm_network_security_group":
                name = str(v.get("name") or "nsg-%d" % (len(nsgs) + 1))
                nsg = _Nsg(name, line, v.at("name"))
                rules = v.get("security_rule")
                if isinstance(rules, list):
                    nsg.rules = [(_tf_rule(r), line_of(rules, i), False) if isinstance(r, JObj) else
                                 (r, line_of(rules, i), False) for i, r in enumerate(rules)]
                elif rules is not None:
                    self.lines.unrecognized_at(v.at("security_rule"), "security_rule is not a list", Impact.GLOBAL)
                nsgs.append(nsg)
                by_name[(name, str(v.get("resource_group_name", "")))] = nsg
        for typ, v, line in found:
            if typ != "azurerm_network_security_rule":
                continue
            key = (str(v.get("network_security_group_name", "")), str(v.get("resource_group_name", "")))
            nsg = by_name.get(key)
            if nsg is None:
                # an NSG whose own resource is not in the input: its other rules are not either
                nsg = by_name[key] = _Nsg(key[0] or "nsg-%d" % (len(nsgs) + 1), line,
                                          v.at("network_security_group_name"))
                nsg.unknown.append((nsg.name_line, "NSG %s: only some of its rules are in the input "
                                                   "(azurerm_network_security_rule without its NSG)" % nsg.name))
                nsgs.append(nsg)
            rule = _tf_rule(v, skip=_TF_RULE_OWN)
            if any(isinstance(r, JObj) and str(r.get("name", "")).lower() == str(rule.get("name", "")).lower()
                   and rule.get("name") for r, _l, _d in nsg.rules):
                self.lines.ignore_at(line, "the NSG's security_rule list holds this rule")
                continue
            nsg.rules.append((rule, line, False))

    def tf_places(self, found: list) -> None:
        """Terraform's placing of NSGs (``place``): ``azurerm_subnet`` (``address_prefixes``) with
        ``azurerm_subnet_network_security_group_association`` (``subnet_id``, ``network_security_group_id``), and
        ``azurerm_network_interface`` (``ip_configuration[].private_ip_address``) with
        ``azurerm_network_interface_security_group_association`` (registry.terraform.io/providers/hashicorp/azurerm/
        latest/docs/resources/subnet_network_security_group_association).  A subnet or interface without an
        association in the input places nothing: one may be made outside this state.  Values known only after apply
        (a plan's) place nothing."""
        nsg_of: dict[str, str | None] = {}
        for typ, v, _line in found:
            key = {"azurerm_subnet_network_security_group_association": "subnet_id",
                   "azurerm_network_interface_security_group_association": "network_interface_id"}.get(typ)
            target = v.get(key) if key else None
            if isinstance(target, str):
                ref = v.get("network_security_group_id")
                nsg_of[target.lower()] = _nsg_id(ref) if isinstance(ref, str) else None
        for typ, v, _line in found:
            kind = {"azurerm_subnet": "subnet", "azurerm_network_interface": "nic"}.get(typ)
            rid = v.get("id")
            if kind is None or not isinstance(rid, str):
                continue
            nsg = nsg_of.get(rid.lower())
            if nsg is None:
                continue  # (no association in the input: one may be made elsewhere, another state, the portal)
            if kind == "subnet":
                obj = _obj_of({"addressPrefixes": v.get("address_prefixes")})
            else:
                confs = v.get("ip_configuration")
                obj = _obj_of({"ipConfigurations": [{"privateIPAddress": c.get("private_ip_address")}
                                                    for c in (confs if isinstance(confs, list) else [])
                                                    if isinstance(c, dict)] or None})
            self.place(kind, obj, nsg)

    def effective(self, obj: JObj, nsgs: list[_Nsg]) -> None:
        """One NSG of ``az network nic list-effective-nsg`` (the REST ``effectiveNetworkSecurityGroups``): its
        rules as applied to the interface, default ones included, tags expanded into prefixes."""
        ref = obj.get("networkSecurityGroup")
        rid = str(ref.get("id", "")) if isinstance(ref, JObj) else ""
        name = rid.rstrip("/").rsplit("/", 1)[-1] or "nsg-%d" % (len(nsgs) + 1)
        nsg = _Nsg(name, obj.line, ref.line if isinstance(ref, JObj) else obj.line)
        nsg.effective = True
        rules = obj["effectiveSecurityRules"]
        for i, r in enumerate(rules):
            default = isinstance(r, JObj) and str(r.get("name", "")).lower().startswith("defaultsecurityrules/")
            nsg.rules.append((r, line_of(rules, i), default))
        nsgs.append(nsg)

    def one(self, obj: Any, line: int, nsgs: list[_Nsg]) -> None:
        if not isinstance(obj, JObj):
            self.lines.unrecognized_at(line, "not an NSG object", Impact.GLOBAL)
            return
        if isinstance(obj.get("effectiveSecurityRules"), list):
            self.effective(obj, nsgs)
            return
        typ = str(obj.get("type", "")).lower()
        if typ == VNET_TYPE:
            self.lines.ignore_at(line, "a virtual network (where its subnets' NSGs are)")
            self.vnet(obj)
            return
        if typ in (NIC_TYPE, SUBNET_TYPE):
            self.place_resource(typ, obj, line)
            return
        props = obj.get("properties") if isinstance(obj.get("properties"), JObj) else obj
        if not ("securityRules" in props or "defaultSecurityRules" in props or typ == NSG_TYPE):
            self.lines.unrecognized_at(line, "not a network security group", Impact.GLOBAL)
            return
        name = str(obj.get("name") or "nsg-%d" % (len(nsgs) + 1))
        nsg = _Nsg(name, obj.line, obj.at("name"))
        if isinstance(props, JObj) and isinstance(props.get("provisioningState"), str):
            nsg.state = props["provisioningState"]
        loops = props.get("copy") if isinstance(props, JObj) else None
        if loops is not None:
            # an ARM property loop builds (part of) the rule list from parameters the input does not hold
            # (learn.microsoft.com/azure/azure-resource-manager/templates/copy-properties)
            nsg.unknown.append((props.at("copy"), "ARM template property loop ('copy') builds rules that are "
                                                  "not evaluated"))
        held = [k for k in ("subnets", "networkInterfaces") if isinstance(props.get(k), list) and props.get(k)]
        nsg.lists = {"subnet" if k == "subnets" else "nic" for k in held}
        if len(held) == 1:
            nsg.bound = "subnet" if held == ["subnets"] else "nic"
        for key, kind in (("subnets", "subnet"), ("networkInterfaces", "nic")):
            for x in props.get(key) if isinstance(props.get(key), list) else []:
                self.place(kind, x, name.lower())
        for key, default in (("securityRules", False), ("defaultSecurityRules", True)):
            rules = props.get(key, [])
            if not isinstance(rules, list):
                self.lines.unrecognized_at(props.at(key), "%s is not a list" % key, Impact.GLOBAL)
                continue
            nsg.rules.extend((r, line_of(rules, i), default) for i, r in enumerate(rules))
        nsgs.append(nsg)

    def template(self, resources: Any, nsgs: list[_Nsg], children: list[JObj]) -> None:
        """An ARM template's resources: NSGs, their child rule resources, virtual networks, nested
        deployments' inline templates (their resources deploy with the outer ones)."""
        if isinstance(resources, JObj):  # languageVersion 2.0 (Bicep): resources by symbolic name
            items = [(res, resources.at(k)) for k, res in resources.items()]
        else:
            items = [(res, line_of(resources, i)) for i, res in enumerate(resources)]
        for res, line in items:
            if not isinstance(res, JObj):
                self.lines.unrecognized_at(line, "resource is not an object", Impact.NONE)
                continue
            typ = str(res.get("type", "")).lower()
            if typ == NSG_TYPE:
                self.one(res, res.line, nsgs)
                for sub in (res.get("resources", []) if isinstance(res.get("resources"), list) else []):
                    if isinstance(sub, JObj) and str(sub.get("type", "")).lower() in (RULE_TYPE, "securityrules"):
                        nsgs[-1].rules.append((sub, sub.line, False))
            elif typ == RULE_TYPE:
                children.append(res)
            elif typ == VNET_TYPE:
                self.vnet(res)
            elif typ in (NIC_TYPE, SUBNET_TYPE):
                # (a subnet as a child resource of its virtual network, named 'VNET/SUBNET')
                self.place_resource(typ, res, res.line)
            elif typ == DEPLOYMENT_TYPE:
                props = res.get("properties")
                inner = props.get("template") if isinstance(props, JObj) else None
                if isinstance(inner, JObj) and isinstance(inner.get("resources"), (list, JObj)):
                    self.lines.ignore_at(res.line, "nested deployment (its inline template is read)")
                    self.template(inner["resources"], nsgs, children)
                else:
                    # a linked template (templateLink) deploys resources the input does not hold: NSGs or
                    # rules among them would change the verdicts
                    self.lines.unrecognized_at(res.line, "nested deployment without an inline template (linked "
                                                         "template not in the input)", Impact.GLOBAL)
            else:
                self.lines.ignore_at(res.line, "ARM template resource that is not an NSG or a virtual network")

    def attach(self, children: list[JObj], nsgs: list[_Nsg]) -> None:
        """Child ``securityRules`` resources to their NSG, named ``nsg/rule`` (a literal, or a ``concat``
        or ``format`` of literals, as Bicep writes them)."""
        for res in children:
            full = _arm_name(res.get("name"))
            if full is not None:
                parent = full.split("/")[0]
                target = next((n for n in nsgs if n.name == parent), None)
                if target is None:
                    self.lines.unrecognized_at(res.at("name"), "security rule of an NSG that is not in the input "
                                                               "('%s')" % parent, Impact.NONE)
                    continue
                target.rules.append((res, res.line, False))
                continue
            # a name computed from parameters or variables: the NSG whose own name expression it uses, or,
            # when that cannot be told, every NSG of the input may hold the rule
            expr = str(res.get("name", ""))
            same = [n for n in nsgs if _is_expr(n.name) and n.name[1:-1].strip() in expr]
            if len(same) == 1:
                same[0].rules.append((res, res.line, False))
                continue
            for n in same or nsgs:
                n.unknown.append((res.at("name"), "security rule resource whose NSG is named by an expression "
                                                  "('%s') that is not evaluated" % expr))

    def vnet(self, obj: JObj) -> None:
        self.seen_places = True
        props = obj.get("properties") if isinstance(obj.get("properties"), JObj) else obj
        space = props.get("addressSpace") if isinstance(props, JObj) else None
        self.vnet_prefixes(space.get("addressPrefixes", []) if isinstance(space, JObj) else [])
        subnets = props.get("subnets") if isinstance(props, JObj) else None
        for sn in subnets if isinstance(subnets, list) else []:
            self.place("subnet", sn, None)

    def place_resource(self, typ: str, obj: JObj, line: int) -> None:
        """A network interface or subnet resource (``NIC_TYPE``, ``SUBNET_TYPE``) at ``line``: not an NSG, where
        its NSG is (``place``)."""
        kind = "nic" if typ == NIC_TYPE else "subnet"
        self.lines.ignore_at(line, "a network interface (where its NSG is)" if kind == "nic" else
                             "a subnet (where its NSG is)")
        self.seen_places = True
        self.place(kind, obj, None)

    def place(self, kind: str, obj: Any, nsg: str | None) -> None:
        """Where the input says an NSG is: a subnet (``addressPrefix``/``addressPrefixes``) or a network interface
        (``ipConfigurations[].privateIPAddress``), in the REST/ARM shape (under ``properties``) or the CLI's, with
        its ``networkSecurityGroup`` (none: the subnet or interface has no NSG), or ``nsg``, the NSG whose
        ``subnets``/``networkInterfaces`` list holds it.  Anything not literal (an ARM expression) places nothing."""
        if not isinstance(obj, JObj):
            return
        props = obj.get("properties") if isinstance(obj.get("properties"), JObj) else obj
        if kind == "nic":
            self.members(props)
        if nsg is None:
            nsg = _nsg_ref(props.get("networkSecurityGroup"))
            if nsg is None:
                return
        values: list = []
        if kind == "subnet":
            one, many = props.get("addressPrefix"), props.get("addressPrefixes")
            values = ([one] if one is not None else []) + (many if isinstance(many, list) else [])
        else:
            configs = props.get("ipConfigurations")
            for c in configs if isinstance(configs, list) else []:
                cp = c.get("properties") if isinstance(c, JObj) and isinstance(c.get("properties"), JObj) else c
                values.append(cp.get("privateIPAddress") if isinstance(cp, JObj) else None)
        got = EMPTY
        for v in values:
            if not isinstance(v, str) or _is_expr(v):
                return
            try:
                got = got.union(cidr_set(v))
            except ValueError:
                return
        if got:
            self.where.append((kind, got, nsg))

    def members(self, props: JObj) -> None:
        """The application security groups a network interface's IP configurations are in
        (``ipConfigurations[].applicationSecurityGroups[].id``, as ``az network nic list`` and the REST/ARM resource
        give them), with each configuration's literal ``privateIPAddress``: members of the groups, as the rules
        naming them match them ("you can group virtual machines and define network security policies based on
        those groups", learn.microsoft.com/azure/virtual-network/application-security-groups)."""
        configs = props.get("ipConfigurations")
        for c in configs if isinstance(configs, list) else []:
            cp = c.get("properties") if isinstance(c, JObj) and isinstance(c.get("properties"), JObj) else c
            if not isinstance(cp, JObj) or not isinstance(cp.get("privateIPAddress"), str):
                continue
            try:
                addr = cidr_set(cp["privateIPAddress"]) if not _is_expr(cp["privateIPAddress"]) else None
            except ValueError:
                addr = None
            asgs = cp.get("applicationSecurityGroups")
            for a in asgs if isinstance(asgs, list) and addr is not None else []:
                name = _asg_name(a.get("id")) if isinstance(a, JObj) else None
                if name is not None:
                    self.asg_members.append((name, addr))

    def vnet_prefixes(self, prefixes) -> None:
        """A virtual network's address prefixes (an ARM ``addressPrefixes``, Terraform's ``address_space``),
        added to what the VirtualNetwork tag holds."""
        for i, p in enumerate(prefixes if isinstance(prefixes, list) else []):
            try:
                self.vnet_space = self.vnet_space.union(cidr_set(p))
            except (ValueError, TypeError):
                self.lines.unrecognized_at(line_of(prefixes, i), "virtual network address prefix not understood "
                                                                 "(VirtualNetwork tag)", Impact.NONE)

    # --- build ---------------------------------------------------------------------------------------
    def build(self) -> Config:
        from parsers.kit import InputError

        data = self.lines.data
        if isinstance(data, JObj) and isinstance(data.get("networkInterfaces"), list) and any(
                isinstance(x, JObj) and "securityRuleAssociations" in x for x in data["networkInterfaces"]):
            # Network Watcher's security group view (REST networkWatchers/securityGroupView, SecurityRuleAssociations:
            # the NIC's and the subnet's NSG rules, the default rules and one list of effective rules for the VM):
            # which NSG each effective rule belongs to, and so the stages, the view does not say
            raise InputError("%s: an Azure Network Watcher security group view (`az network watcher "
                             "show-security-group-view`), which is not read: give `az network nic list-effective-nsg` "
                             "for the server's network interface" % self.path)
        nsgs = self.collect(data)
        if not nsgs and self.seen_places and not self.given:
            # 'az network vnet list', 'az network nic list' (or subnet list) in a file of their own: where the NSGs of
            # the run's other inputs are (``combine``)
            return Config(path=self.path, vendor=NAME, lines=len(self.lines), filters={}, paths=(),
                          diagnostics=tuple(self.lines.diagnostics), ignored_lines=self.lines.ignored,
                          head=self.lines.head(), aux=AzurePlaces(tuple(self.where), self.vnet_space,
                                                                       tuple(self.asg_members)))
        if not nsgs:
            raise InputError("%s: not Azure network security group JSON (no securityRules found)" % self.path)
        self.private = PRIVATE_SPACE.union(self.vnet_space)
        self.public = tuple((f, f.subtract(self.private)) for f in (ALL_V4, ALL_V6))
        self.internet = ALL_ADDR.subtract(self.vnet_space)
        stages: dict[str, list[Stage]] = {"Inbound": [], "Outbound": []}
        seen: set[str] = set()
        for nsg in nsgs:
            base = nsg.name
            k = 2
            while nsg.name in seen:
                nsg.name = "%s#%d" % (base, k)
                k += 1
            seen.add(nsg.name)
            per_dir = self.nsg_rules(nsg)
            for direction, word in (("Inbound", "inbound"), ("Outbound", "outbound")):
                fname = "%s %s" % (nsg.name, word)
                ordered = [r for _, _, r in sorted(per_dir[direction], key=lambda t: (t[0], t[1]))]
                rules = tuple(Rule(fname, i, *r) for i, r in enumerate(ordered))
                self.filters[fname] = Filter(fname, rules, self.lines.at(nsg.name_line), kind="nsg")
                last = rules[-1].source if rules else self.lines.at(nsg.name_line)
                stages[direction].append(Stage("NSG %s %s" % (nsg.name, word), (fname,), Action.DENY, last,
                                               "no %s rule of NSG %s allows it" % (word, nsg.name)))
        own = {d: tuple(v) for d, v in stages.items()}
        # (an NSG that only subnets, or only interfaces, of the input name as theirs is bound to them too)
        for nsg in nsgs:
            kinds = {kind for kind, _a, n in self.where if n and n == nsg.name.lower()}
            if not nsg.bound and len(kinds) == 1:
                nsg.bound = kinds.pop()
        # An interface, and its subnet, have one NSG each ("You can associate zero, or one, network security
        # group to each virtual network subnet and network interface in a virtual machine", Microsoft, "How
        # network security groups filter network traffic": https://learn.microsoft.com/azure/virtual-network/
        # network-security-group-how-it-works), and 'az network nsg list' lists every NSG of the subscription:
        # NSGs the input says are associated with subnets only (interfaces only) are alternatives, the host
        # behind one of them, not known which
        told: dict[int, int] = {}  # side (0 subnets, 1 interfaces) -> the position of the finding naming them
        for side, (bound, word) in enumerate((("subnet", "subnets"), ("nic", "network interfaces"))):
            alts = [i for i, nsg in enumerate(nsgs) if nsg.bound == bound]
            if len(alts) < 2:
                continue
            names = ", ".join(nsgs[i].name for i in alts)
            why = ("denied by this NSG, permitted by another NSG of %s in the input, and which one is the host's is "
                   "not in the input" % word)
            for direction in stages:
                got = one_of(self.filters, [(stages[direction][i],) for i in alts], why)
                for i, st in zip(alts, got):
                    stages[direction][i] = st
            self.lines.report("CFG300", "the input holds %d NSGs associated with %s (%s) and does not say which one is "
                                        "the audited host's (a subnet or network interface has one NSG): a flow is "
                                        "taken as permitted only where every one of them permits it, denied only "
                                        "where every one denies it, unknown otherwise (give the host's NSGs only: "
                                        "'az network nic list-effective-nsg', or the virtual networks' subnets and "
                                        "the interfaces in the same input)" % (len(alts), word, names),
                              self.lines.at(nsgs[alts[0]].name_line), Impact.FILTER, "NSGs")
            told[side] = len(self.lines.diagnostics) - 1
        paths = self.placed(nsgs, own, stages, told)
        timeouts = (
            Timeout(TCP_PACKETS, AZURE_LB_IDLE, None, label="Azure Load Balancer default idle timeout (4 min; "
                                                         "IdleTimeoutInMinutes 4-100, optional TCP reset)",
                    default=True, through="azure-load-balancer"),
            Timeout(TCP_PACKETS, AZURE_NAT_IDLE, None, label="Azure NAT Gateway default idle timeout (4 min; "
                                                          "4-120 configurable)",
                    default=True, through="azure-nat-gateway"),
        )
        return Config(
            path=self.path, vendor=NAME, lines=len(self.lines), filters=self.filters, paths=paths,
            verdicts_only=True,  # (an NSG rule allows or denies)
            timeouts=timeouts, diagnostics=tuple(self.lines.diagnostics), address_refs=tuple(self.address_refs),
            ignored_lines=self.lines.ignored, head=self.lines.head(), aux=AzureNsgs(self.text),
            # (168.63.129.16, "the virtual public IP address of the host": Azure's health probes, DHCP and DNS;
            # Microsoft, "What is IP address 168.63.129.16?")
            platform_sources=AZURE_LB_VIP,
        )

    def placed(self, nsgs: list[_Nsg], own: dict, every: dict, told: dict[int, int]) -> tuple[Path, ...]:
        """The paths: packets to (from) an address the input places, in a subnet (``addressPrefix``) or on a network
        interface (``privateIPAddress``) whose NSG it names or says is none (``self.where``), meet that NSG only; a
        packet from (to) another such address meets that one's NSGs too, outbound (inbound).  Microsoft, "How network
        security groups filter network traffic" (https://learn.microsoft.com/azure/virtual-network/
        network-security-group-how-it-works): "You can associate zero, or one, network security group to each
        virtual network subnet and network interface"; inbound, "Azure processes the rules in a network security
        group associated to a subnet first ... and then the rules in a network security group associated to the
        network interface", outbound the interface's first, then the subnet's; "Security rules in an NSG associated
        to a subnet can affect connectivity between VMs within it".  Every other address keeps ``every`` (each NSG
        a stage, those bound to subnets, or interfaces, alternatives: ``one_of``).  An NSG the input names but does
        not hold makes its packets unknown.  ``told``: the findings naming the subnets' (0) or interfaces' (1) NSGs as
        alternatives, by position, made moot for the hosts whose NSG of that side the input places."""
        index: dict[str, int] = {}
        names = [n.name.split("#")[0].lower() for n in nsgs]
        for i, n in enumerate(names):
            if names.count(n) == 1:
                index[n] = i
        alt = ("alt",)
        extra: dict[str, Stage] = {}

        def choice(name: str) -> tuple:
            if not name:
                return ("none",)
            return ("nsg", index[name]) if name in index else ("missing", name)

        def overlaps_removed(kind: str) -> list[tuple[ISet, tuple]]:
            got = [(a, choice(n)) for k, a, n in self.where if k == kind]
            out = []
            for i, (a, ch) in enumerate(got):
                for j, (b, other) in enumerate(got):
                    if i != j and other != ch:
                        a = a.subtract(b)  # (said twice, otherwise: not placed)
                if a:
                    out.append((a, ch))
            return out

        subnets, nics = overlaps_removed("subnet"), overlaps_removed("nic")
        if not subnets and not nics:
            return (Path(None, None, tuple(every["Inbound"]), local="in"),
                    Path(None, None, tuple(every["Outbound"]), local="out"))
        regions: dict[tuple, ISet] = {}
        nic_all = EMPTY
        for a, ch in nics:
            nic_all = nic_all.union(a)
            rest = a
            for sa, sch in subnets:
                part = rest.intersect(sa)
                if part:
                    regions[(sch, ch)] = regions.get((sch, ch), EMPTY).union(part)
                    rest = rest.subtract(sa)
            if rest:
                regions[(alt, ch)] = regions.get((alt, ch), EMPTY).union(rest)
        for sa, sch in subnets:
            rest = sa.subtract(nic_all)
            if rest:
                regions[(sch, alt)] = regions.get((sch, alt), EMPTY).union(rest)
        bound = {b: [i for i, n in enumerate(nsgs) if n.bound == b] for b in ("", "subnet", "nic")}
        # (the finding naming the subnets' (interfaces') NSGs as alternatives says nothing of a host whose subnet's
        # (interface's) NSG the input places)
        for side, at in told.items():
            placed = ISet.union_of([r for k, r in regions.items() if k[side] != alt] or [EMPTY])
            if placed:
                self.lines.diagnostics[at] = replace(self.lines.diagnostics[at], moot_for=placed)

        unsure: dict[tuple[str, str], tuple] = {}

        def unplaced(kind: str, d: str) -> tuple:
            # the stages of a subnet (interface) whose NSG the input does not say: none, or one of those the input
            # says are associated with subnets (interfaces) it does not place by address: 'az network nsg list' names
            # an NSG's interfaces by ID only, and 'az network nic list' gives their addresses
            if (kind, d) not in unsure:
                cands = [i for i, n in enumerate(nsgs) if kind in n.lists or n.bound == kind]
                why = ("denied by this NSG, which may be the %s's (the input names its %ss, not by address), or it has "
                       "none" % ("subnet" if kind == "subnet" else "network interface",
                                 "subnet" if kind == "subnet" else "network interface"))
                unsure[(kind, d)] = tuple(one_of(self.filters, [()] + [(own[d][i],) for i in cands], why,
                                                 "one of several or none")) if cands else ()
            return unsure[(kind, d)]

        def part(ch: tuple, kind: str, d: str, far: bool) -> tuple:
            if ch[0] == "nsg":
                return (own[d][ch[1]],)
            if ch[0] == "missing":
                key = (ch[1], d)
                if key not in extra:
                    word = d.lower()
                    fname = "NSG %s %s (not in the input)" % (ch[1], word)
                    src = self.lines.head() or self.lines.at(1)
                    self.filters[fname] = Filter(fname, (Rule(fname, 0, Action.DENY, NOTHING, src, maybe=ALL,
                                                              opaque=True, note="NSG %s is not in the input" % ch[1]),),
                                                 src, kind="derived")
                    extra[key] = Stage("NSG %s %s" % (ch[1], word), (fname,), Action.PERMIT, src,
                                       "NSG %s is not in the input" % ch[1])
                return (extra[key],)
            if ch[0] == "none":
                return ()
            if far or kind == "nic":
                return unplaced(kind, d)  # (the other end's, or the host's interface)
            return tuple(every[d][i] for i in bound[kind])  # (the audited host's subnet: one of the subnets' NSGs)

        def loose(d: str) -> tuple:
            # the NSGs the input binds to nothing it places (neither subnets only nor interfaces only): each may be
            # the host's, or not be (an NSG associated with nothing filters nothing), unless both of its NSGs are
            # known: permitted where each permits, unknown where one denies (a deny taken as certain would hide an
            # exposure, PRN150)
            if ("loose", d) not in unsure:
                why = "denied by this NSG, which the input does not place: it may be the host's, or filter nothing"
                unsure[("loose", d)] = tuple(one_of(self.filters, [()] + [(own[d][i],) for i in bound[""]], why,
                                                    "may apply")) if bound[""] else ()
            return unsure[("loose", d)]

        def host(k: tuple, d: str) -> tuple:
            loose_ = loose(d) if alt in k else ()
            sub, nic = part(k[0], "subnet", d, False), part(k[1], "nic", d, False)
            return loose_ + (sub + nic if d == "Inbound" else nic + sub)

        def far(k: tuple, d: str) -> tuple:
            sub, nic = part(k[0], "subnet", d, True), part(k[1], "nic", d, True)
            return sub + nic if d == "Inbound" else nic + sub

        def path(local: str, stages: tuple, scope) -> Path:
            if not stages:
                return Path(None, None, (), crosses=False, local=local, scope=scope,
                            note="no NSG is associated with the subnet or the network interface of either end")
            return Path(None, None, stages, local=local, scope=scope)

        ins, outs = [], []
        for k, r in regions.items():
            for f, fr in regions.items():
                ins.append(path("in", far(f, "Outbound") + host(k, "Inbound"), PacketSet([cube(src=fr, dst=r)])))
                outs.append(path("out", host(k, "Outbound") + far(f, "Inbound"), PacketSet([cube(src=r, dst=fr)])))
            ins.append(path("in", host(k, "Inbound"), PacketSet([cube(dst=r)])))
            outs.append(path("out", host(k, "Outbound"), PacketSet([cube(src=r)])))
        for f, fr in regions.items():
            ins.append(path("in", far(f, "Outbound") + tuple(every["Inbound"]), PacketSet([cube(src=fr)])))
            outs.append(path("out", tuple(every["Outbound"]) + far(f, "Inbound"), PacketSet([cube(dst=fr)])))
        ins.append(Path(None, None, tuple(every["Inbound"]), local="in"))
        outs.append(Path(None, None, tuple(every["Outbound"]), local="out"))
        return tuple(ins + outs)

    def nsg_rules(self, nsg: _Nsg) -> dict[str, list[tuple[int, int, tuple]]]:
        """direction -> [(priority, order, Rule args after (filter, index))]."""
        out: dict[str, list[tuple[int, int, tuple]]] = {"Inbound": [], "Outbound": []}
        present = set()
        # rule name (lower case) -> where its rules are, [(direction, index in out[direction])]
        names_seen: dict[str, list[tuple[str, int]]] = {}
        prio_seen: dict[tuple[str, int], int] = {}  # (direction, priority) -> the index in out[direction]
        for order, (r, line, is_default) in enumerate(nsg.rules):
            if not isinstance(r, JObj):
                self.lines.unrecognized_at(line, "security rule is not an object", Impact.FILTER, nsg.name)
                for d in out:
                    out[d].append((-1, order, _opaque(self.lines.at(line))))
                continue
            name = (_arm_name(r.get("name")) or str(r.get("name", ""))).split("/")[-1]
            twice = False
            if is_default:
                present.add(name.lower())
            elif name and name.lower() in names_seen:
                # "Name: A unique name within the network security group" (learn.microsoft.com/azure/
                # virtual-network/network-security-groups-overview, "Security rules"): Azure refuses one of the
                # rules (or the whole NSG), so which one the NSG holds is not known: both are unknown
                twice = True
                self.lines.unrecognized_at(r.at("name"), "rule name '%s' is used twice in NSG %s (Azure rejects this): "
                                                         "both rules are taken as unknown" % (name, nsg.name),
                                           Impact.FILTER, nsg.name)
                for d, at in names_seen[name.lower()]:
                    out[d][at] = out[d][at][:2] + (_opaque(out[d][at][2][2]),)
            rline = r.at("name") if "name" in r else r.line
            got = self.rule(r, rline, nsg.name, is_default, nsg.effective)
            if got is None:
                continue
            if not is_default:
                got = self.unsettled(r, rline, nsg, got)
            direction, prio, args = got
            if twice:
                args = _opaque(args[2])
            for d in ((direction,) if direction else ("Inbound", "Outbound")):
                key = (d, prio)
                if prio >= 0 and key in prio_seen and not is_default:
                    # "You can't create two security rules with the same priority and direction"
                    # (learn.microsoft.com/azure/virtual-network/network-security-groups-overview, "Security
                    # rules"): Azure refuses one of them (or the whole template), so which of the two the NSG
                    # holds is not known: both are unknown at that priority
                    self.lines.unrecognized_at(rline, "priority %d is used twice in %s (Azure rejects this): both "
                                                      "rules are taken as unknown" % (prio, d.lower()),
                                               Impact.FILTER, nsg.name)
                    first = prio_seen[key]
                    out[d][first] = out[d][first][:2] + (_opaque(out[d][first][2][2]),)
                    args = _opaque(args[2])
                elif not is_default:
                    prio_seen[key] = len(out[d])
                if name and not is_default:
                    names_seen.setdefault(name.lower(), []).append((d, len(out[d])))
                out[d].append((prio, order, args))
        # default rules the input does not list still exist
        for line, why in nsg.unknown:
            # rules whose place and content are unknown: first, so that nothing after them is trusted
            self.lines.unrecognized_at(line, why, Impact.FILTER, nsg.name)
            for d in out:
                out[d].append((-1, -1, _opaque(self.lines.at(line))))
        anchor = self.lines.at(nsg.name_line)
        for k, (name, prio, direction, access, s, d) in enumerate(DEFAULT_RULES):
            if name.lower() in present or nsg.effective:
                continue
            props = {"protocol": "*", "sourcePortRange": "*", "destinationPortRange": "*", "sourceAddressPrefix": s,
                     "destinationAddressPrefix": d, "access": access, "priority": prio, "direction": direction}
            got = self.rule_props(props, anchor, nsg.name, note="Azure default rule %s (not in the input)" % name,
                                  name=name, builtin=True)
            if got is not None:
                out[direction].append((prio, 10 ** 6 + k, got[2]))
        return out

    def unsettled(self, r: JObj, rline: int, nsg: _Nsg, got: tuple) -> tuple:
        """A rule whose ``provisioningState`` (its own, else its NSG's) is not ``Succeeded``: "Updating: Resource is
        being created or updated. Failed: Last operation on the resource wasn't successful. ... Deleting: Resource
        is being deleted" (learn.microsoft.com/azure/networking/troubleshoot-failed-state, "Provisioning states").
        The input shows what was asked for, not what is in force: a rule being deleted may still match its packets
        or be gone (its match uncertain, its action kept), and one whose creation or update failed, or is under
        way, may be absent or hold its earlier values, which the input does not give (unknown, like a rule not
        understood, at its priority).  ``got`` as ``rule`` gives it, amended."""
        props = r.get("properties") if isinstance(r.get("properties"), JObj) else r
        own = props.get("provisioningState") if isinstance(props, JObj) else None
        state = str(own if isinstance(own, str) else nsg.state)
        if state.lower() not in ("failed", "updating", "deleting"):
            return got
        direction, prio, args = got
        whose = "rule" if isinstance(own, str) else "NSG %s" % nsg.name
        at = props.at("provisioningState") if isinstance(own, str) else rline
        if state.lower() == "deleting":
            self.lines.unrecognized_at(at, "the %s is being deleted (provisioningState Deleting): the rule may be in "
                                           "force or gone, so the packets it matches are unknown" % whose,
                                       Impact.FILTER, nsg.name)
            return direction, prio, (args[0], NOTHING, args[2], args[3], args[1].union(args[4])) + args[5:]
        self.lines.unrecognized_at(at, "the %s's last operation %s (provisioningState %s): the rule may be absent or "
                                       "hold its earlier values, which the input does not give, so it is taken as "
                                       "unknown" % (whose, "failed" if state.lower() == "failed" else "is under way",
                                                    state), Impact.FILTER, nsg.name)
        return direction, prio, _opaque(args[2], args[0])

    def rule(self, r: JObj, rline: int, scope: str, builtin: bool = False, effective: bool = False):
        """(direction or None for unknown, priority, Rule args) of one rule object, or None."""
        props = r.get("properties") if isinstance(r.get("properties"), JObj) else None
        if props is None:
            props = r  # az CLI flattens the properties
            allowed = _RULE_PROPS | _RULE_OUTER
        else:
            allowed = _RULE_PROPS
            for k in r:
                if k not in _RULE_OUTER:
                    self.lines.unrecognized_at(r.at(k), "unknown security rule key '%s'" % k, Impact.FILTER, scope)
                    return _unknown_direction(props), -1, _opaque(self.lines.at(r.at(k)))
        for k in props:
            if k == "additionalProperties" and props[k] == {}:
                continue  # the Python SDK's (msrest) unmatched reply fields, here none ('az ... list-effective-nsg')
            if k not in allowed:
                self.lines.unrecognized_at(props.at(k), "unknown security rule property '%s': the rule is taken as "
                                                        "unknown" % k, Impact.FILTER, scope)
                return _unknown_direction(props), _prio(props), _opaque(self.lines.at(rline))
        for k, v in props.items():
            if k.endswith(("AddressPrefix", "AddressPrefixes", "description")):
                continue  # an address expression only makes the addresses uncertain
            if _is_expr(v) or (isinstance(v, list) and any(_is_expr(x) for x in v)):
                self.lines.unrecognized_at(props.at(k), "ARM template expression in '%s' is not evaluated: the rule "
                                                        "is taken as unknown" % k, Impact.FILTER, scope)
                return _unknown_direction(props), _prio(props), _opaque(self.lines.at(rline))
        name = _arm_name(r.get("name")) or str(r.get("name", ""))
        return self.rule_props(props, self.lines.at(rline), scope, name=name, builtin=builtin, effective=effective)

    def rule_props(self, props: dict, s: Source, scope: str, note: str = "", name: str = "", builtin: bool = False,
                   effective: bool = False):
        direction = str(props.get("direction", "")).capitalize()
        if direction not in ("Inbound", "Outbound"):
            self.lines.unrecognized_at(s.line, "bad direction '%s'" % props.get("direction"), Impact.FILTER, scope)
            return None, -1, _opaque(s)
        prio = _prio(props)
        if prio < 0:
            self.lines.unrecognized_at(s.line, "bad priority '%s': the rule is taken as unknown, ahead of the others"
                                       % props.get("priority"), Impact.FILTER, scope)
            return direction, -1, _opaque(s)
        if not builtin and not 100 <= prio <= 4096:
            # "Priority: a number between 100 and 4096" (learn.microsoft.com/azure/virtual-network/
            # network-security-groups-overview, "Security rules"): Azure rejects the rule (a template holding
            # it does not deploy), so what the NSG holds instead is not known
            self.lines.unrecognized_at(s.line, "priority %d is outside 100-4096 (Azure rejects this rule): the "
                                       "rule is taken as unknown" % prio, Impact.FILTER, scope)
            return direction, prio, _opaque(s)
        access = str(props.get("access", "")).lower()
        if access not in ("allow", "deny"):
            self.lines.unrecognized_at(s.line, "bad access '%s'" % props.get("access"), Impact.FILTER, scope)
            return direction, prio, _opaque(s)
        action = Action.PERMIT if access == "allow" else Action.DENY
        try:
            if not effective:  # (the effective rules, Azure's own report, give both)
                for key, plural in _PLURALS.items():
                    _one_of(props, key, plural)
            sport = self.ports(props, "sourcePort")
            dport = self.ports(props, "destinationPort")
            protos = _protocols(props.get("protocol"), sport, dport)
        except ValueError as e:
            self.lines.unrecognized_at(s.line, "rule not understood: %s" % e, Impact.FILTER, scope)
            return direction, prio, _opaque(s, action)
        sa, sm, s_why = self.addresses(props, "source", s, local=direction == "Outbound")
        da, dm, d_why = self.addresses(props, "destination", s, local=direction == "Inbound")
        why = s_why + d_why
        match = PacketSet([cube(sa, da, p, sp, dp) for p, sp, dp, sure in protos if sure]) if sa and da else NOTHING
        maybe = NOTHING
        if sm or dm or not all(t[3] for t in protos):
            maybe = PacketSet([cube(sa.union(sm), da.union(dm), p, sp, dp) for p, sp, dp, _ in protos])
            maybe = maybe.subtract(match) if match else maybe
            if not all(t[3] for t in protos):
                why.append("protocol '%s' with port ranges is only certain for TCP and UDP" % props.get("protocol"))
        why = list(dict.fromkeys(why))
        if why:
            what = ("default rule %s" if note else "rule %s") % (name or "?")
            self.lines.unrecognized_at(s.line, "%s: %s; packets it could match are reported unknown"
                                       % (what, "; ".join(why)), Impact.FILTER, scope)
        refs = address_refs(sa, s) + address_refs(da, s)
        self.address_refs.extend(refs)
        label = "NSG %s %s rule %s (priority %d): %s %s from %s port %s to %s port %s" % (
            scope, direction.lower(), name.split("/")[-1] or "?", prio, access, props.get("protocol", "*"),
            _words(props, "sourceAddressPrefix"), _words(props, "sourcePortRange"),
            _words(props, "destinationAddressPrefix"), _words(props, "destinationPortRange"))
        # (service tags and application security groups only make its match uncertain: ``Rule.sure_action``)
        return direction, prio, (action, match, s, True, maybe, False, refs, note, ANY_STATE, builtin, label, True)

    def ports(self, props: dict, base: str) -> ISet:
        many = props.get(base + "Ranges")
        one = props.get(base + "Range")
        items = many if isinstance(many, list) and many else ([one] if one is not None else None)
        if items is None:
            raise ValueError("no %sRange" % base)
        out = EMPTY
        for it in items:
            t = str(it).strip()
            if t in ("*", "any", "Any"):
                return ALL_PORTS
            lo, sep, hi = t.partition("-")
            # (ASCII digits: Azure refuses others, which Python's isdecimal and int take, '٤٤٥' or '４４５')
            if not ascii_digits(lo.strip()) or (sep and not ascii_digits(hi.strip())):
                raise ValueError("bad port range '%s'" % t)
            a, b = int(lo), int(hi) if sep else int(lo)
            if not 0 <= a <= b <= MAX_PORT:
                raise ValueError("bad port range '%s'" % t)
            out = out.union(ISet.of(a, b))
        return out

    def addresses(self, props: dict, base: str, s: Source, local: bool = False) -> tuple[ISet, ISet, list[str]]:
        """(certain, possible beyond that, reasons) for the source or destination of a rule; ``local``: the side
        of the NSG's own VMs (an inbound rule's destination, an outbound rule's source)."""
        asgs = props.get(base + "ApplicationSecurityGroups")
        expanded = props.get("expanded%sAddressPrefix" % base.capitalize())
        if isinstance(expanded, list) and expanded and not (local and _literal(props, base)):
            # effective rules: the platform's own expansion of the tag for this interface
            try:
                got = _union(_prefix(str(x).strip()) for x in expanded)
                return got, self.translated(got) if local else EMPTY, []
            except ValueError:
                pass  # (not addresses: read the prefix itself)
        items = _prefix_items(props, base)
        why: list[str] = []
        sure, maybe = EMPTY, EMPTY
        if isinstance(asgs, list) and asgs:
            names = [(_asg_name(a.get("id")) or str(a.get("id", "?"))) if isinstance(a, dict) else str(a)
                     for a in asgs]
            # the members the input gives (``members``) match for certain; an interface it does not list may be one
            sure = ISet.union_of([addr for n, addr in self.asg_members if n in names] or [EMPTY])
            why.append("application security group(s) %s: members not in the input%s" % (
                ", ".join(names), " (beyond the network interfaces it lists with them)" if sure else ""))
            maybe = ALL_ADDR
        elif not items:
            why.append("no %s address" % base)
            maybe = ALL_ADDR
        for it in items:
            t = str(it).strip()
            tag = _TAG_SYNONYMS.get(t.lower(), t.lower())
            if _is_expr(t):
                maybe = ALL_ADDR
                why.append("ARM template expression %s is not evaluated" % t)
            elif tag in ("*", "any"):
                sure = sure.union(ALL_ADDR)
            elif tag == "virtualnetwork" and local:
                # the NSG's own side is always in its virtual network: NSG rules see the VM's private address
                # (inbound after a public address is translated to it, outbound before), which is in the
                # virtual network's address space (learn.microsoft.com/azure/virtual-network/
                # network-security-groups-overview, "Security rules", source or destination)
                sure = sure.union(ALL_ADDR)
            elif tag == "virtualnetwork":
                sure = sure.union(self.vnet_space)
                maybe = maybe.union(ALL_ADDR)
                why.append("service tag %s (address space of virtual networks, peerings and on-premises ranges "
                           "not all in the input)" % t)
            elif tag == "internet":
                maybe = maybe.union(self.internet)
                why.append("service tag %s (public address space, not defined exactly)" % t)
            elif tag == "azureloadbalancer":
                sure = sure.union(AZURE_LB_VIP)
                maybe = maybe.union(ALL_V6)
                why.append("service tag %s (168.63.129.16; IPv6 health-probe sources not defined)" % t)
            else:
                try:
                    got = _prefix(t)
                except ValueError:
                    maybe = ALL_ADDR
                    why.append("service tag '%s' (its address ranges are not in the input)" % t)
                    continue
                public = _public(got, self.private) if local else EMPTY
                if public:
                    # NSG rules see the VM's private address: inbound after Azure translates a public address
                    # to it, outbound before (learn.microsoft.com/azure/virtual-network/
                    # network-security-groups-overview, "Security rules", source or destination). A public
                    # address there never matches; one of a virtual network with public space not in the
                    # input does: which it is, the export does not say
                    maybe = maybe.union(public)
                    why.append("%s %s is not private address space: NSG rules see the VM's private address (a "
                               "public address is translated before inbound rules, after outbound ones), so it "
                               "matches only if it is a virtual network's space" % (base, t))
                    got = got.subtract(public)
                sure = sure.union(got)
        if local:
            maybe = maybe.union(self.translated(sure))
        return sure, maybe.subtract(sure), why

    def translated(self, sure: ISet) -> ISet:
        """The public addresses that a rule matching ``sure`` on its own side may match too: the site may name a
        VM by its public address, and Azure translates that to the VM's private address before the inbound
        rules (after the outbound ones); which private address, the export does not say
        (learn.microsoft.com/azure/virtual-network/network-security-groups-overview, "Security rules")."""
        out = EMPTY
        for family, public in self.public:
            if sure.overlaps(family):
                out = out.union(public)
        return out.subtract(sure)


def _public(addrs: ISet, private: ISet) -> ISet:
    """The part of ``addrs`` (a rule's own side) that may be a public address rather than the VM's private one:
    outside ``private`` (RFC 1918, unique local IPv6 and the input's virtual networks), unless ``addrs`` holds a
    whole address family (then it holds the VM's private address, whatever it is)."""
    out = addrs.subtract(private)
    for family in (ALL_V4, ALL_V6):
        if out and family.issubset(addrs):
            out = out.subtract(family)
    return out


def _prefix_items(props: dict, base: str) -> list:
    """A rule's source or destination as written: its ``...AddressPrefixes``, else its ``...AddressPrefix``."""
    many = props.get(base + "AddressPrefixes")
    one = props.get(base + "AddressPrefix")
    return many if isinstance(many, list) and many else ([one] if one not in (None, "") else [])


def _one_of(props: dict, key: str, plural: str) -> None:
    """``ValueError`` when a rule gives both ``key`` and its ``plural``, saying different things: Azure takes one
    of them, not both ("must specify a non-empty value for either DestinationPortRange or DestinationPortRanges,
    but not both": the error Azure returns, quoted in kubernetes-sigs/cloud-provider-azure#9355; "the user must
    supply one or the other": Azure/azure-rest-api-specs#1591), so which one a deployed rule holds is not known.
    One that repeats the list's only item says the same: accepted."""
    many, one = props.get(plural), props.get(key)
    if isinstance(many, list) and many and one not in (None, "") and [str(one).strip()] != [
            str(x).strip() for x in many]:
        raise ValueError("both %s '%s' and %s %s (Azure accepts one of them, not both)" % (key, one, plural, many))


def _literal(props: dict, base: str) -> bool:
    """Whether a rule's source or destination is written as addresses only (no service tag)."""
    items = _prefix_items(props, base)
    try:
        return bool(items) and all(str(x).strip() not in ("*", "") and _prefix(str(x).strip()) is not None
                                   for x in items)
    except ValueError:
        return False


def _union(sets) -> ISet:
    out = EMPTY
    for x in sets:
        out = out.union(x)
    return out


def _prefix(text: str) -> ISet:
    if "-" in text and "/" not in text:
        return parse_network(text)
    return cidr_set(text)


def _protocols(value: Any, sport: ISet, dport: ISet) -> list[tuple[ISet, ISet, ISet, bool]]:
    """[(protocols, source ports, destination ports, certain)] for a rule's protocol."""
    t = str(value if value is not None else "").strip().lower()
    any_ports = sport == ALL_PORTS and dport == ALL_PORTS
    if t == "tcp":
        return [(ISet.of(PROTO_TCP), sport, dport, True)]
    if t == "udp":
        return [(ISet.of(PROTO_UDP), sport, dport, True)]
    if t in ("*", "any", "all"):  # ("All": effective rules)
        if any_ports:
            return [(ALL_PROTO, ALL_PORTS, ALL_PORTS, True)]
        return [(TCP_UDP, sport, dport, True), (ALL_PROTO.subtract(TCP_UDP), ALL_PORTS, ALL_PORTS, False)]
    if t == "icmp":
        return [(ISet.of(PROTO_ICMP), ALL_PORTS, ALL_PORTS, any_ports), (ISet.of(PROTO_ICMP6), ALL_PORTS, ALL_PORTS,
                                                                         False)]
    if t in ("esp", "ah"):
        return [(ISet.of(50 if t == "esp" else 51), ALL_PORTS, ALL_PORTS, any_ports)]
    raise ValueError("unknown protocol '%s'" % value)


def _prio(props: dict) -> int:
    """The rule's priority, -1 if it is no integer Azure reads (a JSON integer, or a string of ASCII digits: not
    '１００', '1_00', ' 100' or 100.5, which Python's int would take or round)."""
    p = props.get("priority")
    if isinstance(p, int) and not isinstance(p, bool):
        return p if p >= 0 else -1
    if isinstance(p, str) and ascii_digits(p):
        return int(p)
    return -1


def _unknown_direction(props: dict) -> str | None:
    d = str(props.get("direction", "")).capitalize() if isinstance(props, dict) else ""
    return d if d in ("Inbound", "Outbound") else None


def _opaque(s: Source, action: Action = Action.DENY) -> tuple:
    """Rule args for a rule that was not understood: it may match anything."""
    return (action, NOTHING, s, True, ALL, True, (), "not understood")


_RESOURCE_ID = re.compile(r"networkSecurityGroups/([^/\s]+)$", re.I)
# an application security group's ID, literal or an ARM template's resourceId() of a literal name
_ASG_ID = re.compile(r"(?:^\[resourceId\(\s*'Microsoft\.Network/applicationSecurityGroups'\s*,\s*'([^']+)'\s*\)\]$)"
                     r"|(?:^[^\[].*/applicationSecurityGroups/([^/\s]+)/?$)", re.I)


def _asg_name(rid: Any) -> str | None:
    """The name (lower case) of the application security group ``rid`` names; None when it cannot be told."""
    m = _ASG_ID.match(rid.strip()) if isinstance(rid, str) else None
    return (m.group(1) or m.group(2)).lower() if m else None
_ARM_RESOURCE_ID = re.compile(r"^\[resourceId\(\s*'Microsoft\.Network/networkSecurityGroups'\s*,\s*'([^']+)'\s*\)\]$",
                              re.I)


def _obj_of(d: dict) -> JObj:
    """A ``JObj`` of plain values (for ``place``), lists and dicts inside made ``JObj`` too."""
    def conv(x: Any) -> Any:
        if isinstance(x, dict):
            return _obj_of(x)
        return [conv(i) for i in x] if isinstance(x, list) else x
    o = JObj((k, conv(v)) for k, v in d.items())
    o.line, o.key_lines = 1, {}
    return o


def _nsg_ref(v: Any) -> str | None:
    """The NSG a subnet's or interface's ``networkSecurityGroup`` names, in lower case: "" for none (absent or null),
    None when it cannot be told (an ARM expression other than ``resourceId`` of a literal name)."""
    if v is None:
        return ""
    rid = v.get("id") if isinstance(v, JObj) else None
    return _nsg_id(rid) if isinstance(rid, str) else None


def _nsg_id(rid: str) -> str | None:
    """The NSG a resource ID names, in lower case; None when it cannot be told (``_nsg_ref``)."""
    m = _ARM_RESOURCE_ID.match(rid.strip()) if _is_expr(rid) else _RESOURCE_ID.search(rid)
    return m.group(1).lower() if m else None


def _is_expr(v: Any) -> bool:
    """An ARM template expression such as ``"[parameters('x')]"``."""
    return isinstance(v, str) and v.startswith("[") and v.endswith("]") and not v.startswith("[[")


_ARM_LITERAL = re.compile(r"\s*'((?:[^']|'')*)'\s*")


def _arm_name(value: Any) -> str | None:
    """A resource name: a literal, or an ARM ``concat``/``format`` of string literals (Bicep writes a child's
    name as ``[format('{0}/{1}', 'nsg', 'rule')]``); None when it depends on anything else."""
    if not isinstance(value, str):
        return None
    if not _is_expr(value):
        return value[1:] if value.startswith("[[") else value
    m = re.fullmatch(r"\[\s*(concat|format)\s*\((.*)\)\s*\]", value, re.S)
    if not m:
        return None
    args, pos, body = [], 0, m.group(2)
    while pos < len(body):
        lit = _ARM_LITERAL.match(body, pos)
        if not lit:
            return None
        args.append(lit.group(1).replace("''", "'"))
        pos = lit.end()
        if pos < len(body):
            if body[pos] != ",":
                return None
            pos += 1
    if m.group(1) == "concat":
        return "".join(args)
    if not args:
        return None
    try:
        return re.sub(r"\{(\d+)\}", lambda x: args[1 + int(x.group(1))], args[0])
    except IndexError:
        return None


# Az.Network's classes, as ConvertTo-Json writes them (github.com/Azure/azure-powershell, src/Network/Network/Models:
# PSEffectiveNetworkSecurityGroup, PSEffectiveSecurityRule, PSNetworkSecurityGroup, PSSecurityRule): each property
# the REST member's name capitalised; a rule's SourcePortRange, DestinationPortRange, SourceAddressPrefix and
# DestinationAddressPrefix are one list each, the REST plural when it has more than one item, else its singular
# (src/Network/Network/Common/NetworkResourceManagerProfile.cs: 'HasMoreThanOneElement(src.SourcePortRanges) ?
# src.SourcePortRanges : new List<string> { src.SourcePortRange }'), so the list is the plural's value
_PS_MARKS = ("EffectiveSecurityRules", "SecurityRules", "DefaultSecurityRules")


def _powershell(value: Any) -> Any:
    """Azure PowerShell's output (``Get-AzEffectiveNetworkSecurityGroup``, ``Get-AzNetworkSecurityGroup``, piped to
    ``ConvertTo-Json``: an object with capitalised ``EffectiveSecurityRules`` or ``SecurityRules``, or a list of
    them) as the Azure CLI's shape; anything else as it is."""
    items = value if isinstance(value, JArr) else [value]
    if not any(isinstance(x, JObj) and any(k in x for k in _PS_MARKS) for x in items):
        return value
    return _camel(value)


def _camel(value: Any) -> Any:
    """``value`` with every key's first letter lower case (lines kept); a rule's list of ports or prefixes under the
    plural key; a computed ``XText`` property (``JsonConvert.SerializeObject(X)``: the same as ``X``) left out."""
    if isinstance(value, JArr):
        out = JArr(_camel(x) for x in value)
        out.line, out.item_lines = value.line, value.item_lines
        return out
    if not isinstance(value, JObj):
        return value
    o = JObj()
    o.line, o.key_lines = value.line, {}
    for k, v in value.items():
        if k.endswith("Text") and k[:-4] in value and isinstance(v, str):
            continue
        key = k[:1].lower() + k[1:]
        if isinstance(v, list):
            key = _PLURALS.get(key, key)
        o[key] = _camel(v)
        o.key_lines[key] = value.at(k)
    return o


# Terraform (the azurerm provider's attributes)
_TF_TYPES = ("azurerm_network_security_group", "azurerm_network_security_rule")
_TF_COMPUTED = {"id", "name", "resource_group_name", "location", "tags", "network_security_group_name"}
_TF_RULE_OWN = {"id", "resource_group_name", "network_security_group_name", "timeouts"}


def _tf_rule(r: JObj, skip: set[str] | frozenset = frozenset()) -> JObj:
    """A Terraform ``security_rule`` block (or a rule resource's attributes) as the CLI's flattened rule: each
    attribute under its REST name (``source_port_range`` -> ``sourcePortRange``), application security group ids
    as ``{"id": ...}`` items; empty values (the singular or the plural form not used) left out."""
    o = JObj()
    o.line, o.key_lines = r.line, {}
    for k, v in r.items():
        if k in skip or v is None or v == "" or v == []:
            continue
        name = k
        if k.endswith("_application_security_group_ids"):
            name, v = k[:-len("_ids")] + "s", [{"id": x} for x in (v if isinstance(v, list) else [v])]
        head, *rest = name.split("_")
        key = head + "".join(w.capitalize() for w in rest)
        o[key] = v
        o.key_lines[key] = r.at(k)
    return o


def _is_rule(obj: JObj) -> bool:
    props = obj.get("properties") if isinstance(obj.get("properties"), JObj) else obj
    return "direction" in props and "access" in props and "securityRules" not in props


def parse(text: str, path: str) -> Config:
    """Parse Azure NSG JSON into the normalized rule graph."""
    return AzureParser(text, path).build()


def combine(configs: list) -> list:
    """Place the NSGs of the run's inputs by the virtual networks, subnets and network interfaces other inputs give
    (``az network vnet list``, ``az network nic list`` in files of their own: ``AzurePlaces``): each input of NSGs is
    read again as if it held them (its subnets' and interfaces' NSGs placed, the virtual networks' address space the
    ``VirtualNetwork`` tag's), so three files decide as one holding them all.  An NSG a subnet or interface names that
    is in another input of the run, not this one, is not in this input (its packets unknown here)."""
    from parsers.kit import InputError
    from parsers.kit.quoted import hide_quoted

    places = [c for c in configs if c.vendor == NAME and isinstance(c.aux, AzurePlaces)]
    if not places:
        return configs
    nsgs = [c for c in configs if c.vendor == NAME and isinstance(c.aux, AzureNsgs)]
    if not nsgs:
        raise InputError("%s gives virtual networks or network interfaces, which place NSGs, not their rules: give the "
                         "'az network nsg list' output in the same run" % places[0].path)
    given = AzurePlaces(tuple(w for c in places for w in c.aux.where),
                        ISet.union_of([c.aux.space for c in places] or [EMPTY]),
                        tuple(m for c in places for m in c.aux.asgs))
    notes = tuple(d for c in places for d in c.diagnostics)
    out = []
    for c in configs:
        if any(c is p for p in places):
            continue
        if any(c is n for n in nsgs):
            # (read again: the rules' addresses depend on the virtual networks' space too; the words its findings
            # quote hidden as the first reading's were, parsers.parse_text)
            again = hide_quoted(AzureParser(c.aux.text, c.path, given).build(), c.aux.text)
            c = replace(c, filters=again.filters, paths=again.paths, address_refs=again.address_refs,
                        diagnostics=again.diagnostics + notes)
        out.append(c)
    return out


ADVICE = {
    "CFG300": "Export with `az network nsg show -o json` (or `az network nsg list`); hand-edited JSON is often "
              "truncated, and ARM template expressions are not evaluated.",
    "CFG301": "A rule that references an application security group must name one that exists in the export.",
    "PRN100": "Add an inbound rule to the NSG for the port and the source role's prefix, with a lower priority "
              "number than the rule that denies it.",
    "PRN120": "NSG flows are tracked as long as they are used; Azure Load Balancer and NAT Gateway idle "
              "timeouts (4 minutes by default, 100 or 120 at most) cannot be raised to a shift: keep them out of "
              "the Workshop <-> server path, or enable TCP keepalive below their timeout.",
    "PRN150": "Replace `*` / `Internet` / `0.0.0.0/0` sources in the NSG rule with the site's prefixes, or "
              "reach the servers through a VPN.",
    "PRN160": "Delete the inbound rule for TCP 548.",
}


VENDOR = Vendor(
    NAME, 'Azure network security group',
    'az network nsg show / az network nsg list (JSON), or an ARM template',
    detect, parse, combine=combine, advice=ADVICE, redact=redact_json)


def _words(props: dict, key: str) -> str:
    """A rule property (``key`` or its plural ``key + "es"``/``"s"``) as words, for a label."""
    for k in (key, key + "es", key + "s"):
        v = props.get(k)
        if isinstance(v, list) and v:
            return ",".join(str(x) for x in v[:4]) + (",..." if len(v) > 4 else "")
        if v not in (None, "", []):
            return str(v)
    return "*"
