"""Reports for branch managers: the 12-month chart, CSV exports and the printable statement.

Everything here works on the typed results of the one door to the upstream
(`customers.upstream`, read through `customers.selectors` where a customer's branch
matters); nothing talks HTTP or touches the database on its own.
"""
