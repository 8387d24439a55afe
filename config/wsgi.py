import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# What start-up loaded lives as long as the process: moved out of the collector's reach, it no longer makes every
# full collection slow (one request in ten or so took 60-90 ms longer; bench/run.py serves pages the same way).
gc.freeze()
