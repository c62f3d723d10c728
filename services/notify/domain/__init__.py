"""Pure notification rules: what to say, when it may be sent, and whether to try again."""
