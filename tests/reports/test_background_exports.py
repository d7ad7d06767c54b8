"""Exports built in the background: XLSX with typed cells, the CSV beyond the streamed
limit, and a file only its owner may download (for CTAX_EXPORT_KEEP_HOURS)."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from customers.jobs import Job
from tests.fakes import customer, transaction
from tests.jobs_helpers import run_queued_jobs
from tests.review_helpers import restore_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    """The roles' groups: flushed after every transactional test, made again here."""
    restore_roles()


@pytest.fixture
def export_upstream(served_upstream):
    """The shared fake's two customers, a third with a formula for a name, and a history."""
    served_upstream.customers[3] = customer(
        3,
        "HQ003",
        '=HYPERLINK("http://evil")',
        "00",
        tin="P000123456X",
        phone="+254712345678",
        created_at="2026-03-31T22:30:00Z",  # 1 April in Nairobi
    )
    served_upstream.histories[1] = [
        transaction(1, amount="1234.50", created_at="2026-05-31T21:15:00Z"),
        transaction(2, type_="purchases", amount="99.00"),
    ]
    return served_upstream


def _export(client, **fields) -> Job:
    answer = client.post("/exports/new/", fields)
    assert answer.status_code == 302, answer.content[:300]
    return Job.objects.get(pk=answer["Location"].split("/")[2])


def _download(client, job):
    page = client.get(f"/exports/{job.pk}/").content.decode()
    link = re.search(r'href="(/exports/[^"]+/download/)"', page).group(1)
    return client.get(link)


def test_xlsx_of_the_list_has_typed_cells_and_never_a_formula(as_user, export_upstream):
    client = as_user("manager00")
    job = _export(client, what="customers", format="xlsx", branch_id="00")
    assert export_upstream.queries_to("customers") == []  # nothing read in the request
    assert "Export waiting for a worker" in client.get(f"/exports/{job.pk}/").content.decode()

    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.DONE, job.error
    answer = _download(client, job)
    assert answer["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == ["HQ001", "HQ003"]  # branch 00 only
    name, tin, phone, created = rows[1][1], rows[1][2], rows[1][3], rows[1][-1]
    assert name.value == '=HYPERLINK("http://evil")' and name.data_type == "s"
    assert (tin.value, tin.data_type) == ("P000123456X", "s")
    assert (phone.value, phone.data_type) == ("0712 345678", "s")
    assert created.value == dt.datetime(2026, 4, 1) and created.is_date


def test_xlsx_of_the_history_has_amounts_in_kes_and_nairobi_dates(as_user, export_upstream):
    client = as_user("manager00")
    job = _export(client, what="transactions", format="xlsx", customer_id="1")
    run_queued_jobs()
    sheet = load_workbook(io.BytesIO(_download(client, Job.objects.get(pk=job.pk)).content)).active
    first = list(sheet.iter_rows(min_row=2))[0]
    assert first[0].value == dt.datetime(2026, 6, 1) and first[0].is_date  # 00:15 in Nairobi
    assert first[3].value == 1234.5 and "KES" in first[3].number_format


def test_a_list_csv_beyond_the_streamed_limit_is_built_in_the_background(
    as_user, export_upstream, settings
):
    client = as_user("admin")
    settings.CTAX_EXPORT_STREAM_MAX_ROWS = 3
    streamed = client.get("/customers/export.csv")
    assert streamed.status_code == 200 and streamed.streaming
    settings.CTAX_EXPORT_STREAM_MAX_ROWS = 2
    offer = client.get("/customers/export.csv").content.decode()
    assert "This export has 3 rows" in offer and "Build the CSV file" in offer
    job = _export(client, what="customers", format="csv")
    run_queued_jobs()
    text = _download(client, Job.objects.get(pk=job.pk)).content.decode("utf-8-sig")
    assert text.count("\n") == 4 and "'=HYPERLINK" in text


def test_only_the_user_who_asked_may_see_or_download_the_file(
    client, users, export_upstream, django_user_model
):
    from tests.role_users import make_user

    client.force_login(users["manager00"])
    job = _export(client, what="customers", format="xlsx", branch_id="00")
    run_queued_jobs()
    page = f"/exports/{job.pk}/"
    download = f"/exports/{job.pk}/download/"
    assert client.get(download).status_code == 200

    colleague = make_user(
        django_user_model, "manager00b", role="Branch manager", branch_codes=["00"]
    )
    for who, status in [
        (users["staff00"], 403),
        (users["manager01"], 404),
        (colleague, 404),
        (users["admin"], 404),
    ]:
        client.force_login(who)
        assert client.get(page).status_code == status
        assert client.get(download).status_code == status
    client.logout()
    assert client.get(download)["Location"].startswith("/accounts/login/")

    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1)):
        client.force_login(users["manager00"])  # a login lasts 10 hours at most
        assert client.get(download).status_code == 404
        assert "expired" in client.get(page).content.decode()


