"""CSV exports: every page streamed lazily, BOM, formula injection neutralised, file names."""

import csv
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse

from customers.reports import csvexport, months
from tests.fakes import customer, transaction

pytestmark = pytest.mark.usefixtures("branches")

HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+254712345678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTabbed Traders",
    "\rCarriage Return Ltd",
    'Quotes "inside", and a comma',
    "Line one\nLine two",
    "Mama Mboga 🥬🍅 — 王芳 محمد",
    "<script>alert(1)</script>",
    "Plain Name Ltd",
]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark missing"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _expected(value: str) -> str:
    return f"'{value}" if value.startswith(DANGEROUS_START) else value


def _many_customers(served_upstream, count, branch="00"):
    served_upstream.customers = {
        i: customer(i, f"C{i:04d}", f"Customer {i}", branch) for i in range(1, count + 1)
    }


def test_hostile_names_round_trip_neutralised(admin_client, served_upstream):
    served_upstream.customers = {
        i: customer(
            i,
            f"H{i:03d}",
            name,
            "00",
            address=name,
            email="=1+1@x.example",
            phone="+254700000000",
            tin="P000123456X",
        )
        for i, name in enumerate(HOSTILE, start=1)
    }

    response = admin_client.get("/customers/export.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _rows(b"".join(response.streaming_content))
    assert rows[0] == [
        "Customer number",
        "Name",
        "TIN",
        "Phone",
        "Email",
        "Address",
        "Branch",
        "Branch name",
        "Active",
        "Transactions",
        "Created (Nairobi time)",
    ]
    body = rows[1:]
    assert [row[1] for row in body] == [_expected(name) for name in HOSTILE]
    assert [row[5] for row in body] == [_expected(name) for name in HOSTILE]
    assert {row[3] for row in body} == {"0700 000000"}  # as users write it, no apostrophe
    assert {row[4] for row in body} == {"'=1+1@x.example"}
    assert body[0][6:] == ["00", "Head Office", "Yes", "0", "2025-01-01 13:00"]
    for row in body:
        for cell in row:
            assert not cell.startswith(DANGEROUS_START), cell


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ("+254712345678", "0712 345678"),
        ("+254 720 337 647", "0720 337647"),
        ("0712345678", "0712 345678"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),  # not a phone: a formula kept harmless
        ("-12", "'-12"),
    ],
)
def test_phones_are_exported_in_national_format_and_text_stays_safe(
    admin_client, served_upstream, stored, exported
):
    served_upstream.customers = {1: customer(1, "P001", "Phone Test", "00", phone=stored)}

    rows = _rows(b"".join(admin_client.get("/customers/export.csv").streaming_content))

    assert rows[1][3] == exported


def test_the_export_streams_and_reads_upstream_pages_lazily(admin_client, served_upstream):
    _many_customers(served_upstream, 250)

    response = admin_client.get("/customers/export.csv")

    assert isinstance(response, StreamingHttpResponse)
    assert served_upstream.pages_asked("customers") == [1]  # the first page before answering
    chunks = iter(response.streaming_content)
    header_and_first = next(chunks) + next(chunks)
    assert header_and_first.count(b"\r\n") == 101
    assert served_upstream.pages_asked("customers") == [1]
    rest = list(chunks)
    # The pages after the first, side by side (meta.last_page: 3), written in order.
    assert sorted(served_upstream.pages_asked("customers")) == [1, 2, 3]
    assert len(rest) == 2
    assert {params["per_page"] for params in served_upstream.queries_to("customers")} == {"100"}
    rows = _rows(header_and_first + b"".join(rest))
    assert [row[0] for row in rows[1:]] == [f"C{i:04d}" for i in range(1, 251)]


def test_the_export_reads_at_most_four_pages_ahead_of_the_file(admin_client, served_upstream):
    _many_customers(served_upstream, 1000)  # ten pages of 100

    chunks = iter(admin_client.get("/customers/export.csv").streaming_content)
    written = next(chunks) + next(chunks) + next(chunks)  # header, pages 1 and 2

    assert written.count(b"\r\n") == 201
    assert max(served_upstream.pages_asked("customers")) <= 6  # page 2 read, 3 to 6 in flight
    rows = _rows(written + b"".join(chunks))
    assert [row[0] for row in rows[1:]] == [f"C{i:04d}" for i in range(1, 1001)]
    assert sorted(served_upstream.pages_asked("customers")) == list(range(1, 11))


def test_every_page_not_only_the_one_on_screen(admin_client, served_upstream):
    _many_customers(served_upstream, 230)

    response = admin_client.get("/customers/export.csv?page=2&per_page=25")

    rows = _rows(b"".join(response.streaming_content))
    assert [row[0] for row in rows[1:]] == [f"C{i:04d}" for i in range(1, 231)]


def test_the_lists_filters_are_passed_upstream(admin_client, served_upstream):
    _many_customers(served_upstream, 3, branch="01")

    response = admin_client.get("/customers/export.csv?search=Cust&branch_id=01&status=active")

    assert served_upstream.queries_to("customers") == [
        {"search": "Cust", "branch_id": "01", "status": "active", "page": "1", "per_page": "100"}
    ]
    day = months.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="customers-branch-01-active-search-Cust-{day}.csv"'
    )
    assert len(_rows(b"".join(response.streaming_content))) == 4


