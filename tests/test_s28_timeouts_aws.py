"""PRN120 on AWS: a network interface's own connection-tracking timeout.

Security groups track a TCP connection for 432000 s by default, and each network interface can be given
its own: "TcpEstablishedTimeout (integer) - Timeout (in seconds) for idle TCP connections in an
established state. Min: 60 seconds. Max: 432000 seconds (5 days). Default: 432000 seconds" (EC2 API
Reference, ConnectionTrackingConfiguration, the ``ConnectionTrackingConfiguration`` member of
``describe-network-interfaces`` and of ``describe-instances``' network interfaces:
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ConnectionTrackingConfiguration.html ; set with
``aws ec2 modify-network-interface-attribute --connection-tracking-specification TcpEstablishedTimeout=N``;
in a template, AWS::EC2::NetworkInterface ``ConnectionTrackingSpecification``:
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ec2-networkinterface-connectiontrackingspecification.html).
The auditor read the interface's groups and addresses but not its timer, and passed PRN120 on the 432000 s
default for a server whose interface says 3600 s.
"""

from __future__ import annotations

import json
from dataclasses import replace

from auditor.api import audit, combine_inputs
from auditor.policy import load_site
from parsers import aws

SERVER, WORKSHOP = "10.9.9.9", "10.1.0.0/24"
SITE = ["primary=%s" % SERVER, "workshop=%s" % WORKSHOP]


def _groups() -> str:
    allow = {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 65535, "IpRanges": [{"CidrIp": WORKSHOP}],
             "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
    out = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [],
           "UserIdGroupPairs": []}
    return json.dumps({"SecurityGroups": [{"GroupId": "sg-srv", "GroupName": "prinergy", "IpPermissions": [allow],
                                           "IpPermissionsEgress": [out]}]}, indent=1)


