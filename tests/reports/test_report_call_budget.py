"""A streamed export's calls, made as the file is sent, count against the user's share."""

import csv
import io

import pytest

from tests.fakes import customer

pytestmark = pytest.mark.usefixtures("branches")


def test_an_export_past_the_share_ends_saying_when_to_try_again(
    admin_client, served_upstream, settings
):
    settings.CTAX_USER_CALLS_PER_MINUTE = 2
    served_upstream.customers = {
        i: customer(i, f"C{i:04d}", f"Customer {i}", "00") for i in range(1, 251)
    }

    response = admin_client.get("/customers/export.csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")

    assert served_upstream.pages_asked("customers") == [
        1,
        2,
    ]  # the third page's call was never sent
    rows = list(csv.reader(io.StringIO(content, newline="")))
    assert len(rows) == 1 + 200 + 1
    assert rows[-1][0].startswith("The export stopped early and this file is incomplete")
    assert "Too many requests" in rows[-1][0]
