"""Tests of the reporting service."""
