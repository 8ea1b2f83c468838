"""The code a rule runs, as a key that changes only when that code does (docs/reruns.md).

``source_key(script)`` hashes the definitions a rule's script can reach: the script, then every
top-level function, class or constant of this package it names, and whatever those name in turn,
each as its syntax tree without docstrings (so comments, docstrings, formatting and any definition
nothing reaches are not part of it). Imports anywhere in a file (inside functions too) are followed
to the modules they import; a name an import binds reaches its definition only where reached code uses it.
A module's own top-level statements that are not definitions (registrations, settings) and its
decorated definitions always count once the module is reached, and a module used as a value
(``getattr(module, name)``) or imported with ``*`` counts whole, so the key errs towards rerunning.

The modules are those the workflow's jobs import: ``invariance`` as Python finds it in this process,
which the Snakefile points at the workflow's own ``src/`` when it has one, for its jobs too.

The logging module is left out: it writes a job's log file and nothing a later job reads.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PACKAGE = "invariance"
# Modules whose code reaches only the log files (docs/reruns.md): an edit there reruns nothing.
LOG_ONLY = ("invariance.logs",)


def source_file(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"no module {module!r}")
    return Path(spec.origin)


def _is_module(name: str) -> bool:
    try:
        return name.split(".")[0] == PACKAGE and importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return tree


def _dump(node: ast.AST) -> str:
    return ast.dump(node, annotate_fields=False, include_attributes=False)


@dataclass
class _Module:
    """One source file's top-level definitions, its imports from the package, and the rest of its body."""

    name: str
    is_pkg: bool = False
    defs: dict[str, list[ast.stmt]] = field(default_factory=dict)
    # local name -> every (module, attribute or None for the module itself) an import anywhere in the file
    # binds it to (try/except alternatives, a function's own import): a use may mean any of them
    imports: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    body: list[ast.stmt] = field(default_factory=list)
    stars: list[str] = field(default_factory=list)  # `from invariance.x import *`: x counts whole


# Decorators that register nothing on import: a definition wearing only these counts only where reached.
PURE_DECORATORS = frozenset(
    {
        "dataclass",
        "lru_cache",
        "cache",
        "cached_property",
        "contextmanager",
        "staticmethod",
        "classmethod",
        "property",
        "wraps",
        "no_grad",
        "inference_mode",
    }
)


