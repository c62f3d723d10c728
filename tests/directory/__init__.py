"""Tests of the unit directory in dondoc/directory."""
