"""The directory's loading, history, groups, addressing and its admin API and CLI."""
