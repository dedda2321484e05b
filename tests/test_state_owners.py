"""One function owns each state field (CONVENTIONS.md, "Where a thing lives").

An order's status is assigned only in `orders/lifecycle.py`, a complaint's only in
`complaints/lifecycle.py`, a placement's only in `placements/lifecycle.py`: every other
module moves them through those. Read from the source's syntax tree, so it is fast and
needs no database.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("agency", "staff", "orders", "feedback", "complaints", "placements", "reports")

#: Which variable names hold which kind of row, and the one module that may set its status.
OWNERS = {
    "order": "orders/lifecycle.py",
    "complaint": "complaints/lifecycle.py",
    "placement": "placements/lifecycle.py",
}
#: Modules that write rows outside the lifecycle on purpose, and why.
EXEMPT = {
    # The demo world's past is written as history rows in bulk, not lived through.
    "reports/demo/complaints.py": "builds past complaints with their final status before saving",
}


def status_writes(tree: ast.AST) -> list[tuple[str, int]]:
    """Each `<order or complaint>.status = …` in the tree: which kind, at which line."""
    found = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            if not (isinstance(target, ast.Attribute) and target.attr == "status"):
                continue
            holder = target.value
            name = holder.id if isinstance(holder, ast.Name) else getattr(holder, "attr", "")
            kind = next((k for k in OWNERS if name.lower().endswith(k)), None)
            if kind is not None:
                found.append((kind, node.lineno))
    return found


def stray_status_writes(root: Path) -> list[str]:
    stray = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative or relative in EXEMPT:
                continue
            for kind, line in status_writes(ast.parse(path.read_text(), relative)):
                if relative != OWNERS[kind]:
                    stray.append(f"{relative}:{line} sets {kind}.status")
    return stray


def test_only_the_lifecycle_modules_assign_order_and_complaint_status():
    assert stray_status_writes(ROOT) == [], "move it through order_transition/complaint_transition"


def test_the_check_finds_a_stray_status_write():
    source = (
        "def f(order, my_complaint):\n    order.status = 'paid'\n    my_complaint.status = 'x'\n"
    )
    assert status_writes(ast.parse(source)) == [("order", 2), ("complaint", 3)]


def test_the_check_leaves_other_status_fields_alone():
    source = "invoice.status = 'paid'\nassignment.status = 'released'\norder.total = 1\n"
    assert status_writes(ast.parse(source)) == []
