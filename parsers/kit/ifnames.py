"""Interface names as a Cisco command line reads them (IOS, IOS XE and the ASA read them alike).

An interface is named by its type and its number (``interface type number``, the space optional:
Cisco IOS Interface and Hardware Component Command Reference, ``interface``,
https://cisco.com/en/US/docs/ios-xml/ios/interface/command/ir-i1.html).  The type is a keyword, and a
keyword "can be abbreviated to the minimum number of characters that identifies a unique selection",
in any case ("You need to enter only enough characters for the switch to recognize the command as
unique": Cisco, "Using the Command-Line Interface", "Understanding Abbreviated Commands",
https://www.cisco.com/en/US/docs/switches/metro/me3600x_3800x/trash/swcli.html; the ASA: Cisco ASA
5580 Command Line Configuration Guide 8.1, "Using the Command-Line Interface", "Abbreviating
Commands", http://www.cisco.com/c/en/us/td/docs/security/asa/asa81/config/guide/config/cli.html).
The running-config prints the full type, so ``Gi0/0``, ``gi 0/0`` and ``GigabitEthernet0/0`` are one
interface.

Which types a device offers depends on its hardware and software: the selection an abbreviation
must single out is that device's.  ``IfNames`` takes it as the full types its config prints (a
running-config prints every physical interface, configured or not) and the types a vendor's
software creates by configuration (loopbacks, tunnels, VLAN interfaces, port channels: a config
need not have one); a physical type the config does not print is looked up only when nothing of
those matches (a partial config).  An abbreviation that fits more than one type is reported by
the caller (``resolve`` says so), never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable


def split(name: str) -> tuple[str, str]:
    """(type, number) of an interface name: the type is what comes before the first digit."""
    for k, ch in enumerate(name):
        if ch.isdecimal():
            return name[:k], name[k:]
    return name, ""


class IfNames:
    """The interface types of one config, and the full name an abbreviated one stands for."""

    def __init__(self, physical: Iterable[str], virtual: Iterable[str], written: Iterable[str]):
        self.physical = {t.lower(): t for t in physical}
        known = dict(self.physical)
        known.update((t.lower(), t) for t in virtual)
        self.virtual = {t.lower(): t for t in virtual}
        # the types the config prints in full: as written (the first spelling), a known type or one that
        # abbreviates no known type and no other type written (a type the tables lack, as printed)
        written = list(written)
        types: dict[str, str] = {}
        for name in written:
            typ = self.typed(name, known)[0]
            types.setdefault(typ.lower(), typ)
        self.own = {}
        for low, typ in types.items():
            if low in known or not any(k != low and k.startswith(low) for k in list(known) + list(types)):
                self.own[low] = typ
        self.exact = dict(known)
        self.exact.update(self.own)
        # what an abbreviation is looked up among first: the config's own types and the virtual ones
        self.first = dict(self.virtual)
        self.first.update(self.own)
        # each interface's name as the config first writes it (a running-config: the full name), by its full name
        self.names: dict[str, str] = {}
        for name in written:
            full, why = self.full(name)
            if why is None:
                self.names.setdefault(full.lower(), name)

    @staticmethod
    def typed(name: str, known: dict[str, str]) -> tuple[str, str]:
        """(type, number) of ``name``: a known type written in full (some have digits: ``Dot11Radio0``),
        else what comes before the first digit."""
        low = name.lower()
        best = ""
        for k in known:
            if len(k) > len(best) and low.startswith(k) and name[len(k):len(k) + 1].isdecimal():
                best = k
        if best:
            return name[:len(best)], name[len(best):]
        return split(name)

    def resolve(self, name: str) -> tuple[str, str | None]:
        """(the interface's name, None): the name the config first gives the interface ``name`` stands for
        (in a running-config, its full name), else the full name; or (``name`` as written, why not) when its
        type abbreviates more than one type.  A type that matches none is a type the tables lack: ``name``
        is kept as written (a reference to an interface the config does not have is the caller's to
        report)."""
        full, why = self.full(name)
        if why is not None:
            return full, why
        return self.names.get(full.lower(), full), None

    def full(self, name: str) -> tuple[str, str | None]:
        """(the full name, None), or (``name``, why not): see ``resolve``."""
        typ, num = self.typed(name, self.exact)
        low = typ.lower()
        if not low or not num:
            return name, None
        full = self.exact.get(low)
        if full is not None:
            return full + num, None
        for table in (self.first, self.physical):
            hits = sorted({v for k, v in table.items() if k.startswith(low)})
            if len(hits) == 1:
                return hits[0] + num, None
            if hits:
                return name, "interface type '%s' abbreviates %s: which interface is meant is not known" % (
                    typ, " and ".join(hits))
        return name, None
