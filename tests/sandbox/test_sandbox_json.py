import datetime
import json
import uuid
from decimal import Decimal

import pytest

from sandbox.serializers import dumps, iso


def test_money_is_a_number_with_two_decimals():
    text = dumps({"a": Decimal("15000"), "b": Decimal("2068.9655"), "c": Decimal("-0.5")})
    assert text == '{"a":15000.00,"b":2068.97,"c":-0.50}'
    assert json.loads(text) == {"a": 15000.0, "b": 2068.97, "c": -0.5}


def test_other_values_match_the_standard_encoder():
    value = {
        "s": 'quote " backslash \\ newline \n <tag>',
        "u": "Ζωή 王芳 🥬",
        "n": None,
        "t": True,
        "f": False,
        "i": 12345678901234567890,
        "x": 1.5,
        "l": [1, [2, {}], ()],
        "d": {"nested": {"k": []}},
        3: "int key",
    }
    text = dumps(value)
    assert text.isascii()
    expected = json.loads(json.dumps(value))
    assert json.loads(text) == expected


def test_dates_uuids_and_timestamps():
    moment = datetime.datetime(
        2025, 1, 14, 19, 30, 5, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=3))
    )
    ident = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert dumps([moment, datetime.date(2025, 1, 2), ident]) == (
        '["2025-01-14T16:30:05Z","2025-01-02","12345678-1234-5678-1234-567812345678"]'
    )
    assert iso(None) is None


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), object()])
def test_unencodable_values_raise(bad):
    with pytest.raises((ValueError, TypeError)):
        dumps({"bad": bad})


def test_the_fast_path_and_the_decimal_path_write_the_same_text():
    moment = datetime.datetime(2025, 1, 14, 19, 30, 5, tzinfo=datetime.UTC)
    value = {"s": 'Ζωή <b> "q"', "n": None, "t": True, "i": 7, "l": [1.5, (2,)], "m": moment}

    fast = dumps(value)
    slow = dumps({**value, "money": Decimal("1")})

    assert slow == fast[:-1] + ',"money":1.00}'
