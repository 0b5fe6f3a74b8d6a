"""AWS security groups and network ACLs (``aws ec2 describe-*`` JSON) -> the rule graph.

Inputs:

* ``aws ec2 describe-security-groups`` (``{"SecurityGroups": [...]}``, or a
  bare list / single group object as ``jq`` extracts them);
* ``aws ec2 describe-network-acls`` (``{"NetworkAcls": [...]}``), and
  ``aws ec2 describe-subnets`` (``{"Subnets": [...]}``: where each ACL's
  subnets are; applied to the ACLs of the same run by ``combine``);
* a CloudFormation template (JSON): its ``AWS::EC2::SecurityGroup`` resources
  and their ``SecurityGroupIngress``/``Egress`` resources; intrinsic functions
  are not evaluated (the rule is unknown), network ACL resources are not read
  (every verdict unknown; a template with no security group but network
  ACLs is refused, naming ``describe-network-acls``);
* ``aws ec2 describe-instances`` / ``describe-network-interfaces``: which
  groups each network interface has (no rules: applied to the groups of the
  same run by ``combine``);
* in a template, an ``AWS::EC2::Instance``'s groups (its own, its
  ``AWS::EC2::NetworkInterface`` resources', or its launch template's when
  ``Version`` is ``Fn::GetAtt [LT, LatestVersionNumber]``) for its literal
  addresses, and a literal Elastic IP (``AWS::EC2::EIP``/``EIPAssociation``)
  as a public address of its interface;
* ``aws ec2 describe-security-group-rules`` (``{"SecurityGroupRules": [...]}``:
  one rule a record, ``IsEgress``, one ``CidrIpv4``/``CidrIpv6``/
  ``PrefixListId``/``ReferencedGroupInfo`` each), read as the groups they
  belong to.

Semantics chosen (a group or ACL export says nothing about which instance or
subnet it belongs to):

* **Security groups** are host firewalls of the audited instance: ingress
  rules make ``local="in"`` paths, egress rules ``local="out"`` paths.  AWS
  applies to an instance only the groups associated with its network
  interface, as a **union** (a packet is allowed when any rule of any of them
  allows it; nothing matches: implicit deny).  Which groups an interface has is
  read from ``aws ec2 describe-instances`` or ``describe-network-interfaces``
  output given in the same run (``combine``) and from a template's
  ``AWS::EC2::Instance`` (groups by ``Ref``/``Fn::GetAtt ... GroupId``, a
  literal ``PrivateIpAddress``), and Terraform's ``aws_instance`` and
  ``aws_network_interface`` (``terraform_interfaces``): packets to (from) its addresses meet exactly
  its groups (a path scoped to them; a group of it the input lacks makes what
  the others do not permit unknown).  For any other address, and for every
  address without such data, the host has at least one of the input's groups,
  not said which: a flow is permitted only where *every* group permits it,
  denied where none does, unknown otherwise (derived copies of the groups'
  filters; a finding at the input's head names the groups).  One group alone
  is the host's.  Groups are stateful, so only the initiating direction is checked.
* Every address element of a permission (``IpRanges`` / ``Ipv6Ranges`` entry,
  group pair, prefix list) becomes its own rule, pointing at its own line.
  ``UserIdGroupPairs`` (the members of another group) and ``PrefixListIds``
  (a managed list, unless the input holds its entries: Terraform's
  ``aws_ec2_managed_prefix_list``, CloudFormation's ``AWS::EC2::PrefixList``;
  then a rule for each of its CIDR blocks) have addresses the input does not hold (a group's members beyond
  the private addresses of the interfaces an input of the run lists with it: ``_members``): their rules only
  *maybe* match (``maybe``), the engine reports packets reaching them as
  unknown, and each is reported as CFG300 for its group.  Rules that certainly
  match come first in the stage, since order does not matter in an allow-list.
* **Network ACLs** guard the subnet of the audited instance (again ``local``
  paths).  Entries are evaluated in ``RuleNumber`` order, first match wins,
  ``32767`` (or, when absent, the end of the list) denies.  ACLs are
  **stateless**: a flow to the host passes when the inbound entries allow it
  *and* the outbound entries allow its replies (the outbound entries are
  applied mirrored, as a second stage: ``_mirrored``; an ICMP echo request's
  reply is an echo reply, the replies of other ICMP messages are unknown); the
  opposite for traffic the host sends.  An ACL whose
  ``Associations`` list is empty filters nothing and is left out.  A subnet has
  one ACL: where the input associates an ACL with a subnet and an input of the
  run gives that subnet's addresses (``aws ec2 describe-subnets``, in its own
  file or as a ``Subnets`` list beside ``NetworkAcls``), a packet to (from) an
  address of it meets that ACL only, a packet between two such subnets both
  ACLs, and one within a subnet none ("We evaluate the network ACL rules when
  traffic enters and leaves the subnet, not as it is routed within a subnet");
  a given subnet no ACL of the input is associated with has its ACL elsewhere
  (unknown) (``_acl_places``).  For any other address, with several associated
  ACLs in one input, a flow is permitted only where each of them permits it,
  denied only where each denies it, unknown otherwise
  (``parsers.kit.sets.one_of``, reported; give the subnets, or only the ACL of
  the server's subnet).
* Idle timeouts (``Timeout`` records): security-group connection tracking
  (432000 s default; 350 s on Nitro v6 instance types, reported only when the
  site's ``through`` names ``aws-nitro-v6``; a network interface's own
  ``TcpEstablishedTimeout`` for the connections of its addresses:
  ``_interface_timeouts``), stateless ACLs (never), and
  devices the site says the traffic passes ``through``: ``aws-nat-gateway``
  (350 s, RST afterwards), ``aws-network-firewall``,
  ``aws-gateway-load-balancer``, ``aws-network-load-balancer`` (350 s
  defaults).  A record with ``through`` set applies only when the site's
  ``through`` list names it.

Line numbers come from the kit's position-aware JSON reader (``JsonInput``):
every object and array remembers the line where it and each of its keys or
items start, so findings point at ``"CidrIp": ...`` or ``"RuleNumber": ...``;
sources and CFG300 diagnostics are the kit's (``Lines``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from auditor.core.model import (
    Action,
    AddressRef,
    Config,
    Diagnostic,
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
    Cube,
    ISet,
    PacketSet,
    cube,
    replies,
)
from parsers.kit import terraform
from parsers.kit.addr import address_refs, cidr_set
from parsers.kit.jsonsrc import JArr, JObj, JsonInput, json_head, line_of, redact_json
from parsers.kit.names import TCP_PACKETS, icmp_values, protocol_number
from parsers.kit.sets import one_of
from parsers.kit.vendor import Vendor  # noqa: E402

NAME = "aws"

SG_DEFAULT_TCP_IDLE = 432000
NITRO_V6_TCP_IDLE = 350
NAT_GATEWAY_IDLE = 350
ACL_DEFAULT_RULE = 32767
ACL_MAX_RULE = 32766  # (the highest rule number an entry may have: CreateNetworkAclEntry, RuleNumber)
TCP_ONLY = TCP_PACKETS  # (the match of every AWS idle-timeout record: TCP connections)

# (through name, seconds, label, reset)
AWS_THROUGH = (
    ("aws-nat-gateway", NAT_GATEWAY_IDLE,
     "AWS NAT gateway idle timeout (350 s, not configurable; RST afterwards)", True),
    ("aws-network-firewall", 350,
     "AWS Network Firewall default TcpIdleTimeoutSeconds (350 s)", False),
    ("aws-gateway-load-balancer", 350,
     "AWS Gateway Load Balancer default tcp.idle_timeout.seconds (350 s)", False),
    ("aws-network-load-balancer", 350,
     "AWS Network Load Balancer default tcp.idle_timeout.seconds (350 s)", False),
)


_TF_GROUP_TYPE = re.compile(r'"type"\s*:\s*"aws_(?:default_)?security_group(?:_rule)?"|'
                            r'"type"\s*:\s*"aws_vpc_security_group_(?:in|e)gress_rule"|'
                            r'"type"\s*:\s*"aws_(?:default_)?network_acl(?:_rule)?"')


def detect(text: str) -> int:
    """Confidence (0-100) that ``text`` is AWS describe-security-groups / -network-acls JSON."""
    head = json_head(text)
    if head is None:
        return 0
    score = 0
    if re.search(r'"SecurityGroups"\s*:', head):
        score += 50
    if re.search(r'"IpPermissions(?:Egress)?"\s*:', head):
        score += 45
    if re.search(r'"NetworkAcls"\s*:', head):
        score += 50
    if re.search(r'"SecurityGroupRules"\s*:', head) and re.search(r'"IsEgress"\s*:', head):
        score += 95
    if re.search(r'"terraform_version"\s*:', head) and _TF_GROUP_TYPE.search(head):
        score += 95  # Terraform state or plan JSON with security groups or their rules
    if re.search(r'"Type"\s*:\s*"AWS::EC2::SecurityGroup"', head):
        score += 90  # a CloudFormation template
    elif re.search(r'"Type"\s*:\s*"AWS::EC2::NetworkAcl(?:Entry)?"', head):
        score += 60  # a CloudFormation template with network ACLs only (refused by name: not read)
    if re.search(r'"Entries"\s*:', head) and re.search(r'"RuleAction"\s*:', head):
        score += 45
    if re.search(r'"Reservations"\s*:', head) and re.search(r'"InstanceId"\s*:', head):
        score += 60  # describe-instances (which groups each instance has)
    if re.search(r'"NetworkInterfaces"\s*:', head) and re.search(r'"NetworkInterfaceId"\s*:', head):
        score += 60  # describe-network-interfaces
    if re.search(r'"Subnets"\s*:', head) and re.search(r'"SubnetId"\s*:', head) and re.search(
            r'"(?:CidrBlock|AvailabilityZone)"\s*:', head):
        score += 60  # describe-subnets (where the network ACLs' subnets are)
    return min(100, score)


# --- AWS's protocol and ICMP fields -----------------------------------------------------------

def icmp_codes(icmp_type: int, code: int) -> ISet:
    """ICMP type/code (-1 = all) as the destination-port dimension.  Every type with one code is
    refused by AWS ("If you specify all ICMP/ICMPv6 types, you must specify all ICMP/ICMPv6 codes",
    EC2 API Reference, IpPermission; for a network ACL entry's ``IcmpTypeCode`` it is not documented):
    ``ValueError``, the rule is unknown rather than every ICMP message."""
    if icmp_type < 0:
        if code >= 0:
            raise ValueError("ICMP code %d with every type (-1): AWS requires every code (-1) then" % code)
        return ALL_PORTS
    return icmp_values(icmp_type, None if code < 0 else code)


# the protocol names the EC2 API accepts besides a number ("tcp, udp, icmp, icmpv6"; -1: all)
_AWS_PROTOCOL_NAMES = ("tcp", "udp", "icmp", "icmpv6")


def _proto_number(value: Any) -> int | None:
    """``-1``/``all`` -> None (every protocol); names and numbers -> the number."""
    t = str(value).strip().lower()
    if t in ("-1", "all"):
        return None
    n = protocol_number(t) if (t.isascii() and t.isdecimal()) or t in _AWS_PROTOCOL_NAMES else None
    if n is None:
        raise ValueError("unknown protocol '%s'" % value)
    return n


def _int(value: Any) -> int:
    """A JSON number, or a string of ASCII digits (with ``-`` for -1): the EC2 API and CloudFormation read no
    other digits, blanks, ``+`` or ``_``, which Python's ``int`` would take ('٤٤٥', '４４５', ' 445', '4_45')."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError("not a number: %r" % (value,))
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]+", value):
        raise ValueError("not a number: %r" % (value,))
    return int(value)


# --- the parser -------------------------------------------------------------------------------

_SG_KEYS = {"Description", "GroupName", "GroupId", "OwnerId", "VpcId", "Tags", "IpPermissions",
            "IpPermissionsEgress", "SecurityGroupArn"}
_PERM_KEYS = {"IpProtocol", "FromPort", "ToPort", "IpRanges", "Ipv6Ranges", "PrefixListIds",
              "UserIdGroupPairs"}
_ACL_KEYS = {"Associations", "Entries", "IsDefault", "NetworkAclId", "Tags", "VpcId", "OwnerId"}
_ENTRY_KEYS = {"CidrBlock", "Ipv6CidrBlock", "Egress", "Protocol", "RuleAction", "RuleNumber", "PortRange",
               "IcmpTypeCode"}
_TOP_IGNORED = {"ResponseMetadata"}


class _RuleSpec:
    """A rule before it is numbered: what it matches for sure, what it may match."""

    __slots__ = ("action", "match", "maybe", "source", "opaque", "refs", "note", "label", "group")

    def __init__(self, action: Action, match: PacketSet, source: Source, maybe: PacketSet = NOTHING,
                 opaque: bool = False, refs: tuple = (), note: str = "", label: str = "", group: str = ""):
        self.action, self.match, self.maybe, self.source = action, match, maybe, source
        self.opaque, self.refs, self.note, self.label = opaque, refs, note, label
        self.group = group  # (the security group whose members it names: ``_members``)

    def rule(self, fname: str, index: int) -> Rule:
        return Rule(fname, index, self.action, self.match, self.source, maybe=self.maybe, opaque=self.opaque,
                    addresses=self.refs, note=self.note, label=self.label)


@dataclass(frozen=True)
class Attachment:
    """The security groups of one network interface and its addresses, as the input says them
    (``describe-instances``, ``describe-network-interfaces``, a template's ``AWS::EC2::Instance``).
    ``addresses``: its single addresses (none: the input does not give them); ``groups``: group IDs,
    names or a template's logical names; ``unknown``: why some of its groups are not known ("" if
    all are)."""

    what: str
    addresses: tuple[ISet, ...]
    groups: tuple[str, ...]
    unknown: str
    source: Source
    more: bool = False  # it may have addresses the input does not give (only its Elastic IP is literal)
    # its own TCP established connection-tracking timeout, (seconds, the line that sets it): describe-*'s
    # ``ConnectionTrackingConfiguration``, a template's ``ConnectionTrackingSpecification`` (``_tcp_idle``)
    tcp_idle: tuple | None = None


@dataclass(frozen=True)
class AwsAcls:
    """The network ACLs of an input: each ACL associated with subnets (``placed``: its ID, its subnets' IDs, its
    inbound stages (entries, replies) and its outbound ones), the stages of a host whose subnet no input gives
    (``every_in``/``every_out``: the one ACL's, or ``one_of`` theirs), why nothing filters (``note``), the input's
    head; ``_acl_places`` places them by the subnets' addresses."""

    placed: tuple
    every_in: tuple
    every_out: tuple
    note: str
    head: Source
    outside: bool = False  # (Terraform: a host in none of the subnets given may be behind an ACL not in the input)


@dataclass(frozen=True)
class AwsSubnets:
    """``Config.aux`` of an ``aws ec2 describe-subnets`` input: each subnet's ID -> its addresses (``combine``
    places the network ACLs of the same run by them)."""

    subnets: dict


@dataclass(frozen=True)
class AwsGroups:
    """``Config.aux`` of a security-group input, for ``combine``: each group's filters (group ID ->
    direction -> (certain filters, unsure filters)), what each certainly permits (``sure``), group
    names -> IDs, the stage defaults, the input's own attachments (a template's
    instances), its head, the filters of the parse and how many of ``Config.diagnostics`` it made (the
    rest are ``_group_paths``'); what ``_group_paths`` needs to make the paths again when another input of
    the run says which groups the host has; and ``every``, the stages of an address whose groups no input
    says, with the filters they derive (``_any_host``: made once, whichever attachments a run gives)."""

    groups: dict
    sure: dict
    names: dict
    defaults: dict
    attachments: tuple
    head: Source
    filters: dict
    parsed: int
    every: tuple = ()
    acls: AwsAcls | None = None
    subnets: dict | None = None  # (the input's own ``Subnets``)
    # the rules naming another group's members: ((filter, rule index), (its group, direction, the group named))
    members: tuple = ()


@dataclass(frozen=True)
class AwsInterfaces:
    """``Config.aux`` of a ``describe-instances`` / ``describe-network-interfaces`` input: which
    security groups each network interface has (``combine`` applies them to the groups' inputs)."""

    attachments: tuple


