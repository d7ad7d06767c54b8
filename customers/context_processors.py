"""The "Upstream status" line, for administrators only."""

import time

from . import services


def upstream_status(request):
    user = getattr(request, "user", None)
    if not (user and user.is_superuser):
        return {}
    last = services.LAST_CALL
    if last["at"] is None:
        return {"upstream_status": {"known": False}}
    return {
        "upstream_status": {
            "known": True,
            "ok": last["ok"],
            "status": last["status"],
            "outcome": last["outcome"],
            "ms": round(last["ms"] or 0),
            "ago": max(int(time.time() - last["at"]), 0),
        }
    }
