"""What the deploy tests share: the catalogue of names, Compose loading, promtool and Prometheus."""
