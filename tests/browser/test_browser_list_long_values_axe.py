"""Long values and axe on the list at the counter: light and dark, 1280 and 768 px."""

import pytest
from playwright.sync_api import expect

from sandbox.models import SandboxCustomer
from tests.browser.axe_checks import blocking_violations_in_both_schemes


@pytest.mark.parametrize("width", [1280, 768])
def test_long_values_stay_in_view_and_axe_is_clean(ui, width):
    page = ui.page
    long_name = "W" * 255
    SandboxCustomer.objects.filter(customer_no="CUST0001").update(name=long_name)
    page.set_viewport_size({"width": width, "height": 900})
    ui.goto("/customers/?per_page=25")
    table = page.locator("#result_list")
    expect(table).to_be_visible()
    right = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('#result_list th')]"
        ".map((th) => th.getBoundingClientRect().right))"
    )
    holder = page.evaluate(
        "() => document.querySelector('#changelist .results').getBoundingClientRect().right"
    )
    if width >= 1280:
        assert right <= holder + 1, f"a column is out of view: {right} > {holder}"
    expect(page.locator(f'.long-text[title="{long_name}"]').first).to_be_attached()
    page.get_by_label("Select every customer on this page").check()
    violations = blocking_violations_in_both_schemes(page, "list, all selected")
    page.locator("main").click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    violations += blocking_violations_in_both_schemes(page, "keyboard shortcuts")
    page.keyboard.press("Escape")
    ui.goto("/customers/1/")
    violations += blocking_violations_in_both_schemes(page, "detail")
    assert not violations, violations
