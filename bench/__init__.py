"""Benchmarks of jobboard at 100k jobs on PostgreSQL; `python -m bench [--quick]` runs them all."""
