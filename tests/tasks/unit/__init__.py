"""Unit tests of the tasks service: its rules, the cascade, its context and directory port."""
