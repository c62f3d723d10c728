"""Tests of the event contracts in shared/."""
