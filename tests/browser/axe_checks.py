"""axe-core on a page: its serious and critical violations, readable in a failure message."""

from axe_playwright_python.sync_playwright import Axe

from tests.browser.htmx_waits import settled

BLOCKING = {"serious", "critical"}
_axe = Axe()


def blocking_violations(page, label: str = "") -> list[str]:
    """One line per serious or critical violation (with up to five targets), once the
    sections htmx is still loading have arrived (no half-faded region is judged)."""
    settled(page)
    found = []
    for violation in _axe.run(page).response["violations"]:
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
