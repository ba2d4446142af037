"""Dialogs for short tasks, one per module, each with an ``ask()`` classmethod that tests can replace."""
