"""The one door to the upstream C-Ushuru Customers API.

- `door`: the process's one client (`get_client()`), made from the settings;
- `client`: `CustomersClient`, the documented calls, typed results, logging;
- `transport`: the pooled `requests.Session` and its retry policy;
- `types`: the typed results and their parsing from the documented JSON;
- `errors`: the typed errors every failure becomes.

Nothing else in the project talks HTTP to the upstream, builds its URLs or reads its
JSON. The reads (`customers.selectors`, and what they use: the ChangeList, the report
fetching), the write services (`customers.services`) and the readiness probe
(`customers.readiness`, one row of the list: is the upstream answering?) call the
client; views and background jobs call those and handle the typed results and errors,
which they may render and catch.
"""
