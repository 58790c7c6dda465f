"""Settings for Zona Integritas. Everything comes from the environment, with safe
development defaults; `.env.example` lists every variable."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default):
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = envbool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY wajib diisi bila DJANGO_DEBUG=False.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "zona_integritas",
    "organisasi",
    "rencana_aksi",
    "bukti_dukung",
    "progres",
    "laporan",
    "lke",
    "evaluasi",
    "zona_integritas.apps.AxesConfig",  # axes, named in Indonesian
    "csp",
    "django_tasks",
    "zona_integritas.apps.AntreanProsesConfig",  # django_tasks_db, named in Indonesian
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # refuses oversized requests before anything reads their body
    "zona_integritas.middleware.BatasPermintaanMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last: locks out repeated failed sign-ins (django-axes)
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:  # static files from the app server itself, compressed and cached
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "zona_integritas.urls"
WSGI_APPLICATION = "zona_integritas.wsgi.application"

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
                "zona_integritas.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # production keeps connections for a minute: a new PostgreSQL connection per request
        # cost about 40 % of the throughput under load (docs/performance.md, bench/load.py)
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if "postgresql" in DATABASES["default"]["ENGINE"] and not envbool("ZI_PG_JIT", False):
    # PostgreSQL's JIT compiles the ledger's grouped query for half a second and saves
    # nothing on these short queries (docs/performance.md). Behind pgbouncer, which
    # refuses startup options: ZI_PG_JIT=1 and `ALTER ROLE ... SET jit = off` instead.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout: after ZI_GAGAL_MASUK failures for one user name from one address, that
# pair waits ZI_KUNCI_MENIT minutes (a successful sign-in resets the count).
AXES_FAILURE_LIMIT = envint("ZI_GAGAL_MASUK", 5)
AXES_COOLOFF_TIME = envint("ZI_KUNCI_MENIT", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/terkunci.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_META_PRECEDENCE_ORDER = [os.environ.get("ZI_IP_META_KEY") or "REMOTE_ADDR"]
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded evidence lives outside the web root and is served only through views.
# Background work (report PDFs, sign-off, evidence ZIP): queued in the database and run by
# `manage.py db_worker` (make worker; make run starts one). ZI_PROSES_BACKEND=immediate runs
# each task inside the request instead (the test suite's default).
TASKS = {"default": {"BACKEND": {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}[os.environ.get("ZI_PROSES_BACKEND", os.environ.get("ZI_TUGAS_BACKEND", "database"))]}}
# A finished task's file (draft PDF, ZIP) is kept this many days (bersihkan_berkas).
# (ZI_TUGAS_BACKEND / ZI_TUGAS_SIMPAN_HARI: the names of installs before 2026-12, still read.)
ZI_PROSES_SIMPAN_HARI = int(os.environ.get("ZI_PROSES_SIMPAN_HARI",
                                           os.environ.get("ZI_TUGAS_SIMPAN_HARI", "7")))

MEDIA_ROOT = Path(os.environ.get("ZI_MEDIA_ROOT", BASE_DIR / "var" / "berkas"))
# The certificate that digitally signs reports (PAdES, laporan/tte.py): the regency's
# PKCS#12 (e.g. from BSrE) and its passphrase. Unset: a local test certificate made by
# `manage.py buat_sertifikat_lokal` (make setup), which every page calls local.
# `siapkan_demo` also fills the current year's demo plan half-way (zona_integritas/demo.py)
ZI_DEMO_ISI = envbool("ZI_DEMO_ISI", True)
ZI_TTE_P12 = os.environ.get("ZI_TTE_P12") or str(BASE_DIR / "var" / "tte" / "lokal.p12")
ZI_TTE_SANDI = os.environ.get("ZI_TTE_SANDI", "")
# Dashboard bodies, per-plan figures (keyed by plan version, docs/progres.md) and the rate
# limits' counters. Shared by every process and machine: Redis when REDIS_URL is set, else
# a table of the database (made by migration laporan 0005). A per-process cache would give
# each gunicorn worker its own figures and multiply every rate limit by the workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "zi"}}
else:
    CACHES = {"default": {
        "BACKEND": "umum.tembolok.TembolokBasisData",
        "LOCATION": "zi_tembolok",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("ZI_CACHE_ENTRI", "10000")),
                    "CULL_FREQUENCY": 4},
    }}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # production: hashed, compressed files collected by `collectstatic` (make serve-prod)
    "staticfiles": {"BACKEND": (
        "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage")},
    # Evidence files: no public URL; read only through the permission-checked views.
    "bukti": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "bukti", "base_url": None},
    },
}
# Several app servers share files through S3-compatible object storage (docs/deploy.md):
# set ZI_S3_BUCKET (and the endpoint and keys). Objects are private; the app reads them
# through its permission-checked views, never through a public or signed bucket URL.
if os.environ.get("ZI_S3_BUCKET"):
    STORAGES["bukti"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ZI_S3_BUCKET"],
            "endpoint_url": os.environ.get("ZI_S3_ENDPOINT") or None,
            "region_name": os.environ.get("ZI_S3_REGION") or None,
            "access_key": os.environ.get("ZI_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("ZI_S3_SECRET_KEY") or None,
            "location": os.environ.get("ZI_S3_PREFIX", "bukti"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "addressing_style": os.environ.get("ZI_S3_ADDRESSING", "path"),
        },
    }

# Largest evidence file accepted, in MB.
ZI_MAKS_UKURAN_MB = envint("ZI_MAKS_UKURAN_MB", 20)
# Largest request: ten files at the limit plus the form (checked before the body is read).
ZI_MAKS_PERMINTAAN = (10 * ZI_MAKS_UKURAN_MB + 1) * 1024 * 1024
# Uploads above this size are streamed to a temporary file, never held in memory; a file
# over the limit stops being stored as soon as it passes it.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "bukti_dukung.unggahan.BatasBerkasHandler",
    "bukti_dukung.unggahan.MemoriSidikHandler",
    "bukti_dukung.unggahan.SementaraSidikHandler",
]

# Control characters in texts are replaced on export instead of failing the download.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("ZI_SESI_JAM", 12) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HTTPS (production): redirect, HSTS. Behind a TLS-terminating proxy, set
# DJANGO_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (only if the proxy always sets it).
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", False)
if os.environ.get("DJANGO_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["DJANGO_PROXY_SSL_HEADER"], "https")
# A regency's other subdomains may not all have HTTPS yet: HSTS covers this host only unless
# the two settings above are turned on (docs/deploy.md); their deploy warnings are expected.
SILENCED_SYSTEM_CHECKS = [c for c, on in (("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
                                          ("security.W021", SECURE_HSTS_PRELOAD)) if not on]

# Content-Security-Policy: only this site's own (vendored) scripts, styles, fonts and
# images; no inline scripts. Inline style attributes are allowed (layout widths).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# E-mail (reminders): printed to the console unless SMTP is configured.
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "zona-integritas@localhost")

# Demo users (make run) are only created when this is on; off with production settings.
ZI_DEMO = envbool("ZI_DEMO", DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- PortalRB API (lke/api.py, docs/portalrb.md) ------------------------------------------
import re  # noqa: E402

# Rate limits as "<count>/<period>" (s, m, h, d): requests per token, failed sign-ins per IP.
# Counted in CACHES["default"], which every process and machine shares.
ZI_PORTALRB_BATAS_TOKEN = os.environ.get("ZI_PORTALRB_BATAS_TOKEN", "120/m")
ZI_PORTALRB_BATAS_GAGAL = os.environ.get("ZI_PORTALRB_BATAS_GAGAL", "30/m")
for _batas in (ZI_PORTALRB_BATAS_TOKEN, ZI_PORTALRB_BATAS_GAGAL):
    if not re.fullmatch(r"\d+/\d*[smhd]", _batas):
        raise ImproperlyConfigured(f"Batas PortalRB tidak valid: {_batas!r} (contoh: 120/m).")
# The lifetime of evidence links is set per token by the Admin (TokenApi.tautan_hari).
# Base of the evidence links (e.g. https://zi.mojokertokab.go.id); empty: the request's host.
ZI_PORTALRB_URL_DASAR = os.environ.get("ZI_PORTALRB_URL_DASAR", "").rstrip("/")
# Behind a reverse proxy: the request.META key holding the client address, e.g.
# HTTP_X_REAL_IP (only if the proxy always sets it); empty: REMOTE_ADDR.
RATELIMIT_IP_META_KEY = os.environ.get("ZI_IP_META_KEY") or None
