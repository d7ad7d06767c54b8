"""Section "Changes made here": the branch's audit trail filtered by user and dates (in
Nairobi time), its CSV as filtered, and a wrong range told on the field."""

import datetime as dt
import re

import pytest
import time_machine

from customers.models import AuditEntry
from customers.reports.months import NAIROBI

URL = "/branches/00/review/"


def _entry(username: str, day: dt.date, *, branch: str = "00", customer_no: str) -> None:
    moment = dt.datetime.combine(day, dt.time(23, 30), tzinfo=NAIROBI)  # 20:30 UTC
    with time_machine.travel(moment, tick=False):
        AuditEntry.objects.create(
            username=username,
            action="update",
            customer_id=1,
            customer_no=customer_no,
            branch_id=branch,
            changes={"is_active": [True, False]},
            outcome="success",
        )


@pytest.fixture
def trail(users):
    _entry("manager00", dt.date(2026, 3, 1), customer_no="A1")
    _entry("staff00", dt.date(2026, 3, 2), customer_no="A2")
    _entry("staff00", dt.date(2026, 3, 5), customer_no="A3")
    _entry("manager01", dt.date(2026, 3, 2), branch="01", customer_no="B1")


def _shown(html: str) -> list[str]:
    """The customers named in the section (the whole page, or its htmx fragment)."""
    section = html.split('id="changes"')[-1]
    return re.findall(r'<a href="/customers/1/">([^<]+)</a>', section)


def test_filtered_by_user_and_dates_in_nairobi_time(as_user, trail):
    client = as_user("manager00")
    assert sorted(_shown(client.get(URL).content.decode())) == ["A1", "A2", "A3"]
    html = client.get(URL, {"user": "staff00"}).content.decode()
    assert sorted(_shown(html)) == ["A2", "A3"]
    assert "manager01" not in html  # another branch's users are not even offered
    html = client.get(URL, {"from_date": "2026-03-02", "to_date": "2026-03-04"}).content
    assert _shown(html.decode()) == ["A2"]  # 23:30 in Nairobi on the 2nd, 20:30 UTC
    csv = client.get(URL + "changes.csv", {"user": "staff00", "from_date": "2026-03-03"})
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and ",A3," in rows[1]


def test_the_csv_tells_when_in_nairobi_time(as_user, trail):
    csv = as_user("manager00").get(URL + "changes.csv", {"user": "staff00"})
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[1].startswith("2026-03-05 23:30,staff00,1,A3,")  # 20:30 UTC


def test_a_to_date_before_the_from_date_is_told_on_the_field(as_user, trail):
    client = as_user("manager00")
    html = client.get(
        URL, {"from_date": "2026-03-05", "to_date": "2026-03-01"}, headers={"HX-Request": "true",
        "HX-Target": "changes"},
    ).content.decode()  # fmt: skip
    field = re.search(r'<input type="date" name="to_date"[^>]*>', html).group(0)
    described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert 'aria-invalid="true"' in field
    assert re.search(rf'id="{described_by}"[^>]*>.*The To date is before the From date', html)
    assert _shown(html) == [] and "No changes match." in html
