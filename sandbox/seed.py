"""Deterministic, realistic sandbox data (used by `manage.py seed_sandbox`).

Same seed, same records; timestamps are relative to the moment of seeding.
"""

import datetime
import tempfile
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from random import Random

from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from .models import SandboxBranch, SandboxCustomer, SandboxTransaction

DEFAULT_SEED = 20250117
DEFAULT_CUSTOMERS = 320
MIN_CUSTOMERS = 60
HISTORY_DAYS = 548  # about 18 months of transactions

BRANCHES = [("00", "Head Office"), ("01", "Mombasa Road"), ("02", "Kisumu")]
BRANCH_WEIGHTS = [50, 30, 20]

ADDRESSES = {
    "00": [
        "Moi Avenue, Nairobi",
        "Tom Mboya Street, Nairobi",
        "Kimathi Street, Nairobi",
        "Kenyatta Avenue, Nairobi",
        "River Road, Nairobi",
        "Luthuli Avenue, Nairobi",
        "Westlands, Nairobi",
        "Industrial Area, Nairobi",
        "Ngong Road, Kilimani, Nairobi",
        "Upper Hill, Nairobi",
        "Eastleigh 1st Avenue, Nairobi",
        "Gikomba Market, Nairobi",
        "Thika Road, Kasarani, Nairobi",
        "Karen Road, Karen, Nairobi",
        "Ruiru Town, Kiambu",
    ],
    "01": [
        "Mombasa Road, Nairobi",
        "Syokimau, Machakos",
        "Mlolongo, Machakos",
        "Athi River, Machakos",
        "Embakasi, Nairobi",
        "Imara Daima, Nairobi",
        "South B, Nairobi",
        "South C, Nairobi",
        "Kitengela, Kajiado",
        "JKIA Cargo Centre, Nairobi",
    ],
    "02": [
        "Oginga Odinga Street, Kisumu",
        "Kondele, Kisumu",
        "Milimani, Kisumu",
        "Kibuye Market, Kisumu",
        "Nyalenda, Kisumu",
        "Mamboleo, Kisumu",
        "Ahero Town, Kisumu",
        "Maseno, Kisumu",
        "Kakamega Road, Kisumu",
    ],
}
POSTAL = {"00": ("Nairobi", "00100"), "01": ("Athi River", "00204"), "02": ("Kisumu", "40100")}

FIRST_NAMES = [
    "Wanjiku", "Achieng", "Njeri", "Chebet", "Akinyi", "Wambui", "Atieno", "Nyambura",
    "Jepkosgei", "Mumbua", "Kerubo", "Moraa", "Nafula", "Auma", "Wairimu", "Faith",
    "Grace", "Mercy", "Esther", "Brian", "Kevin", "Dennis", "Peter", "John", "James",
    "David", "Samuel", "Daniel", "Joseph", "Collins", "Eric", "Kiprono", "Kiplagat",
    "Otieno", "Ouma", "Mwangi", "Kamau", "Mutua", "Omondi", "Kiprop", "Halima", "Amina",
]  # fmt: skip
SURNAMES = [
    "Kamau", "Otieno", "Mwangi", "Ochieng", "Kiprop", "Mutua", "Omondi", "Wafula",
    "Njoroge", "Kariuki", "Odhiambo", "Kimani", "Mbugua", "Wekesa", "Barasa", "Cheruiyot",
    "Rotich", "Koech", "Langat", "Muthoni", "Nyaga", "Gitau", "Onyango", "Owino", "Juma",
    "Hassan", "Abdi", "Wanyama", "Simiyu", "Maina", "Ndungu", "Karanja", "Musyoka",
    "Kilonzo", "Chege", "Achieng", "Njeri", "Chebet", "Wanjiru", "Akoth",
]  # fmt: skip
BUSINESS_STEMS = [
    "Jamii", "Umoja", "Baraka", "Neema", "Tumaini", "Amani", "Faraja", "Upendo",
    "Mwangaza", "Savanna", "Kilimanjaro", "Rift Valley", "Lakeside", "Coastline", "Nyota",
    "Simba", "Tausi", "Jua Kali", "Pwani", "Maisha", "Zawadi", "Hodari", "Imara", "Bidii",
    "Shujaa", "Safari", "Riverside", "Greenfield", "Equator", "Highlands",
]  # fmt: skip
BUSINESS_SUFFIXES = [
    "Trading Ltd", "Enterprises", "Hardware", "Supplies", "General Merchants", "Agrovet",
    "Pharmacy", "Motors Ltd", "Investments Ltd", "Wholesalers", "Distributors Ltd",
    "Electronics", "Bakery", "Butchery", "Contractors Ltd", "Logistics Ltd", "& Sons Ltd",
    "Traders", "Stores", "Supermarket",
]  # fmt: skip
EMAIL_DOMAINS = ["gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com"]
SEGMENTS = ["retail", "wholesale", "corporate", "government"]

