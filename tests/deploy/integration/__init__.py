"""The deploy files run for real: promtool, Prometheus, PostgreSQL's init script, the image's context."""
