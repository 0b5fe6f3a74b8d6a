"""AWS: the public addresses of a network interface, CloudFormation network interfaces and launch templates, and
the finding at the input's head said only when true.

* Public addresses: "The public IP address is mapped to the primary private IP address through network address
  translation (NAT)" (EC2 User Guide, "Amazon EC2 instance IP addressing",
  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html); an Elastic IP address is
  associated with one private address of an interface (describe-instances / describe-network-interfaces
  ``Association.PublicIp`` of the interface and of each ``PrivateIpAddresses`` entry; the instance's
  ``PublicIpAddress``).  The interface's security groups see the private address, and their rules never name
  the interface's own address (an inbound rule's CIDR is the source, an outbound one's the destination: EC2 User
  Guide, "Security group rules", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-rules.html):
  a site naming the host by its public address meets exactly the groups of the interface it is mapped to.
* ``AWS::EC2::NetworkInterface`` (``GroupSet``: "The IDs of the security groups associated with this network
  interface", ``PrivateIpAddress``; https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
  aws-resource-ec2-networkinterface.html), attached by an instance's ``NetworkInterfaces[].NetworkInterfaceId``.
"""

from __future__ import annotations

import json

from tests.test_aws_groups import HOST, decide, group, groups_text, run, template

PUBLIC = "198.51.100.20"
EIP = "198.51.100.21"


def instances(public: bool = True, eni_assoc: bool = False, secondary: str | None = None) -> str:
    """describe-instances: i-0aaa (HOST, sg-srv) and i-0bbb (10.9.9.8, sg-lb)."""
    def refs(gids):
        return [{"GroupName": "name-" + g, "GroupId": g} for g in gids]
    ips = [{"Primary": True, "PrivateIpAddress": HOST}]
    eni = {"NetworkInterfaceId": "eni-aaa", "PrivateIpAddress": HOST, "Groups": refs(["sg-srv"]),
           "PrivateIpAddresses": ips, "Ipv6Addresses": []}
    if eni_assoc:
        eni["Association"] = {"PublicIp": PUBLIC, "IpOwnerId": "amazon"}
        ips[0]["Association"] = {"PublicIp": PUBLIC, "IpOwnerId": "amazon"}
    if secondary:
        ips.append({"Primary": False, "PrivateIpAddress": secondary, "Association": {"PublicIp": EIP}})
    a = {"InstanceId": "i-0aaa", "PrivateIpAddress": HOST, "SecurityGroups": refs(["sg-srv"]),
         "NetworkInterfaces": [eni]}
    if public:
        a["PublicIpAddress"] = PUBLIC
    b = {"InstanceId": "i-0bbb", "PrivateIpAddress": "10.9.9.8", "SecurityGroups": refs(["sg-lb"]),
         "NetworkInterfaces": [{"NetworkInterfaceId": "eni-bbb", "PrivateIpAddress": "10.9.9.8",
                                "Groups": refs(["sg-lb"])}]}
    return json.dumps({"Reservations": [{"ReservationId": "r-1", "Instances": [a, b]}]}, indent=1)


SGS = groups_text(group("sg-lb", 445, 80), group("sg-srv", 80))


def test_instance_public_address_meets_its_interfaces_groups():
    cfg = run(SGS, instances(), host=PUBLIC)
    assert decide(cfg, "10.1.0.5", PUBLIC, 445) == "deny"      # was "unknown" (only sg-lb allows it)
    assert decide(cfg, "10.1.0.5", PUBLIC, 80) == "permit"
    assert decide(cfg, PUBLIC, "192.0.2.1", 443) == "permit"   # sg-srv's egress


def test_interface_association_public_ip_and_a_secondary_elastic_ip():
    cfg = run(SGS, instances(public=False, eni_assoc=True, secondary="10.9.9.10"), host=PUBLIC)
    assert decide(cfg, "10.1.0.5", PUBLIC, 445) == "deny"
    assert decide(cfg, "10.1.0.5", PUBLIC, 80) == "permit"
    eip = run(SGS, instances(public=False, secondary="10.9.9.10"), host=EIP)
    assert decide(eip, "10.1.0.5", EIP, 445) == "deny"
    assert decide(eip, "10.1.0.5", EIP, 80) == "permit"


def test_a_public_address_of_no_interface_stays_unknown():
    cfg = run(SGS, instances(), host="198.51.100.99")
    assert decide(cfg, "10.1.0.5", "198.51.100.99", 445) == "unknown"


# --- CloudFormation: AWS::EC2::NetworkInterface attached to an instance ---------------------------------------

def eni_template(eni_props: dict) -> str:
    t = json.loads(template({"NetworkInterfaces": [{"DeviceIndex": "0", "NetworkInterfaceId": {"Ref": "Eni"}}]}))
    t["Resources"]["Eni"] = {"Type": "AWS::EC2::NetworkInterface",
                             "Properties": dict({"SubnetId": {"Ref": "Subnet"}}, **eni_props)}
    return json.dumps(t, indent=1)


def test_template_network_interface_resource_gives_the_instances_groups():
    cfg = run(eni_template({"GroupSet": [{"Ref": "ServerSG"}], "PrivateIpAddress": HOST}))
    assert decide(cfg, "10.1.0.5", HOST, 445) == "deny"        # was "unknown" (PublicLoadBalancerSG's rule)
    assert decide(cfg, "10.1.0.5", HOST, 80) == "permit"


def test_template_network_interface_without_groups_has_the_vpc_default_group():
    cfg = run(eni_template({"PrivateIpAddress": HOST}))
    assert decide(cfg, "10.1.0.5", HOST, 80) == "unknown"
    assert decide(cfg, "10.1.0.5", HOST, 445) == "unknown"


# --- the finding at the input's head is said only when it is true ----------------------------------------------

def head_findings(cfg) -> list[str]:
    from auditor.checks import config_lines
    return [f.message for f in config_lines.run(type("Ctx", (), {"configs": [cfg]})())
            if "does not say which of them the audited host has" in f.message]


def test_head_finding_not_said_when_the_host_is_a_given_interface():
    # (the host's address is eni-aaa's: it meets exactly sg-srv, not "permitted only where every group permits")
    cfg = run(SGS, instances())
    assert decide(cfg, "10.1.0.5", HOST, 445) == "deny"
    assert head_findings(cfg) == []                             # was said
    assert not [d for d in cfg.unrecognized if "does not say which" in d.message]
    by_public = run(SGS, instances(), host=PUBLIC)
    assert head_findings(by_public) == []
    other = run(SGS, instances(), host="10.9.9.7")              # an address of no given interface: true, said
    assert len(head_findings(other)) == 1 and "none of the network interfaces" in head_findings(other)[0]
    assert decide(other, "10.1.0.5", "10.9.9.7", 445) == "unknown"
    wider = run(SGS, instances(), host="10.9.9.0/24")           # some of the host's addresses are of none
    assert len(head_findings(wider)) == 1