class AwsParser:
    """One parse of one JSON file; use ``parse()``."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = JsonInput(text, path)  # (the value, each line's Source, the diagnostics)
        self.filters: dict[str, Filter] = {}
        self.address_refs: list[AddressRef] = []
        self.acl_defaults: dict[tuple[str, bool], Source] = {}
        # the security groups (``security_groups``) and the interfaces whose groups the input says
        self.sg: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
        self.sure: dict[tuple[str, str], PacketSet] = {}
        self.sg_names: dict[str, str] = {}
        self.sg_default: dict[str, Source] = {}
        self.attachments: list[Attachment] = []
        self.cfn_res: JObj | None = None  # a template's resources
        # a template's instance or network interface -> its only interface: an attachment's index, or the name
        # of the AWS::EC2::NetworkInterface resource that is it
        self.cfn_owner: dict[str, tuple[str, Any]] = {}
        # the prefix lists whose entries the input gives (Terraform's ``aws_ec2_managed_prefix_list``): ID ->
        # (CIDR, line) of each entry
        self.prefix_lists: dict[str, list[tuple[Any, int]]] = {}
        # the rules naming another group's members (``AwsGroups.members``)
        self.members: dict[tuple[str, int], tuple[str, str, str]] = {}

    # --- top level ------------------------------------------------------------------------
    def build(self) -> Config:
        from parsers.kit import InputError

        data = self.lines.data
        groups = acls = tf_subnets = None
        if isinstance(data, JObj) and not ("SecurityGroups" in data or "NetworkAcls" in data) and (
                isinstance(data.get("Reservations"), list) or isinstance(data.get("NetworkInterfaces"), list)):
            return self.interfaces(data)
        if isinstance(data, JObj) and isinstance(data.get("Subnets"), list) and not (
                "SecurityGroups" in data or "NetworkAcls" in data):
            return self.subnets_only(data)
        if terraform.is_terraform(data) and not (
                "SecurityGroups" in data or "NetworkAcls" in data):
            groups, acls, tf_subnets = self.terraform(data)
            if not groups and not acls:
                raise InputError("%s: Terraform JSON without AWS security groups, network ACLs or their rules (the "
                                 "resources read: %s)" % (self.path, ", ".join(_TF_READ + _TF_ACL_READ)))
            groups = groups or None
        elif isinstance(data, JObj) and isinstance(data.get("Resources"), JObj) and not (
                "SecurityGroups" in data or "NetworkAcls" in data):
            groups = self.cloudformation(data["Resources"])
            if not groups:
                if any(isinstance(r, JObj) and r.get("Type") == "AWS::EC2::SecurityGroup" and "Condition" in r
                       for r in data["Resources"].values()):
                    raise InputError("%s: a CloudFormation template whose security groups exist only under a "
                                     "condition, which is not evaluated" % self.path)
                if any(isinstance(r, JObj) and r.get("Type") in ("AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry")
                       for r in data["Resources"].values()):
                    raise InputError("%s: a CloudFormation template whose network ACL resources (AWS::EC2::NetworkAcl"
                                     ", NetworkAclEntry) are not read; give the ACL as deployed: `aws ec2 "
                                     "describe-network-acls` (JSON)" % self.path)
                raise InputError("%s: a CloudFormation template without AWS::EC2::SecurityGroup resources"
                                 % self.path)
        elif isinstance(data, JObj) and isinstance(data.get("SecurityGroupRules"), list) and not (
                "SecurityGroups" in data or "NetworkAcls" in data):
            for k in data:
                if k == "NextToken":
                    self.lines.unrecognized_at(data.at(k), "the output is paginated (NextToken): more rules exist "
                                                           "than this input holds", Impact.GLOBAL)
                elif k not in ("SecurityGroupRules",) and k not in _TOP_IGNORED:
                    self.lines.unrecognized_at(data.at(k), "unknown key '%s'" % k, Impact.NONE)
            groups = self.group_rules(data["SecurityGroupRules"])
        elif isinstance(data, JObj):
            if "SecurityGroups" in data or "NetworkAcls" in data:
                groups = data.get("SecurityGroups")
                acls = data.get("NetworkAcls")
                for k in data:
                    if k in ("SecurityGroups", "NetworkAcls", "Subnets") or k in _TOP_IGNORED:
                        continue
                    if k == "NextToken":
                        self.lines.unrecognized_at(data.at(k), "the output is paginated (NextToken): more groups "
                                                               "or ACLs exist than this input holds", Impact.GLOBAL)
                    else:
                        self.lines.unrecognized_at(data.at(k), "unknown key '%s'" % k, Impact.NONE)
            elif "IpPermissions" in data or "IpPermissionsEgress" in data:
                groups = _arr([data])
            elif "Entries" in data and "NetworkAclId" in data:
                acls = _arr([data])
        elif isinstance(data, JArr) and data and all(isinstance(x, JObj) for x in data):
            if all("IpPermissions" in x or "IpPermissionsEgress" in x for x in data):
                groups = data
            elif all("Entries" in x for x in data):
                acls = data
        if groups is None and acls is None:
            raise InputError("%s: not AWS describe-security-groups or describe-network-acls output "
                             "(no SecurityGroups or NetworkAcls)" % self.path)
        for name, val in (("SecurityGroups", groups), ("NetworkAcls", acls)):
            if val is not None and not isinstance(val, list):
                raise InputError("%s: %s is not a list" % (self.path, name))
        if not groups and not acls:
            raise InputError("%s: the input holds no security group and no network ACL (check the describe "
                             "command's filters)" % self.path)

        timeouts: list[Timeout] = []
        if groups is not None:
            self.security_groups(groups)
            timeouts.append(Timeout(TCP_ONLY, SG_DEFAULT_TCP_IDLE, None,
                                    label="AWS security group connection tracking default (432000 s; "
                                          "350 s on Nitro v6 instance types unless TcpEstablishedTimeout is set)",
                                    default=True))
            timeouts.append(_through_timeout("aws-nitro-v6", NITRO_V6_TCP_IDLE,
                                             "AWS connection tracking default on Nitro v6 instance types "
                                             "(350 s; raise TcpEstablishedTimeout on the ENI)", False))
        acl_data = None
        if acls is not None:
            acl_data = self.network_acls(acls, outside=tf_subnets is not None)
            if not groups and not acl_data.placed and acl_data.note:
                # "Each subnet in your VPC must be associated with a network ACL" (VPC User Guide, "Control subnet
                # traffic with network access control lists"): the host's subnet has an ACL, and it is not one of
                # these; an audit of them would pass every flow on a policy the input does not hold
                raise InputError("%s: %s, so they filter nothing, and the input holds no security group: the network "
                                 "ACL of the audited host's subnet (every subnet has one) is not in it (give 'aws ec2 "
                                 "describe-network-acls' without --network-acl-ids, or with --filters "
                                 "Name=association.subnet-id,Values=SUBNET)" % (self.path, acl_data.note))
            if groups is None:
                timeouts.append(Timeout(TCP_ONLY, None, None, label="AWS network ACLs are stateless (no idle "
                                                                    "timeout)", default=True))
        for name, secs, label, reset in AWS_THROUGH:
            timeouts.append(_through_timeout(name, secs, label, reset))

        own_subnets = None
        if tf_subnets is not None and acls:
            own_subnets = self.subnets(tf_subnets, "Subnets")
        elif isinstance(data, JObj) and "Subnets" in data and tf_subnets is None:
            own_subnets = self.subnets(data["Subnets"], "Subnets")
            if acls is None:
                self.lines.ignore_at(data.at("Subnets"), "subnets (they place network ACLs: none in the input)")
        head = self.lines.head()
        aux = AwsGroups(self.sg, self.sure, self.sg_names,
                        {d: self.sg_default.get(d) or self.lines.at(1) for d in ("in", "out")},
                        tuple(self.attachments), head or self.lines.at(1), dict(self.filters),
                        len(self.lines.diagnostics), acls=acl_data, subnets=own_subnets,
                        members=tuple(self.members.items()))
        if groups is not None:
            aux = replace(aux, every=_any_host(aux))
        paths, extra, found = _paths(aux, aux.attachments, own_subnets or {})
        filters, diagnostics = {**self.filters, **extra}, tuple(self.lines.diagnostics) + found
        if groups is not None:
            timeouts, more = _interface_timeouts(aux.attachments, timeouts)
            diagnostics += more
        return Config(
            path=self.path, vendor=NAME, lines=len(self.lines), filters=filters, paths=paths,
            verdicts_only=True,  # (a security group rule allows, a network ACL entry allows or denies)
            timeouts=tuple(timeouts), diagnostics=diagnostics,
            address_refs=tuple(self.address_refs), ignored_lines=self.lines.ignored, head=head, aux=aux,
        )

    # --- security groups -------------------------------------------------------------------------
    def security_groups(self, groups: list) -> None:
        """Each group's filters (``self.sg``: group ID -> direction -> (certain filters, unsure filters)) and
        what it certainly permits (``self.sure``); the stages are made by ``_group_paths``."""
        # a group listed twice (two exports pasted together): which listing holds its rules now is not known, so
        # every listing's rules are unknown (each under its own filter: none is dropped for another)
        listed = Counter(str(g["GroupId"]) for g in groups if isinstance(g, JObj) and g.get("GroupId"))
        seen: Counter = Counter()
        for gi, g in enumerate(groups):
            if not isinstance(g, JObj):
                self.lines.unrecognized_at(line_of(groups, gi), "security group entry is not an object", Impact.FILTER)
                continue
            gid = str(g.get("GroupId") or g.get("GroupName") or "group-%d" % (gi + 1))
            if g.get("GroupName") and isinstance(g.get("GroupName"), str):
                self.sg_names.setdefault(g["GroupName"], gid)
            label = gid if not g.get("GroupName") else "%s (%s)" % (gid, g.get("GroupName"))
            twice = listed[gid] > 1
            if twice:
                seen[gid] += 1
                self.lines.unrecognized_at(g.at("GroupId"), "security group %s is listed %d times (AWS lists a group "
                                           "once): which listing is current is not known, its rules are taken as "
                                           "unknown" % (gid, listed[gid]), Impact.FILTER, gid)
            for k in g:
                if k not in _SG_KEYS:
                    self.lines.unrecognized_at(g.at(k), "unknown security group key '%s'" % k, Impact.NONE, gid)
            mine = self.sg.setdefault(gid, {"in": ([], []), "out": ([], [])})
            for direction, key in (("in", "IpPermissions"), ("out", "IpPermissionsEgress")):
                word = "inbound" if direction == "in" else "outbound"
                fname = "%s %s" % (gid, word) + (" (listing %d)" % seen[gid] if twice else "")
                perms = g.get(key)
                sure: list[_RuleSpec] = []
                maybe: list[_RuleSpec] = []
                if perms is None:
                    # EC2-Classic groups had no egress rules; an absent list is not "deny all"
                    self.lines.unrecognized_at(g.line, "security group %s has no %s list: its %s rules are unknown"
                                               % (label, key, word), Impact.FILTER, fname)
                    maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(g.line), maybe=ALL, opaque=True,
                                           note="%s missing" % key))
                elif not isinstance(perms, list):
                    self.lines.unrecognized_at(g.at(key), "%s is not a list" % key, Impact.FILTER, fname)
                    maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(g.at(key)), maybe=ALL, opaque=True))
                else:
                    for pi, perm in enumerate(perms):
                        self.permission(perm, line_of(perms, pi), direction, fname, sure, maybe,
                                        "security group %s %s" % (label, word))
                if twice:
                    maybe = [_RuleSpec(x.action, NOTHING, x.source, maybe=x.match.union(x.maybe), refs=x.refs,
                                       note="security group %s is listed more than once" % gid) for x in sure] + maybe
                    sure = []
                self.sg_default[direction] = self.lines.at(g.at(key))
                self.filters[fname] = Filter(fname, tuple(r.rule(fname, i) for i, r in enumerate(sure)),
                                             self.lines.at(g.at(key)), kind="security-group")
                mine[direction][0].append(fname)
                self.sure[(gid, direction)] = self.sure.get((gid, direction), NOTHING).union(
                    PacketSet([c for r in sure for c in r.match.cubes]))
                if maybe:
                    uname = "%s (unresolved references)" % fname
                    self.filters[uname] = Filter(uname, tuple(r.rule(uname, i) for i, r in enumerate(maybe)),
                                                 self.lines.at(g.at(key)), kind="security-group")
                    mine[direction][1].append(uname)
                    self.members.update({(uname, i): (gid, direction, r.group) for i, r in enumerate(maybe)
                                         if r.group})

    def cloudformation(self, resources: JObj) -> JArr:
        """A CloudFormation template's security groups (``AWS::EC2::SecurityGroup`` with their inline rules,
        and ``AWS::EC2::SecurityGroupIngress``/``Egress`` resources of a group of the template) in the shape
        of ``describe-security-groups``.  Intrinsic functions in a rule's values are not evaluated (the
        permission is unknown); a group without inline egress rules gets AWS's allow-all egress (an empty list:
        unknown)."""
        groups: dict[str, JObj] = {}
        extra: list[tuple[str, JObj, int]] = []
        eips: list[tuple[str, str, JObj, int]] = []
        self.cfn_res = resources
        for name, res in resources.items():
            line = resources.at(name)
            typ = res.get("Type") if isinstance(res, JObj) else None
            props = res.get("Properties") if isinstance(res, JObj) else None
            if typ == "AWS::EC2::Instance":
                first = len(self.attachments)
                self.cfn_instance(name, res, line)
                enis = props.get("NetworkInterfaces") if isinstance(props, JObj) else None
                refs = [e["NetworkInterfaceId"]["Ref"] for e in (enis if isinstance(enis, list) else [])
                        if isinstance(e, JObj) and isinstance(e.get("NetworkInterfaceId"), JObj)
                        and _res_type(self, e["NetworkInterfaceId"].get("Ref")) == "AWS::EC2::NetworkInterface"]
                mine = [("att", i) for i in range(first, len(self.attachments))] + [("res", r) for r in refs]
                if len(mine) == 1:
                    self.cfn_owner[name] = mine[0]
                continue
            if typ in ("AWS::EC2::EIP", "AWS::EC2::EIPAssociation"):
                self.lines.ignore_at(line, "a CloudFormation Elastic IP (the address of its instance)")
                if isinstance(props, JObj):
                    eips.append((typ, name, props, line))
                continue
            if typ == "AWS::EC2::NetworkInterface":
                # (its GroupSet: "The IDs of the security groups associated with this network interface",
                # whatever it is attached to: docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
                # aws-resource-ec2-networkinterface.html)
                self.lines.ignore_at(line, "a CloudFormation network interface (its security groups are read)")
                what = "AWS::EC2::NetworkInterface %s" % name
                if isinstance(props, JObj):
                    self.cfn_owner[name] = ("att", len(self.attachments))
                    self.cfn_interface(props, what, ("GroupSet",), line)
                else:
                    self.attachments.append(Attachment(what, (), (), "its properties are not in the template",
                                                       self.lines.at(line)))
                continue
            if typ == "AWS::EC2::PrefixList":
                # a customer-managed prefix list: "Entries: The entries for the prefix list" (CIDR each), named by
                # a rule's SourcePrefixListId/DestinationPrefixListId as {"Ref": NAME} or its PrefixListId
                # (docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-prefixlist.html)
                self.lines.ignore_at(line, "a CloudFormation prefix list (its entries are read)")
                entries = props.get("Entries") if isinstance(props, JObj) else None
                if isinstance(entries, list) and "Condition" not in res:
                    self.prefix_lists[name] = [
                        (e.get("Cidr"), e.at("Cidr") if "Cidr" in e else line_of(entries, i)) if isinstance(e, JObj)
                        else (e, line_of(entries, i)) for i, e in enumerate(entries)]
                continue
            if not isinstance(typ, str) or not typ.startswith("AWS::EC2::") or not (
                    "SecurityGroup" in typ or "NetworkAcl" in typ):
                self.lines.ignore_at(line, "CloudFormation resource that is not a security group")
                continue
            if "Condition" in res:
                # deployed or not depending on the template's parameters
                self.lines.unrecognized_at(res.at("Condition"), "%s %s exists only under a condition, which is "
                                                                "not evaluated" % (typ, name), Impact.GLOBAL)
                continue
            if "NetworkAcl" in typ or not isinstance(props, JObj):
                self.lines.unrecognized_at(line, "%s %s is not read" % (typ, name), Impact.GLOBAL)
                continue
            if typ == "AWS::EC2::SecurityGroup":
                ing, egr = props.get("SecurityGroupIngress", _arr([])), props.get("SecurityGroupEgress")
                g = groups[name] = _obj(line, GroupId=(name, line),
                                        IpPermissions=(_cfn_perms(ing, "Source"), props.at("SecurityGroupIngress")))
                if egr is None:
                    # (docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup
                    # .html: without egress rules, AWS adds ones that allow all outbound IPv4 and IPv6 traffic)
                    every = _obj(line, IpProtocol=("-1", line),
                                 IpRanges=(_arr([_obj(line, CidrIp=("0.0.0.0/0", line))]), line),
                                 Ipv6Ranges=(_arr([_obj(line, CidrIpv6=("::/0", line))]), line))
                    _put(g, "IpPermissionsEgress", _arr([every]), line)
                elif isinstance(egr, list) and not egr:
                    # an empty list adds no egress rule: at creation AWS then adds its allow-all egress, but an
                    # update that removes every egress rule leaves none ("if you remove all egress rules that
                    # you added, we do not add egress rules", same page): which one holds is not in the input
                    # (no IpPermissionsEgress: the group's outbound rules are unknown)
                    self.lines.unrecognized_at(props.at("SecurityGroupEgress"), "empty SecurityGroupEgress of %s: "
                                               "allow-all egress if the group was created so, none if an update "
                                               "removed its egress rules" % name, Impact.FILTER, name)
                else:
                    _put(g, "IpPermissionsEgress", _cfn_perms(egr, "Destination"), props.at("SecurityGroupEgress"))
            elif typ in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
                extra.append((typ, res, line))
            else:
                self.lines.unrecognized_at(line, "%s %s is not read" % (typ, name), Impact.GLOBAL)
        for typ, res, line in extra:
            props = res["Properties"]
            ref = props.get("GroupId")
            target = None
            if isinstance(ref, JObj) and len(ref) == 1:
                k, v = next(iter(ref.items()))
                target = v if k == "Ref" else (v[0] if k == "Fn::GetAtt" and isinstance(v, list) and v else None)
                target = target if isinstance(target, str) else None  # (else computed: any group of the template)
            elif isinstance(ref, str) and ref in groups:
                target = ref
            key = "IpPermissions" if typ.endswith("Ingress") else "IpPermissionsEgress"
            rest = _obj(props.line, **{k: (v, props.at(k)) for k, v in props.items() if k not in ("GroupId",
                                                                                                   "GroupName")})
            perm = _cfn_perms(_arr([rest]), "Source" if key == "IpPermissions" else "Destination")
            if target in groups:
                lst = groups[target][key]
                lst.extend(perm)
                lst.item_lines.extend(perm.item_lines)
            elif isinstance(ref, str) and ref.startswith("sg-"):
                self.lines.unrecognized_at(props.at("GroupId"), "a rule of security group %s, which is not in the "
                                                                "template" % ref, Impact.NONE)
            else:
                # its group is computed: it may be any group of the template
                for g in groups.values():
                    g[key].append(_obj(line, GroupId=(str(ref), props.at("GroupId"))))
                    g[key].item_lines.append(line)
        for eip in eips:
            self.cfn_eip(*eip)
        return _arr(list(groups.values()))

    def cfn_eip(self, typ: str, name: str, props: JObj, line: int) -> None:
        """A template's Elastic IP (``AWS::EC2::EIP`` with ``InstanceId``, ``AWS::EC2::EIPAssociation`` with
        ``AllocationId``/``EIP`` and ``InstanceId`` or ``NetworkInterfaceId``), when its address is literal (an
        EIP's ``Address``, an association's ``EIP``; else AWS allocates it when the stack is made: nothing to
        map), is a public address of the interface of the instance or network interface of the template it names
        ("The instance must have exactly one attached network interface", CloudFormation,
        AWS::EC2::EIPAssociation): AWS maps it to a private address of that interface by NAT, so its groups
        decide packets to it (as ``Association.PublicIp``: ``addresses``)."""
        if typ == "AWS::EC2::EIP":
            addr, target = props.get("Address"), _cfn_ref(props.get("InstanceId"), "InstanceId")
        else:
            addr = props.get("EIP")
            eip = _cfn_ref(props.get("AllocationId"), "AllocationId") or _cfn_ref(addr, "PublicIp")
            res = self.cfn_res.get(eip) if eip is not None and self.cfn_res is not None else None
            if isinstance(res, JObj) and res.get("Type") == "AWS::EC2::EIP" and isinstance(res.get("Properties"), JObj):
                addr = res["Properties"].get("Address")
            target = _cfn_ref(props.get("InstanceId") or props.get("NetworkInterfaceId"), "Id")
        owner = self.cfn_owner.get(target) if target is not None else None
        if owner is not None and owner[0] == "res":
            owner = self.cfn_owner.get(owner[1])
        if not isinstance(addr, str) or owner is None:
            return  # (an address allocated when the stack is made, or an instance the template does not give)
        public = self.literal(addr, line, "%s %s" % (typ, name))
        a = self.attachments[owner[1]]
        if public is not None and public not in a.addresses:
            self.attachments[owner[1]] = replace(a, addresses=a.addresses + (public,), more=a.more or not a.addresses)

    # --- which security groups each network interface has ---------------------------------------
    def interfaces(self, data: JObj) -> Config:
        """``aws ec2 describe-instances`` / ``describe-network-interfaces`` output: the security groups of each
        network interface and its addresses (``Config.aux``, ``AwsInterfaces``: ``combine`` applies them to
        the security groups of the same run).  An instance with network interfaces: each interface's
        ``Groups``; without: the instance's ``SecurityGroups`` and ``PrivateIpAddress``."""
        from parsers.kit import InputError

        for k in data:
            if k == "NextToken":
                self.lines.unrecognized_at(data.at(k), "the output is paginated (NextToken): more instances or "
                                                       "interfaces exist than this input holds", Impact.NONE)
            elif k not in ("Reservations", "NetworkInterfaces") and k not in _TOP_IGNORED:
                self.lines.unrecognized_at(data.at(k), "unknown key '%s'" % k, Impact.NONE)
        reservations = data.get("Reservations")
        for ri, r in enumerate(reservations if isinstance(reservations, list) else []):
            insts = r.get("Instances") if isinstance(r, JObj) else None
            if not isinstance(insts, list):
                self.lines.unrecognized_at(line_of(reservations, ri), "a reservation without an Instances list",
                                           Impact.NONE)
                continue
            for ii, inst in enumerate(insts):
                if not isinstance(inst, JObj):
                    self.lines.unrecognized_at(line_of(insts, ii), "an instance that is not an object", Impact.NONE)
                    continue
                owner = "instance %s" % inst.get("InstanceId", "?")
                enis = inst.get("NetworkInterfaces")
                first = len(self.attachments)
                if isinstance(enis, list) and enis:
                    for ei, e in enumerate(enis):
                        self.interface(e, line_of(enis, ei), owner, "Groups")
                else:
                    self.interface(inst, inst.line, owner, "SecurityGroups")
                self.instance_public(inst, first)
        enis = data.get("NetworkInterfaces")
        for ei, e in enumerate(enis if isinstance(enis, list) else []):
            att = e.get("Attachment") if isinstance(e, JObj) else None
            owner = "instance %s" % att["InstanceId"] if isinstance(att, JObj) and att.get("InstanceId") else ""
            self.interface(e, line_of(enis, ei), owner, "Groups")
        if not self.attachments:
            raise InputError("%s: describe-instances or describe-network-interfaces output without any instance or "
                             "network interface" % self.path)
        return Config(path=self.path, vendor=NAME, lines=len(self.lines), filters={}, paths=(),
                      diagnostics=tuple(self.lines.diagnostics), ignored_lines=self.lines.ignored,
                      head=self.lines.head(), aux=AwsInterfaces(tuple(self.attachments)))

    def subnets_only(self, data: JObj) -> Config:
        """``aws ec2 describe-subnets`` output: each subnet's addresses (``Config.aux``, ``AwsSubnets``: ``combine``
        places the network ACLs of the same run by them)."""
        from parsers.kit import InputError

        for k in data:
            if k == "NextToken":
                self.lines.unrecognized_at(data.at(k), "the output is paginated (NextToken): more subnets exist than "
                                                       "this input holds", Impact.NONE)
            elif k != "Subnets" and k not in _TOP_IGNORED:
                self.lines.unrecognized_at(data.at(k), "unknown key '%s'" % k, Impact.NONE)
        subnets = self.subnets(data["Subnets"], "Subnets")
        if not subnets:
            raise InputError("%s: describe-subnets output without any subnet whose addresses it gives" % self.path)
        return Config(path=self.path, vendor=NAME, lines=len(self.lines), filters={}, paths=(),
                      diagnostics=tuple(self.lines.diagnostics), ignored_lines=self.lines.ignored,
                      head=self.lines.head(), aux=AwsSubnets(subnets))

    def interface(self, e: Any, line: int, owner: str, key: str) -> None:
        """One network interface (or an instance without them): its groups (``key``) and addresses."""
        if not isinstance(e, JObj):
            self.lines.unrecognized_at(line, "a network interface that is not an object", Impact.NONE)
            return
        eid = e.get("NetworkInterfaceId")
        what = "%s (%s)" % (owner, eid) if owner and eid else owner or str(eid or "a network interface")
        groups, unknown = [], ""
        listed = e.get(key)
        if not isinstance(listed, list):
            unknown = "its security groups (%s) are not in the input" % key
        for g in listed if isinstance(listed, list) else []:
            name = (g.get("GroupId") or g.get("GroupName")) if isinstance(g, JObj) else None
            if isinstance(name, str) and name:
                groups.append(name)
            else:
                unknown = "an entry of its %s is not understood" % key
        if unknown:
            self.lines.unrecognized_at(e.at(key), "%s: %s" % (what, unknown), Impact.NONE)
        addrs = self.addresses(e, ("PrivateIpAddress", "Ipv6Address"), what)
        self.attachments.append(Attachment(what, addrs, tuple(groups), unknown, self.lines.at(e.line),
                                           tcp_idle=self.tcp_idle(e, "ConnectionTrackingConfiguration", what)))

    def tcp_idle(self, o: JObj, key: str, what: str) -> tuple | None:
        """A network interface's own TCP established timeout: ``TcpEstablishedTimeout`` of its ``key``
        (``ConnectionTrackingConfiguration`` in describe-instances / describe-network-interfaces output,
        ``ConnectionTrackingSpecification`` in a template): "Timeout (in seconds) for idle TCP connections in
        an established state. Min: 60 seconds. Max: 432000 seconds (5 days). Default: 432000 seconds"
        (EC2 API Reference, ConnectionTrackingConfiguration; CloudFormation, AWS::EC2::NetworkInterface
        ConnectionTrackingSpecification).  (seconds, its line), None when not set; a value not understood is
        reported (scope ``timeouts``: PRN120 cannot tell)."""
        spec = o.get(key)
        if spec is None:
            return None
        v = spec.get("TcpEstablishedTimeout") if isinstance(spec, JObj) else spec
        if isinstance(spec, JObj) and v is None:
            return None  # (the UDP timers only: the TCP one is the default)
        at = spec.at("TcpEstablishedTimeout") if isinstance(spec, JObj) else o.at(key)
        if isinstance(v, int) and not isinstance(v, bool) and 60 <= v <= 432000:
            return v, self.lines.at(at)
        self.lines.unrecognized_at(at, "%s: TcpEstablishedTimeout %s is not a number of seconds from 60 to 432000 "
                                       "(a function this auditor does not evaluate?): the idle timeout of its "
                                       "connections is not known" % (what, str(v)[:40]), Impact.FILTER,
                                   "timeouts")
        return None

    def instance_public(self, inst: JObj, first: int) -> None:
        """A ``describe-instances`` instance's ``PublicIpAddress`` (its attachments from ``first`` on): the
        public address of its primary private address, on the interface that has that address (on every one
        of its interfaces when none says it: which one, the input does not say).  An address its interfaces'
        ``Association.PublicIp`` already gives is theirs."""
        v = inst.get("PublicIpAddress")
        if not isinstance(v, str):
            return
        what = "instance %s" % inst.get("InstanceId", "?")
        public = self.literal(v, inst.at("PublicIpAddress"), what)
        mine = self.attachments[first:]
        if public is None or any(public in a.addresses for a in mine):
            return
        private = inst.get("PrivateIpAddress")
        primary = self.literal(private, inst.at("PrivateIpAddress"), what) if isinstance(private, str) else None
        owners = [i for i, a in enumerate(mine) if primary is not None and primary in a.addresses] or range(len(mine))
        for i in owners:
            a = mine[i]
            self.attachments[first + i] = replace(a, addresses=a.addresses + (public,))

    def literal(self, v: str, line: int, what: str) -> ISet | None:
        """A literal single address, None (reported) when it is not one."""
        try:
            if "/" in v:
                raise ValueError("a prefix, not an address")
            return cidr_set(v)
        except ValueError as ex:
            self.lines.unrecognized_at(line, "%s: address '%s' not understood (%s)" % (what, v, _why(ex)),
                                       Impact.NONE)
            return None

    def addresses(self, o: JObj, keys: tuple[str, ...], what: str) -> tuple[ISet, ...]:
        """The single addresses of a network interface: ``keys`` of ``o`` and the members of its
        ``PrivateIpAddresses`` and ``Ipv6Addresses`` lists; a value that is not a literal address (a template's
        function) is none of them.  The public IPv4 addresses associated with it (``Association.PublicIp`` of
        the interface or of one of its private addresses) are its addresses too: AWS maps a public address to
        a private address of the interface by NAT ("The public IP address is mapped to the primary private IP
        address through network address translation (NAT)", EC2 User Guide, "Amazon EC2 instance IP
        addressing"), so the security groups see packets to it at that private address, and no group rule
        names the interface's own address: the groups decide a packet to the public address as they decide
        it to the private one."""
        values = [(o.get(k), o.at(k)) for k in keys if k in o]
        for lst, field in (("PrivateIpAddresses", "PrivateIpAddress"), ("Ipv6Addresses", "Ipv6Address")):
            items = o.get(lst)
            for x in items if isinstance(items, list) else []:
                if isinstance(x, JObj) and field in x:
                    values.append((x[field], x.at(field)))
        items = o.get("PrivateIpAddresses")
        for x in [o] + [x for x in (items if isinstance(items, list) else []) if isinstance(x, JObj)]:
            assoc = x.get("Association")
            if isinstance(assoc, JObj) and "PublicIp" in assoc:
                values.append((assoc["PublicIp"], assoc.at("PublicIp")))
        out = []
        for v, ln in values:
            if not isinstance(v, str):
                continue  # (a function: the address is decided when the stack is made)
            got = self.literal(v, ln, what)
            if got is not None:
                out.append(got)
        return tuple(dict.fromkeys(out))

    def cfn_instance(self, name: str, res: JObj, line: int) -> None:
        """A template's ``AWS::EC2::Instance``: the groups its ``SecurityGroupIds``/``SecurityGroups`` (or each
        of its ``NetworkInterfaces``' ``GroupSet``) name by ``Ref`` or ``Fn::GetAtt ... GroupId``, and its
        literal addresses.  Without any group, AWS gives it the VPC's default group, which the template does
        not hold (RunInstances: "Default: Amazon EC2 uses the default security group")."""
        what = "AWS::EC2::Instance %s" % name
        props = res.get("Properties")
        self.lines.ignore_at(line, "a CloudFormation instance (its security groups are read)")
        if not isinstance(props, JObj):
            self.attachments.append(Attachment(what, (), (), "its properties are not in the template",
                                               self.lines.at(line)))
            return
        own = [k for k in ("SecurityGroupIds", "SecurityGroups", "NetworkInterfaces") if k in props]
        if "LaunchTemplate" in props and not own:
            self.cfn_launch_template(props, what, line)
            return
        enis = props.get("NetworkInterfaces")
        if enis is None:
            self.cfn_interface(props, what, ("SecurityGroupIds", "SecurityGroups"), line)
        elif not isinstance(enis, list):
            self.attachments.append(Attachment(what, (), (), "its NetworkInterfaces are computed",
                                               self.lines.at(props.at("NetworkInterfaces"))))
        else:
            for ei, e in enumerate(enis):
                if isinstance(e, JObj):
                    self.cfn_interface(e, "%s interface %d" % (what, ei + 1), ("GroupSet",), line_of(enis, ei))

    def cfn_launch_template(self, props: JObj, what: str, line: int) -> None:
        """An instance that names no group of its own, launched from a launch template: the template's groups
        (``LaunchTemplateData.SecurityGroupIds``/``SecurityGroups``, or its ``NetworkInterfaces[].Groups``) are
        its groups ("After selecting the launch template, but before launching the instance, you can modify the
        launch parameters", EC2 User Guide, "Launch EC2 instances using a launch template": what the instance
        does not set is the template's).  Only the version the template defines is read: ``Version`` must be
        ``Fn::GetAtt [LT, LatestVersionNumber]`` ("To specify the latest version of the template, use
        Fn::GetAtt to retrieve the LatestVersionNumber attribute", CloudFormation, AWS::EC2::Instance
        LaunchTemplateSpecification); the default version or a literal number may be another version, whose
        groups are not in the input: the instance's address then has no known groups (reported; any group of
        the input may be its)."""
        spec = props.get("LaunchTemplate")
        at = props.at("LaunchTemplate")
        name = _cfn_ref(spec.get("LaunchTemplateId"), "LaunchTemplateId") if isinstance(spec, JObj) else None
        lt = self.cfn_res.get(name) if isinstance(name, str) and self.cfn_res is not None else None
        lprops = lt.get("Properties") if isinstance(lt, JObj) and lt.get("Type") == "AWS::EC2::LaunchTemplate" else None
        data = lprops.get("LaunchTemplateData") if isinstance(lprops, JObj) else None
        if not isinstance(data, JObj):
            self.attachments.append(Attachment(what, self.addresses(props, ("PrivateIpAddress",), what), (),
                                               "its launch template (LaunchTemplate) is not one of the template's "
                                               "AWS::EC2::LaunchTemplate resources", self.lines.at(at)))
            return
        version = spec.get("Version")
        vparts = version.get("Fn::GetAtt") if isinstance(version, JObj) and len(version) == 1 else None
        vparts = vparts.split(".", 1) if isinstance(vparts, str) else vparts
        if vparts != [name, "LatestVersionNumber"]:
            self.lines.unrecognized_at(spec.at("Version") if "Version" in spec else at,
                                       "%s: launched from a version of launch template %s that may not be the one "
                                       "the template defines (only Fn::GetAtt %s.LatestVersionNumber is): its "
                                       "security groups are not known, any group of the input may be its"
                                       % (what, name, name), Impact.NONE)
            return
        enis = data.get("NetworkInterfaces")
        if isinstance(enis, list) and enis and not any(k in data for k in ("SecurityGroupIds", "SecurityGroups")):
            for ei, e in enumerate(enis):
                if isinstance(e, JObj):
                    # (the instance's own address is its primary interface's: DeviceIndex 0, else the first)
                    primary = str(e.get("DeviceIndex", ei)) == "0"
                    merged = _obj(e.line, **{k: (e[k], e.at(k)) for k in e})
                    if primary and "PrivateIpAddress" in props and "PrivateIpAddress" not in e:
                        _put(merged, "PrivateIpAddress", props["PrivateIpAddress"], props.at("PrivateIpAddress"))
                    self.cfn_interface(merged, "%s interface %d (launch template %s)" % (what, ei + 1, name),
                                       ("Groups",), line_of(enis, ei))
            return
        merged = _obj(props.line, **{k: (data[k], data.at(k)) for k in ("SecurityGroupIds", "SecurityGroups")
                                     if k in data})
        for k in ("PrivateIpAddress", "PrivateIpAddresses"):
            if k in props:
                _put(merged, k, props[k], props.at(k))
        self.cfn_interface(merged, "%s (launch template %s)" % (what, name), ("SecurityGroupIds", "SecurityGroups"),
                           line)

    def cfn_interface(self, o: JObj, what: str, keys: tuple[str, ...], line: int) -> None:
        refs, unknown = [], ""
        eni = o.get("NetworkInterfaceId")
        if isinstance(eni, JObj) and _res_type(self, eni.get("Ref")) == "AWS::EC2::NetworkInterface":
            return  # (a network interface of the template: read as its own resource)
        if eni is not None:
            unknown = "an existing network interface (NetworkInterfaceId), whose groups are not in the template"
        given = [k for k in keys if k in o]
        if not given and not unknown:
            unknown = "no security group named: AWS gives it the VPC's default security group, not in the template"
        for k in given:
            v = o[k]
            for x in v if isinstance(v, list) else [None]:
                ref = _group_ref(x)
                if ref is None:
                    unknown = "its %s is computed (a function this auditor does not evaluate)" % k
                else:
                    refs.append(ref)
        addrs = self.addresses(o, ("PrivateIpAddress",), what)
        self.attachments.append(Attachment(what, addrs, tuple(refs), unknown, self.lines.at(line),
                                           tcp_idle=self.tcp_idle(o, "ConnectionTrackingSpecification", what)))

    def terraform(self, data: JObj) -> tuple[JArr, JArr | None, JArr | None]:
        """(security groups, network ACLs, subnets) of Terraform's JSON (the ACLs and subnets: ``terraform_acls``).
        Terraform's JSON (``terraform show -json`` of a state, whose ``values``, or of a plan, whose
        ``planned_values`` are the resources as they will be; a ``terraform.tfstate`` file, whose
        ``resources[].instances[].attributes``) as the groups of ``describe-security-groups``.  The attributes
        are those of the AWS provider's resources (registry.terraform.io/providers/hashicorp/aws/latest/docs/
        resources/security_group, security_group_rule, vpc_security_group_ingress_rule): a group's ``ingress``
        and ``egress`` blocks are its whole rule lists (an empty ``egress`` allows nothing out: Terraform removes
        AWS's default allow-all egress rule), ``self`` is the group's own members."""
        found = terraform.resources(data, self.path)
        terraform.report_after_apply(self.lines, data, _TF_ACL_RULES, _TF_ACL_COMPUTED)
        acls, subnets = self.terraform_acls(found)
        self.terraform_prefix_lists(data, found)
        self.terraform_interfaces(found)
        # a plan's resources by address, and what its configuration's expressions refer to (a group made by the
        # plan has its ID only after apply: its rule resources name it by reference)
        addr_of = terraform.addresses(data) if "planned_values" in data else {}
        conf = terraform.references(data) if addr_of else {}
        by_base: dict[str, list[str]] = {}
        settled: dict[str, set[str]] = {}
        groups: dict[str, JObj] = {}
        for typ, v, line in found:
            if typ in ("aws_security_group", "aws_default_security_group"):
                gid = str(v.get("id") or v.get("name") or "group-%d" % (len(groups) + 1))
                g = groups[gid] = _obj(line, GroupId=(gid, v.at("id") if "id" in v else line))
                if isinstance(v.get("name"), str):
                    _put(g, "GroupName", v["name"], v.at("name"))
                addr = addr_of.get(line)
                if addr is not None:
                    by_base.setdefault(_tf_base(addr), []).append(gid)
                for key, target in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
                    blocks = v.get(key)
                    if blocks is None and addr is not None and key not in conf.get(_tf_base(addr), {key: None}):
                        # a group the plan makes or changes whose configuration sets no inline rules: the
                        # provider's ingress/egress are then computed, the rules its rule resources (or nothing)
                        # give it ("Terraform will remove this default rule", aws_security_group): none of its own
                        blocks = _arr([])
                        settled.setdefault(addr, set()).add(key)
                        self.lines.ignore_at(line, "a planned group's %s: its rule resources' rules" % key)
                    if isinstance(blocks, list):
                        perms = _arr([_tf_perm(b, gid) if isinstance(b, JObj) else b for b in blocks])
                        perms.item_lines = [line_of(blocks, i) for i in range(len(blocks))]
                        _put(g, target, perms, v.at(key))
                    elif blocks is not None:
                        _put(g, target, blocks, v.at(key))  # (reported by the group reader: not a list)
        terraform.report_after_apply(self.lines, data, _TF_READ, _TF_COMPUTED, settled)
        for typ, v, line in found:
            if typ not in ("aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                           "aws_vpc_security_group_egress_rule"):
                continue
            gid = v.get("security_group_id")
            if (not isinstance(gid, str) or not gid) and line in addr_of:
                # (a group the plan makes: the configuration's reference, aws_security_group.NAME.id, when it names
                # one group of the plan)
                named = [g for a in conf.get(_tf_base(addr_of[line]), {}).get("security_group_id", [])
                         for g in by_base.get(a, ())]
                gid = named[0] if len(named) == 1 else gid
            if not isinstance(gid, str) or not gid:
                self.lines.unrecognized_at(line, "Terraform %s whose security group is not named "
                                                 "(security_group_id)" % typ, Impact.GLOBAL)
                continue
            g = groups.get(gid)
            if g is None:
                # a group the input does not hold (made in another configuration or state, or by hand): its other
                # rules, in either direction, are not in the input (as an aws_network_acl_rule's ACL's other
                # entries): unknown, not absent
                why = ("security group %s is not in the input, only some of its rules (Terraform %s): its other "
                       "%s rules are unknown")
                g = groups[gid] = _obj(line, GroupId=(gid, v.at("security_group_id")),
                                       **{key: (_arr([_obj(line, _unknown=(why % (gid, typ, word), line))]), line)
                                          for key, word in (("IpPermissions", "inbound"),
                                                            ("IpPermissionsEgress", "outbound"))})
                for key in ("IpPermissions", "IpPermissionsEgress"):
                    g[key].item_lines.append(line)
            kind = v.get("type") if typ == "aws_security_group_rule" else typ.split("_")[-2]
            perm = _tf_perm(v, gid, skip=_TF_RULE_OWN)
            if kind not in ("ingress", "egress"):
                self.lines.unrecognized_at(v.at("type"), "Terraform %s of type %r" % (typ, kind), Impact.GLOBAL)
                continue
            key = "IpPermissions" if kind == "ingress" else "IpPermissionsEgress"
            lst = g.get(key)
            if not isinstance(lst, list):
                lst = _arr([])
                _put(g, key, lst, line)
            mine = _tf_atoms(perm)
            if mine and mine <= {a for p in lst for a in _tf_atoms(p)}:
                # a refreshed state lists a rule resource's rules in its group's ingress/egress too (the provider
                # reads the group's rules back, whichever resource made them): one rule, not two
                self.lines.ignore_at(line, "its group's %s list holds this rule" % kind)
                continue
            lst.append(perm)
            lst.item_lines.append(line)
        # (a group of which only rule resources are in the input: its other rules unknown, in both directions)
        return _arr(list(groups.values())), acls, subnets

    def terraform_interfaces(self, found: list) -> None:
        """The security groups of each network interface Terraform's JSON holds, with its addresses
        (``self.attachments``, as ``describe-instances`` gives them): an ``aws_instance``'s
        ``vpc_security_group_ids`` (else its ``security_groups`` by name) are those of its primary interface, with
        its ``private_ip``, ``secondary_private_ips``, ``ipv6_addresses`` and ``public_ip`` (mapped to the primary
        private address by NAT); an ``aws_network_interface``'s ``security_groups`` with its ``private_ip(s)`` and
        ``ipv6_addresses``; an ``aws_network_interface_sg_attachment`` adds its ``security_group_id`` to the
        interface ``network_interface_id`` names (registry.terraform.io/providers/hashicorp/aws/latest/docs/
        resources/instance, network_interface, network_interface_sg_attachment).  An instance launched with
        ``network_interface`` blocks has its groups on those interfaces; a value a plan knows only after apply is
        not there (an instance without its address or groups: reported by ``_group_paths``)."""
        at: dict[str, int] = {}  # a network interface's ID -> its attachment
        for typ, v, line in found:
            if typ not in ("aws_instance", "aws_network_interface"):
                continue
            what = "%s %s" % (typ, v.get("id") or v.get("private_ip") or "(ID known after apply)")
            if typ == "aws_instance" and isinstance(v.get("network_interface"), list) and v["network_interface"]:
                # (launched with interfaces of their own: their groups are theirs, read from their
                # aws_network_interface resources; an interface not in the input places nothing, its addresses
                # meeting the input's groups as any address whose groups no input gives)
                self.lines.ignore_at(line, "a Terraform instance launched with network interfaces (theirs are read)")
                continue
            key = "vpc_security_group_ids" if typ == "aws_instance" else "security_groups"
            groups = v.get(key)
            if typ == "aws_instance" and not groups and isinstance(v.get("security_groups"), list):
                groups = v["security_groups"]  # (names: a default VPC's instance)
            # (none named: AWS gives it the VPC's default group, "If you don't specify a security group, we use the
            # default security group" (RunInstances, CreateNetworkInterface), which a plan may not know yet)
            unknown = "" if isinstance(groups, list) and groups and all(isinstance(g, str) for g in groups) else (
                "its security groups (%s) are not in the input" % key)
            keys = ("private_ip", "secondary_private_ips", "ipv6_addresses", "public_ip") if typ == "aws_instance" \
                else ("private_ip", "private_ips", "ipv6_addresses")
            values = []
            for k in keys:
                x = v.get(k)
                for item in x if isinstance(x, list) else [x]:
                    if isinstance(item, str) and item:
                        values.append((item, v.at(k)))
            addrs = tuple(dict.fromkeys(a for a in (self.literal(x, ln, what) for x, ln in values) if a is not None))
            if not addrs:
                # (a plan's new instance, its address known only after apply: it places nothing, and the host
                # meets the input's groups as any address whose groups no input gives, as before this was read)
                self.lines.ignore_at(line, "a Terraform %s whose address is known only after apply" % typ)
                continue
            eni = v.get("primary_network_interface_id") if typ == "aws_instance" else v.get("id")
            if isinstance(eni, str) and eni:
                at[eni] = len(self.attachments)
            self.attachments.append(Attachment(what, addrs, tuple(groups) if not unknown else (), unknown,
                                               self.lines.at(line)))
        for typ, v, line in found:
            if typ == "aws_network_interface_sg_attachment":
                i = at.get(v.get("network_interface_id"))
                if i is not None and isinstance(v.get("security_group_id"), str):
                    a = self.attachments[i]
                    self.attachments[i] = replace(a, groups=tuple(dict.fromkeys(a.groups + (v["security_group_id"],))))
                else:
                    self.lines.ignore_at(line, "a Terraform security group attachment of an interface not in the input")

    def terraform_prefix_lists(self, data: JObj, found: list) -> None:
        """The customer-managed prefix lists of Terraform's JSON whose entries it gives (``self.prefix_lists``): an
        ``aws_ec2_managed_prefix_list``'s ``id`` and ``entry`` blocks (``cidr``), and the
        ``aws_ec2_managed_prefix_list_entry`` resources (``prefix_list_id``, ``cidr``) of a list the input holds
        (registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ec2_managed_prefix_list, _entry).
        A list of which only entry resources are in the input, an AWS-managed list (``com.amazonaws.REGION.s3``)
        and a list whose entries a plan knows only after apply stay unknown."""
        if terraform.unknown_after_apply(data, _TF_PREFIX_LISTS, _TF_PREFIX_COMPUTED):
            terraform.report_after_apply(self.lines, data, _TF_PREFIX_LISTS, _TF_PREFIX_COMPUTED)
            return
        lists: dict[str, list[tuple[Any, int]]] = {}
        for typ, v, _line in found:
            if typ == "aws_ec2_managed_prefix_list" and isinstance(v.get("id"), str) and v["id"]:
                entries = v.get("entry")
                if isinstance(entries, list):
                    lists[v["id"]] = [(e.get("cidr"), e.at("cidr") if "cidr" in e else line_of(entries, i))
                                      if isinstance(e, JObj) else (e, line_of(entries, i))
                                      for i, e in enumerate(entries)]
        for typ, v, line in found:
            if typ == "aws_ec2_managed_prefix_list_entry" and v.get("prefix_list_id") in lists:
                cidr = v.get("cidr")
                if cidr not in [c for c, _ in lists[v["prefix_list_id"]]]:
                    lists[v["prefix_list_id"]].append((cidr, v.at("cidr") if "cidr" in v else line))
        self.prefix_lists = lists

    def terraform_acls(self, found: list) -> tuple[JArr | None, JArr | None]:
        """Terraform's network ACLs and subnets in the shape of ``describe-network-acls`` and ``describe-subnets``
        (None: the input has no ACL resource).  The AWS provider's resources (registry.terraform.io/providers/
        hashicorp/aws/latest/docs/resources/network_acl, default_network_acl, network_acl_rule,
        network_acl_association, subnet): an ``aws_network_acl``'s (``aws_default_network_acl``'s) ``ingress`` and
        ``egress`` blocks are its entries (``rule_no``, ``action``, ``protocol`` a number or an IANA name, ``-1``
        every protocol, ``from_port``/``to_port`` for TCP and UDP, ``icmp_type``/``icmp_code`` for ICMP and ICMPv6,
        ``cidr_block`` or ``ipv6_cidr_block``), the provider leaving out the ``*`` entries (the stage default);
        ``subnet_ids`` and ``aws_network_acl_association`` (``network_acl_id``, ``subnet_id``) its subnets; an
        ``aws_network_acl_rule`` one entry of the ACL ``network_acl_id`` names (``rule_number``, ``egress``,
        ``rule_action``; the ACL's own list of a refreshed state holds it too: one entry, not two), the ACL's other
        entries unknown when the ACL is not in the input; ``aws_subnet``'s ``id``, ``cidr_block`` and
        ``ipv6_cidr_block`` where they are.  An ACL the state associates with no subnet is not taken as filtering
        nothing (the association may be made outside the state: it stays one of the ACLs a host may be behind); a
        subnet or association whose values a plan knows only after apply places nothing."""
        acls: dict[str, JObj] = {}
        subnets = _arr([])
        assoc: dict[str, list[tuple[str, int]]] = {}

        def placeholder(aid: str, line: int, why: str) -> JObj:
            # an ACL the input names but does not hold: its entries are unknown
            marker = _obj(line, _unknown=(why, line))
            acl = acls[aid] = _obj(line, NetworkAclId=(aid, line), Entries=(_arr([marker]), line))
            return acl

        for typ, v, line in found:
            if typ in ("aws_network_acl", "aws_default_network_acl"):
                aid = str(v.get("id") or v.get("default_network_acl_id") or "%s-%d" % (typ, len(acls) + 1))
                entries = _arr([])
                for key, egress in (("ingress", False), ("egress", True)):
                    blocks = v.get(key)
                    if not isinstance(blocks, list):
                        why = "%s %s: its %s entries are not in the input" % (typ, aid, key)
                        entries.append(_obj(v.at(key) if key in v else line, _unknown=(why, line),
                                            Egress=(egress, line)))
                        entries.item_lines.append(v.at(key) if key in v else line)
                        continue
                    for i, b in enumerate(blocks):
                        ln = line_of(blocks, i)
                        entries.append(_tf_acl_entry(b, egress, "rule_no", "action", ln) if isinstance(b, JObj) else b)
                        entries.item_lines.append(ln)
                acls[aid] = _obj(line, NetworkAclId=(aid, v.at("id") if "id" in v else line),
                                 Entries=(entries, v.at("ingress") if "ingress" in v else line))
                for sid in v.get("subnet_ids") if isinstance(v.get("subnet_ids"), list) else []:
                    if isinstance(sid, str):
                        assoc.setdefault(aid, []).append((sid, v.at("subnet_ids")))
            elif typ == "aws_subnet" and isinstance(v.get("id"), str):
                sn = _obj(line, SubnetId=(v["id"], v.at("id")))
                if isinstance(v.get("cidr_block"), str) and v["cidr_block"]:
                    _put(sn, "CidrBlock", v["cidr_block"], v.at("cidr_block"))
                if isinstance(v.get("ipv6_cidr_block"), str) and v["ipv6_cidr_block"]:
                    at = v.at("ipv6_cidr_block")
                    _put(sn, "Ipv6CidrBlockAssociationSet", _arr([_obj(at, Ipv6CidrBlock=(v["ipv6_cidr_block"], at))]),
                         at)
                subnets.append(sn)
                subnets.item_lines.append(line)
        for typ, v, line in found:
            if typ == "aws_network_acl_association":
                aid, sid = v.get("network_acl_id"), v.get("subnet_id")
                if isinstance(aid, str) and isinstance(sid, str):
                    if aid not in acls:
                        placeholder(aid, line, "network ACL %s (of aws_network_acl_association %s) is not in the "
                                               "input: its entries are unknown" % (aid, sid))
                    assoc.setdefault(aid, []).append((sid, line))
            elif typ == "aws_network_acl_rule":
                aid = v.get("network_acl_id")
                if not isinstance(aid, str) or not aid:
                    self.lines.unrecognized_at(line, "Terraform aws_network_acl_rule whose network ACL is not named "
                                                     "(network_acl_id)", Impact.GLOBAL)
                    continue
                acl = acls.get(aid) or placeholder(
                    aid, line, "network ACL %s: only some of its entries are in the input (aws_network_acl_rule "
                               "without its aws_network_acl)" % aid)
                entry = _tf_acl_entry(v, v.get("egress", False), "rule_number", "rule_action", line)
                lst = acl["Entries"]
                same = [i for i, e in enumerate(lst) if isinstance(e, JObj) and "_unknown" not in e
                        and e.get("Egress") == entry.get("Egress") and e.get("RuleNumber") == entry.get("RuleNumber")]
                if same and lst[same[0]] == entry:
                    # a refreshed state lists a rule resource's entry in its ACL's ingress/egress too (``==``: the
                    # members, as a dict compares them, not the lines they came from)
                    self.lines.ignore_at(line, "its network ACL's list holds this entry")
                    continue
                if same:
                    # one number, two entries: AWS holds one entry per number and direction, which one is not known
                    why = ("network ACL %s: rule number %s %s is given twice with different entries (its "
                           "aws_network_acl and an aws_network_acl_rule): which one AWS holds is not known"
                           % (aid, entry.get("RuleNumber"), "egress" if entry.get("Egress") else "ingress"))
                    lst[same[0]] = _obj(line, _unknown=(why, line), RuleNumber=(entry.get("RuleNumber"), line),
                                        Egress=(entry.get("Egress"), line))
                    continue
                lst.append(entry)
                lst.item_lines.append(line)
        if not acls:
            return None, None
        for aid, items in assoc.items():
            first: dict[str, int] = {}
            for sid, ln in items:
                first.setdefault(sid, ln)
            _put(acls[aid], "Associations", _arr([_obj(ln, SubnetId=(sid, ln)) for sid, ln in first.items()]),
                 items[0][1])
        return _arr(list(acls.values())), subnets

    def group_rules(self, rules: list) -> JArr:
        """``describe-security-group-rules`` output (one object per rule, ``IsEgress``, one address each) as the
        groups of ``describe-security-groups``: each rule becomes a permission of its group."""
        groups: dict[str, JObj] = {}
        for ri, r in enumerate(rules):
            if not isinstance(r, JObj):
                self.lines.unrecognized_at(line_of(rules, ri), "security group rule is not an object", Impact.GLOBAL)
                continue
            gid = str(r.get("GroupId") or "?")
            g = groups.get(gid)
            if g is None:
                g = groups[gid] = _obj(r.line, GroupId=(gid, r.at("GroupId")), IpPermissions=(_arr([]), r.line),
                                       IpPermissionsEgress=(_arr([]), r.line))
            egress = r.get("IsEgress")
            if not isinstance(egress, bool):
                # either direction: a permission with a key it does not know, unknown in both
                for key in ("IpPermissions", "IpPermissionsEgress"):
                    g[key].append(_obj(r.line, IsEgress=(egress, r.at("IsEgress"))))
                    g[key].item_lines.append(r.line)
                continue
            perm = _obj(r.line)
            for k in r:
                if k in ("SecurityGroupRuleId", "GroupId", "GroupOwnerId", "IsEgress", "Description", "Tags",
                         "SecurityGroupRuleArn"):
                    continue
                if k in _RULE_PEERS and r[k] is None:
                    continue  # (JSON null: the member is absent, as an AWS SDK for Go tool writes it; see _listed)
                kl = r.at(k)
                if k in ("IpProtocol", "FromPort", "ToPort"):
                    _put(perm, k, r[k], kl)
                elif k in ("CidrIpv4", "CidrIpv6"):
                    key, field = ("IpRanges", "CidrIp") if k == "CidrIpv4" else ("Ipv6Ranges", "CidrIpv6")
                    _put(perm, key, _arr([_obj(kl, **{field: (r[k], kl)})]), kl)
                elif k == "PrefixListId":
                    _put(perm, "PrefixListIds", _arr([_obj(kl, PrefixListId=(r[k], kl))]), kl)
                elif k == "ReferencedGroupInfo" and isinstance(r[k], JObj):
                    ref = r[k]
                    _put(perm, "UserIdGroupPairs", _arr([_obj(ref.line, GroupId=(ref.get("GroupId"),
                                                                                  ref.at("GroupId")))]), kl)
                else:
                    _put(perm, k, r[k], kl)  # (an unknown key: the permission is taken as unknown)
            if not any(r.get(k) is not None for k in _RULE_PEERS):
                # each rule names one peer ("CidrIpv4", "CidrIpv6", "PrefixListId" or "ReferencedGroupInfo": EC2 API
                # Reference, SecurityGroupRule); without one, what it allows is not in the input
                _put(perm, "_unknown", "security group rule %s names no address, prefix list or group: what it "
                                       "allows is unknown" % r.get("SecurityGroupRuleId", "?"), r.line)
            lst = g["IpPermissionsEgress" if egress else "IpPermissions"]
            lst.append(perm)
            lst.item_lines.append(r.line)
        return _arr(list(groups.values()))

    def permission(self, perm: Any, pline: int, direction: str, fname: str,
                   sure: list[_RuleSpec], maybe: list[_RuleSpec], group: str = "") -> None:
        if not isinstance(perm, JObj):
            self.lines.unrecognized_at(pline, "permission is not an object", Impact.FILTER, fname)
            maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(pline), maybe=ALL, opaque=True))
            return
        if "_unknown" in perm:
            # (Terraform: rules the input names the group of but does not hold, ``terraform``)
            self.lines.unrecognized_at(perm.at("_unknown"), str(perm["_unknown"]), Impact.FILTER, fname)
            maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(perm.at("_unknown")), maybe=ALL,
                                   opaque=True))
            return
        unknown = [k for k in perm if k not in _PERM_KEYS]
        if unknown:
            k = unknown[0]
            self.lines.unrecognized_at(perm.at(k), "unknown permission key '%s': the whole permission is taken "
                                                   "as unknown" % k, Impact.FILTER, fname)
            maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(perm.at(k)), maybe=ALL, opaque=True))
            return
        try:
            proto, ports = self.proto_ports(perm)
        except ValueError as e:
            ln = perm.at("IpProtocol")
            self.lines.unrecognized_at(ln, "bad protocol or ports: %s" % e, Impact.FILTER, fname)
            maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(ln), maybe=ALL, opaque=True))
            return

        def box(addrs: ISet) -> PacketSet:
            if direction == "in":
                return PacketSet([cube(src=addrs, proto=proto, dport=ports)])
            return PacketSet([cube(dst=addrs, proto=proto, dport=ports)])

        for key, field, family in (("IpRanges", "CidrIp", 4), ("Ipv6Ranges", "CidrIpv6", 6)):
            items = _listed(perm, key)
            if not isinstance(items, list):
                self.lines.unrecognized_at(perm.at(key), "%s is not a list" % key, Impact.FILTER, fname)
                maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(perm.at(key)), maybe=box(ALL_ADDR),
                                       opaque=True))
                continue
            for ii, item in enumerate(items):
                ln = line_of(items, ii)
                if isinstance(item, JObj):
                    ln = item.at(field)
                    extra = [k for k in item if k not in (field, "Description")]
                else:
                    extra = ["(not an object)"]
                try:
                    if extra:
                        raise ValueError("unknown key '%s'" % extra[0])
                    addrs = cidr_set(item[field], family)
                except (ValueError, KeyError, TypeError) as e:
                    fn = _intrinsic(item.get(field)) if isinstance(item, JObj) and not extra else ""
                    why = ("%s: CloudFormation intrinsic function %s is not evaluated; packets the rule could match "
                           "are reported unknown" % (field, fn)) if fn else "bad %s entry: %s" % (key, _why(e))
                    self.lines.unrecognized_at(ln, why, Impact.FILTER, fname)
                    maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(ln), maybe=box(ALL_ADDR), opaque=True))
                    continue
                s = self.lines.at(ln)
                refs = address_refs(addrs, s)
                self.address_refs.extend(refs)
                label = "%s: allow %s %s %s" % (group, _proto_words(perm), "from" if direction == "in" else "to",
                                                item[field])
                sure.append(_RuleSpec(Action.PERMIT, box(addrs), s, refs=refs, label=label))
        for key, field, what in (("UserIdGroupPairs", "GroupId", "security group"),
                                 ("PrefixListIds", "PrefixListId", "prefix list")):
            items = _listed(perm, key)
            if not isinstance(items, list):
                items = [items]
            for ii, item in enumerate(items):
                ln = line_of(items, ii)
                name = "?"
                if isinstance(item, JObj):
                    ln = item.at(field) if field in item else item.line
                    name = str(item.get(field) or item.get("GroupName") or "?")
                if key == "PrefixListIds" and name in self.prefix_lists:
                    # a customer-managed prefix list the input holds: "a set of one or more CIDR blocks", a rule
                    # referencing it is a rule for each of them (VPC User Guide, "Group CIDR blocks using managed
                    # prefix lists")
                    for cidr, cline in self.prefix_lists[name]:
                        family = 6 if ":" in str(cidr) else 4
                        try:
                            addrs = cidr_set(cidr, family)
                        except (ValueError, TypeError) as e:
                            self.lines.unrecognized_at(cline, "prefix list %s: bad entry: %s" % (name, _why(e)),
                                                       Impact.FILTER, fname)
                            maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(ln), maybe=box(ALL_ADDR),
                                                   opaque=True))
                            continue
                        s = self.lines.at(ln)
                        refs = address_refs(addrs, self.lines.at(cline))
                        self.address_refs.extend(refs)
                        label = "%s: allow %s %s prefix list %s (%s)" % (
                            group, _proto_words(perm), "from" if direction == "in" else "to", name, cidr)
                        sure.append(_RuleSpec(Action.PERMIT, box(addrs), s, refs=refs, label=label))
                    continue
                beyond = " (beyond the network interfaces an input of the run lists with it)" if (
                    key == "UserIdGroupPairs") else ""
                self.lines.unrecognized_at(ln, "%s %s: the addresses of its members are not in the input%s; packets "
                                               "it could match are reported unknown" % (what, name, beyond),
                                           Impact.FILTER, fname)
                maybe.append(_RuleSpec(Action.PERMIT, NOTHING, self.lines.at(ln), maybe=box(ALL_ADDR),
                                       note="%s %s" % (what, name),
                                       group=name if key == "UserIdGroupPairs" else ""))

    @staticmethod
    def proto_ports(perm: JObj) -> tuple[ISet, ISet]:
        if "IpProtocol" not in perm:
            raise ValueError("no IpProtocol")
        p = _proto_number(perm["IpProtocol"])
        if p is None:
            return ALL_PROTO, ALL_PORTS
        if p in (PROTO_TCP, PROTO_UDP, PROTO_ICMP) and ("FromPort" not in perm or "ToPort" not in perm):
            # "For tcp, udp, and icmp, you must specify a port range. For icmpv6, the port range is optional; if
            # you omit the port range, traffic for all types and codes is allowed" (EC2 API Reference,
            # IpPermission, IpProtocol); AWS refuses the rule ("Must specify both from and to ports with TCP/UDP"):
            # it is not every port, and whether the rest of its group or stack was made is not known
            raise ValueError("%s without both FromPort and ToPort, which AWS refuses (a port range is required for "
                             "tcp, udp and icmp)" % perm["IpProtocol"])
        lo = _int(perm.get("FromPort", -1))
        hi = _int(perm.get("ToPort", -1))
        if p in (PROTO_TCP, PROTO_UDP):
            # (-1 is every ICMP type only: "TCP/UDP port (-1) out of range", as AWS answers it)
            if not 0 <= lo <= hi <= MAX_PORT:
                raise ValueError("port range %s-%s" % (lo, hi))
            return ISet.of(p), ISet.of(lo, hi)
        if p in (PROTO_ICMP, PROTO_ICMP6):
            # FromPort is the ICMP type, ToPort the code (-1: all)
            return ISet.of(p), icmp_codes(lo, hi)
        # other protocols: AWS ignores the ports
        return ISet.of(p), ALL_PORTS

    # --- network ACLs ----------------------------------------------------------------------------
    def network_acls(self, acls: list, outside: bool = False) -> AwsAcls:
        """The ACLs' filters, and each associated ACL's stages with its subnets (``AwsAcls``: ``_acl_places`` places
        them by the subnets' addresses, when an input gives them).  ``outside``: the input need not hold every ACL of
        the region (Terraform's: a state holds the ACLs it manages), so a host in none of the subnets given may be
        behind another (the VPC's default ACL: "If you don't explicitly associate a subnet with a network ACL, the
        subnet is automatically associated with the default network ACL", VPC User Guide, "Control subnet traffic
        with network access control lists"): an alternative whose every decision is unknown."""
        # (each ACL placed: its two inbound stages, its entries' and its replies', and its two outbound ones)
        ins_of: list[tuple[Stage, Stage]] = []
        outs_of: list[tuple[Stage, Stage]] = []
        placed: list[str] = []
        subnets_of: list[tuple[str, ...]] = []
        skipped = []
        for ai, acl in enumerate(acls):
            if not isinstance(acl, JObj):
                self.lines.unrecognized_at(line_of(acls, ai), "network ACL entry is not an object", Impact.GLOBAL)
                continue
            aid = str(acl.get("NetworkAclId") or "acl-%d" % (ai + 1))
            for k in acl:
                if k not in _ACL_KEYS:
                    self.lines.unrecognized_at(acl.at(k), "unknown network ACL key '%s'" % k, Impact.NONE, aid)
            assoc = acl.get("Associations")
            if isinstance(assoc, list) and not assoc:
                skipped.append(aid)
                self.lines.ignore_at(acl.line, "network ACL associated with no subnet")
            entries = acl.get("Entries")
            specs: dict[bool, list[tuple[int, int, _RuleSpec]]] = {False: [], True: []}
            if not isinstance(entries, list):
                self.lines.unrecognized_at(acl.at("Entries"), "network ACL %s has no Entries list" % aid,
                                           Impact.FILTER, aid)
                # its entries are unknown, not absent: nothing it decides is certain
                for d in (False, True):
                    specs[d].append((-1, -1, _RuleSpec(Action.DENY, NOTHING, self.lines.at(acl.at("Entries")),
                                                       maybe=ALL, opaque=True)))
                entries = []
            for ei, e in enumerate(entries):
                self.acl_entry(e, line_of(entries, ei), ei, aid, specs)
            self.acl_duplicates(aid, specs)
            anchor = self.lines.at(acl.at("NetworkAclId"))
            built = {}
            for egress in (False, True):
                word = "outbound" if egress else "inbound"
                fname = "%s %s" % (aid, word)
                ordered = [s for _, _, s in sorted(specs[egress], key=lambda t: (t[0], t[1]))]
                rules = tuple(s.rule(fname, i) for i, s in enumerate(ordered))
                self.filters[fname] = Filter(fname, rules, anchor, kind="network-acl")
                # the replies of traffic in the other direction, for a stateless filter
                rname = "%s %s (replies)" % (aid, word)
                mirrored = []
                for i, s in enumerate(ordered):
                    sure, unsure = _mirrored(s.match)
                    mirrored.append(Rule(rname, i, s.action, sure, s.source,
                                         maybe=replies(s.maybe).union(unsure), opaque=s.opaque,
                                         note="%s entry applied to the replies (network ACLs are stateless)" % word))
                # an ICMP message other than an echo request: whether it has a reply, and which, is not
                # modelled (unknown, not the stateless default's deny)
                mirrored.append(Rule(rname, len(mirrored), Action.DENY, NOTHING, anchor, maybe=_ICMP_OTHER,
                                     note="replies of ICMP messages other than echo requests are not modelled"))
                self.filters[rname] = Filter(rname, tuple(mirrored), anchor, kind="derived")
                last = self.acl_defaults.get((aid, egress)) or (rules[-1].source if rules else
                                                                 self.lines.at(acl.at("Entries")))
                built[egress] = (fname, rname, last)
            if aid in skipped:
                continue
            fin, rin, lin = built[False]
            fout, rout, lout = built[True]
            placed.append(aid)
            subnets_of.append(tuple(str(a["SubnetId"]) for a in (assoc if isinstance(assoc, list) else [])
                                    if isinstance(a, JObj) and isinstance(a.get("SubnetId"), str)))
            ins_of.append((Stage("network ACL %s inbound" % aid, (fin,), Action.DENY, lin,
                                 "no inbound entry of network ACL %s allows it" % aid),
                           Stage("network ACL %s outbound (replies)" % aid, (rout,), Action.DENY, lout,
                                 "no outbound entry of network ACL %s allows the replies (network ACLs are "
                                 "stateless)" % aid, replies=True)))
            outs_of.append((Stage("network ACL %s outbound" % aid, (fout,), Action.DENY, lout,
                                  "no outbound entry of network ACL %s allows it" % aid),
                            Stage("network ACL %s inbound (replies)" % aid, (rin,), Action.DENY, lin,
                                  "no inbound entry of network ACL %s allows the replies (network ACLs are "
                                  "stateless)" % aid, replies=True)))
        note = ""
        if skipped and not placed:
            note = "no network ACL in the input is associated with a subnet (%s)" % ", ".join(skipped)
        if outside and placed:
            name = "network ACL not in the input"
            head = self.lines.head() or self.lines.at(1)
            self.filters[name] = Filter(name, (Rule(name, 0, Action.DENY, NOTHING, head, maybe=ALL, opaque=True,
                                                    note="the host's network ACL may be one the input does not "
                                                         "hold"),), head, kind="derived")
            other = (Stage(name, (name,), Action.PERMIT, head, "the host's network ACL may be one the input does "
                                                                "not hold"),)
            why = ("denied by this network ACL, and the host may be behind another (of the input, or one it does not "
                   "hold: the VPC's default network ACL)")
            ins = one_of(self.filters, ins_of + [other], why)
            outs = one_of(self.filters, outs_of + [other], why)
        elif len(placed) < 2:
            ins, outs = [st for alt in ins_of for st in alt], [st for alt in outs_of for st in alt]
        else:
            # "A subnet can be associated with only one network ACL at a time" (AWS, "Control subnet traffic
            # with network access control lists": https://docs.aws.amazon.com/vpc/latest/userguide/
            # vpc-network-acls.html), and describe-network-acls lists every ACL of the region: a host in no subnet
            # whose addresses an input gives is behind one of them, not known which (each ACL two stages: its
            # entries, its replies')
            why = ("denied by this network ACL, permitted by another of the input, and which one guards the host "
                   "is not in the input")
            ins = one_of(self.filters, ins_of, why)
            outs = one_of(self.filters, outs_of, why)
        return AwsAcls(tuple(zip(placed, subnets_of, ins_of, outs_of)), tuple(ins), tuple(outs), note,
                       self.lines.head() or self.lines.at(1), outside)

    def subnets(self, items: Any, key: str) -> dict[str, ISet]:
        """``aws ec2 describe-subnets``' ``Subnets``: each subnet's ID -> its addresses (``CidrBlock`` and the
        ``Ipv6CidrBlockAssociationSet``'s blocks).  A subnet not understood is left out (reported): its hosts stay
        behind any of the input's ACLs."""
        out: dict[str, ISet] = {}
        if not isinstance(items, list):
            self.lines.unrecognized_at(self.lines.data.at(key), "%s is not a list" % key, Impact.NONE)
            return out
        for i, sn in enumerate(items):
            sid = sn.get("SubnetId") if isinstance(sn, JObj) else None
            if not isinstance(sid, str) or not isinstance(sn.get("CidrBlock", ""), str):
                self.lines.unrecognized_at(line_of(items, i), "a subnet without a SubnetId or CidrBlock understood: "
                                                              "its addresses are not known", Impact.NONE)
                continue
            blocks = [(sn["CidrBlock"], sn.at("CidrBlock"), 4)] if "CidrBlock" in sn else []
            v6 = sn.get("Ipv6CidrBlockAssociationSet")
            for j, b in enumerate(v6 if isinstance(v6, list) else []):
                if isinstance(b, JObj) and isinstance(b.get("Ipv6CidrBlock"), str):
                    blocks.append((b["Ipv6CidrBlock"], line_of(v6, j), 6))
            got = EMPTY
            try:
                for cidr, _ln, family in blocks:
                    got = got.union(cidr_set(cidr, family))
            except ValueError as ex:
                self.lines.unrecognized_at(sn.line, "subnet %s: address block not understood (%s): its addresses are "
                                                    "not known" % (sid, _why(ex)), Impact.NONE)
                continue
            if got:
                out[sid] = got
        return out

    def acl_duplicates(self, aid: str, specs: dict[bool, list[tuple[int, int, _RuleSpec]]]) -> None:
        """Entries of one direction that share a rule number: a rule number names one entry of its direction
        ("Each network ACL has a set of numbered ingress rules and a separate set of numbered egress rules";
        "After you add an entry, you can't modify it; you must either replace it, or create an entry and delete the
        old one", EC2 API Reference, CreateNetworkAclEntry), so AWS holds one of them; the input (a plan's or a
        hand-made list) does not say which: each may be in force or not, reported."""
        for egress, items in specs.items():
            count: dict[int, int] = {}
            for number, _, spec in items:
                if number >= 0 and not spec.opaque:
                    count[number] = count.get(number, 0) + 1
            for number, _, spec in items:
                if count.get(number, 0) > 1 and not spec.opaque:
                    self.lines.report("CFG300", "network ACL %s: rule number %d is used by %d %s entries (AWS "
                                                "holds one of them): which one is in force is not known"
                                      % (aid, number, count[number], "outbound" if egress else "inbound"),
                                      spec.source, Impact.FILTER, aid)
                    spec.maybe, spec.match = spec.maybe.union(spec.match), NOTHING

    def acl_entry(self, e: Any, eline: int, order: int, aid: str,
                  specs: dict[bool, list[tuple[int, int, _RuleSpec]]]) -> None:
        def opaque(line: int, why: str, directions=(False, True), number: int = -1) -> None:
            self.lines.unrecognized_at(line, "network ACL entry not understood: %s" % why, Impact.FILTER, aid)
            for d in directions:
                # unknown position: put it first so that nothing after it is trusted
                specs[d].append((number, order, _RuleSpec(Action.DENY, NOTHING, self.lines.at(line), maybe=ALL,
                                                          opaque=True)))

        if not isinstance(e, JObj):
            opaque(eline, "not an object")
            return
        if "_unknown" in e:
            # (Terraform: entries the input names but does not hold, terraform_acls)
            egress = e.get("Egress")
            number = e.get("RuleNumber")
            opaque(e.at("_unknown"), str(e["_unknown"]), (egress,) if isinstance(egress, bool) else (False, True),
                   number if isinstance(number, int) and not isinstance(number, bool) else -1)
            return
        line = e.at("RuleNumber")
        unknown = [k for k in e if k not in _ENTRY_KEYS]
        egress = e.get("Egress")
        dirs = (egress,) if isinstance(egress, bool) else (False, True)
        try:
            number = _int(e.get("RuleNumber"))
        except (ValueError, TypeError):
            opaque(line, "bad RuleNumber", dirs)
            return
        if unknown:
            opaque(e.at(unknown[0]), "unknown key '%s'" % unknown[0], dirs, number)
            return
        if not isinstance(egress, bool):
            opaque(e.at("Egress"), "bad Egress flag", dirs, number)
            return
        action = str(e.get("RuleAction", "")).lower()
        if action not in ("allow", "deny"):
            opaque(e.at("RuleAction"), "bad RuleAction", dirs, number)
            return
        try:
            if "CidrBlock" in e:
                addrs = cidr_set(e["CidrBlock"], 4)
                aline = e.at("CidrBlock")
            elif "Ipv6CidrBlock" in e:
                addrs = cidr_set(e["Ipv6CidrBlock"], 6)
                aline = e.at("Ipv6CidrBlock")
            else:
                raise ValueError("no CidrBlock")
            p = _proto_number(e.get("Protocol", ""))
            proto, ports = ALL_PROTO, ALL_PORTS
            if p is not None:
                proto = ISet.of(p)
                if p in (PROTO_TCP, PROTO_UDP):
                    pr = e.get("PortRange")
                    if not isinstance(pr, dict):
                        raise ValueError("TCP/UDP entry without PortRange")
                    lo, hi = _int(pr.get("From")), _int(pr.get("To"))
                    if not 0 <= lo <= hi <= MAX_PORT:
                        raise ValueError("port range %s-%s" % (lo, hi))
                    ports = ISet.of(lo, hi)
                elif p in (PROTO_ICMP, PROTO_ICMP6):
                    itc = e.get("IcmpTypeCode")
                    if isinstance(itc, dict):
                        ports = icmp_codes(_int(itc.get("Type", -1)), _int(itc.get("Code", -1)))
                    elif itc is not None:
                        raise ValueError("IcmpTypeCode is not an object")
        except (ValueError, TypeError) as ex:
            opaque(line, _why(ex), dirs, number)
            return
        if egress:
            match = PacketSet([cube(dst=addrs, proto=proto, dport=ports)])
        else:
            match = PacketSet([cube(src=addrs, proto=proto, dport=ports)])
        s = self.lines.at(line)
        refs = address_refs(addrs, self.lines.at(aline))
        self.address_refs.extend(refs)
        if number in (ACL_DEFAULT_RULE, ACL_DEFAULT_RULE + 1) and action == "deny" and proto == ALL_PROTO and (
                addrs in (ALL_V4, ALL_V6)):
            # the immutable catch-all '*' entry: the stage default, not a rule (32768 for the IPv6 one, as
            # describe-network-acls lists it: docs.aws.amazon.com/ec2/latest/devguide/
            # example_ec2_DescribeNetworkAcls_section.html)
            self.acl_defaults.setdefault((aid, egress), s)
            return
        spec = _RuleSpec(Action(action == "allow" and "permit" or "deny"), match, s, refs=refs,
                         note="%s rule %d" % (aid, number))
        if not 1 <= number <= ACL_MAX_RULE:
            # "Constraints: Positive integer from 1 to 32766. The range 32767 to 65535 is reserved for internal
            # use" (EC2 API Reference, CreateNetworkAclEntry, RuleNumber): AWS refuses such an entry
            self.lines.unrecognized_at(line, "network ACL %s: rule number %d is outside 1-%d (AWS refuses the "
                                             "entry): whether it is in force is not known"
                                       % (aid, number, ACL_MAX_RULE), Impact.FILTER, aid)
            spec.maybe, spec.match = spec.match, NOTHING
        specs[egress].append((number, order, spec))


