"""The access tests use the shared fixtures (tests/conftest.py): `served_upstream`, the
fake upstream serving one customer in each of branches 00 and 01, and `users`, one user
per role."""
