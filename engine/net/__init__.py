"""The network: the wire protocol, the exercise server, and the client that talks to it.

``protocol`` defines every message once; ``server`` serves one exercise over a
WebSocket; ``client`` is the shipped client (the consoles, the bots, the load
generator and the tests use it); ``fake`` is an in-memory link with the client's
interface, for tests and benchmarks that need no socket.
"""