def test_a_clerk_may_not_start_an_export_nor_name_another_branch(as_user, export_upstream):
    assert (
        as_user("staff00")
        .post("/exports/new/", {"what": "customers", "format": "xlsx"})
        .status_code
        == 403
    )
    manager = as_user("manager00")
    refused = manager.post(
        "/exports/new/", {"what": "customers", "format": "csv", "branch_id": "01"}
    )
    assert refused.status_code == 404
    hidden = manager.post(
        "/exports/new/", {"what": "transactions", "format": "csv", "customer_id": "2"}
    )
    assert hidden.status_code == 404
    assert not Job.objects.exists()


def test_the_background_list_export_asks_what_the_list_asks(as_user, export_upstream, settings):
    """The offer carries the list's filters as typed; the job reads them through the
    list's ChangeList: a phone as its digits, a manager's own branch by default."""
    client = as_user("manager00")
    settings.CTAX_EXPORT_STREAM_MAX_ROWS = 0
    offer = client.get("/customers/export.csv?search=0712-345-678").content.decode()
    assert 'name="search" value="0712-345-678"' in offer
    streamed_query = export_upstream.queries_to("customers")[-1]

    job = _export(client, what="customers", format="csv", search="0712-345-678")
    run_queued_jobs()

    assert export_upstream.queries_to("customers")[-1] == streamed_query
    assert streamed_query["search"] == "712345678" and streamed_query["branch_id"] == "00"
    text = _download(client, Job.objects.get(pk=job.pk)).content.decode("utf-8-sig")
    assert "HQ003" in text


def test_a_history_csv_beyond_the_streamed_limit_is_built_in_the_background(
    as_user, export_upstream, settings
):
    client = as_user("admin")
    settings.CTAX_EXPORT_STREAM_MAX_ROWS = 1
    offer = client.get("/customers/1/transactions.csv?type=sales").content.decode()
    assert "This export has" in offer and "Build the CSV file" in offer
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', offer))
    assert fields["what"] == "transactions" and fields["customer_id"] == "1"
    assert fields["type"] == "sales"
    answer = client.post("/exports/new/", fields)
    job = Job.objects.get(pk=answer["Location"].split("/")[2])
    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.DONE, job.error
    asked = [c.url for c in export_upstream.calls if "/transactions" in c.url]
    assert "type=sales" in asked[-1]  # the job asks what the history's CSV asked
    text = _download(client, job).content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Date (Nairobi time),Invoice,Type")
    assert [line.split(",")[1] for line in text.splitlines()[1:]] == ["INV-0001", "INV-0002"]


def test_a_shared_storage_backend_keeps_the_file_when_one_is_named(
    as_user, export_upstream, settings
):
    """CTAX_EXPORT_STORAGE names a STORAGES backend (e.g. a shared bucket): the bytes go
    there, not into the database; expired, they are removed from it."""
    from django.core.files.storage import storages

    from customers.exports.files import ExportFile, remove_expired

    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.CTAX_EXPORT_STORAGE = "exports"
    client = as_user("admin")
    job = _export(client, what="customers", format="csv")
    run_queued_jobs()
    kept = ExportFile.objects.get(job=job)
    assert kept.content is None and kept.storage_name.endswith(".csv")
    assert storages["exports"].exists(kept.storage_name)
    text = _download(client, Job.objects.get(pk=job.pk)).content.decode("utf-8-sig")
    assert "HQ003" in text
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        assert remove_expired() == 1
    assert not storages["exports"].exists(kept.storage_name)


