"""Intake on the real broker and stores: the door, its refusals, the replica of tasks."""
