"""Reporting on the real broker and stores: submissions, versions, the dashboard in Chromium."""
