"""The `dondoc` command line: one entry point, one module per subcommand family."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module exposes `register(subparsers)`, adding its subcommands with a `func` default that
# takes the parsed namespace and returns an exit status. Imported lazily so `dondoc parse` does not
# pay for the broker or the web stack.
_COMMAND_MODULES = (
    "dondoc.platform.cli",
    "dondoc.directory.cli",
    "services.intake.parsing.cli",
    "services.intake.cli.keys",
    "services.intake.cli.people",
    "services.notify.cli",
)


# Commands answered without importing the other families: `dondoc parse` must answer a 20-page plan in under a
# second, and the service and account modules pull in the database and broker stacks (about 4 s of imports).
_FAST_COMMANDS = {"parse": "services.intake.parsing.cli"}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dondoc", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    fast = _FAST_COMMANDS.get(command or "")
    for name in (fast,) if fast else _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a subcommand family not built yet
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(arguments[0] if arguments else None).parse_args(arguments)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
