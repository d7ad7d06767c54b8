"""Benchmarks and load tests (not tests): see bench/README.md."""
