"""Every human interface: the ``sitroom`` command line and the Textual consoles."""