# Awkward records placed at fixed positions (0-based) so the UI must cope with them.
LONG_NAME_WORDS = [
    "Great", "Rift", "Valley", "Consolidated", "Agricultural", "Produce", "Hardware",
    "Electrical", "Plumbing", "Building", "Materials", "Stationery", "Transport", "Catering",
    "and", "General", "Supplies", "Company", "of", "Kenya",
]  # fmt: skip


def _long_name():
    text = ""
    index = 0
    while len(text) < 251:
        text += (" " if text else "") + LONG_NAME_WORDS[index % len(LONG_NAME_WORDS)]
        index += 1
    core = text[:251]
    if core.endswith(" "):
        core = core[:-1] + "s"
    return core + " Ltd"


HOSTILE_NAMES = {
    3: '<script>alert("x")</script> Ltd',
    7: '"><img src=x onerror=alert(1)>',
    11: "Mama Mboga 🥬🍅",
    15: "Ζωή Παπαδοπούλου",
    19: "محمد علي",
    23: "王芳 Trading",
    29: "{{ 7*7 }} Supplies & Co. 'Quoted' \"Ltd\"",
    41: _long_name(),
}
HOSTILE_ADDRESSES = {
    5: "=SUM(A1)",
    13: '=HYPERLINK("http://example.invalid","Click"), Nairobi',
    17: "@SUM(1+1)*cmd|' /C calc'!A0",
    21: "Line one\nLine two, P.O. Box 1-00100\tNairobi",
}
ZERO_TRANSACTIONS = 9  # a customer with no history at all
BUSY = (0, 1, 2, 4, 6, 8, 10, 12)  # 140-150 transactions each (0: CUST0001)


@dataclass
class SeedResult:
    branches: int
    customers: int
    deleted: int
    inactive: int
    transactions: int


def has_data():
    return SandboxBranch.objects.exists() or SandboxCustomer.objects.exists()


def delete_all():
    SandboxTransaction.objects.all().delete()
    SandboxCustomer.objects.all().delete()
    SandboxBranch.objects.all().delete()


def _money(value):
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _tin(rng, prefix, used):
    while True:
        tin = f"{prefix}0{rng.randrange(10**8):08d}{chr(rng.randrange(65, 91))}"
        if tin not in used:
            used.add(tin)
            return tin


def _phone(rng):
    prefix = "+2547" if rng.random() < 0.8 else "+2541"
    return f"{prefix}{rng.randrange(10**8):08d}"


def _slug(text):
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum()) or "mail"


def _customer_profile(rng, index, branch, used_tins):
    """name, tin, email, phone, address, metadata for customer `index`."""
    is_business = index in (0, 1) or rng.random() < 0.45
    if index == 0:
        name = "Jamii Trading Ltd"
    elif index == 1:
        name = "Walk-in Customer"
    elif is_business:
        stem = rng.choice(BUSINESS_STEMS) if rng.random() < 0.7 else rng.choice(SURNAMES)
        name = f"{stem} {rng.choice(BUSINESS_SUFFIXES)}"
    else:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    name = HOSTILE_NAMES.get(index, name)

    if index == 1:
        return name, None, None, None, None, {"type": "walk-in", "note": "Cash sales"}
    if is_business:
        tin = _tin(rng, "A" if rng.random() < 0.7 else "P", used_tins)
        tin = tin if rng.random() < 0.9 else None
        mailbox = rng.choice(["info", "sales", "accounts", "admin"])
        email = f"{mailbox}@{_slug(name)[:40]}.co.ke" if rng.random() < 0.85 else None
        metadata = {
            "segment": rng.choice(SEGMENTS),
            "credit_limit": rng.choice([50000, 100000, 250000, 500000, 1000000]),
            "payment_terms": rng.choice(["cash", "net15", "net30"]),
        }
    else:
        tin = _tin(rng, "P", used_tins) if rng.random() < 0.3 else None
        first, _, last = name.partition(" ")
        handle = f"{_slug(first)}.{_slug(last)}"
        if rng.random() < 0.4:
            handle += str(rng.randrange(1, 99))
        email = f"{handle}@{rng.choice(EMAIL_DOMAINS)}" if rng.random() < 0.7 else None
        metadata = {"segment": "retail"} if rng.random() < 0.3 else {}
    phone = _phone(rng) if rng.random() < 0.9 else None
    if rng.random() < 0.15:
        town, code = POSTAL[branch]
        address = f"P.O. Box {rng.randrange(1, 99999)}-{code}, {town}"
    else:
        address = rng.choice(ADDRESSES[branch]) if rng.random() < 0.92 else None
    address = HOSTILE_ADDRESSES.get(index, address)
    return name, tin, email, phone, address, metadata


def _transaction_count(rng, index):
    if index == ZERO_TRANSACTIONS:
        return 0
    if index in BUSY:
        return 150 if index == 0 else rng.randint(140, 150)
    if rng.random() < 0.08:
        return 0
    return min(150, int(rng.expovariate(1 / 45)))


