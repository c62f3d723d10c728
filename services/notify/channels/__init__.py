"""Channel adapters: signed webhooks, SMTP email, and the in-app inbox shape."""
