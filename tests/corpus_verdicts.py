"""The verdict of every corpus config, audited by its vendor's corpus test with that test's site.

The corpus tests used to accept any verdict ("pass", "fail" or "unknown": every outcome there is),
so a model change that turned a file's verdict around went unseen.  Each verdict here was read
against the file and its findings when it was pinned: "unknown" where no required flow crosses
the device for the test's site, or where lines the parser does not understand could change the
verdict (Batfish's deliberately odd parsing tests, netutils' kitchen-sink configs); "fail" where
the file blocks a required flow or has an error finding.  A change here is a change of behaviour:
review it, never regenerate it."""

from __future__ import annotations

from pathlib import Path

VERDICTS = {
    "asa/aerleon-multitarget.asa": "unknown",
    "asa/bf-acl-object.cfg": "fail",
    "asa/bf-filters.cfg": "fail",
    "asa/bf-nat-twice-static.cfg": "fail",
    "asa/bf-nested-icmp-type-object-group.cfg": "fail",
    "asa/bf-nested-network-object-group.cfg": "fail",
    "asa/bf-nested-protocol-object-group.cfg": "fail",
    "asa/bf-nested-service-object-group.cfg": "fail",
    "asa/bf-parsing-asa-acl.cfg": "fail",
    "asa/bf-parsing-asa-object-groups.cfg": "unknown",
    "asa/bf-service-object-inline.cfg": "unknown",
    "asa/netutils-asa-full.cfg": "unknown",
    "aws/bf-hybrid-cloud-NetworkAcls.json": "fail",
    # (the account's eleven groups, of several instances: which the host has is not in the file, so the exposure
    # only some of them allow is unknown, not a failure of the host; tests/test_aws_groups.py)
    "aws/bf-hybrid-cloud-SecurityGroups.json": "unknown",
    "aws/bf-ipsec-vpn-SecurityGroups.json": "fail",
    "checkpoint/(all files together)": "fail",
    "checkpoint/bf-show-networks.json": "unknown",
    "checkpoint/bf-show-service-groups.json": "unknown",
    "checkpoint/bf-show-services-tcp.json": "unknown",
    "checkpoint/bf-standard-show-access-rulebase.json": "fail",
    "checkpoint/bf-standard-show-nat-rulebase.json": "unknown",
    "fortios/bf-address.conf": "unknown",
    "fortios/bf-addrgrp.conf": "unknown",
    "fortios/bf-firewall-policy.conf": "fail",
    "fortios/bf-fortios-ignored.conf": "unknown",
    "fortios/bf-service-custom.conf": "unknown",
    "fortios/netutils-fortios-full.conf": "pass",
    "ios/aerleon-multitarget.acl": "unknown",
    "ios/bf-example-as2border1.cfg": "unknown",
    "ios/bf-ios-acl-object-group.cfg": "fail",
    "ios/bf-ios-acl.cfg": "fail",
    "ios/bf-ios-nat-static.cfg": "unknown",
    "ios/bf-ios-object-group-service.cfg": "fail",
    "ios/bf-ios-zone-security.cfg": "fail",
    "ios/bf-parsing-cisco-acl.cfg": "unknown",
    "ios/bf-parsing-cisco-ipv6-acl.cfg": "unknown",
    "ios/bf-parsing-cisco-misc.cfg": "unknown",
    "iptables/aerleon-multitarget.ipt": "fail",
    "iptables/aerleon-speedway.ipt": "fail",
    "iptables/bf-example-host1.iptables": "fail",
    "iptables/bf-unsupported-command.iptables": "fail",
    "iptables/bf-unsupported-rule-spec-options.iptables": "fail",
    "iptables/bf-z1-firewall.v4": "fail",
    "iptables/bf-z2-firewall.v4": "fail",
    "junos/aerleon-juniper-loopback.jcl": "fail",
    "junos/aerleon-srx.srx": "unknown",
    "junos/aerleon-stateful-multitarget-simple.srx": "unknown",
    "junos/bf-application-set-nested.conf": "unknown",
    "junos/bf-applications-set.conf": "fail",
    "junos/bf-firewall-filters.conf": "fail",
    "junos/bf-firewall-global-address-book.conf": "unknown",
    "junos/bf-firewall-policies.conf": "unknown",
    "junos/bf-srx-testbed-1.conf": "fail",
    "junos/bf-srx-testbed-2.conf": "fail",
    "nftables/aerleon-nftables-dev.nft": "unknown",
    "nftables/aerleon-nftables-mixed-icmp.nft": "fail",
    "nftables/aerleon-nftables-mixed-multiple-headers-combo.nft": "fail",
    "nftables/aerleon-nftables.nft": "fail",
    "panos/aerleon-paloalto.xml": "unknown",
    "panos/aerleon-stateful-multitarget-simple.xml": "unknown",
    "panos/bf-address-groups-nested.set": "unknown",
    "panos/bf-destination-nat-panorama.set": "fail",
    "panos/bf-rulebase.set": "fail",
    "panos/bf-service.set": "fail",
    "panos/netutils-panos-full.conf": "unknown",
    "pfsense/opnsense-alias-fieldtest-config.xml": "fail",
    "pfsense/opnsense-config-sample.xml": "fail",
    "pfsense/pfsense-default-config.xml": "fail",
}


def check(path: Path, result) -> None:
    """The audit of corpus file ``path`` (``<vendor folder>/<name>``) gave its pinned verdict."""
    key = "%s/%s" % (path.parent.name, path.name)
    assert key in VERDICTS, "no pinned verdict for %s: read its findings, then add it" % key
    assert result.verdict == VERDICTS[key], (key, result.verdict, result.reasons)
