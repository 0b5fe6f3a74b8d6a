"""AWS shapes found in AWS's and others' published samples (session 23, round 2), each a small synthetic input in
the published shape, checked against the AWS document cited in its test."""

from __future__ import annotations

import json

import pytest

from parsers import InputError, aws

# --- a CloudFormation template whose security groups all exist under a condition ----------------------------------
# AWS CloudFormation User Guide, "Conditions syntax": a resource with a 'Condition' is created only when the condition
# is true, which depends on the stack's parameters (not in a template). The tool does not evaluate conditions, and a
# template whose only groups are conditional is refused (exit 2, no verdict). Before, the refusal said the template
# had no AWS::EC2::SecurityGroup resources at all (aws-cloudformation-templates' RDS_MySQL_With_Read_Replica.json,
# ADCONNECTOR.cfn.json and MANAGEDAD.cfn.json each have one, under a condition): now it says why none is read.

def _cfn(**resources: dict) -> str:
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Conditions": {"IsVpc": {"Fn::Equals": ["a", "a"]}},
                       "Resources": resources}, indent=1)


_DB_SG = {"Type": "AWS::EC2::SecurityGroup", "Condition": "IsVpc", "Properties": {
    "GroupDescription": "db", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": "3306", "ToPort": "3306",
                                                        "CidrIp": "10.0.0.0/8"}]}}


def test_a_template_whose_only_group_is_conditional_says_so():
    with pytest.raises(InputError, match="only under a condition") as err:
        aws.parse(_cfn(DBSecurityGroup=_DB_SG, DB={"Type": "AWS::RDS::DBInstance", "Properties": {}}), "t.json")
    assert "without AWS::EC2::SecurityGroup resources" not in str(err.value)


def test_a_template_without_any_group_is_still_refused_as_before():
    with pytest.raises(InputError, match="without AWS::EC2::SecurityGroup resources"):
        aws.parse(_cfn(DB={"Type": "AWS::RDS::DBInstance", "Properties": {}},
                       Sg={"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": "sg-1"}}), "t.json")
