"""Phone numbers as people write them and as the upstream stores them (Kenya by default)."""

from __future__ import annotations

import phonenumbers

REGION = "KE"


def parse(text: str) -> phonenumbers.PhoneNumber | None:
    """`text` read as a phone number (a national one taken as Kenyan); None if unreadable."""
    try:
        return phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None


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
