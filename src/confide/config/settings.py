"""Django settings. Every value comes from `confide.config.env`; nothing exists only in production."""

from __future__ import annotations

from confide.config import env as _env

ENV = _env.load()
_env.owner_only(ENV)  # umask 077 from here on; what var/ already holds made owner-only

BASE_DIR = _env.ROOT
SECRET_KEY = _env.secret_key(ENV)
DEBUG = ENV.debug
ALLOWED_HOSTS = list(ENV.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "confide.apps.practice",
    "confide.apps.records",
    "confide.apps.auditlog",
    "confide.web",
    "confide.portal",
]

MIDDLEWARE = [
    "confide.web.middleware.SafeErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "confide.web.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "confide.web.middleware.BodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "confide.web.middleware.SessionLifetimeMiddleware",
    "confide.web.middleware.StorableTextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "confide.web.middleware.PortalSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "confide.config.urls"
WSGI_APPLICATION = "confide.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "confide.web.context_processors.shell",
            ],
        },
    },
]

DATABASES = {"default": ENV.database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "practice.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failures slow the next try (services.sessions), per account and per address;
# nothing records a sign-in's address or browser.

# Idle-session expiry: every request pushes the expiry forward; idle sessions end.
SESSION_COOKIE_AGE = ENV.idle_session_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Beside the idle timeout, a session ends this long after its sign-in whatever happens
# (confide.web.middleware.SessionLifetimeMiddleware).
CONFIDE_SESSION_MAX_SECONDS = ENV.session_max_hours * 3600

# Behind a TLS-terminating proxy (deploy/): cookies only over https, HSTS, the proxy's
# header trusted for the scheme, and the public origin trusted for CSRF.
SESSION_COOKIE_SECURE = ENV.https
CSRF_COOKIE_SECURE = ENV.https
SECURE_HSTS_SECONDS = ENV.hsts_seconds if ENV.https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
if ENV.proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ENV.proxy_ssl_header
CSRF_TRUSTED_ORIGINS = list(ENV.csrf_trusted_origins)

# Content-Security-Policy (django-csp): no inline script or style anywhere, nothing
# from elsewhere, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

DATA_UPLOAD_MAX_MEMORY_SIZE = ENV.max_body_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = ENV.max_body_bytes

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = str(ENV.var_dir / "static")
(ENV.var_dir / "static").mkdir(parents=True, exist_ok=True)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONFIDE = {
    "MASTER_KEY_FILE": ENV.master_key_file,
    "RULES_DIR": ENV.rules_dir,
    "BREAK_GLASS_MINUTES": ENV.break_glass_minutes,
    "REQUIRE_OTP": ENV.require_otp,
    "MESSAGE_BACKEND": ENV.message_backend,
    "MESSAGE_OUTBOX_DIR": ENV.outbox_dir,
    "AUDIT_CHECKPOINT_DIR": ENV.audit_checkpoint_dir,
    "AUDIT_CHECKPOINT_SECONDS": ENV.audit_checkpoint_seconds,
    "AUDIT_SYSLOG": ENV.audit_syslog,
    "TOKEN_DAYS": ENV.token_days,
    "SIGN_IN_LOG_DAYS": ENV.sign_in_log_days,
    "SERVE": {"connections": ENV.serve_connections, "timeout": ENV.serve_timeout_seconds,
              "threads": ENV.serve_threads, "workers": ENV.serve_workers, "trusted_proxy": ENV.trusted_proxy},
}

# Background tasks (django-tasks, the backport of django.tasks): kept in the database
# (django-tasks-db), run by `confide worker`, which also enqueues the minute's periodic
# work (services.background). Tests run them in-process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Email for reminders (CONFIDE_MESSAGE_BACKEND=smtp); see confide.config.env._email.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = ENV.email["EMAIL_HOST"]
EMAIL_PORT = ENV.email["EMAIL_PORT"]
EMAIL_HOST_USER = ENV.email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = ENV.email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = ENV.email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = ENV.email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = ENV.email["EMAIL_TIMEOUT"]
DEFAULT_FROM_EMAIL = ENV.email["DEFAULT_FROM_EMAIL"]
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Log lines never carry request bodies or client data: Django's request logger is
# replaced by our safe-errors middleware, which logs the exception class and a
# reference only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"withhold": {"()": "confide.config.logsafe.WithholdDetails"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "withheld": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["withhold"]},
        "null": {"class": "logging.NullHandler"},
    },
    "loggers": {
        # 4xx/5xx response lines name the path (which holds ids): not logged.
        "django.request": {"handlers": ["null"], "propagate": False},
        "django.server": {"handlers": ["null"], "propagate": False},
        "django.security": {"handlers": ["withheld"], "level": "WARNING", "propagate": False},
        # django-ninja logs header values and tracebacks on this logger.
        "django": {"handlers": ["withheld"], "level": "WARNING", "propagate": False},
        "waitress": {"handlers": ["withheld"], "level": "WARNING", "propagate": False},
        "confide": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # WeasyPrint and fontTools log glyphs and names from the document being
        # rendered (a client's name in a packet): never.
        "weasyprint": {"handlers": ["null"], "propagate": False},
        "weasyprint.progress": {"handlers": ["null"], "propagate": False},
        "fontTools": {"handlers": ["null"], "propagate": False},
    },
}

WHITENOISE_USE_FINDERS = True