# ICMP echo request -> its reply (type 0 / ICMPv6 129, code 0: RFC 792, RFC 4443), as destination-port values
_ECHO = ((PROTO_ICMP, 8 * 256, 0), (PROTO_ICMP6, 128 * 256, 129 * 256))
_ICMPS = ISet.of(PROTO_ICMP).union(ISet.of(PROTO_ICMP6))
_ICMP_OTHER = PacketSet([cube(proto=ISet.of(p), dport=ALL_PORTS.subtract(ISet.of(req))) for p, req, _rep in _ECHO])


def _mirrored(match: PacketSet) -> tuple[PacketSet, PacketSet]:
    """(sure, maybe): the packets whose replies a network ACL entry matching ``match`` matches.

    AWS, "Control subnet traffic with network access control lists"
    (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html): network ACLs are stateless,
    "responses to allowed inbound traffic are subject to the rules for outbound traffic (and vice versa)",
    whatever the protocol.  A TCP/UDP reply is the packet with addresses and ports swapped; a protocol
    without ports, the packet with its addresses swapped; an ICMP echo request's reply is an echo reply
    (ICMP type 0, ICMPv6 129).  An entry for every ICMP type matches the replies of every ICMP message; one
    for some types matches an echo request's reply when it holds the echo reply, and what it does with the
    replies of other ICMP messages is not known (maybe)."""
    if not match.cubes:
        return match, NOTHING
    sure, maybe = [], []
    for c in match.cubes:
        src, dst, proto, sport, dport = c.dims
        rest = proto.subtract(_ICMPS)
        if rest:
            sure.append(Cube(dst, src, rest, dport, sport))
        for p, request, reply in _ECHO:
            if not proto.overlaps(ISet.of(p)):
                continue
            if dport == ALL_PORTS:
                sure.append(Cube(dst, src, ISet.of(p), ALL_PORTS, ALL_PORTS))
                continue
            if dport.overlaps(ISet.of(reply)):
                sure.append(Cube(dst, src, ISet.of(p), ALL_PORTS, ISet.of(request)))
            maybe.append(Cube(dst, src, ISet.of(p), ALL_PORTS, ALL_PORTS.subtract(ISet.of(request))))
    return PacketSet(sure), PacketSet(maybe)


