"""Allows ``python -m shopdesk``."""

from shopdesk.cli import main

raise SystemExit(main())
