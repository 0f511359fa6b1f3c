"""A bank line's note kept as its template and values (ledger.bank.notes): stored and read
back it says the same in English and in Dutch; an old or damaged one falls back to its
English sentence."""

from __future__ import annotations

from ledger.bank.notes import Joined, dump_note, english, load_note
from ledger.base.errors import Phrase, RuleViolation
from ledger.base.money import Amount


def test_a_note_read_back_says_what_it_said_in_either_language() -> None:
    parts = [Phrase("{amount} of {open} on {number}", amount=Amount(10000),
                    open=Amount(30000), number="2026-0003"),
             Phrase("{amount} of {open} on {number}", amount=Amount(5), open=Amount(123456),
                    number="2026-0004")]
    notes = [Phrase("partial payment: {parts}", parts=Joined(parts)),
             Phrase("amount only: check that {payer} pays for {client}",
                    payer=Phrase("the payer"), client="Zoë \"Brontë\" {x}"),
             Phrase("{count} open invoices have this amount", count=3),
             Phrase("no open invoice matches"),
             Phrase(RuleViolation("bank: line {line_id} is already booked", line_id=7).template,
                    **RuleViolation("bank: line {line_id} is already booked", line_id=7).params)]
    for note in notes:
        back = load_note(dump_note(note), english(note))
        assert back is not None
        assert (str(back), back.text("nl")) == (str(note), note.text("nl"))
    partial = load_note(dump_note(notes[0]), "")
    assert partial is not None
    assert str(partial) == "partial payment: €100.00 of €300.00 on 2026-0003, €0.05 of " \
                           "€1,234.56 on 2026-0004"
    assert partial.text("nl") == ("gedeeltelijke betaling: € 100,00 van € 300,00 op "
                                  "2026-0003, € 0,05 van € 1.234,56 op 2026-0004")


def test_an_old_or_damaged_note_is_its_english_sentence() -> None:
    assert load_note(None, "") is None
    old = load_note(None, "no open invoice matches")
    assert old is not None and old.text("nl") == "geen openstaande factuur past erbij"
    kept = load_note('{"t": "cut off', "in USD, not euros")
    assert kept is not None and kept.text("nl") == "in USD, not euros"
    assert english(None) == "" and len(english(Phrase("x" * 400))) == 300
    assert dump_note(None) is None


def test_a_refusal_kept_as_a_note_says_what_its_message_says() -> None:
    """A certain line whose booking is refused keeps the refusal as its note: the field
    named in English as in the message, translated with it."""
    from ledger.base.errors import InputError, phrase_of

    for error in (InputError("date", "the payment date {day} is after today", day="1-1-2027"),
                  RuleViolation("bank: line {line_id} is already booked", line_id=7)):
        kept = load_note(dump_note(phrase_of(error)), "")
        assert kept is not None
        assert (str(kept), kept.text("nl")) == (error.message, error.text("nl"))
    assert str(phrase_of(InputError("date", "x"))).startswith("date: ")
