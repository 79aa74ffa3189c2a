"""The live exercise server: the engine behind one WebSocket endpoint.

``seats`` (join codes), ``authz`` (who may send what), ``audience`` (who sees
what, shaped once per audience), ``hub`` (fan-out), ``catchup`` (rings and
snapshots), ``connection`` (one socket), ``room`` (the exercise and exactly-once
commands), ``metrics``, ``app`` (the aiohttp app factory), ``runner`` (``sitroom
serve``). Nothing here imports ``scoring``, ``tui`` or ``textual``.
"""
