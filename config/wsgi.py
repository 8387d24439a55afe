import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from proposals.textsearch import load_dictionary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# What the first requests would load and keep for the process's life, loaded at start-up instead: the URL
# configuration with every view module, and jieba's dictionary (a second at the first search otherwise).
get_resolver().url_patterns  # noqa: B018
load_dictionary()

# What start-up loaded lives as long as the process: moved out of the collector's reach, it no longer makes every
# full collection slow (one request in ten or so took 60-90 ms longer; with the dictionary and the views loaded
# too, a full collection during a search takes 15 ms instead of 38; bench/run.py serves pages the same way).
gc.freeze()
# A page makes some 100 000 container objects; at the default threshold (700) the young generation was collected
# about 150 times a request and the full collection ran every 30 requests or so, a 15-40 ms pause each. At 10 000
# a full collection runs a sixth as often (bench: 12 → 2 in 360 list requests; search p95 101-119 → 89-100 ms).
gc.set_threshold(10_000, 10, 10)
