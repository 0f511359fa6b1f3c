"""The screens of the terminal interface, one module per part of the working day."""
