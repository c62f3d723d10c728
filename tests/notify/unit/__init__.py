"""Unit tests of the notify service: its rules, claims, routing and codec."""
