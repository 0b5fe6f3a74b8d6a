"""Linux netfilter inputs: ``iptables`` (iptables-save, iptables commands), ``nftables``
(``nft list ruleset``, ``nft -f`` scripts) and ``sysctl`` (conntrack timeout, forwarding).

``common`` holds what the two firewall front ends share: Linux names, conntrack states and
TCP flags per packet of a connection, one rule's match, flattening jumps into first-match
lists, stages and paths (host, router, loopback) and the ``LinuxAux`` that the sysctl input's
``combine`` reads.
"""
