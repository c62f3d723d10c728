"""The whole system as processes: a broker and the four services, driven over HTTP and in Chromium."""
