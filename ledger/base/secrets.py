"""Passwords from the system keyring (the ``keyring`` extra): the mail server's and a
server database's. Never stored by solebook itself."""

from __future__ import annotations


def keyring_password(service: str, user: str) -> str | None:
    """The keyring's password for ``user`` under ``service``; None without the ``keyring``
    package, without a backend, with a locked keyring, or when none is stored."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        value = keyring.get_password(service, user)
    except Exception:  # no backend, a locked keyring...: as if there were no password
        return None
    return value or None
