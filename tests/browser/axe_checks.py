"""axe-core on a page: its serious and critical violations, readable in a failure message.

A flow runs once and is judged in both colour schemes where axe runs: the page is switched
with `emulate_media` (the admin's theme, "auto" in a fresh browser, follows
prefers-color-scheme), which costs far less than running the whole flow once per scheme.
"""

from collections.abc import Iterator

from axe_playwright_python.sync_playwright import Axe

from tests.browser.htmx_waits import settled

BLOCKING = {"serious", "critical"}
SCHEMES = ("light", "dark")
AXE_SCRIPT = Axe().axe_script  # axe-core, as the library ships it (570 kB)
HAS_AXE = "() => typeof window.axe?.run === 'function'"
RUN_AXE = "() => axe.run({ resultTypes: ['violations'] }).then((results) => results.violations)"

IS_DARK = "() => matchMedia('(prefers-color-scheme: dark)').matches"
# A scheme switch starts colour transitions (the admin's links fade over 0.15 s): judged
# before they end, a page would be in neither scheme's colours.
TRANSITIONS_ENDED = """() => Promise.all(document.getAnimations()
  .filter((animation) => animation instanceof CSSTransition)
  .map((animation) => animation.finished.catch(() => null)))"""


def show_scheme(page, scheme: str) -> None:
    """The page in `scheme`, its colour transitions over."""
    page.emulate_media(color_scheme=scheme)
    page.evaluate(TRANSITIONS_ENDED)
    assert page.evaluate(IS_DARK) == (scheme == "dark"), f"the page is not {scheme}"


def each_scheme(page) -> Iterator[str]:
    """Show the page in light, then in dark (yielding each), then in the scheme it had."""
    had = "dark" if page.evaluate(IS_DARK) else "light"
    try:
        for scheme in SCHEMES:
            show_scheme(page, scheme)
            yield scheme
    finally:
        show_scheme(page, had)


def blocking_violations_in_both_schemes(page, label: str = "") -> list[str]:
    """blocking_violations in light and in dark, each labelled with its scheme; the page
    is left in the scheme it had."""
    found = []
    for scheme in each_scheme(page):
        found += blocking_violations(page, f"{label}, {scheme}" if label else scheme)
    return found


def blocking_violations(page, label: str = "") -> list[str]:
    """One line per serious or critical violation (with up to five targets), once the
    sections htmx is still loading have arrived (no half-faded region is judged)."""
    settled(page)
    found = []
    for violation in _run_axe(page):
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [
            f"{' '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}"
            for node in violation["nodes"][:5]
        ]
        found.append(
            f"[{label}] {violation['impact']} {violation['id']}: {violation['help']}\n    "
            + "\n    ".join(targets)
        )
    return found


def _run_axe(page) -> list[dict]:
    """axe-core's violations on the page; axe is put in a document once, not on every
    run (a page judged in both schemes, or again after an htmx swap, keeps it)."""
    if not page.evaluate(HAS_AXE):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(RUN_AXE)
