"""Tests of the synthetic-city generator (citygen)."""