_RULE_PEERS = ("CidrIpv4", "CidrIpv6", "PrefixListId", "ReferencedGroupInfo")


def _listed(o: JObj, key: str) -> Any:
    """``o[key]``, a list of an IpPermission; absent or JSON ``null`` is an empty list.  The EC2 API's list members
    are optional ("Required: No", EC2 API Reference, IpPermission), and a tool built on the AWS SDK for Go writes an
    absent one as ``null`` (``encoding/json`` writes a nil slice so): it holds no entry, not an unknown one."""
    items = o.get(key)
    return [] if items is None else items


def _arr(items: list) -> JArr:
    a = JArr(items)
    a.line = 1
    a.item_lines = [getattr(x, "line", 1) for x in items]
    return a


_CFN_KEYS = {"IpProtocol": "IpProtocol", "FromPort": "FromPort", "ToPort": "ToPort", "CidrIp": "IpRanges",
             "CidrIpv6": "Ipv6Ranges", "Description": None}


def _cfn_perms(items: Any, side: str) -> Any:
    """CloudFormation ``SecurityGroupIngress``/``Egress`` rules (one address each) as permissions; anything
    else (an intrinsic function for the list, an unknown key) is passed on for the permission reader to
    report."""
    if not isinstance(items, list):
        return items
    out = _arr([])
    for i, it in enumerate(items):
        ln = line_of(items, i)
        out.item_lines.append(ln)
        if not isinstance(it, JObj):
            out.append(it)
            continue
        perm = _obj(it.line)
        for k, v in it.items():
            kl = it.at(k)
            target = _CFN_KEYS.get(k, k)
            if k == "Description":
                continue
            if target in ("IpRanges", "Ipv6Ranges"):
                field = "CidrIp" if target == "IpRanges" else "CidrIpv6"
                _put(perm, target, _arr([_obj(kl, **{field: (v, kl)})]), kl)
            elif k == side + "PrefixListId":
                # (a prefix list of the template by its logical name: ``AwsParser.prefix_lists``)
                _put(perm, "PrefixListIds", _arr([_obj(kl, PrefixListId=(_cfn_ref(v, "PrefixListId") or str(v), kl))]),
                     kl)
            elif k in (side + "SecurityGroupId", side + "SecurityGroupName"):
                # (a group of the template by its logical name, as an instance's groups are: ``_members``)
                _put(perm, "UserIdGroupPairs", _arr([_obj(kl, GroupId=(_group_ref(v) or str(v), kl))]), kl)
            elif k == "SourceSecurityGroupOwnerId":
                continue  # (the account of the source group: with it, still a group's members)
            else:
                _put(perm, target, v, kl)  # (IpProtocol, ports; an unknown key makes the permission unknown)
        out.append(perm)
    return out


