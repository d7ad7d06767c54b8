"""Every rule in one place: what the modules of customers/ may call, read from their source."""

import ast
import re
from pathlib import Path

import pytest

CUSTOMERS = Path(__file__).resolve().parent.parent / "customers"
VISIBILITY_CHECKS = {
    "ensure_visible",
    "in_branches",
    "may_see_branch",
    "allowed_branches",
    "get_customer_for",
}
SCREEN_PACKAGES = ("views", "reports", "templatetags", "review", "exports")
WRITE_OPERATIONS = ("create_customer", "update_customer", "delete_customer")


def _modules(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (CUSTOMERS / package).rglob("*.py"))


def _names_used(tree: ast.AST) -> set[str]:
    """Every name a module imports, calls or reads as an attribute."""
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom | ast.Import):
            used.update(alias.name.rsplit(".", 1)[-1] for alias in node.names)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.Name):
            used.add(node.id)
    return used


def test_the_screens_are_found():
    assert len(_modules(*SCREEN_PACKAGES)) > 15


@pytest.mark.parametrize(
    "path", _modules(*SCREEN_PACKAGES), ids=lambda p: str(p.relative_to(CUSTOMERS))
)
def test_no_screen_checks_a_branch_itself(path):
    """Views, reports, template tags, the branch review and the background exports call
    the reads (customers/selectors/), which apply branch visibility; none imports or
    calls a visibility check of its own."""
    found = _names_used(ast.parse(path.read_text(), filename=str(path))) & VISIBILITY_CHECKS
    assert not found, f"{path.relative_to(CUSTOMERS)} uses {sorted(found)}: call a selector"


@pytest.mark.parametrize(
    "path",
    _modules("views", "templatetags", "review", "exports"),
    ids=lambda p: str(p.relative_to(CUSTOMERS)),
)
def test_no_screen_or_job_calls_the_upstream_client_itself(path):
    """They read through customers/selectors/ and write through customers/services.py,
    where the branch rule and the write protocol are; never through the door directly."""
    found = _names_used(ast.parse(path.read_text(), filename=str(path))) & {"get_client"}
    assert not found, f"{path.relative_to(CUSTOMERS)} calls the client: use a selector"


def test_the_check_finds_a_visibility_check_where_there_is_one():
    tree = ast.parse("from ..access import may_see_branch\naccess.ensure_visible(user, c)\n")
    assert _names_used(tree) & VISIBILITY_CHECKS == {"may_see_branch", "ensure_visible"}


def _definitions(name: str) -> list[str]:
    """The modules of customers/ that define a function `name` (at any depth)."""
    found = []
    for path in sorted(CUSTOMERS.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
                found.append(str(path.relative_to(CUSTOMERS)))
    return found


@pytest.mark.parametrize("operation", WRITE_OPERATIONS)
def test_one_name_per_write_at_each_layer(operation):
    """One `create_customer` (and update, delete) in the client, one in the services."""
    assert _definitions(operation) == ["services.py", "upstream/client.py"]


def test_one_permission_decorator():
    """Every view asks for its permissions with `access.requires` (a 403 with the same
    words wherever the same permission is missing)."""
    assert _definitions("requires") == ["access.py"]


TEMPLATES = CUSTOMERS.parent / "templates"
# A cell, a legend entry or a hidden suffix that is a type's name, as written by hand:
# "Sales", "Purchases amount", "(sales)". Sentences ("Sales and purchases per month") are not.
HAND_WRITTEN_TYPE_LABEL = re.compile(r">\s*(Sales|Purchases)(\s+amount)?\s*<|\((sales|purchases)\)")


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_no_template_writes_a_type_label_of_its_own(path):
    """The types are named once, in reports.monthly.TYPE_LABELS; templates ask the
    `type_label` filter ({{ "sales"|type_label }})."""
    found = HAND_WRITTEN_TYPE_LABEL.findall(path.read_text())
    assert not found, f"{path.relative_to(TEMPLATES)} writes {found}: use |type_label"


def test_the_type_label_check_finds_a_hand_written_label():
    html = '<li><span class="swatch"></span>Sales</li><th>Purchases amount</th> (sales)'
    assert len(HAND_WRITTEN_TYPE_LABEL.findall(html)) == 3
    assert not HAND_WRITTEN_TYPE_LABEL.findall("<h2>Sales and purchases per month</h2>")


def test_one_totals_table():
    """The history's totals and the statement's are the `totals_table` partial."""
    written = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "totals-table" in path.read_text()
    )
    assert written == ["customers/_totals_table.html"]
