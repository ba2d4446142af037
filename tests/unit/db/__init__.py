"""Tests of the storage layer in ``shopdesk.db``."""
