"""dondoc's event contracts: the envelope, one payload model per event, and the topic names.

Contracts only: no behaviour, no database models. Producers are strict (unknown fields are an
error), consumers tolerant (`read_payload` drops fields a newer producer added).
"""
