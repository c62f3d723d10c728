"""dondoc's tests, laid out as the source is: one folder per room (see docs/adr/0006)."""
