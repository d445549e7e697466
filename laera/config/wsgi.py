import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "laera.config.settings.production")
application = get_wsgi_application()

# Everything loaded by now (Django, the apps, their models and URLs) lives as long as the process. Moved out
# of the collector's reach, a full collection walks only what requests leave behind: about 15 ms instead of
# 75 ms at a time, which otherwise lands on a random request every few dozen.
gc.freeze()
