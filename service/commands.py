"""What every `residency` subcommand shares: exit codes, the usage error, and the run wrapper.

A subcommand is argparse namespace ─▶ validate ─▶ params (a frozen dataclass) ─▶ core
function (params, out, err) -> exit code. `command(validate, core)` joins them and turns
errors the user can act on into exit 2 with a one-line message.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TextIO

from policy.errors import ResidencyError

EXIT_OK = 0
EXIT_FAILED = 1  # a check failed: a policy test, a contract case, a broken chain, a changed decision
EXIT_USAGE = 2  # a bad argument, an unreadable file, a bundle that does not load


class UsageError(Exception):
    """A bad argument or an input that cannot be used: exit 2."""


def command(validate: Callable[[argparse.Namespace], Any], core: Callable[[Any, TextIO, TextIO], int]):
    """The argparse `run` of a subcommand."""

    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        try:
            return core(validate(args), out, err)
        except (UsageError, ResidencyError) as exc:
            print(f"residency: {exc}", file=err)
        except OSError as exc:
            print(f"residency: {exc.filename or ''}: {exc.strerror or exc}", file=err)
        return EXIT_USAGE

    return run
