"""The reporting service's commands: what a request or an event asks it to do, one transaction each."""
