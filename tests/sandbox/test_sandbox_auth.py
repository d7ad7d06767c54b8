import pytest

from sandbox.models import SandboxCustomer
from tests.sandbox.sandbox_api_helpers import API, KEY, Api

UNAUTHENTICATED = {"status": "error", "message": "Unauthenticated."}
ENDPOINTS = [
    ("get", "/customers"),
    ("post", "/customers"),
    ("get", "/customers/search?q=abc"),
    ("get", "/customers/{id}"),
    ("put", "/customers/{id}"),
    ("patch", "/customers/{id}"),
    ("delete", "/customers/{id}"),
    ("get", "/customers/{id}/transactions"),
]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-key",
        f"Token {KEY}",
        KEY,
        "Bearer ",
        f"Bearer {KEY}x",
        "Basic Zm9vOmJhcg==",
    ],
)
@pytest.mark.parametrize(("method", "route"), ENDPOINTS)
def test_every_endpoint_needs_the_bearer_key(abc, method, route, authorization):
    client = Api(key=None).client
    headers = {"Authorization": authorization} if authorization is not None else {}
    url = API + route.format(id=abc.id)
    kwargs = {"content_type": "application/json"} if method in ("post", "put", "patch") else {}
    response = getattr(client, method)(url, headers=headers, **kwargs)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == UNAUTHENTICATED
    assert SandboxCustomer.objects.get(pk=abc.pk).deleted_at is None


def test_scheme_is_case_insensitive(abc):
    client = Api(key=None).client
    response = client.get(API + "/customers", headers={"Authorization": f"bearer {KEY}"})
    assert response.status_code == 200


def test_an_empty_configured_key_locks_everything(settings, abc):
    settings.CTAX_SANDBOX_API_KEY = ""
    response = Api(key="").get("/customers")
    assert response.status_code == 401


def test_no_csrf_token_or_login_needed(sandbox_branches):
    api = Api(enforce_csrf_checks=True)
    response = api.post(
        "/customers", {"branch_id": "00", "customer_no": "C1", "custNm": "Jane Wanjiku"}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("method", "route", "allowed"),
    [
        ("delete", "/customers", "GET, HEAD, POST"),
        ("put", "/customers", "GET, HEAD, POST"),
        ("post", "/customers/search", "GET, HEAD"),
        ("post", "/customers/1", "DELETE, GET, HEAD, PATCH, PUT"),
        ("delete", "/customers/1/transactions", "GET, HEAD"),
    ],
)
def test_wrong_method_is_405_json(api, method, route, allowed):
    response = getattr(api.client, method)(API + route)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == allowed
    body = response.json()
    assert body["status"] == "error"
    assert method.upper() in body["message"]


@pytest.mark.parametrize("route", ["/nowhere", "/customers/", "/customers/1/transactions/x", "/"])
def test_unknown_routes_are_json_404(api, route):
    response = api.get(route)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "message": "Not Found"}
