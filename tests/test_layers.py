"""The architecture as a test: the layers the README draws, who may import whom, no cycles, no
underscore name crossing a module, small modules and no helper in two copies.

The layer table is read from README.md ("Layers" section), so the README and the tree cannot drift
apart: a subpackage the table does not name, or a name the tree does not hold, fails here.
"""

from __future__ import annotations

import ast
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from conftest import ROOT

LIB = ROOT / "lib"
PACKAGE = "wxshop"
MAX_LINES = 500  # string catalogues excepted (see is_catalogue)
MIN_STATEMENTS = 2  # a function body this long or longer counts as a helper when copied


# ----------------------------------------------------------------------------- the tree


@cache
def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (a package is its __init__)."""
    out = {}
    for path in sorted((LIB / PACKAGE).rglob("*.py")):
        parts = path.relative_to(LIB).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def packages() -> set[str]:
    """Every package of the tree (folders with an __init__.py), the root included."""
    return {name for name, path in modules().items() if path.name == "__init__.py"}


@dataclass(frozen=True)
class Import:
    source: str  # where it is written: a module name, or a notebook/tool path
    target: str  # the wxshop module imported
    name: str | None  # the name taken from it (from X import name), None for a whole module
    line: int


def _resolve(source_module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = source_module.split(".") if is_package else source_module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_in(tree: ast.AST, source: str, module: str = "", is_package: bool = False) -> list[Import]:
    """Every import of a wxshop module anywhere in ``tree`` (function-level imports included)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(source, a.name, None, node.lineno) for a in node.names
                      if a.name.split(".")[0] == PACKAGE]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node)
            if target.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in modules():  # `from wxshop.report import plots`: the module itself
                    found.append(Import(source, sub, None, node.lineno))
                else:
                    found.append(Import(source, target, alias.name, node.lineno))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and str(arg.value).startswith(PACKAGE + "."):
                found.append(Import(source, str(arg.value), None, node.lineno))
    return found


@cache
def library_imports() -> tuple[Import, ...]:
    out = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out += imports_in(tree, name, name, path.name == "__init__.py")
    return tuple(out)


