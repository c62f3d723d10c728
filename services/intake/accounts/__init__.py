"""People's accounts: argon2id passwords, lock-out, first-sign-in change, roles within a unit."""
