"""One module per ``sitroom`` command; each exposes ``run(args) -> exit code``."""


class CommandError(Exception):
    """A command cannot go on for a reason the user can fix: :func:`tui.cli.main` prints
    ``sitroom: MESSAGE`` (no traceback) and exits with ``code``.

    It lives here, not in :mod:`tui.cli`: run as ``python -m tui.cli``, that module is
    ``__main__``, and a class defined there would not be the one commands raise."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code
