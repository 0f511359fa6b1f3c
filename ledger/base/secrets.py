"""Passwords from the system keyring (the ``keyring`` extra): the mail server's, the
CalDAV calendar's and a server database's. Never stored by solebook itself, and never sent
unencrypted but to this computer (:func:`is_loopback`)."""

from __future__ import annotations

import ipaddress


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


def is_loopback(host: str) -> bool:
    """Is ``host`` this computer (``localhost``, 127.0.0.1, ::1), where a password may go
    without encryption?"""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
