"""WSGI entry point. Rule packs and the key ring are checked before the first request:
a bad pack stops start-up with one line naming the file, the rule and the fault."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confide.config.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from confide.services.keys import keyring  # noqa: E402
from confide.services.policy import rules  # noqa: E402

rules()
keyring()
