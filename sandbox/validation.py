"""Request validation with the upstream's (Laravel-style) error messages.

Errors are a dict of field name -> list of messages, keyed by the *request*
field names (`custNm`, not `name`). As upstream, surrounding whitespace is
trimmed and empty strings count as absent.
"""

import datetime
import json
import re

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import EmailValidator

TIN_RE = re.compile(r"^[AP]\d{9}[A-Z]$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_email_validator = EmailValidator()

# request field -> (model field, max length, required on create)
STRING_FIELDS = {
    "branch_id": ("branch_id", None, True),
    "customer_no": ("customer_no", 50, True),
    "custNm": ("name", 255, True),
    "tin": ("tin", None, False),
    "phone": ("phone", 50, False),
    "email": ("email", 255, False),
    "address": ("address", 500, False),
}
_BOOLEAN_TEXT = {"1": True, "true": True, "0": False, "false": False}


class BodyError(Exception):
    """The request body is not a JSON object."""


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(request):
    """The request body as a dict; an empty body is `{}`. Raises BodyError."""
    try:
        raw = request.body
    except RequestDataTooBig as exc:
        raise BodyError("The request body is too large.") from exc
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BodyError("The request body must be valid JSON.") from exc
    if not isinstance(data, dict):
        raise BodyError("The request body must be a JSON object.")
    return data


def _boolean(value):
    """true/false, 1/0, "1"/"0", "true"/"false" -> bool; anything else -> None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return _BOOLEAN_TEXT.get(value.strip().lower())
    return None


def validate_customer(data, *, partial):
    """Check a create (partial=False) or update (partial=True) payload.

    Returns (cleaned, errors); `cleaned` uses model field names and holds only
    the fields that were provided (all required ones on create).
    """
    cleaned, errors = {}, {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    for field, (target, max_length, required) in STRING_FIELDS.items():
        if field not in data and partial:
            continue
        value = data.get(field)
        if isinstance(value, str):
            value = value.strip() or None
        elif value is not None:
            fail(field, f"The {field} must be a string.")
            continue
        if value is None:
            if required:
                fail(field, f"The {field} field is required.")
            else:
                cleaned[target] = ""  # stored empty, shown as null
            continue
        if max_length is not None and len(value) > max_length:
            fail(field, f"The {field} must not be greater than {max_length} characters.")
            continue
        if field == "tin" and not TIN_RE.match(value):
            fail(field, "The tin format is invalid.")
            continue
        if field == "email":
            try:
                _email_validator(value)
            except ValidationError:
                fail(field, "The email must be a valid email address.")
                continue
        cleaned[target] = value

    if "metadata" in data:
        metadata = data["metadata"]
        if metadata is None:
            cleaned["metadata"] = {}
        elif isinstance(metadata, dict):
            cleaned["metadata"] = metadata
        else:
            fail("metadata", "The metadata must be an object.")

    if partial and "is_active" in data:
        flag = _boolean(data["is_active"])
        if flag is None:
            fail("is_active", "The is_active field must be true or false.")
        else:
            cleaned["is_active"] = flag

    return cleaned, errors


# --- Query parameters ---------------------------------------------------------


def query_value(params, name):
    """A query parameter, trimmed; empty counts as absent (None)."""
    value = params.get(name)
    if value is None:
        return None
    return value.strip() or None


def query_int(params, name, errors, *, default, maximum=None):
    """A positive integer parameter, clamped to `maximum`; errors on junk."""
    raw = query_value(params, name)
    if raw is None:
        return default
    if not re.fullmatch(r"[+-]?\d{1,18}", raw):
        errors[name] = [f"The {name} must be an integer."]
        return default
    value = int(raw)
    if value < 1:
        errors[name] = [f"The {name} must be at least 1."]
        return default
    if maximum is not None:
        value = min(value, maximum)
    return value


def query_choice(params, name, choices, errors):
    value = query_value(params, name)
    if value is not None and value not in choices:
        errors[name] = [f"The selected {name} is invalid."]
        return None
    return value


def query_date(params, name, errors):
    value = query_value(params, name)
    if value is None:
        return None
    if DATE_RE.match(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    errors[name] = [f"The {name} does not match the format Y-m-d."]
    return None
