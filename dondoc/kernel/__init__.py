"""The shared kernel: pure rules every service must apply alike (no I/O, no framework)."""
