"""Helpers shared by the tests (and by the benchmarks, which import them from here)."""