def test_an_administrators_unfiltered_export_is_named_for_all_branches(
    admin_client, served_upstream
):
    response = admin_client.get("/customers/export.csv")

    day = months.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="customers-all-branches-{day}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "branch_id" not in served_upstream.queries_to("customers")[0]


def test_a_failure_on_the_first_page_is_an_error_page_not_a_file(admin_client, served_upstream):
    served_upstream.fail_on[("customers", 1)] = 503

    response = admin_client.get("/customers/export.csv")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "not answering" in response.content.decode()


def test_a_failure_part_way_ends_the_file_saying_it_is_incomplete(admin_client, served_upstream):
    _many_customers(served_upstream, 150)
    served_upstream.fail_on[("customers", 2)] = 503

    response = admin_client.get("/customers/export.csv")

    rows = _rows(b"".join(response.streaming_content))
    assert len(rows) == 1 + 100 + 1
    assert rows[-1][0].startswith("The export stopped early and this file is incomplete")


def test_the_download_token_cookie_says_when_the_file_starts(admin_client, served_upstream):
    response = admin_client.get("/customers/export.csv?export_token=abc123def456")
    assert response.cookies["ctax_export"].value == "abc123def456"
    assert not response.cookies["ctax_export"]["httponly"]

    response = admin_client.get("/customers/export.csv?export_token=<bad>")
    assert "ctax_export" not in response.cookies


def test_transactions_export_with_filters(admin_client, served_upstream):
    served_upstream.histories[1] = [
        transaction(1, amount="15000.00", tax="2068.97", created_at="2025-01-31T21:30:00Z"),
        transaction(2, type_="purchases", amount="1160.00", tax="160.00", status="failed"),
        {**transaction(3, amount="-500.00", tax="-68.97"), "invoice_no": "=cmd|'/C calc'!A0"},
    ]

    response = admin_client.get(
        "/customers/1/transactions.csv?type=sales&from_date=2025-01-01&to_date=2025-03-31"
    )

    assert served_upstream.queries_to("customers/1/transactions") == [
        {
            "type": "sales",
            "from_date": "2025-01-01",
            "to_date": "2025-03-31",
            "page": "1",
        }
    ]
    day = months.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="transactions-HQ001-sales-from-2025-01-01-to-2025-03-31-{day}.csv"'
    )
    rows = _rows(b"".join(response.streaming_content))
    assert rows[0] == [
        "Date (Nairobi time)",
        "Invoice",
        "Type",
        "Amount (KES)",
        "Tax (KES)",
        "Status",
        "Branch",
        "Transaction ID",
    ]
    # 21:30 UTC on 31 January is already 1 February in Nairobi.
    assert rows[1] == [
        "2025-02-01 00:30",
        "INV-0001",
        "Sales",
        "15000.00",
        "2068.97",
        "Success",
        "00",
        "uuid-1",
    ]
    assert rows[2][5] == "Failed"
    assert rows[3][1] == "'=cmd|'/C calc'!A0"
    assert rows[3][3:5] == ["-500.00", "-68.97"]  # numbers we format are left as numbers


def test_transactions_export_of_every_page(admin_client, served_upstream):
    served_upstream.histories[1] = [transaction(n) for n in range(1, 206)]

    response = admin_client.get("/customers/1/transactions.csv")

    assert served_upstream.pages_asked("customers/1/transactions") == [1]
    rows = _rows(b"".join(response.streaming_content))
    assert len(rows) == 1 + 205
    # 25 a page, as documented: meta.last_page 9, pages 2 to 9 read side by side
    assert sorted(served_upstream.pages_asked("customers/1/transactions")) == list(range(1, 10))
    assert not any("per_page" in c for c in served_upstream.queries_to("customers/1/transactions"))
    day = months.today().isoformat()
    assert f'filename="transactions-HQ001-{day}.csv"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("a=1", "a=1"),
        ("", ""),
        (" =1", " =1"),
    ],
)
def test_neutralise(value, expected):
    assert csvexport.neutralise(value) == expected


def test_cells():
    assert csvexport.cell(None) == ""
    assert csvexport.cell(True) == "Yes" and csvexport.cell(False) == "No"
    assert csvexport.cell(Decimal("-12.50")) == "-12.50"
    assert csvexport.cell(7) == "7"
    assert csvexport.cell("-7") == "'-7"  # text that looks like a number is still text


def test_file_names_are_safe():
    day = months.today()
    name = csvexport.file_name("transactions", 'A/B\\"C;D', "", day=day)
    assert name == f"transactions-A_B_C_D-{day.isoformat()}.csv"


def test_an_administrator_exports_a_branch_not_registered_here(admin_client, served_upstream):
    served_upstream.customers = {1: customer(1, "B001", "Far Branch Ltd", "07", phone="0712345678")}

    response = admin_client.get("/customers/export.csv?branch_id=07&search=0712-345-678")

    rows = _rows(b"".join(response.streaming_content))
    (call,) = served_upstream.queries_to("customers")
    assert call["branch_id"] == "07"
    assert call["search"] == "712345678"  # the digits the stored +254712345678 holds
    assert rows[1][:2] == ["B001", "Far Branch Ltd"]
    assert 'filename="customers-branch-07-search-0712-345-678-' in response["Content-Disposition"]
