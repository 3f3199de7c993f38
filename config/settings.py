"""The one settings module of the bureau system, driven by environment variables.

Defaults give a working system on a fresh machine (SQLite and a file-system Celery broker in
``DATA_DIR``); production sets ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``SECRET_KEY`` and
``ALLOWED_HOSTS`` (see docker-compose.yml). A malformed value stops start-up with a clear message.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "未设置环境变量 SECRET_KEY：DEBUG 关闭（生产模式）时必须提供一个足够长的随机密钥，"
            "例如 SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')。"
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
# The address the bureau reaches this system at: printed links (the QR code on a transfer slip) are
# built from it, never from whatever host a request happened to name.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")) or "/" in SITE_URL.split("://", 1)[1].rstrip("/"):
    raise ImproperlyConfigured(
        f"环境变量 SITE_URL={SITE_URL!r} 无效：应为本系统的访问地址，如 https://pwxk.example.gov.cn 或 http://10.0.0.8:8000。"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "bureau",
    "permits",
    "linkage",
    "complaints",
    "inspections",
    "monitoring",
    "grading",
    "meetings",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bureau.errors.ApiBodyLimit",
    "bureau.headers.NoStoreMiddleware",
    # Before anything reads the URL or a form: control characters are refused (bureau/text.py).
    "bureau.text.InputGuard",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an idle session ends with a Chinese message on the login page.
    "bureau.accounts.sessions.IdleSessionMiddleware",
    # A user who owes a second factor reaches only the second-factor pages and logout.
    "bureau.accounts.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "bureau.web.MethodNotAllowedPage",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bureau.context_processors.navigation",
            ],
        },
    },
]

# Database ------------------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'db.sqlite3'}")
try:
    _database = dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"环境变量 DATABASE_URL={_database_url!r} 无法解析（{exc}）：应形如 "
        "postgres://用户:密码@主机:5432/库名 或 sqlite:////绝对路径/db.sqlite3。"
    ) from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file: WAL lets readers go on while one writes, and
    # IMMEDIATE transactions make a writer wait for the lock instead of failing half-way.
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file (not memory) so that a real Celery worker started by a test sees the same data.
    _database["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    # PostgreSQL's JIT compiles any query it estimates as costly: at city scale it spent 310 ms compiling
    # a 200 ms count of a department's tasks (issue 15). A web app's short queries never gain from it.
    _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "bureau.User"
AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: refuses a locked-out user or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "bureau.access.StaffModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "bureau.accounts.passwords.LengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8, minimum=8, maximum=128)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保: at least three of the four character classes, and none of the last five passwords again.
    {"NAME": "bureau.accounts.passwords.CharacterClassValidator"},
    {"NAME": "bureau.accounts.passwords.RecentPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: anonymous visitors get no object permissions

# Login, sessions and tokens (等保 8.1.4.1; bureau/accounts/) ------------------------------------------------
# Failed logins and token requests are counted per user name and, separately, per address; at the limit
# both are locked for the cool-off time, or until the administrator unlocks them.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address: REMOTE_ADDR, or behind this many proxies that append to X-Forwarded-For (the TLS
# proxy of docker-compose: 1) the address the outermost one saw (bureau.accounts.lockout.client_address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "bureau.accounts.lockout.client_address"
# The counters are cleared by bureau.accounts (lockout.clear_after_login) only once the whole login, the
# second factor included, has succeeded: a right password alone must not wipe the failures.
AXES_RESET_ON_SUCCESS = False
# A Chinese 429 page for browsers, JSON for the API.
AXES_LOCKOUT_CALLABLE = "bureau.accounts.lockout.lockout_response"
# A session ends after this many idle minutes, and when the browser closes.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# API tokens expire this many days after they are made.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30, minimum=1)
# A second factor (TOTP) is required of these sections and of the administrator; optional for others.
SECOND_FACTOR_REQUIRED = env_bool("SECOND_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "排污许可证后管理系统"

# Language and time (R-CAL-1) -------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static and uploaded files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request until collectstatic has run
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security for production ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS (README, 部署与 HTTPS): all off by default so that `make run` works on plain http; the
# production deployment (docker-compose.yml, behind a TLS-terminating proxy) turns them on.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The container's own health check asks over plain http from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", SESSION_COOKIE_SECURE)
# Only behind a proxy that sets X-Forwarded-Proto itself (and strips the client's): otherwise a client
# could claim https.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("USE_X_FORWARDED_PROTO", False) else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): no inline script anywhere (static/js only). Styles allow
# 'unsafe-inline' because the pygal charts (reports.charts) are inline SVG that carry their own
# <style> element, and a few printable pages size their columns with style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    },
}
# A form posted with a stale or missing CSRF token gets a Chinese page that says what to do.
CSRF_FAILURE_VIEW = "bureau.views.csrf_failure"

# API ----------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: no or bad credentials answer 401 with WWW-Authenticate, not 403 (ASVS 14).
        "bureau.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["bureau.api_filters.ListFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "bureau.api_pagination.BureauPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "bureau.api_schema.BureauAutoSchema",
    "DEFAULT_METADATA_CLASS": "bureau.api_metadata.BureauMetadata",
    "EXCEPTION_HANDLER": "bureau.errors.api_exception_handler",
    # Control characters, deep or huge JSON, out-of-range integers refused with 400 (bureau/text.py).
    "DEFAULT_PARSER_CLASSES": [
        "bureau.text.CheckedJSONParser",
        "bureau.text.CheckedFormParser",
        "bureau.text.CheckedMultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "排污许可证后管理系统 API",
    "DESCRIPTION": "区生态环境局排污许可证后管理系统的接口。除令牌接口外均需登录（会话或令牌）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its pages are behind login (session or token), like the API itself.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI comes from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Several models have a "status" or "kind" field with their own choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "FacilityStatusEnum": "permits.models.FacilityStatus",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "MeetingKindEnum": "meetings.models.MeetingKind",
        "OutletKindEnum": "permits.models.OutletKind",
        "PermitEventKindEnum": "permits.models.PermitEventKind",
        "ImportStatusEnum": "permits.imports.models.ImportStatus",
    },
}

# Celery ---------------------------------------------------------------------------------------------
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("queue", "processed", "control"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
elif not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "amqp://", "memory://")):
    raise ImproperlyConfigured(
        f"环境变量 CELERY_BROKER_URL={CELERY_BROKER_URL!r} 不受支持：应为 redis://主机:6379/0 或 filesystem://。"
    )
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 3}
CELERY_TASK_IGNORE_RESULT = True
# Jobs that survive faults (README “后台任务的可靠性”): a message is acknowledged only when its task
# ends, and given back to the queue when the worker process running it dies; one message at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits of the long jobs (minutes): the soft limit stops the job with a Chinese reason, the
# hard one (a minute later) kills it. A parse or an apply of an import, a background document.
IMPORT_TIME_LIMIT_MINUTES = env_int("IMPORT_TIME_LIMIT_MINUTES", 30, minimum=2)
DOCUMENT_TIME_LIMIT_MINUTES = env_int("DOCUMENT_TIME_LIMIT_MINUTES", 30, minimum=2)
# A running job shows life every JOB_HEARTBEAT_SECONDS; the sweep (every 2 minutes) queues again, or
# fails after JOB_MAX_ATTEMPTS tries, a job silent for JOB_STALE_SECONDS (its worker died).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 30, minimum=1)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120, minimum=2)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3, minimum=1)
# Test only: each applied import row waits this many milliseconds (to kill a worker mid-apply).
IMPORT_APPLY_ROW_DELAY_MS = env_int("IMPORT_APPLY_ROW_DELAY_MS", 0, minimum=0)
if not CELERY_BROKER_URL.startswith("filesystem://"):
    # Redis gives an unacknowledged message to another worker after this many seconds: longer than the
    # longest job (or a job still running would be run twice), plus a margin.
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env_int(
        "CELERY_VISIBILITY_TIMEOUT",
        (max(IMPORT_TIME_LIMIT_MINUTES, DOCUMENT_TIME_LIMIT_MINUTES) + 5) * 60,
        minimum=1,
    )
# A broker that cannot be reached answers within seconds: the page says so instead of hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
DJANGO_CELERY_BEAT_TZ_AWARE = True

# PDF (bureau/documents/) -------------------------------------------------------------------------------------
# The CJK font family WeasyPrint embeds; the system check reports.E001 fails when fontconfig has none.
PDF_CJK_FONT_FAMILY = env_str("PDF_CJK_FONT_FAMILY", "WenQuanYi Micro Hei")
# The name every document carries in its header (the monthly summary, the slips, the notices).
BUREAU_NAME = env_str("BUREAU_NAME", "××区生态环境局")
# An export of more rows than this is written in the background with a progress bar (bureau.documents).
EXPORT_SYNC_ROWS = env_int("EXPORT_SYNC_ROWS", 5000, minimum=1)
# Files made in the background are kept this many days for their asker, then removed.
DOCUMENT_KEEP_DAYS = env_int("DOCUMENT_KEEP_DAYS", 7, minimum=1)

# Import files (permits/imports/parse.py) --------------------------------------------------------------
# Checked in the .xlsx's zip directory and sheet dimensions before openpyxl loads anything (a zip bomb
# or a sheet of millions of cells is refused with a Chinese message, never run out of memory).
IMPORT_MAX_TOTAL_MB = env_int("IMPORT_MAX_TOTAL_MB", 1024, minimum=1)
IMPORT_MAX_SHEET_MB = env_int("IMPORT_MAX_SHEET_MB", 768, minimum=1)
IMPORT_MAX_SHARED_STRINGS_MB = env_int("IMPORT_MAX_SHARED_STRINGS_MB", 256, minimum=1)
IMPORT_MAX_SHARED_STRINGS = env_int("IMPORT_MAX_SHARED_STRINGS", 4_000_000, minimum=1)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=1)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 8_000_000, minimum=1)
# Data rows one import file may hold (registry and execution-report imports); more is refused.
IMPORT_ROWS_PER_FILE = env_int("IMPORT_ROWS_PER_FILE", 100_000, minimum=1)

# Demo data --------------------------------------------------------------------------------------------
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "Demo@2025")

# Records are kept at least five years (R-RET-1, 003 第十二条); nothing in the product deletes
# history rows, and this figure is shown where retention is explained.
RECORD_RETENTION_YEARS = 5
# A change's reason is kept whole in its history row (a 撤回理由 may run to hundreds of characters;
# simple-history's default column holds 100).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}
