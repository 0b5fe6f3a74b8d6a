"""AWS CloudFormation: an instance launched from a launch template has the template's security groups.

* ``AWS::EC2::Instance`` ``LaunchTemplate`` (LaunchTemplateSpecification): "To specify the default version of the
  template, use the Fn::GetAtt intrinsic function to retrieve the DefaultVersionNumber attribute of the launch
  template. To specify the latest version of the template, use Fn::GetAtt to retrieve the LatestVersionNumber
  attribute" (CloudFormation, "AWS::EC2::Instance LaunchTemplateSpecification",
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-instance-launchtemplatespecification.html).
  The template's ``LaunchTemplateData`` is the latest version's data (CloudFormation makes a new version when it
  changes); the default version may be an older one, whose groups are not in the input.
* What the instance does not set is the launch template's: "You can use the parameters contained in a launch
  template to launch an Amazon EC2 instance. After selecting the launch template, but before launching the
  instance, you can modify the launch parameters" (EC2 User Guide, "Launch EC2 instances using a launch template",
  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/launch-instances-from-launch-template.html); "When you launch
  an instance using a launch template, instance properties that are not specified in the launch template use
  default values" (CloudFormation, AWS::EC2::LaunchTemplate,
  https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-launchtemplate.html).
"""

from __future__ import annotations

import json

from tests.test_aws_groups import HOST, decide, run, template

LATEST = {"Fn::GetAtt": ["LT", "LatestVersionNumber"]}


