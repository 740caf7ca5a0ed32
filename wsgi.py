"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc
import sys

from config import ConfigurationError
from trainer import create_app

# gunicorn's master stops when a worker exits with this code, instead of forking new
# workers that would fail the same way for ever.
WORKER_BOOT_ERROR = 3

try:
    app = create_app()
except ConfigurationError as error:
    # One line an operator can act on, instead of a traceback from every worker.
    print(f"trainer cannot start: {error}", file=sys.stderr)
    raise SystemExit(WORKER_BOOT_ERROR) from None

# What starting made (modules, the app, compiled templates) lives as long as the process:
# moved out of the collector's sight, it is not walked again by every full collection,
# which pages that build many objects (the reports' dashboard) would otherwise pay for.
gc.freeze()