def _business_time(rng, start, end, tz):
    """A random moment between start and end, moved into opening hours (08:00-19:00)."""
    moment = start + (end - start) * rng.random()
    local = moment.astimezone(tz).replace(
        hour=rng.randint(8, 18), minute=rng.randrange(60), second=rng.randrange(60), microsecond=0
    )
    if local > end:
        local -= datetime.timedelta(days=1)
    if local < start:
        local = start.astimezone(tz)
    return local


def _amount(rng, tx_type, is_big):
    if tx_type == SandboxTransaction.SALES:
        value = rng.lognormvariate(10.3 if is_big else 8.2, 1.0)
        value = min(max(value, 150), 2_500_000)
    else:
        value = rng.lognormvariate(9.5 if is_big else 7.8, 0.9)
        value = min(max(value, 200), 1_500_000)
    step = 10 if value > 1000 else 1
    return _money(round(value / step) * step)


def _load_with_ids(customers: list[SandboxCustomer]) -> None:
    """Write customers under the ids given (the same after every reset) with `loaddata`,
    which then moves the id sequence past them, so later customers get fresh ids."""
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / "sandbox_customers.json"
        fixture.write_text(serializers.serialize("json", customers), encoding="utf-8")
        call_command("loaddata", str(fixture), verbosity=0)


@transaction.atomic
def seed(*, seed_value=DEFAULT_SEED, customers=DEFAULT_CUSTOMERS):
    rng = Random(seed_value)
    tz = timezone.get_current_timezone()
    now = timezone.now().replace(microsecond=0)
    history_start = now - datetime.timedelta(days=HISTORY_DAYS)

    branches = [SandboxBranch(code=code, name=name) for code, name in BRANCHES]
    SandboxBranch.objects.bulk_create(branches)
    codes = [code for code, _ in BRANCHES]

    # Creation dates ascend with the customer number; CUST0001 is the oldest.
    created = sorted(
        now - datetime.timedelta(days=rng.uniform(10, 800), seconds=rng.randrange(86400))
        for _ in range(customers)
    )
    created[0] = now - datetime.timedelta(days=820)
    deleted_indexes = {customers - 7, customers - 23}
    used_tins = set()
    customer_rows, tx_rows = [], []
    for index in range(customers):
        branch = "00" if index < 2 else rng.choices(codes, BRANCH_WEIGHTS)[0]
        name, tin, email, phone, address, metadata = _customer_profile(
            rng, index, branch, used_tins
        )
        created_at = created[index]
        customer = SandboxCustomer(
            id=index + 1,
            branch_id=branch,
            customer_no=f"CUST{index + 1:04d}",
            name=name,
            tin=tin or "",
            phone=phone or "",
            email=email or "",
            address=address or "",
            is_active=index < 2 or index in BUSY or rng.random() >= 0.1,
            metadata=metadata,
            created_at=created_at,
            updated_at=created_at,
        )
        customer_rows.append(customer)

        start = max(created_at, history_start)
        is_big = bool(tin) or index == 1
        last = None
        for _ in range(_transaction_count(rng, index)):
            tx_type = SandboxTransaction.SALES if rng.random() < 0.7 else "purchases"
            total = _amount(rng, tx_type, is_big)
            roll = rng.random()
            status = "success" if roll < 0.92 else ("failed" if roll < 0.97 else "pending")
            when = _business_time(rng, start, now, tz)
            tx_rows.append(
                SandboxTransaction(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    customer_id=customer.id,
                    type=tx_type,
                    invoice_no="",
                    total_amount=total,
                    tax_amount=_money(total * 16 / 116),
                    status=status,
                    branch_id=branch if rng.random() < 0.9 else rng.choice(codes),
                    created_at=when,
                )
            )
            last = when if last is None else max(last, when)
        if last is not None:
            customer.updated_at = max(created_at, last)
        if index in deleted_indexes:
            customer.deleted_at = now - datetime.timedelta(days=rng.randint(1, 60))

    # Invoice numbers follow time, one series per type.
    counters = {SandboxTransaction.SALES: 0, SandboxTransaction.PURCHASES: 0}
    prefixes = {SandboxTransaction.SALES: "INV", SandboxTransaction.PURCHASES: "PUR"}
    for tx in sorted(tx_rows, key=lambda row: (row.created_at, row.id)):
        counters[tx.type] += 1
        tx.invoice_no = f"{prefixes[tx.type]}-{counters[tx.type]:06d}"

    _load_with_ids(customer_rows)
    SandboxTransaction.objects.bulk_create(tx_rows, batch_size=2000)

    return SeedResult(
        branches=len(branches),
        customers=len(customer_rows),
        deleted=len(deleted_indexes),
        inactive=sum(1 for c in customer_rows if not c.is_active),
        transactions=len(tx_rows),
    )
