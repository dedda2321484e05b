"""The import rules of DESIGN.md "Architecture", checked on the source (AST, no imports run).

Three rules:

- Layers: portal → home → reports → payroll → performance → voice → placements →
  complaints → feedback → orders → staff → attendance → messaging → agency. An app
  imports only itself and the apps below it. `config` stands outside the layers:
  it wires every app together (settings, urls, the Celery app), so it may import
  all of them, and an app may use its process plumbing (`config.celery`); the
  cycle rule keeps that honest. `tests`, `bench` and `scripts` are exempt.
- Wings: inside `orders/`, a wing (intake, staffing, service, billing) never
  imports another wing's views; wings share only what lives at `orders/` top level.
- Cycles: no import cycle runs through modules of different top-level packages.

Every import counts, wherever it stands: at module level, inside a function
(a deferred import is still a dependency, only a hidden one) and under
`if TYPE_CHECKING:` (an annotation naming a higher app's class couples the two
apps just the same, even though nothing runs).
"""

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

LAYERS = (
    "agency",
    "messaging",
    "attendance",
    "staff",
    "orders",
    "feedback",
    "complaints",
    "placements",
    "voice",
    "performance",
    "payroll",
    "reports",
    "home",
    "portal",
)
OUTSIDE_LAYERS = frozenset({"config"})
EXEMPT = frozenset({"tests", "bench", "scripts"})
WING_APP = "orders"
WINGS = frozenset({"intake", "staffing", "service", "billing", "schedule", "prepaid", "payments"})
SKIPPED_DIRS = frozenset({".venv", "node_modules", "static", "__pycache__"})


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    path: Path
    line: int

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root)}:{self.line}"


def check(root: Path) -> list[str]:
    """Every broken rule under `root`, one line each; empty when the code keeps them."""
    modules = _modules(root)
    imports = list(_imports(root, modules))
    return [
        *_layer_violations(root, imports, modules),
        *_wing_violations(root, imports),
        *_cycles(imports),
    ]


def _modules(root: Path) -> dict[str, Path]:
    """Dotted name → file, for every module of the project's own top-level packages."""
    modules: dict[str, Path] = {}
    for package in sorted(root.iterdir()):
        if package.name in SKIPPED_DIRS or not (package / "__init__.py").is_file():
            continue
        for path in sorted(package.rglob("*.py")):
            if SKIPPED_DIRS.intersection(path.relative_to(root).parts):
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imports(root: Path, modules: dict[str, Path]) -> Iterator[Import]:
    """Imports of project modules; `from a import b` names the module a.b when b is one."""
    packages = {name.partition(".")[0] for name in modules}
    for importer, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(importer, is_package, node.module, node.level)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                if target.partition(".")[0] in packages and target != importer:
                    yield Import(importer, target, path, node.lineno)


def _absolute(importer: str, is_package: bool, module: str | None, level: int) -> str:
    if not level:
        return module or ""
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _layer_violations(root: Path, imports: list[Import], modules: dict[str, Path]) -> Iterator[str]:
    apps = {name.partition(".")[0] for name in modules}
    for app in sorted(apps - set(LAYERS) - OUTSIDE_LAYERS - EXEMPT):
        yield f"{app}: a top-level package outside the layers; place it in tests/layers.py LAYERS"
    rank = {app: index for index, app in enumerate(LAYERS)}
    for found in imports:
        importer_app = found.importer.partition(".")[0]
        imported_app = found.imported.partition(".")[0]
        if importer_app in rank and imported_app in EXEMPT:
            yield f"{found.where(root)}: {found.importer} → {found.imported}: not app code"
        if importer_app not in rank or imported_app not in rank:
            continue
        if rank[imported_app] > rank[importer_app]:
            yield f"{found.where(root)}: {found.importer} → {found.imported}: upward"


def _wing(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == WING_APP and parts[1] in WINGS:
        return parts[1]
    return None


def _wing_violations(root: Path, imports: list[Import]) -> Iterator[str]:
    for found in imports:
        importer_wing, imported_wing = _wing(found.importer), _wing(found.imported)
        parts = found.imported.split(".")
        if (
            importer_wing
            and imported_wing
            and importer_wing != imported_wing
            and len(parts) > 2
            and parts[2] == "views"
        ):
            yield f"{found.where(root)}: {found.importer} → {found.imported}: cross-wing views"


def _cycles(imports: Iterable[Import]) -> Iterator[str]:
    graph: dict[str, set[str]] = {}
    for found in imports:
        graph.setdefault(found.importer, set()).add(found.imported)
        graph.setdefault(found.imported, set())
    for component in _strongly_connected(graph):
        if len({module.partition(".")[0] for module in component}) > 1:
            yield "import cycle across apps: " + " ↔ ".join(sorted(component))


def _strongly_connected(graph: dict[str, set[str]]) -> Iterator[list[str]]:
    """Tarjan's algorithm, iterative so a deep import chain cannot hit the recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    yield component
