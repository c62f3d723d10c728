"""The deploy files read as data: Compose, the services' wiring, the Grafana dashboard."""
