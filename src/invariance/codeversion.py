"""Code versions for Snakemake params: a hash of a module and everything it imports from this package.

Snakemake's ``code`` trigger only sees a rule's own script, and by mtime; passing
``code_version(...)`` (modules plus the script, by content) as a param makes a rule rerun
when the code it actually uses changes, and only then (an edit to the plotting code does
not touch pretraining's hash).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

PACKAGE = "invariance"


def _source(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no module {module!r}")
    return Path(spec.origin)


def _package_imports(module: str, path: Path) -> set[str]:
    found = set()
    tree = ast.parse(path.read_text(), str(path))
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = module.split(".")[: len(module.split(".")) - node.level + (1 if is_pkg else 0)]
                base = ".".join(parts + ([base] if base else []))
            if base.split(".")[0] != PACKAGE:
                continue
            found.add(base)
            if _is_package(base):  # `from pkg import module` names a module, not an attribute
                found |= {f"{base}.{a.name}" for a in node.names if importlib.util.find_spec(f"{base}.{a.name}")}
    return found


def _is_package(module: str) -> bool:
    spec = importlib.util.find_spec(module)
    return spec is not None and spec.submodule_search_locations is not None


@lru_cache(maxsize=None)
def module_closure(module: str) -> tuple[str, ...]:
    """The module, its parent packages and every package module it imports, transitively."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        parts = m.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]
        todo += sorted(_package_imports(m, _source(m)) - seen)
    return tuple(sorted(seen))


@lru_cache(maxsize=None)
def code_version(*modules: str, files: tuple[str, ...] = ()) -> str:
    """Hash of the modules' closures and of extra files (a rule's script) by content, never by mtime.

    A file's own imports from the package count as modules, so a rule's script is enough to name.
    """
    roots = set(modules) | {m for f in files for m in _package_imports("__main__", Path(f))}
    h = hashlib.sha256()
    for m in sorted({m for root in roots for m in module_closure(root)}):
        h.update(m.encode() + b"\0" + _source(m).read_bytes() + b"\0")
    for f in files:
        h.update(Path(f).name.encode() + b"\0" + Path(f).read_bytes() + b"\0")
    return h.hexdigest()[:16]