# Terraform (the AWS provider's attributes) -> describe-security-groups' permission keys
_TF_READ = ("aws_security_group", "aws_default_security_group", "aws_security_group_rule",
            "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
# attributes AWS sets that say nothing about what a group permits (known only after apply in a plan)
_TF_COMPUTED = {"id", "arn", "owner_id", "tags_all", "security_group_rule_id", "name", "name_prefix",
                "security_group_id", "description"}
# a rule resource's own attributes, not its permission's
_TF_RULE_OWN = {"type", "security_group_id", "id", "arn", "security_group_rule_id", "tags", "tags_all",
                "timeouts", "description"}


# Terraform's managed prefix lists (their entries are the addresses of the rules that name them), and their
# attributes that say nothing of the entries
_TF_PREFIX_LISTS = ("aws_ec2_managed_prefix_list", "aws_ec2_managed_prefix_list_entry")
_TF_PREFIX_COMPUTED = {"id", "arn", "owner_id", "version", "tags_all", "tags", "name"}


# Terraform's network ACL resources: those whose values decide what passes (a plan's values known only after apply
# reported), and those that only place them (a value known only after apply places nothing)
_TF_ACL_RULES = ("aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule")
_TF_ACL_READ = _TF_ACL_RULES + ("aws_network_acl_association", "aws_subnet")
_TF_ACL_COMPUTED = {"id", "arn", "owner_id", "tags", "tags_all", "vpc_id", "subnet_ids", "default_network_acl_id"}
# an entry's attributes that are not the entry (the resource's own)
_TF_ACL_OWN = {"id", "network_acl_id", "egress", "timeouts"}


def _tf_acl_entry(b: JObj, egress: Any, number: str, action: str, line: int) -> JObj:
    """A Terraform network ACL entry (an ``ingress``/``egress`` block: ``rule_no``, ``action``; an
    ``aws_network_acl_rule``: ``rule_number``, ``rule_action``) as a ``describe-network-acls`` entry: the provider
    sends ``from_port``/``to_port`` as the ``PortRange`` and, for protocol 1 or 58, ``icmp_type``/``icmp_code`` as
    the ``IcmpTypeCode`` (terraform-provider-aws, expandNetworkACLEntry); a protocol name is its IANA number (the
    provider's networkACLProtocolNumber).  An attribute not read is kept, for ``acl_entry`` to report (the entry is
    then unknown); a value missing where the protocol needs it makes the entry unknown, not every port."""
    e = _obj(b.line, Egress=(egress, b.at("egress") if "egress" in b else line))
    extra: dict[str, Any] = {}
    for k, v in b.items():
        kl = b.at(k)
        if k == number:
            _put(e, "RuleNumber", v, kl)
        elif k == action:
            _put(e, "RuleAction", v, kl)
        elif k == "protocol":
            word = str(v).strip().lower()
            n = protocol_number(word) if word not in ("-1", "all") else -1
            _put(e, "Protocol", str(n) if n is not None else v, kl)
        elif k in ("cidr_block", "ipv6_cidr_block"):
            if v not in (None, ""):
                _put(e, "CidrBlock" if k == "cidr_block" else "Ipv6CidrBlock", v, kl)
        elif k in ("from_port", "to_port", "icmp_type", "icmp_code"):
            extra[k] = (v, kl)
        elif k not in _TF_ACL_OWN and v not in (None, "", []):
            _put(e, k, v, kl)  # (an attribute not read: the entry is unknown)
    try:
        p = _proto_number(e.get("Protocol", ""))
    except ValueError:
        p = None
    at = e.at("Protocol") if "Protocol" in e else line
    if p in (PROTO_TCP, PROTO_UDP):
        _put(e, "PortRange", _obj(at, From=extra.get("from_port", (None, at)), To=extra.get("to_port", (None, at))), at)
    elif p in (PROTO_ICMP, PROTO_ICMP6):
        _put(e, "IcmpTypeCode", _obj(at, Type=extra.get("icmp_type", (None, at)),
                                     Code=extra.get("icmp_code", (None, at))), at)
    return e


def _tf_base(address: str) -> str:
    """A Terraform resource address without its count or for_each keys (``module.m[0].aws_x.y["a"]`` ->
    ``module.m.aws_x.y``), as the configuration names the resource."""
    return re.sub(r"\[[^\]]*\]", "", address)


def _tf_atoms(perm: Any) -> set:
    """A permission read from Terraform as (protocol, from, to, address kind, address) atoms; empty when it holds
    anything else (then it is never taken for another)."""
    if not isinstance(perm, dict) or any(k not in _PERM_KEYS for k in perm):
        return set()
    head = (str(perm.get("IpProtocol")), perm.get("FromPort"), perm.get("ToPort"))
    out = set()
    for key, field in (("IpRanges", "CidrIp"), ("Ipv6Ranges", "CidrIpv6"), ("PrefixListIds", "PrefixListId"),
                       ("UserIdGroupPairs", "GroupId")):
        for item in perm.get(key) or ():
            if not isinstance(item, dict) or not isinstance(item.get(field), str):
                return set()
            out.add(head + (key, item[field]))
    return out


def _tf_perm(b: JObj, gid: str, skip: set[str] | frozenset = frozenset()) -> JObj:
    """A Terraform ingress/egress block, or a rule resource's attributes, as a permission; an attribute not
    known is kept, for the permission reader to report (the permission is then unknown)."""
    perm = _obj(b.line)
    for k, v in b.items():
        kl = b.at(k)
        if k in skip or k == "description" or v is None or v == [] or v == "":
            continue
        if k in ("protocol", "ip_protocol"):
            _put(perm, "IpProtocol", str(v), kl)
        elif k in ("from_port", "to_port"):
            _put(perm, "FromPort" if k == "from_port" else "ToPort", v, kl)
        elif k in ("cidr_blocks", "cidr_ipv4", "ipv6_cidr_blocks", "cidr_ipv6"):
            key, field = ("IpRanges", "CidrIp") if "ipv6" not in k else ("Ipv6Ranges", "CidrIpv6")
            items = v if isinstance(v, list) else [v]
            lst = perm.get(key) or _arr([])
            for i, c in enumerate(items):
                lst.append(_obj(line_of(v, i, kl), **{field: (c, line_of(v, i, kl))}))
                lst.item_lines.append(line_of(v, i, kl))
            _put(perm, key, lst, kl)
        elif k in ("prefix_list_ids", "prefix_list_id"):
            items = v if isinstance(v, list) else [v]
            _put(perm, "PrefixListIds", _arr([_obj(kl, PrefixListId=(str(x), kl)) for x in items]), kl)
        elif k in ("security_groups", "source_security_group_id", "referenced_security_group_id", "self"):
            if k == "self":
                if v is False:
                    continue
                items = [gid] if v is True else [v]
            else:
                items = v if isinstance(v, list) else [v]
            lst = perm.get("UserIdGroupPairs") or _arr([])
            lst.extend(_obj(kl, GroupId=(str(x), kl)) for x in items)
            lst.item_lines.extend(kl for _ in items)
            _put(perm, "UserIdGroupPairs", lst, kl)
        else:
            _put(perm, k, v, kl)  # (an attribute not read: the permission is taken as unknown)
    return perm


def _intrinsic(value: Any) -> str:
    """The name of the CloudFormation intrinsic function ``value`` is (``{"Ref": ...}``, ``{"Fn::Select": ...}``:
    docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-ref.html: the value
    of a parameter or resource, known when the stack is deployed), else ''."""
    if isinstance(value, dict) and len(value) == 1:
        k = next(iter(value))
        if k == "Ref" or k.startswith("Fn::"):
            return k
    return ""


def _obj(line: int, **members: tuple[Any, int]) -> JObj:
    """A ``JObj`` made by the parser: ``members`` are ``(value, line)``."""
    o = JObj()
    o.line, o.key_lines = line, {}
    for k, (v, ln) in members.items():
        _put(o, k, v, ln)
    return o


def _put(o: JObj, key: str, value: Any, line: int) -> None:
    o[key] = value
    o.key_lines[key] = line


def _why(e: Exception) -> str:
    msg = str(e)
    return msg if msg and len(msg) < 100 else type(e).__name__


def _interface_timeouts(attachments: tuple, timeouts) -> tuple[list, tuple]:
    """``timeouts`` with, first, a record for each network interface of ``attachments`` whose own TCP
    established timeout is set (``Attachment.tcp_idle``): it replaces the security groups' 432000 s default
    for the connections to and from its addresses ("You can configure the connection tracking timeouts for
    each network interface", EC2 User Guide, "Idle connection tracking timeout"; ``modify-network-interface-
    attribute --connection-tracking-specification TcpEstablishedTimeout=N``).  Shortest first: a connection
    between two such interfaces is tracked by both, and the first to forget it ends it.  An interface whose
    addresses the input does not give, with a timer shorter than the default, may be the audited host's:
    reported (scope ``timeouts``), PRN120 then cannot tell rather than passing on the default."""
    own, diags = [], []
    for a in attachments:
        if a.tcp_idle is None:
            continue
        secs, src = a.tcp_idle
        if not a.addresses or a.more:
            if secs < SG_DEFAULT_TCP_IDLE:
                diags.append(Diagnostic("CFG300", "%s sets TcpEstablishedTimeout %d s, and the input does not give all "
                                        "its addresses: whether it is the audited host, and so the idle timeout of "
                                        "its connections, is not known" % (a.what, secs), src, Impact.FILTER,
                                        "timeouts"))
            if not a.addresses:
                continue
        addrs = ISet.union_of(list(a.addresses))
        match = PacketSet([cube(src=addrs, proto=ISet.of(PROTO_TCP)), cube(dst=addrs, proto=ISet.of(PROTO_TCP))])
        own.append(Timeout(match, secs, src, label="connection tracking TcpEstablishedTimeout %d s of %s"
                                                    % (secs, a.what)))
    own.sort(key=lambda t: t.idle_seconds)
    if own:
        # (Nitro v6's 350 s is the default too: "Default: 350 seconds for Nitro v6 instance types ... 432000 seconds
        # for all other instance types", ConnectionTrackingConfiguration; an interface's own timer replaces it)
        mine = PacketSet([c for t in own for c in t.match.cubes])
        timeouts = [replace(t, match=t.match.subtract(mine)) if t.through == "aws-nitro-v6" else t for t in timeouts]
    return own + list(timeouts), tuple(diags)


def _through_timeout(name: str, secs: int, label: str, reset: bool) -> Timeout:
    """A device's idle timeout that applies only when the site's ``through`` list names it."""
    return Timeout(TCP_ONLY, secs, None, reset=reset, label=label, default=True, through=name)


def _res_type(parser: AwsParser, name: Any) -> str | None:
    """The type of the template's resource ``name`` (None: not one of its resources)."""
    res = parser.cfn_res.get(name) if isinstance(name, str) and parser.cfn_res is not None else None
    return res.get("Type") if isinstance(res, JObj) else None


def _group_ref(x: Any) -> str | None:
    """A template's reference to a security group (``Ref``, ``Fn::GetAtt [X, GroupId]``, a literal ID or
    name) as the group's logical name or ID; None when it is computed otherwise."""
    return x if isinstance(x, str) else _cfn_ref(x, "GroupId")


def _cfn_ref(v: Any, attr: str) -> str | None:
    """The template resource ``v`` names: ``{"Ref": X}`` or ``{"Fn::GetAtt": [X, attr]}`` (or ``"X.attr"``);
    None for anything else (a value computed otherwise)."""
    if isinstance(v, JObj) and len(v) == 1:
        k, x = next(iter(v.items()))
        if k == "Ref" and isinstance(x, str):
            return x
        parts = x.split(".", 1) if k == "Fn::GetAtt" and isinstance(x, str) else x
        if k == "Fn::GetAtt" and isinstance(parts, list) and len(parts) == 2 and parts[1] == attr and (
                isinstance(parts[0], str)):
            return parts[0]
    return None


def _group_paths(aux: AwsGroups, attachments: tuple, acl_in: tuple, acl_out: tuple
                 ) -> tuple[tuple[Path, ...], dict, tuple]:
    """The security groups' paths, the filters they derive and the finding at the input's head; ``acl_in`` and
    ``acl_out`` are the network ACLs' places (``_acl_places``) the paths continue through.

    AWS applies to an instance only the security groups associated with its network interface, their rules
    aggregated ("When you launch an instance, you can specify one or more security groups ... the rules from
    all of the security groups associated with the instance are aggregated", EC2 User Guide, "Amazon EC2
    security groups for your EC2 instances": https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/
    ec2-security-groups.html).  So packets to (from) an address of a network interface whose groups an
    input says (``attachments``) meet exactly its groups (a path scoped to its addresses); every other
    address may be any instance's: the host has at least one of the input's groups, which ones is not
    said, and a flow is permitted for certain only where every group permits it (``_group_stages``).  One
    group alone is the host's: as before, nothing is said."""
    def resolve(g: str) -> str | None:
        return g if g in aux.groups else aux.names.get(g)

    per_addr: dict[ISet, dict] = {}
    floating = []
    for a in attachments:
        known = tuple(dict.fromkeys(r for r in map(resolve, a.groups) if r))
        missing = [g for g in a.groups if not resolve(g)]
        why = a.unknown or ("security group(s) %s, not in the input" % ", ".join(missing) if missing else "")
        if not a.addresses or a.more:
            floating.append("%s (%s)" % (a.what, ", ".join(a.groups) or "groups not known"))
        if not a.addresses:
            continue
        for ip in a.addresses:
            per_addr.setdefault(ip, {}).setdefault((known, why), []).append(a)
    # addresses that the same interfaces have share one path
    shared: dict[tuple, list[ISet]] = {}
    for ip, alts in per_addr.items():
        key = tuple((k, tuple(dict.fromkeys(a.what for a in v)), v[0].source) for k, v in alts.items())
        shared.setdefault(key, []).append(ip)
    filters: dict[str, Filter] = {}
    ins, outs = [], []
    for key, ips in shared.items():
        addrs = ISet.union_of(ips)
        who = ", ".join(w for _, whats, _ in key for w in whats)
        sin, sout = _group_stages(aux, [(known, why, src) for (known, why), _, src in key], who, filters)
        ins.extend(_placed("in", (sin,), acl_in, PacketSet([cube(dst=addrs)])))
        outs.extend(_placed("out", (sout,), acl_out, PacketSet([cube(src=addrs)])))
    gids = list(aux.groups)
    sin, sout, derived = aux.every
    filters.update(derived)
    ins.extend(_placed("in", (sin,), acl_in))
    outs.extend(_placed("out", (sout,), acl_out))
    diags = []
    given = ISet.union_of(list(per_addr)) if per_addr else None
    if len(gids) > 1:
        other = (" for an address of none of the network interfaces whose groups the inputs give (%s)"
                 % ", ".join(dict.fromkeys(a.what for a in attachments if a.addresses))) if shared else ""
        diags.append(Diagnostic(
            "CFG300", "the input holds %d security groups (%s) and does not say which of them the audited host "
            "has%s: AWS applies only the groups associated with the host's network interface, so a flow is taken "
            "as permitted only where every one of them permits it, and as unknown where only some do (give the "
            "host's 'aws ec2 describe-instances' or 'describe-network-interfaces' output in the same run, or "
            "only its groups)" % (len(gids), ", ".join(gids), other), aux.head, Impact.FILTER, "security groups",
            moot_for=given))
    if floating:
        diags.append(Diagnostic(
            "CFG300", "instances whose address the input does not give, which could be the audited host: %s; the "
            "site's address of the host is matched against the given addresses only" % "; ".join(floating),
            # (which groups the host has, and so any verdict, depends on whether it is one of them: a change of
            # their groups changes no modelled rule, so only this doubt keeps a review from calling it "no change")
            aux.head, Impact.GLOBAL if len(gids) > 1 else Impact.NONE, "security groups", moot_for=given))
    return tuple(ins + outs), filters, tuple(diags)


def _placed(local: str, first: tuple, places: tuple, scope: PacketSet | None = None) -> list[Path]:
    """The paths of packets of ``scope`` (None: all) to (``local="in"``) or from the host: the stages ``first``
    (its security groups', none) then the network ACLs' of each of ``places`` (``_acl_places``); both ends in one
    subnet cross no network ACL."""
    out = []
    for where, stages in places:
        part = where if scope is None else (scope if where is None else scope.intersect(where))
        if part is not None and not part:
            continue
        if not first and not stages:
            out.append(Path(None, None, (), crosses=False, local=local, scope=part,
                            note="both ends are in one subnet: network ACLs filter traffic entering and leaving a "
                                 "subnet only"))
        else:
            out.append(Path(None, None, first + stages, local=local, scope=part))
    return out


def _paths(aux: AwsGroups, attachments: tuple, subnets: dict) -> tuple[tuple[Path, ...], dict, tuple]:
    """The paths of an input of security groups and network ACLs, the filters they derive and the findings at its
    head, given the network interfaces (``attachments``) and the subnets' addresses (``subnets``) the run's inputs
    give."""
    acl_in, acl_out, extra, diags = _acl_places(aux.acls, subnets)
    if aux.groups:
        aux, known = _members(aux, attachments)
        paths, more, found = _group_paths(aux, attachments, acl_in, acl_out)
        return paths, {**extra, **known, **more}, diags + found
    if aux.acls is not None and aux.acls.placed:
        return tuple(_placed("in", (), acl_in) + _placed("out", (), acl_out)), extra, diags
    note = (aux.acls.note if aux.acls is not None else "") or "no security group or network ACL in the input " \
                                                              "filters traffic"
    return (Path(None, None, (), crosses=False, note=note, local="in"),
            Path(None, None, (), crosses=False, note=note, local="out")), {}, ()


# the private IPv4 space of a VPC's network interfaces (RFC 1918, and RFC 6598's shared space a VPC may use): an
# address outside it may be a public one mapped to an interface by NAT, which a group reference does not match
_VPC_PRIVATE = ISet.union_of([cidr_set(n, 4) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                       "100.64.0.0/10")])


