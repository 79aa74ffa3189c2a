"""The team console: what a crisis cell reads and answers with."""
