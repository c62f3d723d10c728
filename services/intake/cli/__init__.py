"""Intake's shell commands (`dondoc keys|directory|people`), registered by `dondoc/cli.py`."""
