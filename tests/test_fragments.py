"""Every fragment a module renders (`render_page(..., partial=...)`) is a `{% partialdef %}`
of the template it names: a wrong name answers every htmx request with a 500."""

import ast
from pathlib import Path

import pytest
from django.template.loader import get_template

CUSTOMERS = Path(__file__).resolve().parent.parent / "customers"


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module's top-level NAME = "text" assignments (template names held in one place)."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and isinstance(node.value.value, str)
    }


def _fragments() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(CUSTOMERS.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        constants = _constants(tree)
        for node in ast.walk(tree):
            called = getattr(node, "func", None)
            if getattr(called, "id", getattr(called, "attr", None)) != "render_page":
                continue
            partial = next((k.value for k in node.keywords if k.arg == "partial"), None)
            if partial is None:
                continue
            template = node.args[1]
            name = template.value if isinstance(template, ast.Constant) else constants[template.id]
            where = f"{path.relative_to(CUSTOMERS)}:{node.lineno}"
            found += [(where, name, each) for each in _names(partial, tree)]
    return found


def _names(partial: ast.expr, tree: ast.Module) -> list[str]:
    """The partial's name, or every name a helper of the module (`partial=_partial(request)`)
    may return."""
    if isinstance(partial, ast.Constant):
        return [partial.value]
    helper = next(
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == partial.func.id
    )
    returns = [node.value for node in ast.walk(helper) if isinstance(node, ast.Return)]
    return sorted(
        {
            node.value
            for value in returns
            for node in ast.walk(value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
    )


FRAGMENTS = _fragments()


def test_the_fragments_are_found():
    assert len(FRAGMENTS) >= 10, FRAGMENTS


@pytest.mark.parametrize(
    ("where", "template", "partial"), FRAGMENTS, ids=[f"{f[0]}#{f[2]}" for f in FRAGMENTS]
)
def test_each_fragment_is_a_partial_of_its_template(where, template, partial):
    get_template(f"{template}#{partial}")  # TemplateDoesNotExist otherwise
