"""The desktop app: the only package that imports PySide6; widgets call services, never build queries."""
