import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congan.settings")
django_application = get_wsgi_application()

from congan.core.audit import buffer  # noqa: E402 - needs the settings and apps loaded above
from congan.core.fastlane import FastLane  # noqa: E402

buffer.start()  # chains the audit journals that stopped processes left (congan.core.audit.journal)

# The hot partner and public calls in the fast lane, everything else through Django.
application = FastLane(django_application)
