"""Basics every area may use and that import nothing else of the books: money (cents, the
one rounding and formatter), dates and the clock, parsing of what a person types, errors
with translatable messages, codes, the frozen values handed to the front ends."""
