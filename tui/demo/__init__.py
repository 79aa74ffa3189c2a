"""``sitroom demo``: a live exercise in one command.

A real server runs in-process on loopback (:mod:`engine.demo.session`), bots play
every team but yours over real WebSockets (:mod:`engine.demo.bots`), and one app
shows your team's console and the control room, both real clients of that
server (:mod:`tui.demo.app`). At the end the after-action report is written
beside the log (:mod:`tui.demo.report`).
"""
