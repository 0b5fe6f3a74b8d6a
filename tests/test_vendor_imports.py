"""No vendor imports another vendor: each builds on the kit (and the model) alone.

A vendor is a top-level module (``parsers/aws.py``) or package (``parsers/junos/``, and
``parsers/linux/`` for the Linux family) of ``parsers/``.  Its modules may import the kit
(``parsers.kit``), the shared adapter (``parsers.ccp_adapter``), the registry package
(``parsers`` itself) and their own vendor's modules; what two vendors share belongs in the kit.
"""

from __future__ import annotations

import ast
from pathlib import Path

PARSERS = Path(__file__).resolve().parent.parent / "parsers"
SHARED = ("kit", "ccp_adapter")


def _vendor_of(path: Path, root: Path) -> str | None:
    """The vendor a file of ``parsers/`` belongs to (None for the kit and the shared modules)."""
    parts = path.relative_to(root).parts
    top = parts[0].removesuffix(".py")
    if top in SHARED or top == "__init__":
        return None
    return top


def _module_of(path: Path, root: Path) -> list[str]:
    """``parsers/junos/build.py`` -> ``["parsers", "junos", "build"]`` (a package's ``__init__``: the package)."""
    parts = ["parsers", *path.relative_to(root).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = _module_of(path, root)
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
            # ``from parsers import junos`` imports a vendor too
            out.extend((node.lineno, "%s.%s" % (name, a.name)) for a in node.names)
    return out


def _vendor_named(module: str, root: Path) -> str | None:
    """The vendor a module name belongs to, if it is a vendor's module (not the kit's)."""
    parts = module.split(".")
    if parts[0] != "parsers" or len(parts) < 2 or parts[1] in SHARED:
        return None
    if (root / parts[1]).is_dir() or (root / (parts[1] + ".py")).is_file():
        return parts[1]
    return None  # (a name of the registry package, such as ``parsers.decode``)


def cross_vendor_imports(root: Path = PARSERS) -> list[str]:
    """``file:line imports module`` for every import of another vendor's module under ``root``."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        mine = _vendor_of(path, root)
        if mine is None:
            continue
        seen = set()
        for line, module in _imports(path, root):
            other = _vendor_named(module, root)
            if other is not None and other != mine and (line, other) not in seen:
                seen.add((line, other))
                bad.append("%s:%d imports vendor %s" % (path.relative_to(root.parent).as_posix(), line, other))
    return bad


def test_no_vendor_imports_another_vendor():
    assert cross_vendor_imports() == []


def test_the_check_sees_a_cross_vendor_import(tmp_path):
    # the walk finds what it must refuse: absolute, relative and ``from parsers import vendor`` forms
    root = tmp_path / "parsers"
    (root / "kit").mkdir(parents=True)
    (root / "kit" / "__init__.py").write_text("")
    (root / "aws.py").write_text("TCP = 6\n")
    (root / "azure_nsg.py").write_text("from parsers.aws import TCP\nfrom parsers.kit import Lines\n")
    (root / "junos").mkdir()
    (root / "junos" / "__init__.py").write_text("from parsers import aws\nfrom .build import x\n")
    (root / "junos" / "build.py").write_text("from ..kit import Lines\nfrom ..azure_nsg import TCP\nx = 1\n")
    assert cross_vendor_imports(root) == ["parsers/azure_nsg.py:1 imports vendor aws",
                                          "parsers/junos/__init__.py:1 imports vendor aws",
                                          "parsers/junos/build.py:2 imports vendor azure_nsg"]
