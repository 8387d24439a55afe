"""Every setting, read from the environment, with defaults that run the app with no server installed."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default=env("SECRET_KEY", default="dev-only-insecure-key-change-me"))
DEBUG = env.bool("DJANGO_DEBUG", default=env.bool("DEBUG", default=False))
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"]))
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "proposals",
    "replies",
    "indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "proposals.permissions.InternalPagesMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "proposals.vocabulary.terms_context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A connection left by a PostgreSQL restart is checked before it is reused, not handed to a request broken.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles every plan estimated above jit_above_cost: 100-800 ms on the list, search and dashboard
    # queries, which run in 5-50 ms without it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "proposals.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Login throttling: a (username, client IP) pair is locked after AXES_FAILURE_LIMIT failed logins, for
# AXES_COOLOFF_TIME hours; never a whole IP (an office behind NAT shares one) nor a whole account (anyone could
# lock anyone out). Staff lift an account's locks at /accounts/locks/ (proposals.lockouts).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "proposals.lockouts.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A failure while locked does not prolong the lock: the time left shown on the locked page stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The client's IP is REMOTE_ADDR unless TRUSTED_PROXY_COUNT reverse proxies are configured in front of the app:
# then it is read from TRUSTED_PROXY_HEADER, counting that many entries from the right (a client can only
# prepend to the header). With no proxy configured the header is ignored, so it cannot be spoofed.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = "HTTP_" + env("TRUSTED_PROXY_HEADER", default="X-Forwarded-For").upper().replace("-", "_")
AXES_CLIENT_IP_CALLABLE = "proposals.lockouts.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A department may return a wrong assignment only within this many days of being assigned it.
RETURN_WINDOW_DAYS = env.int("RETURN_WINDOW_DAYS", default=7)

# Uploads: replies are checked before they are saved (replies.services).
REPLY_MAX_BYTES = env.int("REPLY_MAX_BYTES", default=50 * 1024 * 1024)
REPLY_MAX_PAGES = env.int("REPLY_MAX_PAGES", default=500)
REPLY_PARSE_SOFT_TIME_LIMIT = env.int("REPLY_PARSE_SOFT_TIME_LIMIT", default=15 * 60)
# A department may requeue its own failed parse this many times (staff without limit): replies.services.limits.
REPLY_RETRY_LIMIT = env.int("REPLY_RETRY_LIMIT", default=3)
# Each user may upload at most UPLOAD_RATE_LIMIT files (replies, evidence) per UPLOAD_RATE_WINDOW seconds, counted
# in the cache; 0 switches the limit off. Without a working cache uploads are not limited.
UPLOAD_RATE_LIMIT = env.int("UPLOAD_RATE_LIMIT", default=10)
UPLOAD_RATE_WINDOW = env.int("UPLOAD_RATE_WINDOW", default=60)
# The parse runs in a child process (replies.parsing.isolated): its address space (tesseract's each on its own),
# and the seconds it may go without finishing a page, before it is killed and the reply fails with the reason.
REPLY_PARSE_MAX_MEMORY_MB = env.int("REPLY_PARSE_MAX_MEMORY_MB", default=2048)
REPLY_PARSE_PAGE_SECONDS = env.int("REPLY_PARSE_PAGE_SECONDS", default=120)
# Engine that reads scanned pages: auto (RapidOCR when installed, else tesseract), rapidocr or tesseract.
REPLY_OCR_ENGINE = env("REPLY_OCR_ENGINE", default="auto")
# A parsing worker renews the reply's lease every third of this; a lease run out means the worker died.
REPLY_PARSE_LEASE_SECONDS = env.int("REPLY_PARSE_LEASE_SECONDS", default=60)
# A reply whose parse ended its worker this many times fails (文件无法安全解析) and is not parsed again by itself.
REPLY_PARSE_MAX_CRASHES = env.int("REPLY_PARSE_MAX_CRASHES", default=2)
# Staff may force a new parse of a reply 排队中/解析中 for longer than this.
REPLY_FORCE_RETRY_AFTER_MINUTES = env.int("REPLY_FORCE_RETRY_AFTER_MINUTES", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: with no broker configured, tasks run in-process (eager), so the app runs with no Redis.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
# The dashboard for staff is computed from every assignment (seconds at 150 000): served from the cache,
# refreshed by beat a minute before it expires.
# A Redis outage costs the cache, never a page: config.cache.TolerantRedisCache misses and drops writes, and
# gives up on a dead server within a second.
CACHES = {"default": {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": REDIS_URL,
                      "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
          if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=5 * 60)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool child gives its memory back: replaced after this many tasks, or once it holds more than this (KiB).
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512 * 1024)
# With the broker down, a web request gives up sending a task within a few seconds (the reply stays queued).
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5,
                                    "interval_max": 1}
CELERY_TASK_SOFT_TIME_LIMIT = REPLY_PARSE_SOFT_TIME_LIMIT
CELERY_TASK_TIME_LIMIT = REPLY_PARSE_SOFT_TIME_LIMIT + 60
# A late-acked task is redelivered after this; it must outlast the longest parse.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT * 2),
}
CELERY_TIMEZONE = TIME_ZONE
# The requeue task (every minute) sends again: a reply queued while the broker was down after this many seconds,
# one queued with a task after REPLY_REQUEUE_AFTER_MINUTES, one parsing as soon as its lease has run out.
REPLY_REQUEUE_AFTER_MINUTES = env.int("REPLY_REQUEUE_AFTER_MINUTES", default=10)
# ...but when nothing waits in the parse queue, a reply queued with a task this long ago has lost its task (a broker
# restart or flush): it is sent again at once rather than after REPLY_REQUEUE_AFTER_MINUTES.
REPLY_REQUEUE_LOST_SECONDS = env.int("REPLY_REQUEUE_LOST_SECONDS", default=120)
REPLY_REQUEUE_UNSENT_SECONDS = env.int("REPLY_REQUEUE_UNSENT_SECONDS", default=30)
# Database errors in a task are retried with capped exponential backoff: 5, 10, 20, 40, 80, 120, 120... seconds,
# together well past a 5-minute PostgreSQL outage (reply_parse_task, reply_requeue_stalled_task).
TASK_DB_RETRY_BACKOFF = env.int("TASK_DB_RETRY_BACKOFF", default=5)
TASK_DB_RETRY_BACKOFF_MAX = env.int("TASK_DB_RETRY_BACKOFF_MAX", default=120)
TASK_DB_MAX_RETRIES = env.int("TASK_DB_MAX_RETRIES", default=10)
CELERY_BEAT_SCHEDULE = {
    "refresh-dashboard": {"task": "proposals.tasks.dashboard_refresh_task",
                          "schedule": max(60, DASHBOARD_CACHE_SECONDS - 60)},
    "requeue-stalled-reply-parses": {"task": "replies.tasks.reply_requeue_stalled_task", "schedule": 60},
    "daily-deadline-reminders": {"task": "proposals.tasks.reminders_send_task",
                                 "schedule": crontab(hour=8, minute=0)},
    "daily-commitment-reminders": {"task": "indicators.tasks.commitment_reminders_send_task",
                                   "schedule": crontab(hour=8, minute=10)},
}
COMMITMENT_FOLLOW_UP_DAYS = env.int("COMMITMENT_FOLLOW_UP_DAYS", default=365)
# A department's evidence of a kept commitment: a PDF or an image up to this size (indicators.services).
COMMITMENT_EVIDENCE_MAX_BYTES = env.int("COMMITMENT_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Follow-up reminders go this many days before a commitment's follow-up date, and again on the date.
COMMITMENT_REMINDER_DAYS_BEFORE = env.int("COMMITMENT_REMINDER_DAYS_BEFORE", default=30)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="提案答复追踪 <noreply@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
