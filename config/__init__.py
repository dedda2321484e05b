"""Settings, urls and the Celery app: the wiring of every app.

Outside the layers (DESIGN.md, "Architecture"): it may import every app; an app
uses only its Celery wiring (`config.celery`), and no import cycle may result.
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
