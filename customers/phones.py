"""Phone numbers as people write them and as the upstream stores them (Kenya by default)."""

from __future__ import annotations

import re

import phonenumbers

REGION = "KE"
COUNTRY_PREFIXES = ("+254", "254", "0")  # how Kenyans start a number; longest first
_PHONE_LIKE = re.compile(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*")
_MIN_LEFT = 3  # digits that must remain once a prefix is dropped


def parse(text: str) -> phonenumbers.PhoneNumber | None:
    """`text` read as a phone number (a national one taken as Kenyan); None if unreadable."""
    try:
        return phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None


def valid(text: str) -> phonenumbers.PhoneNumber | None:
    """`text` as a number today's rule accepts (a valid number, Kenya the default region);
    None when it refuses it. The one rule for the form, and for the records to fix."""
    number = parse(text)
    return number if number is not None and phonenumbers.is_valid_number(number) else None


def stored_form(number: phonenumbers.PhoneNumber) -> str:
    """E.164, as the upstream stores phones: '+254712345678'."""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def as_written(value: str | None) -> str | None:
    """'+254712345678' -> '0712 345678', as people write it; foreign ones international."""
    number = parse(value) if value else None
    if number is None or not phonenumbers.is_possible_number(number):
        return value
    if number.country_code != phonenumbers.country_code_for_region(REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def search_text(query: str) -> str:
    """A query as searched upstream: a phone-like one as the digits the stored number holds.

    The upstream stores '+254722345678' and matches substrings, so '0722 345', '722 345',
    '+254 722 345' and '0722-345-678' are sent as '722345…'; a prefix is kept when fewer
    than 3 digits would remain ('+254 7' -> '2547'). Anything else is sent as typed.
    """
    text = query.strip()
    if not _PHONE_LIKE.fullmatch(text):
        return text
    compact = re.sub(r"[\s().\-/]", "", text)
    for prefix in COUNTRY_PREFIXES:
        rest = compact.removeprefix(prefix)
        if rest != compact:
            return rest if len(rest) >= _MIN_LEFT else compact.lstrip("+")
    return compact.lstrip("+")
