"""The two terminal consoles every command writes to: results on stdout, messages on stderr."""

from __future__ import annotations

import sys

from rich.console import Console

#: results; 120 columns when piped, so that a table does not wrap at 80
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 120)
#: progress, warnings and errors: one error = one line, never wrapped
err = Console(stderr=True, soft_wrap=True)
