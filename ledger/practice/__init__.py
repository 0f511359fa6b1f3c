"""The practice itself: its profile and settings, the clients, and the catalogue of
treatments and package plans."""
