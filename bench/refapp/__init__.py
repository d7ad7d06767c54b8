"""Reference app for the benchmark: a stock admin changelist over a local copy of the customers."""
