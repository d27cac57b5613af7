"""Imports point one way: an area imports only the areas in its own layer or below it, and
no two areas (nor two modules) import each other, not even inside a function.

Run as a script to print the figures: `python tests/quality/test_import_direction.py`.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "csp_events"

# Bottom first. An area may import its own layer and those below; never one above it.
# Cross-area reactions go through the change bus (changes/bus.py, wired in factory.py).
LAYERS: list[tuple[str, ...]] = [
    # The kernel: extensions and small shared helpers every area may use; mail is the
    # delivery of messages other areas compose; changes is the bus itself, and page_parts
    # lets the areas built on events add their parts to its pages.
    (
        "extensions",
        "config",
        "database",
        "reading_pages",
        "dbtypes",
        "errors",
        "timezones",
        "plates",
        "plain_text",
        "formfields",
        "routing",
        "templating",
        "headers",
        "compression",
        "answer_capture",
        "assets",
        "changes",
        "page_parts",
        "mail",
    ),
    ("auth",),  # accounts, roles, sign-in; access.py (deny by default) belongs to it
    ("people", "places", "availability"),  # volunteers' qualifications, venues, absences
    ("events",),  # the session itself: when, where, what kind
    ("series", "signups", "stock"),  # repeating events, rosters, leaflet stock
    ("equipment", "engagement"),  # the speed gun and its bookings; outcomes of sessions
    ("visits",),  # home visits: arranging, lone working, outcome
    ("referrals",),  # the referral workflow, and erasure, export, purge and restore
    ("feeds",),  # calendar feeds of all of the above
    ("reminders",),  # timed emails
    ("notices", "messaging"),  # emails that follow changes; messages coordinators write
    ("cover", "reports", "ops"),  # asking for cover; returns; running the service
    ("rotas", "imports", "dashboard", "errorpages"),
    ("whatson",),  # the public listing and the open API
    ("demo", "cli", "models", "factory", "app"),  # what assembles and drives the whole
]

# Root modules that are not an area of their own.
ROOT_AREAS = {"access": "auth", "__init__": "app"}

ALLOWED_MODULE_CYCLES: list[set[str]] = []

LAYER_OF = {area: n for n, layer in enumerate(LAYERS) for area in layer}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def area_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "app"
    if len(parts) == 2 and not (PACKAGE / parts[1]).is_dir():
        return ROOT_AREAS.get(parts[1], parts[1])
    return parts[1]


def _modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.relative_to(PACKAGE).parts
    }


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module an imported name lives in: `a.b.c` is module a.b.c, or a name in a.b."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _run_time_nodes(tree: ast.AST):
    """Every node that can run: `if TYPE_CHECKING:` blocks are read only by the type checker
    (a model naming its relation's class from another area), so they are left out."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))


def imports() -> list[tuple[str, str, int]]:
    """Every (importer, imported module, line) inside the package, at any depth of the code."""
    known = _modules()
    found = []
    for module, path in known.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in _run_time_nodes(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                names = [f"{source}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                target = _resolve(name, known) if name.startswith("csp_events") else None
                if target and target != module:
                    found.append((module, target, node.lineno))
    return found


def upward_imports() -> list[str]:
    return sorted(
        {
            f"{module}:{line} imports {target} ({area_of(module)} -> {area_of(target)})"
            for module, target, line in imports()
            if LAYER_OF.get(area_of(module), -1) < LAYER_OF.get(area_of(target), -1)
        }
    )


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(group)

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def area_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, target, _ in imports():
        if area_of(module) != area_of(target):
            edges[area_of(module)].add(area_of(target))
    return edges


def module_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, target, _ in imports():
        edges[module].add(target)
    return edges


def test_every_area_has_a_layer():
    areas = {area_of(module) for module in _modules()}
    assert not areas - set(LAYER_OF), "add the new area to LAYERS"


def test_the_import_scanner_sees_imports_inside_functions():
    found = {(m, t) for m, t, _ in imports()}
    assert ("csp_events.factory", "csp_events.engagement.reactions") in found  # in a function


def test_no_import_runs_back_up_between_areas():
    assert upward_imports() == []


def test_no_two_areas_import_each_other():
    assert cycles(area_edges()) == []


def test_no_two_modules_import_each_other():
    assert [c for c in cycles(module_edges()) if c not in ALLOWED_MODULE_CYCLES] == []


if __name__ == "__main__":
    upward = upward_imports()
    area_cycles = cycles(area_edges())
    module_cycles = cycles(module_edges())
    print(*upward, sep="\n")
    for group in area_cycles:
        print("area cycle:", ", ".join(sorted(group)))
    for group in module_cycles:
        print("module cycle:", ", ".join(sorted(group)))
    edges = area_edges()
    pairs = {frozenset((a, b)) for a in edges for b in edges[a] if a in edges.get(b, ())}
    print(
        f"{len(upward)} upward imports; {len(area_cycles)} area cycles "
        f"({sum(len(g) for g in area_cycles)} areas in them, {len(pairs)} pairs importing each "
        f"other); {len(module_cycles)} module cycles"
    )
