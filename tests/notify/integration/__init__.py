"""Notify on the real broker and stores: delivery, quiet hours, webhooks, its authorisation matrix."""
