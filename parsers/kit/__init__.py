"""The vendor kit: what every parser builds on.

* ``Vendor`` (``vendor.py``): the record a vendor module registers in ``parsers.VENDORS``;
* ``Lines`` (``lines.py``): an input's lines, their ``Source`` (redacted), the accounting of
  every line (used, ignored with a reason, or reported) and the one way to report CFG300/CFG301;
  ``LineByLine``, the same redacting each quoted line on its own (inputs that quote few lines);
* ``names.py``: IANA protocol numbers, service ports, ICMP/ICMPv6 types, ``TCP_UDP`` and
  ``TCP_PACKETS`` (vendor-specific names stay in the vendor's module, as data);
* ``addr.py``: address operands (CIDR, ranges) and their ``AddressRef``;
* ``routes.py``: drop routes (Null0, blackhole, discard) as denying paths, and the address families
  dynamic routing protocols route;
* ``jsonsrc.py``: JSON whose objects and arrays know their line numbers, and ``JsonInput``,
  the ``Lines`` of a JSON input (``at(line)`` for the reader's 1-based lines, CFG300 through
  ``unrecognized_at``, values a sibling names as secret masked);
* ``InputError``: input that cannot be read at all (one clear line, exit 2).

Parsers import ``auditor.core`` (the model) and this kit, and nothing else of the auditor.
"""

from parsers.kit.errors import InputError
from parsers.kit.lines import LineByLine, Lines
from parsers.kit.vendor import Vendor

__all__ = ["InputError", "LineByLine", "Lines", "Vendor"]
