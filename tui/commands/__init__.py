"""One module per ``sitroom`` command; each exposes ``run(args) -> exit code``."""