def notebook_code(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    # IPython magics and shell escapes are not Python
    return "\n".join(line for cell in cells for line in cell.splitlines()
                     if not line.lstrip().startswith(("%", "!")))


def outside_sources() -> dict[str, ast.AST]:
    """The notebooks and tools, which use the library as an analyst or a script would."""
    out = {str(p.relative_to(ROOT)): ast.parse(notebook_code(p))
           for p in sorted(ROOT.glob("notebooks/*.ipynb"))}
    out |= {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"))
            for p in sorted(ROOT.glob("tools/*.py"))}
    return out


# ----------------------------------------------------------------------------- the README table


@dataclass(frozen=True)
class Layer:
    name: str
    packages: tuple[str, ...]  # packages (or top-level modules) of this layer
    may_import: tuple[str, ...]  # layer names


def readme_layers(text: str | None = None) -> list[Layer]:
    """The rows of the table under the README's "Layers" heading:
    ``| layer | packages and modules | what lives there | may import |``."""
    text = text if text is not None else (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Layers\b.*?(?=^## )", text, re.S | re.M)
    assert section, "README.md has no '## Layers' section"
    rows = [line for line in section.group(0).splitlines() if line.startswith("|")][2:]
    assert rows, "README.md: the Layers section has no table"
    layers = []
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 4, f"README Layers row needs 4 cells: {row}"
        name, where, _, may = cells
        names = tuple(re.findall(r"`(wxshop(?:\.\w+)*)`", where))
        allowed = tuple(w for w in re.findall(r"\w+", may) if w not in ("nothing", "else", "and"))
        layers.append(Layer(name.strip("* "), names, allowed))
    return layers


def layer_of(module: str, layers: list[Layer]) -> Layer | None:
    """The layer whose package is the longest prefix of ``module``."""
    best, length = None, -1
    for layer in layers:
        for p in layer.packages:
            if (module == p or module.startswith(p + ".")) and len(p) > length:
                best, length = layer, len(p)
    return best


def test_the_readme_table_names_every_subpackage_and_no_other():
    layers = readme_layers()
    named = {p for layer in layers for p in layer.packages}
    named_packages = {p for p in named if p in packages()}
    missing = sorted(n for n in named if n not in modules())
    unnamed = sorted(packages() - named_packages - {PACKAGE})
    assert not missing, f"README names what the tree does not hold: {missing}"
    assert not unnamed, f"subpackages the README's layer table does not name: {unnamed}"


def test_every_module_belongs_to_a_layer():
    layers = readme_layers()
    orphans = sorted(m for m in modules() if m != PACKAGE and layer_of(m, layers) is None)
    assert not orphans, f"modules in no layer of the README table: {orphans}"


def test_layers_import_only_what_the_table_allows():
    layers = readme_layers()
    by_name = {layer.name: layer for layer in layers}
    for layer in layers:
        unknown = [w for w in layer.may_import if w not in by_name and w != "all"]
        assert not unknown, f"README layer {layer.name} may import unknown layers {unknown}"
    offenders = []
    for imp in library_imports():
        src, dst = layer_of(imp.source, layers), layer_of(imp.target, layers)
        if src is None or dst is None or src is dst or "all" in src.may_import:
            continue
        if dst.name not in src.may_import:
            offenders.append(f"{imp.source}:{imp.line} ({src.name}) imports {imp.target} ({dst.name})")
    assert not offenders, "imports against the README's layer table:\n" + "\n".join(offenders)


def test_the_layer_check_can_fail():
    text = """## Layers
| layer | packages | what | may import |
|---|---|---|---|
| low | `wxshop.low` | x | nothing |
| high | `wxshop.high` | y | low |
## Next
"""
    layers = readme_layers(text)
    assert [la.name for la in layers] == ["low", "high"]
    assert layers[0].may_import == () and layers[1].may_import == ("low",)
    assert layer_of("wxshop.high.mod", layers).name == "high"
    assert layer_of("wxshop.other", layers) is None


# ----------------------------------------------------------------------------- imports


def underscore_offenders(imps: list[Import] | tuple[Import, ...],
                         trees: dict[str, ast.AST]) -> list[str]:
    """Underscore names taken from another module: ``from m import _x`` and ``m._x``."""
    out = [f"{i.source}:{i.line} takes {i.target}.{i.name}" for i in imps
           if i.name and i.name.startswith("_") and not i.name.startswith("__") and i.target != i.source]
    for source, tree in trees.items():
        bound = {}  # local name -> wxshop module it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == PACKAGE:
                        bound[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == PACKAGE:
                for a in node.names:
                    if f"{node.module}.{a.name}" in modules():
                        bound[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            private = isinstance(node, ast.Attribute) and node.attr.startswith("_")
            if (private and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name) and node.value.id in bound
                    and bound[node.value.id] != source):
                out.append(f"{source}:{node.lineno} reaches {bound[node.value.id]}.{node.attr}")
    return out


def library_trees() -> dict[str, ast.AST]:
    return {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in modules().items()}


def test_no_underscore_name_crosses_a_module():
    trees = library_trees()
    outside = outside_sources()
    imps = list(library_imports())
    for source, tree in outside.items():
        imps += imports_in(tree, source)
    offenders = underscore_offenders(imps, trees | outside)
    assert not offenders, "private names used across modules:\n" + "\n".join(offenders)


def test_the_underscore_check_can_fail():
    tree = ast.parse("from wxshop.data.load import _x\nfrom wxshop.report import plots\nplots._y()\n")
    found = underscore_offenders(imports_in(tree, "nb.ipynb"), {"nb.ipynb": tree})
    assert len(found) == 2 and "_x" in found[0] and "_y" in found[1]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in library_imports():
        if imp.target != imp.source and imp.target in modules():
            graph[imp.source].add(imp.target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(set(graph) | {w for ws in graph.values() for w in ws}):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles (function-level imports count):\n" + "\n".join(map(str, found))


def test_the_cycle_check_can_fail():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


# ----------------------------------------------------------------------------- size and copies


def is_catalogue(tree: ast.Module) -> bool:
    """A string catalogue: only a docstring, imports and assignments of literal tables."""
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            try:
                ast.literal_eval(node.value)
            except ValueError:
                return False
            continue
        return False
    return True


def test_modules_are_small():
    big = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_LINES and not is_catalogue(ast.parse(text)):
            big.append(f"{name}: {lines} lines")
    assert not big, f"modules over {MAX_LINES} lines (split along their sections):\n" + "\n".join(big)


def test_the_catalogue_rule_can_fail():
    assert is_catalogue(ast.parse('"""doc"""\nSTRINGS = {"a": {"zh": "甲", "en": "a"}}\n'))
    assert not is_catalogue(ast.parse("X = {}\ndef f():\n    return X\n"))


def function_bodies(tree: ast.AST, where: str) -> list[tuple[str, str, str]]:
    """(normalised body, function name, where) for every function; the docstring is left out."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            if len(body) >= MIN_STATEMENTS:
                key = ast.dump(node.args) + "".join(ast.dump(s) for s in body)
                out.append((key, node.name, f"{where}:{node.lineno}"))
    return out


def copies(trees: dict[str, ast.AST]) -> list[str]:
    """Functions with the same arguments and body in two places, and private top-level helpers
    of the same name in two modules."""
    same_body: dict[str, list[str]] = defaultdict(list)
    for where, tree in trees.items():
        for key, name, at in function_bodies(tree, where):
            same_body[key].append(f"{name} ({at})")
    out = [" = ".join(v) for v in same_body.values() if len(v) > 1]
    private: dict[str, list[str]] = defaultdict(list)
    for where, tree in trees.items():
        for node in getattr(tree, "body", []):
            private_def = isinstance(node, ast.FunctionDef) and node.name.startswith("_")
            if private_def and not node.name.startswith("__"):
                private[node.name].append(where)
    out += [f"{name} defined in {', '.join(v)}" for name, v in private.items() if len(v) > 1]
    return out


def test_no_helper_in_two_copies():
    found = copies(library_trees())
    assert not found, "helpers that exist twice (share one, public, instead):\n" + "\n".join(found)


def test_the_copy_check_can_fail():
    a = ast.parse("def _req(df, cols):\n    missing = [c for c in cols]\n    return missing\n")
    b = ast.parse("def _req(df, cols):\n    '''doc'''\n    missing = [c for c in cols]\n    return missing\n")
    assert len(copies({"a": a, "b": b})) == 2
    assert copies({"a": a}) == []


@pytest.mark.parametrize("layer", ["data", "analysis", "ab", "report", "batch"])
def test_each_layer_is_a_subpackage(layer):
    assert f"{PACKAGE}.{layer}" in packages()
