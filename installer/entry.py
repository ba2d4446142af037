"""The frozen app's entry point: the same command line as ``python -m shopdesk``."""

from shopdesk.cli import main

raise SystemExit(main())
