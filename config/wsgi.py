"""WSGI entry point for production servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the apps, the URL configuration's modules) lives as long as
# the worker: the garbage collector stops walking it on every collection, which a page with
# thousands of objects triggers several times (about 5 % of the time of the largest pages).
gc.freeze()
