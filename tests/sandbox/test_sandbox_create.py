import re

import pytest

from sandbox.models import SandboxCustomer
from tests.sandbox.sandbox_api_helpers import ISO_Z

VALID = {
    "branch_id": "00",
    "customer_no": "CUST003",
    "custNm": "XYZ Enterprises",
    "tin": "P000789012Y",
    "phone": "+254733345678",
    "email": "contact@xyz.co.ke",
    "address": "Industrial Area, Nairobi",
}


def payload(**changes):
    data = dict(VALID)
    for key, value in changes.items():
        if value is ...:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def errors_of(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == "error"
    assert body["message"] == "Validation failed"
    return body["errors"]


def test_create_returns_the_documented_shape(api, sandbox_branches):
    response = api.post("/customers", VALID)

    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "message", "data", "meta"}
    assert body["status"] == "success"
    assert body["message"] == "Customer created successfully"
    customer = SandboxCustomer.objects.get()
    assert body["data"] == {
        "id": customer.id,
        "customer_no": "CUST003",
        "name": "XYZ Enterprises",
        "tin": "P000789012Y",
        "phone": "+254733345678",
        "email": "contact@xyz.co.ke",
        "address": "Industrial Area, Nairobi",
        "branch_id": "00",
        "is_active": True,
        "created_at": body["data"]["created_at"],
    }
    assert re.match(ISO_Z, body["data"]["created_at"])
    assert set(body["meta"]) == {"timestamp", "request_id"}
    assert re.match(ISO_Z, body["meta"]["timestamp"])
    assert re.match(r"^req_[0-9a-f]{6,}$", body["meta"]["request_id"])
    assert customer.name == "XYZ Enterprises"


def test_create_with_only_required_fields(api, sandbox_branches):
    response = api.post(
        "/customers", {"branch_id": "01", "customer_no": "C1", "custNm": "Jane Wanjiku"}
    )
    assert response.status_code == 201
    data = response.json()["data"]
    assert data["tin"] is None
    assert data["phone"] is None
    assert data["email"] is None
    assert data["address"] is None
    assert data["branch_id"] == "01"


def test_request_ids_differ(api, sandbox_branches):
    first = api.post("/customers", payload(customer_no="A1")).json()["meta"]["request_id"]
    second = api.post("/customers", payload(customer_no="A2")).json()["meta"]["request_id"]
    assert first != second


def test_create_trims_and_keeps_unicode(api, sandbox_branches):
    response = api.post("/customers", payload(custNm="  王芳 Trading 🥬  ", email=""))
    assert response.status_code == 201
    assert response.json()["data"]["name"] == "王芳 Trading 🥬"
    assert response.json()["data"]["email"] is None


@pytest.mark.parametrize("field", ["branch_id", "customer_no", "custNm"])
@pytest.mark.parametrize("value", [..., "", "   ", None])
def test_required_fields(api, sandbox_branches, field, value):
    errors = errors_of(api.post("/customers", payload(**{field: value})))
    assert errors == {field: [f"The {field} field is required."]}


def test_all_missing_fields_reported_at_once_under_request_names(api, sandbox_branches):
    errors = errors_of(api.post("/customers", {}))
    assert set(errors) == {"branch_id", "customer_no", "custNm"}
    assert "name" not in errors


@pytest.mark.parametrize(
    ("field", "limit"),
    [("customer_no", 50), ("custNm", 255), ("phone", 50), ("address", 500)],
)
def test_max_lengths(api, sandbox_branches, field, limit):
    ok = api.post("/customers", payload(**{field: "x" * limit}))
    assert ok.status_code == 201, ok.content
    errors = errors_of(
        api.post("/customers", payload(**{"customer_no": "OTHER", field: "y" * (limit + 1)}))
    )
    assert errors == {field: [f"The {field} must not be greater than {limit} characters."]}


def test_email_max_length_and_format(api, sandbox_branches):
    long_email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".co.ke"  # 314 characters
    assert len(long_email) > 255
    errors = errors_of(api.post("/customers", payload(email=long_email)))
    assert errors == {"email": ["The email must not be greater than 255 characters."]}
    errors = errors_of(api.post("/customers", payload(email="not-an-email")))
    assert errors == {"email": ["The email must be a valid email address."]}


@pytest.mark.parametrize("tin", ["P000123456X", "A000123456Z", "P999999999A"])
def test_valid_tins(api, sandbox_branches, tin):
    assert api.post("/customers", payload(tin=tin)).status_code == 201


@pytest.mark.parametrize(
    "tin",
    ["p000123456x", "B000123456X", "P00012345X", "P0001234567X", "P000123456", "P00012345XX"],
)
def test_invalid_tins(api, sandbox_branches, tin):
    errors = errors_of(api.post("/customers", payload(tin=tin)))
    assert errors == {"tin": ["The tin format is invalid."]}


@pytest.mark.parametrize("field", ["branch_id", "customer_no", "custNm", "tin", "phone"])
def test_non_string_values(api, sandbox_branches, field):
    errors = errors_of(api.post("/customers", payload(**{field: 12345})))
    assert errors == {field: [f"The {field} must be a string."]}


def test_unknown_branch(api, sandbox_branches):
    errors = errors_of(api.post("/customers", payload(branch_id="99")))
    assert errors == {"branch_id": ["The selected branch_id is invalid."]}


def test_metadata_must_be_an_object(api, sandbox_branches):
    errors = errors_of(api.post("/customers", payload(metadata=["a"])))
    assert errors == {"metadata": ["The metadata must be an object."]}
    created = api.post("/customers", payload(metadata={"segment": "retail", "limit": 5}))
    assert created.status_code == 201
    assert SandboxCustomer.objects.get().metadata == {"segment": "retail", "limit": 5}


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '"text"', "{bad", "NaN"])
def test_body_must_be_a_json_object(api, sandbox_branches, raw):
    errors = errors_of(api.post("/customers", raw=raw))
    assert list(errors) == ["body"]
    assert SandboxCustomer.objects.count() == 0


def test_duplicate_customer_no_in_branch_is_a_conflict(api, sandbox_branches):
    assert api.post("/customers", VALID).status_code == 201
    response = api.post("/customers", payload(custNm="Someone else"))
    assert response.status_code == 409
    assert response.json() == {
        "status": "error",
        "message": "Customer with this customer_no already exists in this branch",
    }
    assert SandboxCustomer.objects.count() == 1


def test_same_customer_no_in_another_branch_is_allowed(api, sandbox_branches):
    assert api.post("/customers", VALID).status_code == 201
    assert api.post("/customers", payload(branch_id="01")).status_code == 201


def test_customer_no_of_a_deleted_customer_can_be_reused(api, sandbox_branches):
    first = api.post("/customers", VALID).json()["data"]["id"]
    assert api.delete(f"/customers/{first}").status_code == 200
    assert api.post("/customers", VALID).status_code == 201


def test_validation_comes_before_conflict(api, sandbox_branches):
    api.post("/customers", VALID)
    response = api.post("/customers", payload(tin="bad"))
    assert response.status_code == 400


def test_oversized_body_is_a_validation_error(api, sandbox_branches, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    errors = errors_of(api.post("/customers", payload(address="x" * 200)))
    assert errors == {"body": ["The request body is too large."]}