def _eni(ip: str, tracking) -> dict:
    e = {"Attachment": {"InstanceId": "i-0abc", "DeviceIndex": 0}, "NetworkInterfaceId": "eni-%s" % ip[-1],
         "Groups": [{"GroupName": "prinergy", "GroupId": "sg-srv"}], "PrivateIpAddress": ip,
         "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}]}
    if tracking is not None:
        e["ConnectionTrackingConfiguration"] = tracking
    return e


def _interfaces(*enis: dict) -> str:
    return json.dumps({"NetworkInterfaces": list(enis)}, indent=4)


def _prn120(*texts: str, shift: float | None = None):
    cfgs = combine_inputs([aws.parse(t, "in%d.json" % i) for i, t in enumerate(texts)])
    return [f for f in audit(cfgs, load_site(None, SITE, shift_hours=shift)).findings if f.rule_id == "PRN120"]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_the_interfaces_own_tcp_established_timeout_is_the_one_in_force():
    eni = _interfaces(_eni(SERVER, {"TcpEstablishedTimeout": 3600, "UdpStreamTimeout": 180, "UdpTimeout": 30}))
    [f] = _prn120(_groups(), eni)                       # was: no finding (the 432000 s default)
    assert f.status == "fail" and "1:00:00" in f.message and "TcpEstablishedTimeout 3600" in f.message
    assert f.source.path == "in1.json" and f.source.line == _line_of(eni, '"TcpEstablishedTimeout"')


def test_just_under_and_at_the_shift():
    under = _interfaces(_eni(SERVER, {"TcpEstablishedTimeout": 28799}))
    [f] = _prn120(_groups(), under)
    assert f.status == "fail" and "7:59:59" in f.message
    assert not _prn120(_groups(), _interfaces(_eni(SERVER, {"TcpEstablishedTimeout": 28800})))
    # (the site's shift decides: 3600 s is a whole 1-hour shift)
    assert not _prn120(_groups(), _interfaces(_eni(SERVER, {"TcpEstablishedTimeout": 3600})), shift=1)


def test_without_a_timer_of_its_own_the_default_passes_as_before():
    assert not _prn120(_groups(), _interfaces(_eni(SERVER, None)))
    assert not _prn120(_groups(), _interfaces(_eni(SERVER, {"UdpTimeout": 30})))   # (UDP timers only)


def test_describe_instances_network_interfaces_carry_it_too():
    inst = json.dumps({"Reservations": [{"Instances": [{
        "InstanceId": "i-0abc", "PrivateIpAddress": SERVER, "SecurityGroups": [{"GroupId": "sg-srv"}],
        "NetworkInterfaces": [_eni(SERVER, {"TcpEstablishedTimeout": 600})]}]}]}, indent=2)
    [f] = _prn120(_groups(), inst)
    assert f.status == "fail" and "0:10:00" in f.message and f.source.line == _line_of(inst, "TcpEstablishedTimeout")


def test_two_interfaces_of_one_connection_the_shorter_is_reported():
    # a Workshop client in the VPC too: both interfaces track the connection, the first to forget it ends it
    eni = _interfaces(_eni(SERVER, {"TcpEstablishedTimeout": 7200}), _eni("10.1.0.7", {"TcpEstablishedTimeout": 900}))
    found = _prn120(_groups(), eni)
    assert any("0:15:00" in f.message for f in found)


def test_a_timer_not_understood_is_unknown_not_a_pass():
    eni = _interfaces(_eni(SERVER, {"TcpEstablishedTimeout": "1h"}))
    [f] = _prn120(_groups(), eni)
    assert f.status == "unknown"


def test_cloudformation_network_interface_connection_tracking_specification():
    sg = {"Type": "AWS::EC2::SecurityGroup", "Properties": {
        "GroupDescription": "prinergy", "SecurityGroupIngress": [
            {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 65535, "CidrIp": WORKSHOP}]}}
    eni = {"Type": "AWS::EC2::NetworkInterface", "Properties": {
        "SubnetId": "subnet-1", "PrivateIpAddress": SERVER, "GroupSet": [{"Ref": "Srv"}],
        "ConnectionTrackingSpecification": {"TcpEstablishedTimeout": 1800}}}
    text = json.dumps({"Resources": {"Srv": sg, "SrvEni": eni}}, indent=2)
    [f] = _prn120(text)
    assert f.status == "fail" and "0:30:00" in f.message and f.source.line == _line_of(text, "TcpEstablishedTimeout")


def test_cloudformation_launch_template_interface_connection_tracking_specification():
    # (AWS::EC2::LaunchTemplate NetworkInterface: "ConnectionTrackingSpecification: A security group connection
    # tracking specification that enables you to set the timeout for connection tracking on an Elastic network
    # interface"; the instance launched from its latest version has its groups and its timer)
    sg = {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "p", "SecurityGroupIngress": [
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 65535, "CidrIp": WORKSHOP}]}}
    lt = {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"NetworkInterfaces": [
        {"DeviceIndex": 0, "Groups": [{"Ref": "Srv"}],
         "ConnectionTrackingSpecification": {"TcpEstablishedTimeout": 900}}]}}}
    inst = {"Type": "AWS::EC2::Instance", "Properties": {"PrivateIpAddress": SERVER, "LaunchTemplate": {
        "LaunchTemplateId": {"Ref": "LT"}, "Version": {"Fn::GetAtt": ["LT", "LatestVersionNumber"]}}}}
    text = json.dumps({"Resources": {"Srv": sg, "LT": lt, "I": inst}}, indent=2)
    [f] = _prn120(text)
    assert f.status == "fail" and "0:15:00" in f.message and f.source.line == _line_of(text, "TcpEstablishedTimeout")


def test_on_nitro_v6_the_interfaces_own_timer_replaces_the_350_s_default():
    # "Default: 350 seconds for Nitro v6 instance types (excluding P6e-GB200); 432000 seconds for all other
    # instance types" (ConnectionTrackingConfiguration): the site's 'through: aws-nitro-v6' says the default is 350 s,
    # and an interface that sets its own timer does not have the default
    cfgs = combine_inputs([aws.parse(_groups(), "sg.json"),
                           aws.parse(_interfaces(_eni(SERVER, {"TcpEstablishedTimeout": 28800})), "eni.json")])
    site = replace(load_site(None, SITE), through=("aws-nitro-v6",))
    assert not [f for f in audit(cfgs, site).findings if f.rule_id == "PRN120"]   # was: 350 s reported
    bare = combine_inputs([aws.parse(_groups(), "sg.json"), aws.parse(_interfaces(_eni(SERVER, None)), "eni.json")])
    [f] = [f for f in audit(bare, site).findings if f.rule_id == "PRN120"]
    assert "0:05:50" in f.message
