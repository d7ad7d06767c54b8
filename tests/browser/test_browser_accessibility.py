"""axe-core on the main screens, in the light and the dark colour scheme (each flow runs
once; each screen is judged in both).

Violations of impact "serious" or "critical" fail the test; all of them are listed.
"""

from playwright.sync_api import expect

from tests.browser import axe_checks
from tests.browser.axe_checks import blocking_violations_in_both_schemes

# What axe would judge: the page's colours and whether a colour transition is under way.
COLOURS = """() => ({
  dark: matchMedia("(prefers-color-scheme: dark)").matches,
  body: getComputedStyle(document.body).backgroundColor,
  link: getComputedStyle(document.querySelector("a")).color,
  transitions: document.getAnimations().filter((a) => a instanceof CSSTransition).length,
})"""


def _luminance(rgb: str) -> float:
    red, green, blue = (int(v) / 255 for v in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_both_schemes_are_judged_in_their_own_colours(app, monkeypatch):
    """The page really turns dark for axe (the theme follows prefers-color-scheme), its
    links done fading; each finding names its scheme; the page is given back as it was."""
    seen = []

    def spy(page, label):
        seen.append(page.evaluate(COLOURS))
        return [f"[{label}] found"]

    monkeypatch.setattr(axe_checks, "blocking_violations", spy)
    page = app.page
    app.goto("/accounts/login/")
    before = page.evaluate(COLOURS)

    found = blocking_violations_in_both_schemes(page, "login")

    assert found == ["[login, light] found", "[login, dark] found"]
    light, dark = seen
    assert (light["dark"], dark["dark"]) == (False, True)
    assert _luminance(light["body"]) > 0.9 and _luminance(dark["body"]) < 0.1
    assert _luminance(light["link"]) < 0.5 < _luminance(dark["link"])  # faded in full
    assert light["transitions"] == dark["transitions"] == 0
    assert page.evaluate(COLOURS) == before


def test_axe_finds_a_nameless_button_in_each_scheme(app):
    """The real axe, run in light then dark on one document: it reports what it should."""
    page = app.page
    app.goto("/accounts/login/")
    page.evaluate(
        "document.querySelector('main, #content').append(document.createElement('button'))"
    )

    found = blocking_violations_in_both_schemes(page, "login")

    assert [line.split("]")[0] for line in found] == ["[login, light", "[login, dark"], found
    assert all("critical button-name" in line for line in found), found


def test_axe_on_login_list_detail_and_form(app):
    page = app.page
    violations = []

    app.goto("/accounts/login/")
    violations += blocking_violations_in_both_schemes(page, "login")
    app.login()

    violations += blocking_violations_in_both_schemes(page, "list")

    app.goto("/customers/1/")
    expect(page.locator("#history table.transactions")).to_be_visible()
    violations += blocking_violations_in_both_schemes(page, "detail")

    app.goto("/customers/new/")
    # With a live-checked error shown, as users will see it.
    page.get_by_label("TIN", exact=True).fill("bad")
    page.keyboard.press("Tab")
    expect(page.locator("#errors-tin")).not_to_be_empty()
    violations += blocking_violations_in_both_schemes(page, "create form")

    # The quick search's popup, open with an option highlighted.
    page.get_by_role("combobox", name="Search customers").click()
    page.keyboard.type("Ltd")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("combobox", name="Search customers")).to_have_attribute(
        "aria-activedescendant", "quick-search-option-1"
    )
    violations += blocking_violations_in_both_schemes(page, "quick search open")

    assert not violations, "axe: serious/critical violations:\n" + "\n".join(violations)


def test_axe_on_the_other_screens(app):
    """History page, edit form, delete confirmation, not found, upstream failure,
    password change: the rest of what a user can reach."""
    from sandbox import faults

    page = app.page
    # The not-found and failure pages are meant to answer 404 and 503.
    app.expect_failed_responses(404, 503)
    app.login()
    violations = []
    for path, label in [
        ("/customers/1/transactions/?type=sales", "history page"),
        ("/customers/1/edit/", "edit form"),
        ("/customers/1/delete/", "delete confirmation"),
        ("/customers/999999/", "not found"),
        ("/accounts/password_change/", "password change"),
    ]:
        app.goto(path)
        violations += blocking_violations_in_both_schemes(page, label)
    faults.set_faults(status=503)
    try:
        app.goto("/customers/")
        expect(page.get_by_text("not answering right now")).to_be_visible()
        violations += blocking_violations_in_both_schemes(page, "upstream failure")
    finally:
        faults.clear_faults()

    assert not violations, "axe: serious/critical violations:\n" + "\n".join(violations)
