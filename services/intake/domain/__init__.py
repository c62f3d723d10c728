"""Pure rules of intake: what a password must be, how it is hashed (no store, no HTTP)."""
