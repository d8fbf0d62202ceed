"""What gunicorn serves for a Django project in benchmarks/worker_memory.sh: the project's WSGI
application inside the ProxyFix that the demo app puts around every app it mounts, so that both
servers run the same Python. Needs DJANGO_SETTINGS_MODULE=gunicorn_django_settings."""

from django.core.wsgi import get_wsgi_application
from werkzeug.middleware.proxy_fix import ProxyFix

application = ProxyFix(get_wsgi_application(), x_for=1, x_proto=1)
