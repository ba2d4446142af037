"""Tests of the pure shop rules in ``shopdesk.domain``."""
