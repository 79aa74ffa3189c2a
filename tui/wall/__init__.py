"""The wall console: the room's projector (clock, story, headlines, breaks), read-only."""
