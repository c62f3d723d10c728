"""The platform's processors, relay, envelope, rate limits and recovery, in-process with fakes."""
