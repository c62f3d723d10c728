"""What reporting's tests share: ledgers and scenarios, an independent recount, document checks."""
