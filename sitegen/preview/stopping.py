"""How `sitegen serve` stops: every way out removes its temporary folder, quickly.

SIGTERM and SIGHUP (a closed terminal) stop it as Ctrl-C does (cli.py). Once it is
stopping, further stop signals are ignored: a second Ctrl-C used to cut the
clean-up short and leave the temporary folder behind. A search index being
made then is dropped at once (its Pagefind killed), not finished first.
"""

from __future__ import annotations

import signal
import threading

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def ignore_stop_signals() -> None:
    """Called first on the way out: the clean-up runs to its end."""
    if threading.current_thread() is threading.main_thread():
        for stop in STOP_SIGNALS:
            signal.signal(stop, signal.SIG_IGN)
