"""A fork server for the crash test: builds the hub once, then forks servers of it.

Importing the hub and building its app cost seconds of CPU on a busy machine, which
would make two hundred restarts take most of a quarter of an hour. This process pays
once: it imports the hub and builds the app with ``create_app`` as ``lindungi serve``
does. ``spawn`` forks a child that checks the schema (``require_current``, as the
command does) and serves that app with uvicorn; ``serve`` forks a child that runs the
whole ``lindungi serve`` command instead (slower; the test uses it now and then).
``kill`` sends the child SIGKILL and reaps it. The parent opens no database connection
(engines connect lazily) and starts no thread, so forking it is safe.

Protocol, one line each way on stdin/stdout::

    spawn PORT LOGFILE  ->  PID
    serve PORT LOGFILE  ->  PID
    kill                ->  killed PID SIGNAL   (SIGNAL 0: the child had ended already)
    quit                ->  (exits)
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def _serve_in_child(hub: FastAPI | None, port: str, log_file: str) -> None:
    """Serve ``hub`` (or run the whole ``lindungi serve`` command) and never return."""
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        log = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        if hub is None:
            from lindungi.cli import app

            app(["serve", "--host", "127.0.0.1", "--port", port])
        else:
            import uvicorn

            from lindungi.db import make_engine
            from lindungi.migrate import require_current

            engine = make_engine(hub.state.settings.database_url)
            require_current(engine)
            engine.dispose()
            uvicorn.run(hub, host="127.0.0.1", port=int(port), log_level="info")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:
        traceback.print_exc()  # into the log file
    finally:
        os._exit(code)


def _kill(child: int) -> int:
    """SIGKILL the child and reap it; the signal that ended it (0: none, or no child)."""
    if child == 0:
        return 0
    try:
        os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
    except (ChildProcessError, ProcessLookupError):
        return 0
    return os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0


def main() -> None:
    """Warm the imports, then answer commands until ``quit`` or end of input."""
    import uvicorn  # noqa: F401 - imported by `serve` in every child: pay for it once

    import lindungi.cli  # noqa: F401
    from lindungi.api.app import create_app

    hub = create_app()  # settings from LINDUNGI_* in the environment, as `serve` reads them
    print("ready", flush=True)
    child = 0
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        if command[0] in ("spawn", "serve"):
            child = os.fork()
            if child == 0:
                _serve_in_child(hub if command[0] == "spawn" else None, command[1], command[2])
            print(child, flush=True)
        elif command[0] == "kill":
            print(f"killed {child} {_kill(child)}", flush=True)
            child = 0
    _kill(child)


if __name__ == "__main__":
    main()
