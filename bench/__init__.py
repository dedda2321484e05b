"""Benchmarks, each a module run as `python -m bench.<name>`; `python -m bench` runs them
all and prints one table (bench/__main__.py). Shared timing and floors: bench/measure.py.

Importing the package configures Django as the benchmarks run it and sets it up, before
any module of the project is imported: production settings (no query logging, no debug
pages), plain HTTP in-process, and a scratch media directory. Where Django is set up
already (the test suite imports bench.measure), it changes nothing.
"""

import os
import tempfile
import warnings

import django
from django.conf import settings

if not settings.configured:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    # The payment accounts' secrets (bench.payment_notifications), sealed with a bench key.
    os.environ.setdefault("PAYMENT_SECRETS_KEY", "YmVuY2gtb25seS1wYXltZW50LXNlY3JldHMta2V5ISE=")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    # Logos and PDFs go to a scratch media directory, never the project's.
    os.environ.setdefault("MEDIA_ROOT", os.path.join(tempfile.gettempdir(), "hearth-bench-media"))
    # WhiteNoise looks for collected static files, which a benchmark does not need.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
