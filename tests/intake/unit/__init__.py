"""Unit tests of intake: resolution, the workspace's rules, the directory admin."""