def _members(aux: AwsGroups, attachments: tuple) -> tuple[AwsGroups, dict]:
    """``aux`` with each rule that names another security group's members (``UserIdGroupPairs``,
    ``ReferencedGroupInfo``, a template's ``SourceSecurityGroupId``) matching, for certain, the private addresses
    of the network interfaces the inputs (``attachments``) say have that group, its other packets still unknown
    (the interfaces the inputs do not list may be members too); and the filters so changed.

    "When you specify a security group as the source for a rule, traffic is allowed from the network interfaces
    that are associated with the source security group ... Incoming traffic is allowed based on the private IP
    addresses of the network interfaces that are associated with the source security group (and not the public
    IP or Elastic IP addresses)" (VPC User Guide, "Security group rules", "Security group referencing")."""
    if not aux.members:
        return aux, {}

    def resolve(g: str) -> str:
        return g if g in aux.groups else aux.names.get(g, g)

    of: dict[str, ISet] = {}
    for a in attachments:
        private = [ip for ip in a.addresses if ip.issubset(_VPC_PRIVATE) or ip.issubset(ALL_V6)]
        for g in a.groups if private else ():
            of[resolve(g)] = of.get(resolve(g), EMPTY).union(ISet.union_of(private))
    changed: dict[str, list[Rule]] = {}
    sure = dict(aux.sure)
    for (fname, i), (owner, direction, named) in aux.members:
        members = of.get(resolve(named))
        if not members:
            continue
        rules = changed.setdefault(fname, list(aux.filters[fname].rules))
        r = rules[i]
        mine = r.maybe.intersect(PacketSet([cube(src=members) if direction == "in" else cube(dst=members)]))
        rules[i] = replace(r, match=mine, maybe=r.maybe.subtract(mine))
        sure[(owner, direction)] = sure.get((owner, direction), NOTHING).union(mine)
    if not changed:
        return aux, {}
    known = {n: replace(aux.filters[n], rules=tuple(rs)) for n, rs in changed.items()}
    aux = replace(aux, filters={**aux.filters, **known}, sure=sure)
    return replace(aux, every=_any_host(aux)), known


