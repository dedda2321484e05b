"""The import rules of DESIGN.md hold for the code, and the checker catches each break."""

from pathlib import Path

import pytest

from tests.layers import check

ROOT = Path(__file__).resolve().parent.parent


def test_imports_follow_the_layers_wings_and_have_no_cycles_across_apps():
    assert check(ROOT) == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for package in path.relative_to(root).parents:
            if package != Path("."):
                (root / package / "__init__.py").touch()
        path.write_text(source)
    return root


def test_a_tree_that_keeps_the_rules_passes(tmp_path):
    root = _tree(
        tmp_path,
        {
            "agency/models.py": "import django\n",
            "staff/services.py": "from agency.models import Agency\n",
            "orders/models.py": "from staff import services\n",
            "orders/billing/views.py": "from ..models import Order\n",
            "orders/intake/views.py": "from orders.billing import services\n",
            "orders/billing/services.py": "",
            "orders/urls.py": "from orders.billing import views\nfrom orders.intake import views\n",
            "complaints/services.py": "from feedback import revisits\n",
            "feedback/revisits.py": "",
            "config/urls.py": "import reports.views\nimport agency.models\n",
            "reports/views.py": "from complaints.services import x\n",
            "tests/test_x.py": "import reports.views\n",
        },
    )
    assert check(root) == []


BREAKS = [
    pytest.param(
        {
            "agency/models.py": "",
            "staff/services.py": "from orders.models import Order\n",
            "orders/models.py": "",
            "orders/services.py": "def later():\n    from complaints import services\n",
            "complaints/services.py": "",
            "feedback/views.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from reports.models import Report\n"
            ),
            "reports/models.py": "",
        },
        [
            "feedback/views.py:3: feedback.views → reports.models: upward",
            "orders/services.py:2: orders.services → complaints.services: upward",
            "staff/services.py:1: staff.services → orders.models: upward",
        ],
        id="upward import at module level, in a function and for typing",
    ),
    pytest.param(
        {
            "orders/billing/views.py": "",
            "orders/intake/api.py": "from ..billing.views import InvoiceView\n",
            "orders/service/api.py": "from orders.billing import views\n",
        },
        [
            "orders/intake/api.py:1: orders.intake.api → orders.billing.views: cross-wing views",
            "orders/service/api.py:1: orders.service.api → orders.billing.views: cross-wing views",
        ],
        id="a wing importing another wing's views",
    ),
    pytest.param(
        {
            "agency/health.py": "from config.celery import HEADER\n",
            "config/celery.py": "def later():\n    import agency.health\n",
        },
        ["import cycle across apps: agency.health ↔ config.celery"],
        id="a cycle across apps where the layers allow each import",
    ),
    pytest.param(
        {
            "orders/demo.py": "from tests.factories import OrderFactory\n",
            "tests/factories.py": "",
            "kitchen/models.py": "",
        },
        [
            "kitchen: a top-level package outside the layers; place it in tests/layers.py LAYERS",
            "orders/demo.py:1: orders.demo → tests.factories: not app code",
        ],
        id="app code importing tests, or a package outside the layers",
    ),
]


@pytest.mark.parametrize(("files", "broken"), BREAKS)
def test_the_checker_names_each_broken_rule(tmp_path, files, broken):
    assert check(_tree(tmp_path, files)) == broken
