"""Keyboard use: Tab reaches the quick search, the list's filters and the table's links,
and whatever has the focus shows it, in light and in dark."""

import re

from playwright.sync_api import expect

MAX_TABS = 60

# What has the focus, and whether its focus ring shows: an outline (or box shadow) whose
# colour has at least 3:1 contrast (WCAG 1.4.11) with the background it is drawn on.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgba = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a] = m[1].split(",").map((v) => parseFloat(v));
    return { r, g, b, a: a === undefined ? 1 : a };
  };
  const luminance = ({ r, g, b }) => {
    const lin = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  let background = null;
  for (let node = el.parentElement; node && !background; node = node.parentElement) {
    const color = rgba(getComputedStyle(node).backgroundColor);
    if (color && color.a > 0.5) background = color;
  }
  background = background || { r: 255, g: 255, b: 255, a: 1 };
  const style = getComputedStyle(el);
  let ring = 0;
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
    ring = contrast(rgba(style.outlineColor), background);
  }
  const shadow = style.boxShadow && style.boxShadow !== "none" ? rgba(style.boxShadow) : null;
  if (shadow) ring = Math.max(ring, contrast(shadow, background));
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || "").trim().slice(0, 40),
    label: label ? label.textContent.trim() : (el.getAttribute("aria-label") || ""),
    href: el.getAttribute("href") || "",
    inTable: !!el.closest("#result_list"),
    ringContrast: Math.round(ring * 100) / 100,
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
    background: `rgb(${background.r}, ${background.g}, ${background.b})`,
  };
}"""


def _tab_through(page):
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(DESCRIBE_FOCUS)
        if focus is None:
            break
        stops.append(focus)
        if focus["inTable"] and focus["tag"] == "a":  # past the row's checkbox, its link
            break
    return stops


def _index(stops, predicate, what):
    for index, stop in enumerate(stops):
        if predicate(stop):
            return index
    raise AssertionError(f"Tab never reached {what}; stops: {[_name(s) for s in stops]}")


def _name(stop):
    return f"{stop['tag']}#{stop['id']} {stop['label'] or stop['text']!r}"


def _check_tab_walk(stops, scheme) -> None:
    """The stops come in order, the first table link is the first record's, and each
    stop shows its focus."""
    skip = _index(stops, lambda s: s["text"] == "Skip to main content", "the skip link")
    quick = _index(stops, lambda s: s["id"] == "quick-search-input", "the quick search")
    search = _index(stops, lambda s: s["id"] == "id_search", "the list's Search field")
    branch = _index(stops, lambda s: s["id"] == "id_branch_id", "the Branch filter")
    status = _index(stops, lambda s: s["id"] == "id_status", "the Status filter")
    link = _index(stops, lambda s: s["inTable"] and s["tag"] == "a", "a link in the table")
    assert skip < quick < search < branch < status < link, [_name(s) for s in stops]
    assert re.fullmatch(r"/customers/1/", stops[link]["href"]), stops[link]
    faint = [
        f"{_name(s)}: outline {s['outline']} on {s['background']} ({s['ringContrast']}:1)"
        for s in stops
        if s["ringContrast"] < 3
    ]
    assert not faint, f"focus not visible enough (< 3:1) in {scheme} on:\n" + "\n".join(faint)


def test_tab_order_and_visible_focus_on_the_list(ui):
    """The Tab walk in light, then again on the list loaded in dark; Enter and the skip
    link once."""
    page = ui.page
    _check_tab_walk(_tab_through(page), "light")
    page.emulate_media(color_scheme="dark")
    ui.goto("/customers/")  # loaded dark: no colour still fading
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    _check_tab_walk(_tab_through(page), "dark")

    # Enter on the focused table link opens the record.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/customers/1/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jamii Trading Ltd")

    # There, the first Tab shows the skip link; Enter moves the focus into the content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#content-start")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#content-start')")
