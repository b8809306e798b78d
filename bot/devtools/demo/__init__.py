"""Demo mode: seeded history, the built-in platform simulator and the sandbox chat page."""
