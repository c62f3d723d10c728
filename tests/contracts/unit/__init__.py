"""The contracts' schemas against committed snapshots, and the published AsyncAPI documents."""