def _decorator_name(node: ast.expr) -> str | None:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def _resolve(module: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    parts = parts[: len(parts) - node.level + (1 if is_pkg else 0)]
    return ".".join(parts + ([node.module] if node.module else []))


def _bindings(m: _Module, node: ast.Import | ast.ImportFrom) -> dict[str, tuple[str, str | None]]:
    """The names an import statement binds to this package's modules and definitions."""
    out: dict[str, tuple[str, str | None]] = {}
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name.split(".")[0] == PACKAGE:
                out[a.asname or PACKAGE] = (a.name, None) if a.asname else (PACKAGE, None)
        return out
    base = _resolve(m.name, m.is_pkg, node)
    if base.split(".")[0] != PACKAGE:
        return out
    for a in node.names:
        if a.name == "*":
            m.stars.append(base)
            continue
        sub = f"{base}.{a.name}"
        out[a.asname or a.name] = (sub, None) if _is_module(sub) else (base, a.name)
    return out


def _parse(name: str, path: Path) -> _Module:
    tree = _strip_docstrings(ast.parse(path.read_text(), str(path)))
    m = _Module(name, is_pkg=path.name == "__init__.py")
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            m.defs.setdefault(stmt.name, []).append(stmt)
            if not all(_decorator_name(d) in PURE_DECORATORS for d in stmt.decorator_list):
                m.body.append(stmt)  # a decorator may register it on import: it counts with the body
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and all(
            isinstance(t, ast.Name) for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        ):
            for t in stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]:
                m.defs.setdefault(t.id, []).append(stmt)
        elif not isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Pass)):
            m.body.append(stmt)  # if/try/expressions at top level: they run on import
    # Imports anywhere (top level, in if/try, inside functions) bind names; each is followed where it is
    # reached (_Reach.scan), a top-level one as soon as the module is.
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for name, binding in _bindings(m, node).items():
                if binding not in m.imports.setdefault(name, []):
                    m.imports[name].append(binding)
    m.body += [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    return m


@lru_cache(maxsize=None)
def _module(name: str) -> _Module:
    return _parse(name, source_file(name))


def _attribute_chain(node: ast.Attribute) -> tuple[str, list[str]] | None:
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    return (node.id, attrs[::-1]) if isinstance(node, ast.Name) else None


class _Reach:
    """The closure of (module, name) definitions reachable from some roots."""

    def __init__(self):
        self.seen: set[tuple[str, str | None]] = set()
        self.parts: dict[tuple[str, str | None], str] = {}
        self.todo: list[tuple[str, str | None]] = []
        self.targeted: set[tuple[str, str]] = set()

    def add(self, module: str, name: str | None) -> None:
        if module in LOG_ONLY:
            return
        if (module, name) not in self.seen:
            self.seen.add((module, name))
            self.todo.append((module, name))

    def add_module(self, module: str) -> None:
        """A module reached: its parent packages' and its own top-level statements run on import."""
        parts = module.split(".")
        for i in range(1, len(parts) + 1):
            self.add(".".join(parts[:i]), None)

    def target(self, module: str, name: str) -> None:
        """``module.name``: a submodule, a definition, or a name the module imported from elsewhere."""
        if _is_module(f"{module}.{name}"):
            self.add_module(f"{module}.{name}")
            return
        if (module, name) in self.targeted:  # a module importing its own name (a lazy import) ends here
            return
        self.targeted.add((module, name))
        self.add_module(module)
        m = _module(module)
        if name in m.defs:
            self.add(module, name)
        for src, attr in m.imports.get(name, []):
            self.add_module(src) if attr is None else self.target(src, attr)

    def whole(self, module: str) -> None:
        self.add_module(module)
        m = _module(module)
        for name in m.defs:
            self.add(module, name)
        for src, attr in (b for bindings in m.imports.values() for b in bindings):  # what it re-exports
            self.add_module(src) if attr is None else self.target(src, attr)

    def scan(self, m: _Module, nodes: list[ast.AST]) -> None:
        """Follow every name these nodes use that is a definition of ``m`` or an import from the package."""
        for root in nodes:
            for node in ast.walk(root):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    # An import runs the imported module's top level; what a name it binds holds counts
                    # only where reached code uses that name (below), so an import alone reaches no definition.
                    for src, _ in _bindings(m, node).values():
                        self.add_module(src)
                elif isinstance(node, ast.Attribute):
                    chain = _attribute_chain(node)
                    for module, attr in m.imports.get(chain[0], []) if chain else []:
                        if attr is not None:
                            continue
                        for part in chain[1]:  # walk down submodules: pkg.sub.fn
                            if not _is_module(f"{module}.{part}"):
                                self.target(module, part)
                                break
                            module = f"{module}.{part}"
                            self.add_module(module)
                elif isinstance(node, ast.Name):
                    if node.id in m.defs:
                        self.add(m.name, node.id)
                    for module, attr in m.imports.get(node.id, []):  # a local import may shadow a def: both
                        if attr is not None:
                            self.target(module, attr)
                        elif not self._only_as_attribute(root, node):
                            self.whole(module)  # a module used as a value: anything in it may be reached

    @staticmethod
    def _only_as_attribute(root: ast.AST, name: ast.Name) -> bool:
        return any(isinstance(n, ast.Attribute) and n.value is name for n in ast.walk(root))

    def run(self) -> str:
        while self.todo:
            module, name = self.todo.pop()
            m = _module(module)
            nodes = m.body if name is None else m.defs[name]
            self.parts[(module, name)] = "\n".join(_dump(n) for n in nodes)
            self.scan(m, nodes)
            if name is None:
                for star in m.stars:
                    self.whole(star)
        h = hashlib.sha256()
        for (module, name), text in sorted(self.parts.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            h.update(f"{module}:{name}\0{text}\0".encode())
        return h.hexdigest()[:16]


def _script_module(path: Path) -> _Module:
    return _parse("__main__", path)


@lru_cache(maxsize=None)
def source_key(*files: str, roots: tuple[tuple[str, str], ...] = ()) -> str:
    """Key of the code that files (rule scripts, whole) and roots ((module, name) definitions) reach."""
    reach = _Reach()
    for f in files:
        m = _script_module(Path(f))
        reach.parts[(f"file:{Path(f).name}", None)] = "\n".join(
            _dump(n) for n in _strip_docstrings(ast.parse(Path(f).read_text())).body
        )
        reach.scan(m, m.body + [n for nodes in m.defs.values() for n in nodes])
        for star in m.stars:
            reach.whole(star)
    for module, name in roots:
        reach.target(module, name)
    return reach.run()


def script_key(path: str | os.PathLike) -> str:
    """The script's own statements, without its imports' code: an adapter edit always counts."""
    tree = _strip_docstrings(ast.parse(Path(path).read_text()))
    return hashlib.sha256(_dump(tree).encode()).hexdigest()[:16]


def clear_caches() -> None:
    """Forget parsed sources (after an edit, within one process: tests)."""
    _module.cache_clear()
    source_key.cache_clear()
