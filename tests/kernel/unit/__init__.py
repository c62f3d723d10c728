"""The kernel's vocabulary, checked in-process."""
