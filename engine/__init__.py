"""sitroom's core: everything that runs an exercise, with no user interface.

The scenario model and its loader, the SimPy exercise, the live clock, the event
log, the network server and client, and bot teams. Nothing here imports
``scoring``, ``tui`` or ``textual`` (a test holds that), so the engine can run
headless in a server, a dry-run or a replay.
"""
