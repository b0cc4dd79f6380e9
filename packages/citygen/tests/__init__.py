"""Tests of the synthetic-city generator (monitor.generate)."""
