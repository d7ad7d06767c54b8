"""The client of the upstream C-Ushuru Customers API.

- `client`: `CustomersClient`, the documented calls, typed results, logging;
- `transport`: the pooled `requests.Session` and its retry policy;
- `types`: the typed results and their parsing from the documented JSON;
- `errors`: the typed errors every failure becomes.

Views do not use this package directly: they call `customers.services`.
"""
