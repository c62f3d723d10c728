"""Intake's read models from other services' events: the replica of tasks, and the compilers' reviews."""
