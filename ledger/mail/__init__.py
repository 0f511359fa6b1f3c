"""E-mail: the SMTP connection and its settings, the message templates (nl and en)."""
