"""Unit tests of the reporting service: compile, documents, projections, the dashboard's views."""
