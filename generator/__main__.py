import signal
import sys


def _early(signum: int, frame: object) -> None:
    """Ctrl-C before `main` has started: nothing to clean up yet."""
    sys.stderr.write("docmodels: interrupted; run docmodels generate again\n")
    raise SystemExit(130)


signal.signal(signal.SIGINT, _early)

from .cli import main  # noqa: E402  (after the handler: importing takes a moment)

sys.exit(main())