def _acl_places(acls: AwsAcls | None, subnets: dict) -> tuple[tuple, tuple, dict, tuple]:
    """Where each network ACL applies: (inbound places, outbound places, the filters they derive, findings); a place
    is (scope, or None for every other packet, the ACL stages of its packets), in order (a packet takes the first
    that holds it).

    AWS, "Control subnet traffic with network access control lists" (https://docs.aws.amazon.com/vpc/latest/
    userguide/vpc-network-acls.html): "Network ACL A determines which traffic destined for subnet 1 is allowed to
    enter subnet 1, and which traffic destined for a location outside subnet 1 is allowed to leave subnet 1"; "a
    subnet can be associated with only one network ACL at a time"; "We evaluate the network ACL rules when traffic
    enters and leaves the subnet, not as it is routed within a subnet" ("Network ACL basics",
    https://docs.aws.amazon.com/vpc/latest/userguide/nacl-basics.html).  So where an input associates an ACL with a
    subnet (``Associations[].SubnetId``) and an input gives that subnet's addresses (``describe-subnets``), a packet
    to an address of it meets that ACL's inbound entries (and its outbound ones for the replies: stateless), one
    from it the outbound ones; a packet leaving one such subnet for another meets both ACLs, one within a subnet
    none.  A subnet whose addresses are given and which no ACL of the input is associated with has its ACL outside
    the input: its packets are unknown.  Every other address keeps ``AwsAcls.every_in``/``every_out`` (the one ACL's
    stages, or, for several, ``one_of`` theirs, with the finding that names them)."""
    if acls is None or not acls.placed:
        return ((None, ()),), ((None, ()),), {}, ()
    diags = []
    of: dict[str, set] = {}
    for k, (_aid, sids, _i, _o) in enumerate(acls.placed):
        for sid in sids:
            of.setdefault(sid, set()).add(k)
    by_acl: dict[int, list[ISet]] = {}
    for sid, ks in of.items():
        if sid not in subnets:
            continue
        if len(ks) > 1:
            names = ", ".join(acls.placed[k][0] for k in sorted(ks))
            diags.append(Diagnostic("CFG300", "subnet %s is associated with %d network ACLs of the input (%s), and a "
                                    "subnet has one: which is current is not known, its hosts are taken as behind any "
                                    "of the input's ACLs" % (sid, len(ks), names), acls.head, Impact.FILTER,
                                    "network ACLs"))
            continue
        by_acl.setdefault(next(iter(ks)), []).append(subnets[sid])
    orphans = [subnets[sid] for sid in subnets if sid not in of]
    # (two subnets of different ACLs with common addresses, as two VPCs may have: those addresses are not placed)
    both = EMPTY
    seen = EMPTY
    for k in sorted(by_acl):
        u = ISet.union_of(by_acl[k])
        both, seen = both.union(seen.intersect(u)), seen.union(u)
    by_acl = {k: [x.subtract(both) for x in v if x.subtract(both)] for k, v in by_acl.items()}
    by_acl = {k: v for k, v in by_acl.items() if v}
    unions = {k: ISet.union_of(v) for k, v in by_acl.items()}
    ins: list = []
    outs: list = []
    for k, nets in by_acl.items():
        a_in, a_out = acls.placed[k][2], acls.placed[k][3]
        ins.append((PacketSet([cube(src=n, dst=n) for n in nets]), ()))
        outs.append((PacketSet([cube(src=n, dst=n) for n in nets]), ()))
        for t, far in unions.items():
            b_in, b_out = acls.placed[t][2], acls.placed[t][3]
            # (out of the far subnet, into the host's; the replies back: each ACL's other entries, mirrored)
            ins.append((PacketSet([cube(src=far, dst=unions[k])]), (b_out[0], a_in[0], a_in[1], b_out[1])))
            outs.append((PacketSet([cube(src=unions[k], dst=far)]), (a_out[0], b_in[0], b_in[1], a_out[1])))
        ins.append((PacketSet([cube(dst=unions[k])]), a_in))
        outs.append((PacketSet([cube(src=unions[k])]), a_out))
    extra: dict = {}
    if orphans:
        lost = ISet.union_of(orphans).subtract(seen)
        if lost:
            name = "network ACL of subnets it does not associate with any of its ACLs"
            rule = Rule(name, 0, Action.DENY, NOTHING, acls.head, maybe=ALL, opaque=True,
                        note="the subnet's network ACL is not in the input (none of its ACLs is associated with it)")
            extra[name] = Filter(name, (rule,), acls.head, kind="derived")
            stage = Stage("network ACL not in the input", (name,), Action.PERMIT, acls.head,
                          "the subnet's network ACL is not in the input")
            # (either end in such a subnet: the packet crosses that ACL, or not when both are in one subnet; unknown)
            ins.insert(0, (PacketSet([cube(dst=lost), cube(src=lost)]), (stage,)))
            outs.insert(0, (PacketSet([cube(src=lost), cube(dst=lost)]), (stage,)))
            diags.append(Diagnostic("CFG300", "the inputs give subnets that no network ACL of the input is associated "
                                    "with: their network ACL is not in the input, and what it decides for their hosts "
                                    "is unknown", acls.head, Impact.FILTER, "network ACLs",
                                    moot_for=ALL_ADDR.subtract(lost)))
    for t, far in unions.items():
        b_in, b_out = acls.placed[t][2], acls.placed[t][3]
        ins.append((PacketSet([cube(src=far)]), (b_out[0],) + acls.every_in + (b_out[1],)))
        outs.append((PacketSet([cube(dst=far)]), acls.every_out + (b_in[0], b_in[1])))
    ins.append((None, acls.every_in))
    outs.append((None, acls.every_out))
    placed = [aid for aid, _s, _i, _o in acls.placed]
    if acls.outside:
        where = " in none of the subnets whose addresses the inputs give" if unions else ""
        diags.insert(0, Diagnostic(
            "CFG300", "the Terraform input holds the network ACLs it manages (%s): a host%s may be behind one of them "
            "or another (the VPC's default network ACL, one another state manages), so what a network ACL decides for "
            "it is unknown (give the host's subnet with its aws_subnet and its ACL's subnet_ids or "
            "aws_network_acl_association in the input, or 'aws ec2 describe-network-acls' with 'aws ec2 "
            "describe-subnets')" % (", ".join(placed), where), acls.head, Impact.FILTER, "network ACLs",
            moot_for=seen.subtract(both) or None))
    elif len(placed) > 1:
        where = (" for an address in none of the subnets whose addresses the inputs give" if unions else "")
        diags.insert(0, Diagnostic(
            "CFG300", "the input holds %d network ACLs associated with subnets (%s) and does not say which one guards "
            "the audited host's subnet%s (a subnet has only one): a flow is taken as permitted only where every one "
            "permits it, denied only where every one denies it, unknown otherwise (give the subnets: 'aws ec2 "
            "describe-subnets' in the same run, or only the ACL of the host's subnet: 'aws ec2 describe-network-acls "
            "--filters Name=association.subnet-id,Values=SUBNET')" % (len(placed), ", ".join(placed), where),
            acls.head, Impact.FILTER, "network ACLs", moot_for=seen.subtract(both) or None))
    return tuple(ins), tuple(outs), extra, tuple(diags)


