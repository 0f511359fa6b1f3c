"""Privacy and audit: the client's AVG export and erasure, reading the audit log."""
