"""Tests of the shared kernel in dondoc/kernel."""
