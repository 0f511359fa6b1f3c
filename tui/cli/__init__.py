"""The ``solebook`` command line: one module per command group, each owning its parser and
its handlers; ``main`` assembles them. Independent of the Textual app."""
