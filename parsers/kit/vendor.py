"""What a vendor is: the record every vendor module registers (``parsers.VENDORS``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

from auditor.core.model import Config
from parsers.kit.fix import FixRequest

# ``apply_change(config_text, change_text, change_path, origins)``: the config with the change
# applied; ``origins`` (a list, appended to) gets ``("config" | "change", line)`` per result line.
ApplyChange = Callable[[str, str, str, Optional[list]], str]
# ``fix(config_text, request)``: the change (in the vendor's commands, as ``apply_change`` takes
# them) that permits exactly ``request.packets`` where ``request`` says; ``CannotFix`` says why not.
FixHook = Callable[[str, FixRequest], str]


@dataclass(frozen=True)
class Vendor:
    """One input format the auditor reads.

    ``detect(text)`` says how sure it is (0-100) that ``text`` is its format, looking only at the
    text; ``parse(text, path)`` builds the model (``auditor.core.model.Config``), reporting every
    line it does not understand.  Optional hooks: ``combine(configs)`` lets an auxiliary input (a
    sysctl dump, a firewall-profile state) amend the configs it belongs to; ``apply_change``
    applies a change request written in the vendor's own commands (``check-change``); ``fix``
    writes the change that opens a blocked required flow (``parsers.kit.fix``: the auditor proves
    it before offering it).  ``parse_part(text, path, name)`` parses one device of a config that
    holds several (a FortiOS VDOM: ``--vdom NAME``); ``bundle(path)`` reads an export that is a
    folder or an archive of files (a Check Point package export) as ``[(display path, text)]``, or
    returns None when ``path`` is not one.
    ``title`` and ``produces`` (the command or export that gives the input) are shown to users;
    ``advice`` maps a rule ID to how to fix such a finding in this vendor's own syntax (the
    per-rule docs are generated from it).
    """

    name: str
    title: str
    produces: str
    detect: Callable[[str], int]
    parse: Callable[[str, str], Config]
    combine: Callable[[list], list] | None = None
    apply_change: ApplyChange | None = None
    fix: FixHook | None = None
    advice: dict[str, str] = field(default_factory=dict)
    bundle: Callable[[str], Optional[list]] | None = None
    parse_part: Callable[[str, str, str], Config] | None = None