def lt_template(data: dict, version=LATEST, instance: dict | None = None) -> str:
    props = {"LaunchTemplate": {"LaunchTemplateId": {"Ref": "LT"}, "Version": version}, "PrivateIpAddress": HOST}
    t = json.loads(template(dict(props, **(instance or {}))))
    t["Resources"]["LT"] = {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": data}}
    return json.dumps(t, indent=1)


def messages(cfg) -> list[str]:
    return [d.message for d in cfg.unrecognized]


def test_launch_template_security_group_ids_are_the_instances_groups():
    cfg = run(lt_template({"ImageId": "ami-1", "SecurityGroupIds": [{"Ref": "ServerSG"}]}))
    assert decide(cfg, "10.1.0.5", HOST, 80) == "permit"       # was "unknown" (the VPC's default group)
    assert decide(cfg, "10.1.0.5", HOST, 445) == "deny"        # was "unknown"
    assert not [m for m in messages(cfg) if "default security group" in m]


def test_launch_template_network_interface_groups_are_the_instances_groups():
    data = {"NetworkInterfaces": [{"DeviceIndex": 0, "Groups": [{"Fn::GetAtt": ["ServerSG", "GroupId"]}]}]}
    cfg = run(lt_template(data))
    assert decide(cfg, "10.1.0.5", HOST, 80) == "permit"
    assert decide(cfg, "10.1.0.5", HOST, 445) == "deny"


def test_the_instances_own_groups_override_the_launch_templates():
    cfg = run(lt_template({"SecurityGroupIds": [{"Ref": "PublicLoadBalancerSG"}]},
                          instance={"SecurityGroupIds": [{"Ref": "ServerSG"}]}))
    assert decide(cfg, "10.1.0.5", HOST, 445) == "deny"        # the template's allow-all group is not its


def test_default_or_literal_version_is_uncertain_and_reported():
    for version in ({"Fn::GetAtt": ["LT", "DefaultVersionNumber"]}, "1"):
        cfg = run(lt_template({"SecurityGroupIds": [{"Ref": "ServerSG"}]}, version=version))
        # several groups rule: ServerSG and PublicLoadBalancerSG both permit 80; only the latter 445
        assert decide(cfg, "10.1.0.5", HOST, 445) == "unknown"
        assert decide(cfg, "10.1.0.5", HOST, 80) == "permit"
        assert [m for m in messages(cfg) if "may not be the one the template defines" in m]


def test_launch_template_not_in_the_template_is_named():
    t = json.loads(lt_template({"SecurityGroupIds": [{"Ref": "ServerSG"}]}))
    t["Resources"]["Server"]["Properties"]["LaunchTemplate"]["LaunchTemplateId"] = "lt-0123"
    cfg = run(json.dumps(t, indent=1))
    assert decide(cfg, "10.1.0.5", HOST, 80) == "unknown"
    notes = [r.note for f in cfg.filters.values() for r in f.rules]
    assert [n for n in notes if "launch template" in n and "not one of the template's" in n]


# --- CloudFormation Elastic IPs: a public address of the instance's interface -----------------------------------
# AWS::EC2::EIP ("Address: An Elastic IP address or a carrier IP address in a Wavelength Zone", "InstanceId: The ID
# of the instance"; https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-eip.html) and
# AWS::EC2::EIPAssociation (AllocationId, EIP, InstanceId: "The instance must have exactly one attached network
# interface", NetworkInterfaceId; .../aws-resource-ec2-eipassociation.html).  "The public IP address is mapped to
# the primary private IP address through network address translation (NAT)" (EC2 User Guide, "Amazon EC2 instance
# IP addressing"): the interface's groups decide packets to it.  An EIP's address is usually allocated when the
# stack is made (no literal): nothing to map.

EIP = "198.51.100.30"


def eip_template(resources: dict) -> str:
    t = json.loads(template({"SecurityGroupIds": [{"Ref": "ServerSG"}], "PrivateIpAddress": HOST}))
    t["Resources"].update(resources)
    return json.dumps(t, indent=1)


def test_template_elastic_ip_of_an_instance_meets_its_groups():
    cfg = run(eip_template({"IP": {"Type": "AWS::EC2::EIP", "Properties": {
        "Domain": "vpc", "Address": EIP, "InstanceId": {"Ref": "Server"}}}}), host=EIP)
    assert decide(cfg, "10.1.0.5", EIP, 445) == "deny"          # was "unknown" (several groups)
    assert decide(cfg, "10.1.0.5", EIP, 80) == "permit"


def test_template_eip_association_by_allocation_and_by_network_interface():
    eip = {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc", "Address": EIP}}
    by_instance = {"IP": eip, "Assoc": {"Type": "AWS::EC2::EIPAssociation", "Properties": {
        "AllocationId": {"Fn::GetAtt": ["IP", "AllocationId"]}, "InstanceId": {"Ref": "Server"}}}}
    cfg = run(eip_template(by_instance), host=EIP)
    assert decide(cfg, "10.1.0.5", EIP, 445) == "deny"
    assert decide(cfg, "10.1.0.5", EIP, 80) == "permit"
    t = json.loads(eip_template({}))
    t["Resources"]["Server"]["Properties"] = {"ImageId": "ami-1", "NetworkInterfaces": [
        {"DeviceIndex": "0", "NetworkInterfaceId": {"Ref": "Eni"}}]}
    t["Resources"]["Eni"] = {"Type": "AWS::EC2::NetworkInterface", "Properties": {
        "SubnetId": "subnet-1", "GroupSet": [{"Ref": "ServerSG"}]}}
    t["Resources"]["Assoc"] = {"Type": "AWS::EC2::EIPAssociation", "Properties": {
        "EIP": EIP, "NetworkInterfaceId": {"Ref": "Eni"}}}
    cfg = run(json.dumps(t, indent=1), host=EIP)
    assert decide(cfg, "10.1.0.5", EIP, 445) == "deny"
    assert decide(cfg, "10.1.0.5", EIP, 80) == "permit"
    # the interface's private address is not in the template: it may still be the host under another address
    other = run(json.dumps(t, indent=1), host=HOST)
    assert decide(other, "10.1.0.5", HOST, 445) == "unknown"
    assert [d for d in other.unrecognized if "could be the audited host" in d.message]


def test_an_elastic_ip_allocated_at_deploy_time_maps_nothing():
    cfg = run(eip_template({"IP": {"Type": "AWS::EC2::EIP", "Properties": {
        "Domain": "vpc", "InstanceId": {"Ref": "Server"}}}}), host=EIP)
    assert decide(cfg, "10.1.0.5", EIP, 445) == "unknown"       # several groups: the address is not known


# --- a reference whose resource name is not a string: computed, one clear result, not a TypeError ---------------
# ({"Fn::GetAtt": [["X"], "Attr"]}: the logical name must be a string, CloudFormation 'Fn::GetAtt' reference; the
# parser looked the list up in a dict and stopped with "unhashable type")

def test_a_reference_to_a_list_is_computed_not_a_traceback():
    bad = {"Fn::GetAtt": [["Server"], "InstanceId"]}
    cfg = run(eip_template({"IP": {"Type": "AWS::EC2::EIP", "Properties": {
        "Domain": "vpc", "Address": EIP, "InstanceId": bad}}}), host=EIP)
    assert decide(cfg, "10.1.0.5", EIP, 445) == "unknown"       # the EIP names no instance of the template
    t = json.loads(template(None))
    t["Resources"]["Rule"] = {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
        "GroupId": {"Fn::GetAtt": [["ServerSG"], "GroupId"]}, "IpProtocol": "tcp", "FromPort": 445, "ToPort": 445,
        "CidrIp": "10.1.0.0/16"}}
    cfg = run(json.dumps(t, indent=1))
    assert [m for m in messages(cfg) if "unknown permission key 'GroupId'" in m]   # a rule of any group: unknown
