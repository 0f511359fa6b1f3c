"""Storage: opening the database (SQLite or PostgreSQL), schema migrations, the tables by
area (``models``), atomic files, backups and restore, the audit hooks. Knows no rules of
billing; the services above it do."""
