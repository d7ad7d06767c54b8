.PHONY: run test bench lint

run:   ## serve the app on the seeded sandbox at http://127.0.0.1:8000
	scripts/run

test:  ## every check and test, browser tests included
	scripts/test

lint:
	scripts/bootstrap dev && .venv/bin/ruff check . && .venv/bin/ruff format --check .
