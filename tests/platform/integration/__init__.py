"""The platform on the real broker and stores: outbox, delivery, lag, locks, schema, outages."""
