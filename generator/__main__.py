import sys

# The builtin module, not `signal`: importing `signal` runs Python code, and a Ctrl-C that early
# would print a traceback; `_signal` is there at once.
import _signal  # type: ignore[import-not-found]  # (typeshed has no stub for it)


def _early(signum: int, frame: object) -> None:
    """Ctrl-C before `main` has started: nothing to clean up yet."""
    sys.stderr.write("docmodels: interrupted; run docmodels generate again\n")
    raise SystemExit(130)


_signal.signal(_signal.SIGINT, _early)

from .cli import main  # noqa: E402  (after the handler: importing takes a moment)

sys.exit(main())
