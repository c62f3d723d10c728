"""Intake's people workspace (services/intake/web) over HTTP on the real broker and both stores."""