def _any_host(aux: AwsGroups) -> tuple[Stage, Stage, dict]:
    """``AwsGroups.every``: the stages (inbound, outbound) of a host that has any of the input's groups, not
    known which (``_group_stages``), and the filters they derive."""
    filters: dict[str, Filter] = {}
    sin, sout = _group_stages(aux, [((g,), "", aux.head) for g in aux.groups], "", filters)
    return sin, sout, filters


def _group_stages(aux: AwsGroups, alts: list, who: str, filters: dict) -> tuple[Stage, Stage]:
    """The security-group stages (inbound, outbound) of a host that has the groups of one of ``alts``
    (``(group IDs, why it may have groups the input does not hold, source)``), not known which: packets every
    alternative permits for certain are permitted; those only some do are unknown (the groups' filters copied,
    each rule's other packets its ``maybe``, at its own line); with groups not in the input, what the known
    ones do not permit is unknown (a derived filter last), not denied."""
    gids = list(dict.fromkeys(g for known, _, _ in alts for g in known))
    tag = " of %s" % who if who else ""
    stages = []
    for d in ("in", "out"):
        word = "inbound" if d == "in" else "outbound"
        certain = [n for g in gids for n in aux.groups[g][d][0]]
        if len(alts) > 1:
            common = None
            for known, _, _ in alts:
                p = PacketSet([c for g in known for c in aux.sure[(g, d)].cubes])
                common = p if common is None else common.intersect(p)
            note = ("only some of the %d security groups %s permit it, and which of them the host has is not in the "
                    "input" % (len(gids), "of %s" % who if who else "of the input"))
            # (each group's filter again, each rule now sure of what every alternative permits, its other packets
            # unknown: as many rules as before, at their lines)
            copies = []
            # (the unresolved references' filters too, where a rule names members the inputs give: ``_members``)
            for n in certain + [n for g in gids for n in aux.groups[g][d][1]]:
                if all(not r.match for r in aux.filters[n].rules):
                    copies.append(n)  # (only unknown packets: the same in every alternative)
                    continue
                cname = "%s (one of several groups%s)" % (n, tag)
                rules = []
                for i, r in enumerate(aux.filters[n].rules):
                    other = r.match.subtract(common)
                    rules.append(Rule(cname, i, r.action, r.match.intersect(common) if other else r.match, r.source,
                                      maybe=other.union(r.maybe), addresses=r.addresses,
                                      note=note if other else r.note, label=r.label))
                filters[cname] = Filter(cname, tuple(rules), aux.filters[n].source, kind="derived")
                copies.append(cname)
            names = copies
        else:
            names = certain + [n for g in gids for n in aux.groups[g][d][1]]
        unknown = [(why, src) for _, why, src in alts if why]
        if unknown:
            why, src = unknown[0]
            fname = "security groups %s%s (groups not in the input)" % (word, tag)
            filters[fname] = Filter(fname, (Rule(fname, 0, Action.PERMIT, NOTHING, src, maybe=ALL,
                                                 note="%s: %s" % (who, why)),), src, kind="derived")
            names.append(fname)
        stages.append(Stage("security groups %s%s" % (word, tag), tuple(names), Action.DENY, aux.defaults[d],
                            "no %s rule of the security group(s)%s allows it (security groups are allow-lists)"
                            % (word, tag)))
    return stages[0], stages[1]


def combine(configs: list) -> list:
    """Apply the network interfaces of ``describe-instances`` / ``describe-network-interfaces`` inputs to the
    security groups of the same run (``_group_paths``): each interface whose addresses they give meets
    exactly its own groups."""
    from parsers.kit import InputError

    given = [c for c in configs if isinstance(c.aux, AwsInterfaces)]
    nets = [c for c in configs if isinstance(c.aux, AwsSubnets)]
    if not given and not nets:
        return configs
    if given and not any(isinstance(c.aux, AwsGroups) and c.aux.groups for c in configs):
        raise InputError("%s says which security groups each network interface has, not their rules: give the "
                         "'aws ec2 describe-security-groups' output in the same run" % given[0].path)
    if nets and not any(isinstance(c.aux, AwsGroups) and c.aux.acls is not None and c.aux.acls.placed
                        for c in configs):
        raise InputError("%s gives subnets' addresses, which place network ACLs: give the 'aws ec2 "
                         "describe-network-acls' output in the same run" % nets[0].path)
    attachments = tuple(a for c in given for a in c.aux.attachments)
    notes = tuple(d for c in given + nets for d in c.diagnostics)
    subnets = {k: v for c in nets for k, v in c.aux.subnets.items()}
    out = []
    for c in configs:
        if any(c is g for g in given + nets):
            continue
        if isinstance(c.aux, AwsGroups) and (c.aux.groups or (c.aux.acls is not None and c.aux.acls.placed)):
            paths, extra, found = _paths(c.aux, c.aux.attachments + attachments, {**(c.aux.subnets or {}), **subnets})
            timeouts, more = c.timeouts, ()
            if c.aux.groups:  # (the input's own interfaces' timers are already among its records)
                timeouts, more = _interface_timeouts(attachments, c.timeouts)
            c = replace(c, paths=paths, filters={**c.aux.filters, **extra}, timeouts=tuple(timeouts),
                        diagnostics=c.diagnostics[:c.aux.parsed] + found + notes + more)
        out.append(c)
    return out


def parse(text: str, path: str) -> Config:
    """Parse AWS describe-security-groups / describe-network-acls JSON."""
    return AwsParser(text, path).build()


ADVICE = {
    "CFG300": "Export with `aws ec2 describe-security-groups --output json` (and `describe-network-acls`); "
              "hand-edited JSON is often truncated.",
    "CFG301": "A rule that references a security group or prefix list must name one that exists in the same "
              "export.",
    "PRN100": "Add an inbound rule to the server's security group for the port and the source role's prefix "
              "(network ACLs: an allow entry with a lower rule number than the deny, and the return traffic "
              "allowed outbound).",
    "PRN120": "Security groups track for 5 days by default (350 s on Nitro v6: raise `TcpEstablishedTimeout`); "
              "NAT gateways and load balancers (350 s) cannot be raised to a shift: do not put them between "
              "Workshop and the servers, or enable TCP keepalive below their timeout.",
    "PRN150": "Replace `0.0.0.0/0` sources in the security group rule with the site's prefixes, or reach the "
              "servers through a VPN.",
    "PRN160": "Delete the inbound rule for TCP 548.",
}


VENDOR = Vendor(
    NAME, 'Amazon Web Services security groups and network ACLs',
    'aws ec2 describe-security-groups / aws ec2 describe-network-acls (JSON)',
    detect, parse, combine=combine, advice=ADVICE, redact=redact_json)


def _proto_words(perm: JObj) -> str:
    """``tcp 445``, ``udp 1024-65535``, ``all traffic``: a permission's protocol and ports, for a label."""
    p = str(perm.get("IpProtocol", "?")).lower()
    if p in ("-1", "all"):
        return "all traffic"
    lo, hi = perm.get("FromPort"), perm.get("ToPort")
    if lo is None or lo == -1:
        return p
    return "%s %s" % (p, lo if lo == hi else "%s-%s" % (lo, hi))
