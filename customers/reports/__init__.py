"""Reports for branch managers: the 12-month chart, CSV exports and the printable statement.

Everything here works on the typed results of `customers.services` (the one door to
the upstream); nothing talks HTTP or touches the database on its own.
"""
