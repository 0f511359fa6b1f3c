"""Who is on a document, as lines of text: addresses, footer parts, insurers' fields.

Pure functions of the frozen practice and client snapshots and the document's
:class:`~invoices.texts.Texts`; every renderer (the canvas-drawn invoices and the
platypus-built statements and letters) prints these, so they read the same everywhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from invoices.texts import Texts

Snapshot = dict[str, Any]


def country_name(code: str, t: Texts) -> str:
    """A country for an address line; empty for the Netherlands (the practice's own)."""
    code = (code or "").strip().upper()
    if not code or code == "NL":
        return ""
    from babel import Locale

    return str(Locale.parse("nl_NL" if t.language == "nl" else "en_IE").territories.get(
        code, code))


def address_lines(who: Snapshot, t: Texts) -> list[str]:
    city = " ".join(x for x in (who.get("postcode", ""), who.get("city", "")) if x)
    return [x for x in (who.get("address", ""), city, country_name(who.get("country", ""), t))
            if x]


def contact_lines(practice: Snapshot, t: Texts) -> list[str]:
    """The practice's address, phone and e-mail, for the top right of a letterhead."""
    return [x for x in (*address_lines(practice, t), practice.get("phone", ""),
                        practice.get("email", "")) if x]


def insurance_mode(practice: Snapshot) -> bool:
    """Insurers' fields are printed when the practice has an AGB code."""
    return bool(practice.get("agb_therapist") or practice.get("agb_practice"))


def birth_date(client: Snapshot) -> date | None:
    raw = client.get("birth_date") or ""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def footer_parts(practice: Snapshot, t: Texts, *, charges_vat: bool) -> list[str]:
    _ = t.gettext
    place = ", ".join(address_lines(practice, t))
    parts = [practice.get("name", ""), place]
    if practice.get("kvk"):
        parts.append(_("KvK {number}").format(number=practice["kvk"]))
    if charges_vat and practice.get("vat_id"):
        parts.append(_("VAT id {number}").format(number=practice["vat_id"]))
    if practice.get("agb_practice"):
        parts.append(_("practice AGB {code}").format(code=practice["agb_practice"]))
    if practice.get("agb_therapist"):
        parts.append(_("therapist AGB {code}").format(code=practice["agb_therapist"]))
    if practice.get("association"):
        member = practice.get("membership_number", "")
        parts.append(_("{association} member {number}").format(
            association=practice["association"], number=member) if member
            else practice["association"])
    if practice.get("register_number"):
        parts.append(practice["register_number"])
    return parts


def insurance_rows(practice: Snapshot, client: Snapshot, t: Texts) -> list[tuple[str, str]]:
    """The identifiers an insurer needs, in the order they expect them."""
    _ = t.gettext
    born = birth_date(client)
    return [
        (_("Therapist"), practice.get("therapist_name", "")),
        (_("Therapist AGB code"), practice.get("agb_therapist", "")),
        (_("Practice AGB code"), practice.get("agb_practice", "")),
        (_("Professional association"), practice.get("association", "")),
        (_("Membership number"), practice.get("membership_number", "")),
        (_("Register number"), practice.get("register_number", "")),
        (_("Client"), client.get("name", "")),
        (_("Client's date of birth"), t.date(born) if born else ""),
    ]
