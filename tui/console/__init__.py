"""Pieces every console shares: the link to the server, the clock bar, help, glyphs."""
