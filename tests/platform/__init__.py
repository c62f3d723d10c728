"""Tests of the platform in dondoc/platform."""
