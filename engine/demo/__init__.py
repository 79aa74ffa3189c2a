"""The demo's headless half: a server in-process, bots as real clients, a conductor.

:mod:`engine.demo.session` sets up and runs the exercise (no user interface);
:mod:`engine.demo.bots` are the bot teams and the bot evaluator, each a real
WebSocket client. ``sitroom demo`` (:mod:`tui.demo`) shows it in the consoles and
passes in the report writer (reports are ``scoring``'s, which ``engine`` must
not import).
"""
