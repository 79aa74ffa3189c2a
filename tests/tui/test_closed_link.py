"""A console whose link closed for good (the server said goodbye, the seat was revoked)
takes keys without crashing: a command sent then is answered "unavailable", with the
link's own words, instead of raising out of the worker that sent it (the demo hands
its consoles the client itself; seen once in the suite as a crash at quit)."""

from __future__ import annotations

from engine import commands as c
from engine import i18n
from engine.net.protocol import Error
from tests.tui.pilots import until
from tests.tui.scripted import M, fake_server, send
from tui.console.base import ConsoleApp
from tui.team.app import TeamScreen, make_team_app


async def test_keys_after_a_goodbye_send_nothing_and_crash_nothing() -> None:
    server = fake_server(1)
    control = server.link("facilitator:control")
    team = server.link("team:cert", "Amira")
    send(server, control, c.Start())
    server.advance_to(10 * M)
    app: ConsoleApp[TeamScreen] = make_team_app(link=team)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = app.console_screen
        await until(pilot, lambda: screen.model.inbox, "the injects")
        server.shutdown()
        await until(pilot, lambda: screen.link_state == "closed", "the goodbye")
        logged = len(server.events)
        await pilot.press("down", "enter", "up", "enter")  # opens injects: sends Open
        await pilot.pause()
        assert len(server.events) == logged  # nothing reached the engine
        reply = await screen.send(c.TeamNote(team="cert", member="Amira", text="still here?"))
        assert isinstance(reply, Error) and reply.code == "unavailable"
        assert reply.reason == "the server is shutting down"
        with i18n.using("fr"):
            assert reply.shown() == "le serveur s'arrête"
    # run_test re-raises what a worker raised: reaching here means nothing crashed
