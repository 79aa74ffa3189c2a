"""Wrong join codes, limited per address: guessing a code costs addresses, not just time.

A join code is 60 bits (:mod:`engine.net.server.seats`). Even unlimited, guessing
one is hopeless: the server itself answers at most a few thousand hellos a second
(docs/security.md has the figures). This limit makes it hopeless by a wide margin
and keeps a guesser from taking the server's time from the players: each address
may get ``burst`` codes wrong at once and ``per_minute`` a minute after that; beyond
it, every hello from that address is refused **before its code is looked at** (a
right code too: otherwise each refusal would still answer one guess), with the
seconds to wait, until the address has credit again.

Only a code that could be a code counts (:func:`~engine.net.server.seats.well_formed`):
a name typed in the code box or a half-pasted line is a slip, not a guess. A
revoked code is not a guess either.

Addresses are what the socket says: behind a proxy or the browser gateway, every
console shares the proxy's address (and its budget), which the defaults allow for
(300 people each mistyping once in their first two minutes stay inside). IPv6 addresses count by
their /64 network, since one machine can hold a whole /64. At most
``max_addresses`` are remembered; beyond that the least recently charged is
forgotten (an address with a full budget has nothing to remember).
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable


def address_key(peer: str) -> str:
    """The unit a budget belongs to: an IPv4 address, or an IPv6 address's /64 network."""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return peer
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class WrongCodes:
    """Per-address budgets of wrong join codes (token buckets)."""

    def __init__(
        self,
        per_minute: float,
        burst: float,
        *,
        max_addresses: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_addresses = max_addresses
        self._clock = clock
        self._budgets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        """address → (credit, when it was last brought up to date)."""

    def _credit(self, key: str, now: float) -> float:
        found = self._budgets.get(key)
        if found is None:
            return self.burst
        credit, stamp = found
        return min(self.burst, credit + (now - stamp) * self.rate)

    def wait(self, peer: str) -> float:
        """Seconds until ``peer`` may try a code again; 0 when it may now."""
        credit = self._credit(address_key(peer), self._clock())
        if credit >= 1.0:
            return 0.0
        return (1.0 - credit) / self.rate if self.rate > 0 else float("inf")

    def charge(self, peer: str) -> None:
        """Count one wrong code from ``peer``."""
        key = address_key(peer)
        now = self._clock()
        credit = self._credit(key, now) - 1.0
        self._budgets[key] = (credit, now)
        self._budgets.move_to_end(key)
        while len(self._budgets) > self.max_addresses:
            self._budgets.popitem(last=False)

    def __len__(self) -> int:
        return len(self._budgets)