def test_a_filtered_history_file_is_named_as_the_streamed_csv_names_it(as_user, export_upstream):
    client = as_user("manager00")
    job = _export(
        client, what="transactions", format="xlsx", customer_id="1", type="sales",
        from_date="2026-01-01", to_date="2026-06-30",
    )  # fmt: skip
    run_queued_jobs()
    answer = _download(client, Job.objects.get(pk=job.pk))
    assert re.search(
        r'filename="transactions-HQ001-sales-from-2026-01-01-to-2026-06-30-[\d-]+\.xlsx"',
        answer["Content-Disposition"],
    ), answer["Content-Disposition"]


def test_a_history_export_asks_the_filters_the_history_asks(as_user, export_upstream):
    """The job reads the filters back through the history's form: the dates as asked, a
    value the form refuses dropped, as the history and its streamed CSV drop it."""
    client = as_user("manager00")
    _export(
        client, what="transactions", format="csv", customer_id="1", type="purchases",
        from_date="2026-01-01", to_date="2026-02-31",
    )  # fmt: skip
    run_queued_jobs()
    asked = [c.url for c in export_upstream.calls if "/transactions" in c.url][-1]
    assert "type=purchases" in asked and "from_date=2026-01-01" in asked
    assert "to_date" not in asked
    streamed = client.get(
        "/customers/1/transactions.csv?type=purchases&from_date=2026-01-01&to_date=2026-02-31"
    )
    b"".join(streamed.streaming_content)
    assert [c.url for c in export_upstream.calls if "/transactions" in c.url][-1] == asked


@pytest.mark.parametrize(
    ("user", "query"),
    [("manager00", "search=kamau&status=active"), ("admin", "branch_id=00"), ("admin", "")],
)
def test_a_list_file_is_named_as_the_streamed_csv_names_it(as_user, export_upstream, user, query):
    """The streamed CSV and the background file of the same list bear the same name (the
    XLSX with its own extension), search and default branch included."""
    client = as_user(user)
    streamed = client.get(f"/customers/export.csv?{query}")["Content-Disposition"]
    fields = dict(pair.split("=") for pair in query.split("&") if pair)
    job = _export(client, what="customers", format="xlsx", **fields)
    run_queued_jobs()
    built = _download(client, Job.objects.get(pk=job.pk))["Content-Disposition"]
    assert built == streamed.replace('.csv"', '.xlsx"'), (built, streamed)


def test_the_lists_xlsx_button_carries_the_filters_as_typed(as_user, export_upstream):
    """One way of carrying the filters: the list's XLSX button sends what the CSV offer
    sends (the search as typed, not as the upstream is asked)."""
    client = as_user("manager00")
    page = client.get("/customers/?search=0712-345-678&status=active").content.decode()
    form = page[page.index('class="export-background"') :].split("</form>")[0]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert fields == {
        "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
        "what": "customers",
        "format": "xlsx",
        "search": "0712-345-678",
        "status": "active",
    }


def test_the_offer_leads_back_to_the_page_it_came_from(as_user, export_upstream, settings):
    client = as_user("admin")
    settings.CTAX_EXPORT_STREAM_MAX_ROWS = 1
    from_history = client.get("/customers/1/transactions.csv").content.decode()
    from_list = client.get("/customers/export.csv").content.decode()

    assert (
        '<a href="/customers/1/transactions/">‹ Back to Head Office Trading Ltd&#x27;s history'
        in (from_history)
    )
    assert '<a href="/customers/">‹ Back to the customer list</a>' in from_list
    filtered = client.get("/customers/export.csv?status=active&export_token=abc123").content
    assert '<a href="/customers/?status=active">‹ Back to the customer list</a>' in (
        filtered.decode()
    )  # the list as it was filtered, without the download's own token
