"""govoffice serve: the web server (gunicorn) and the background worker (huey) together."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run the web server and the background worker (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1)), help="web processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per web process")
        parser.add_argument("--no-worker", action="store_true", help="do not start the background worker")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 0 < opts["port"] < 65536:
            raise CommandError(f"--port {opts['port']} is not a port number")
        if not settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not opts["no_worker"] and not settings.HUEY.get("immediate"):
            worker = subprocess.Popen([sys.executable, "-m", "govoffice.cli", "run_huey", "--quiet"])
        try:
            self._gunicorn(opts)
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _gunicorn(self, opts: dict[str, Any]) -> None:
        from gunicorn.app.base import BaseApplication

        from govoffice.wsgi import application

        # Everything loaded so far (Django, the apps, their URLs and schemas) lives as long as
        # the process: set it aside from the garbage collector, so that its full collections,
        # which stop every thread of a worker, walk only what requests allocate.
        gc.collect()
        gc.freeze()

        bind = f"[{opts['host']}]:{opts['port']}" if ":" in opts["host"] else f"{opts['host']}:{opts['port']}"
        options = {
            "bind": bind,
            "workers": opts["workers"],
            "threads": opts["threads"],
            "worker_class": "gthread",
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 60,
            "graceful_timeout": 10,
        }

        class App(BaseApplication):
            def load_config(self) -> None:
                for key, value in options.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.stdout.write(f"govoffice is serving at http://{bind}/ (Ctrl+C to stop)")
        self.stdout.flush()
        App().run()
