"""Notify's channels against real SMTP and HTTP receivers."""
