"""dondoc: follow government plans from the city down to every ward, and back up as reports."""

__version__ = "0.1.0"
