"""Shared constants and the API test client (a uniquely named module, not conftest,
so that tests can import it whatever other conftest files exist)."""

import datetime
import json

from django.test import Client

API = "/sandbox/api/v1"
KEY = "test-sandbox-key"
NAIROBI = datetime.timezone(datetime.timedelta(hours=3))
ISO_Z = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


class Api:
    """Thin wrapper: paths relative to the API root, JSON bodies, bearer auth."""

    def __init__(self, key=KEY, **client_kwargs):
        headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
        self.client = Client(headers=headers, **client_kwargs)

    def get(self, route, params=None, **extra):
        return self.client.get(API + route, params or {}, **extra)

    def _send(self, method, route, body, raw):
        data = raw if raw is not None else json.dumps(body)
        return getattr(self.client, method)(API + route, data, content_type="application/json")

    def post(self, route, body=None, raw=None):
        return self._send("post", route, body, raw)

    def put(self, route, body=None, raw=None):
        return self._send("put", route, body, raw)

    def delete(self, route):
        return self.client.delete(API + route)
