"""Storage: Peewee models, opening SQLite or PostgreSQL from a path or URL, versioned migrations."""
