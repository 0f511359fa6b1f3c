"""How a letter or mail greets a client, and how the practice speaks: the one home of both.

A client is greeted by first name ("Beste Ilse,", "Dear Ilse,") unless their salutation
is ``mrs`` or ``mr``: then formally by the formal name ("Geachte mevrouw Visser,",
"Dear Ms Visser,"). The first name is the name's first word; a blank formal name is the
name without its first word, capitalised as Dutch writes a surname without a first name
before it ("de Vries" -> "De Vries"). Works on a client snapshot (a dict), so a frozen
invoice and a current client are greeted alike; a snapshot from before salutations existed
is greeted by first name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ledger.base.codes import Salutation, Voice
from ledger.base.i18n import gettext_for

VOICES: dict[str, str] = {"i": Voice.I, "ik": Voice.I, "we": Voice.WE, "wij": Voice.WE}
SALUTATIONS: dict[str, str] = {
    "first_name": Salutation.FIRST_NAME, "first-name": Salutation.FIRST_NAME,
    "voornaam": Salutation.FIRST_NAME, "mrs": Salutation.MRS, "ms": Salutation.MRS,
    "mevrouw": Salutation.MRS, "mr": Salutation.MR, "meneer": Salutation.MR,
    "heer": Salutation.MR,
}


def first_name(name: str) -> str:
    words = name.split()
    return words[0] if words else ""


def formal_name(name: str, given: str = "") -> str:
    """The name a formal greeting uses: ``given``, or the name without its first word."""
    if given.strip():
        return " ".join(given.split())
    words = name.split()
    rest = " ".join(words[1:]) if len(words) > 1 else " ".join(words)
    return rest[:1].upper() + rest[1:]


def greeting(client: Mapping[str, Any], language: str) -> str:
    """The opening line of a letter to ``client`` (a snapshot), with its comma."""
    _ = gettext_for(language)
    name = str(client.get("name") or "")
    salutation = client.get("salutation") or Salutation.FIRST_NAME
    if salutation == Salutation.MRS:
        return _("Dear Ms {name},").format(
            name=formal_name(name, str(client.get("formal_name") or "")))
    if salutation == Salutation.MR:
        return _("Dear Mr {name},").format(
            name=formal_name(name, str(client.get("formal_name") or "")))
    return _("Dear {name},").format(name=first_name(name) or name)


def speaks_as_we(practice: Mapping[str, Any]) -> bool:
    """Whether the practice (a snapshot) speaks as "wij"; a one-person practice says "ik"."""
    return practice.get("voice") == Voice.WE
