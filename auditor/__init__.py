"""prinergy-audit: check firewall configs against Kodak Prinergy's network requirements."""

__version__ = "0.1.0"
