"""Reusable widgets: they show and collect, and leave reading and writing to the screens."""
