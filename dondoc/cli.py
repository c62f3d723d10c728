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
    "services.intake.cli",
    "services.intake.accounts.cli",
    "services.notify.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dondoc", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a subcommand family not built yet
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
