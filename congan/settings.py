"""One settings module, configured by environment variables (see docs/operations.md)."""

from __future__ import annotations

import base64
import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from congan.envconf import env_bool, env_int, env_list, env_str, secret_key_from_file

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CONGAN_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or secret_key_from_file(DATA_DIR / "secret_key")
# Keys that encrypt sensitive fields at rest (Fernet keys, comma-separated): the first encrypts,
# every one decrypts, so a new key goes first and the old one stays until `congan reencrypt_fields`
# has run. Embedded mode generates one into data/field_key; keep it with the backups, apart from them.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", []) or [
    secret_key_from_file(DATA_DIR / "field_key", make=lambda: base64.urlsafe_b64encode(os.urandom(32)).decode())
]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

FORCE_NAME = env_str("CONGAN_FORCE_NAME", "Công an thành phố Đà Nẵng")
# The place printed before the date on generated documents ("Đà Nẵng, ngày … tháng … năm …").
PLACE_NAME = env_str("CONGAN_PLACE_NAME", "Đà Nẵng")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "congan.core",
    "congan.org",
    "congan.population",
    "congan.eservices",
    "congan.incidents",
    "congan.alerts",
    "congan.traffic",
    "congan.documents",
    "congan.exchange",
    "congan.signatures",
    "congan.tasks",
    "congan.archive",
    "congan.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "congan.core.middleware.RequestContextMiddleware",
    "congan.core.middleware.ApiErrorBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "congan.org.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congan.urls"
WSGI_APPLICATION = "congan.wsgi.application"
ASGI_APPLICATION = "congan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congan.core.context_processors.site",
                "congan.population.context_processors.citizen",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL) when DATABASE_URL is absent; PostgreSQL in production. Connections persist:
# one connection per request made a lookup four times slower on these machines.
SQLITE_PATH = DATA_DIR / "congan.sqlite3"
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=10000;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA cache_size=-65536;"
        "PRAGMA temp_store=MEMORY;"
        "PRAGMA mmap_size=268435456"
    ),
    # BEGIN IMMEDIATE: a writer takes the lock at the start of its transaction, so concurrent
    # writers queue on busy_timeout instead of failing with "database is locked" mid-way.
    "transaction_mode": "IMMEDIATE",
}
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url,
            conn_max_age=env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
            "CONN_MAX_AGE": None,
            "TEST": {"NAME": None},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, rate limits and one-time proofs ---------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Where rate limits and spent proofs are counted (congan.core.limits), shared by every process:
# "database" (the embedded default) or "redis" (every machine; the default when REDIS_URL is set).
LIMITS_STORE = env_str("LIMITS_STORE", "redis" if REDIS_URL else "database")
if LIMITS_STORE not in ("database", "redis"):
    raise ValueError("LIMITS_STORE must be 'database' or 'redis'")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "congan",
        }
    }

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "org.Officer"
LOGIN_URL = "org:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "org:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Failures are counted per officer *and* client address (both must match to lock), the address being
# the one the audit records (X-Real-IP from TRUSTED_PROXY_IPS): a stranger failing from elsewhere,
# or behind the same reverse proxy, cannot lock an officer out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "congan.core.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "congan.org.views_auth.lockout"  # renders org/lockout.html, HTTP 429 + Retry-After
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Cong an so"
# Roles whose members must use two-factor authentication (group names, see org migrations).
TWO_FACTOR_REQUIRED_ROLES = ["Quản trị hệ thống", "Lãnh đạo"]

# --- Sessions, cookies, security headers -----------------------------------------------------
HTTPS = env_bool("CONGAN_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
# Leaflet comes as static files inside the django-leaflet wheel (its Django app is not installed:
# it would need GDAL); served by this server, never a CDN. See docs/decisions/0006.
_LEAFLET_SPEC = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if _LEAFLET_SPEC and _LEAFLET_SPEC.submodule_search_locations:
    STATICFILES_DIRS.append(Path(next(iter(_LEAFLET_SPEC.submodule_search_locations))) / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded enrichment files wait here for the background import (never served over HTTP).
IMPORT_ROOT = DATA_DIR / "imports"
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 2_147_483_648)
# On PostgreSQL, write each chunk on a second connection while the next one is validated.
IMPORT_PIPELINE = env_bool("IMPORT_PIPELINE", True)

# --- Online public services ------------------------------------------------------------------
# The address citizens reach the portal at: printed in QR codes and notification links.
PUBLIC_BASE_URL = env_str("CONGAN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
ESERVICES_ATTACHMENT_MAX_BYTES = env_int("ESERVICES_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ESERVICES_ATTACHMENT_TYPES = env_list("ESERVICES_ATTACHMENT_TYPES", ["application/pdf", "image/jpeg", "image/png"])

# --- Official documents ----------------------------------------------------------------------
# The largest PDF a clerk may attach to an incoming document (classified entries take none).
DOCUMENTS_FILE_MAX_BYTES = env_int("DOCUMENTS_FILE_MAX_BYTES", 30 * 1024 * 1024)
# edXML exchange (congan.exchange, decision 0029). Packets are signed with the key and certificate
# in this one PEM file (generated for development when missing; an operator file in production);
# EXCHANGE_SIGN=false sends them unsigned. EXCHANGE_TRUSTED_CERTS: PEM files of the sending systems
# trusted (empty: a signature is checked for integrity only); EXCHANGE_REQUIRE_SIGNATURE refuses
# unsigned packets. Status packets to send are also written under OUTBOX_DIR/edxml/.
EXCHANGE_SIGN = env_bool("EXCHANGE_SIGN", True)
EXCHANGE_SIGNING_FILE = Path(env_str("EXCHANGE_SIGNING_FILE", str(DATA_DIR / "exchange-signing.pem")))
EXCHANGE_TRUSTED_CERTS = env_list("EXCHANGE_TRUSTED_CERTS", [])
EXCHANGE_REQUIRE_SIGNATURE = env_bool("EXCHANGE_REQUIRE_SIGNATURE", False)
EXCHANGE_ENVELOPE_MAX_BYTES = env_int("EXCHANGE_ENVELOPE_MAX_BYTES", 60 * 1024 * 1024)
# Điều hành (congan.tasks): an urgent incoming document nobody has directed or acknowledged this many
# hours after it was registered is reminded to its unit's leaders (`congan tasks_remind`, hourly).
TASKS_URGENT_REMIND_HOURS = env_int("TASKS_URGENT_REMIND_HOURS", 2)

# --- Reports and dispatch -------------------------------------------------------------------
# Reports one client address may submit through the API per 10 minutes (a 113 call centre's
# gateway behind one address needs more).
INCIDENTS_SUBMISSIONS_PER_10_MINUTES = env_int("INCIDENTS_SUBMISSIONS_PER_10_MINUTES", 30)
INCIDENTS_MEDIA_MAX_BYTES = env_int("INCIDENTS_MEDIA_MAX_BYTES", 50 * 1024 * 1024)
# Reports of the same kind this close in space and time are offered as possible duplicates.
INCIDENTS_DUPLICATE_RADIUS_M = env_int("INCIDENTS_DUPLICATE_RADIUS_M", 300)
INCIDENTS_DUPLICATE_WINDOW_MINUTES = env_int("INCIDENTS_DUPLICATE_WINDOW_MINUTES", 180)
# Travel-time estimates for the nearest-unit recommendation (a self-hosted OSRM/Valhalla adapter
# can replace the straight-line default).
# CAP <sender>: who publishes the warnings (no spaces, commas, "<" or "&").
ALERTS_CAP_SENDER = env_str("ALERTS_CAP_SENDER", "canhbao@congan.local")
INCIDENTS_ROUTER = env_str("INCIDENTS_ROUTER", "congan.incidents.dispatch.StraightLineRouter")
# Map tiles for the dispatch board: empty = no tiles (markers on a plain background), for an
# isolated intranet; e.g. "/tiles/{z}/{x}/{y}.png" for a tile server inside the network.
INCIDENTS_TILE_URL = env_str("INCIDENTS_TILE_URL", "")
INCIDENTS_MAP_CENTRE = env_list("INCIDENTS_MAP_CENTRE", ["16.0544", "108.2022"])
# The province's base map as one file the platform serves itself (decision 0023): a PMTiles archive
# (vector tiles of the Protomaps basemap schema, or raster) or an MBTiles database (raster or
# vector). Used when INCIDENTS_TILE_URL is empty; empty: the offline land of decision 0021.
BASEMAP_FILE = env_str("CONGAN_BASEMAP_FILE", "")

# Traffic cameras send a heartbeat every TRAFFIC_HEARTBEAT_SECONDS; silent for longer than
# TRAFFIC_CAMERA_OFFLINE_AFTER_SECONDS, a camera shows as offline.
TRAFFIC_HEARTBEAT_SECONDS = env_int("TRAFFIC_HEARTBEAT_SECONDS", 60)
TRAFFIC_CAMERA_OFFLINE_AFTER_SECONDS = env_int("TRAFFIC_CAMERA_OFFLINE_AFTER_SECONDS", 300)
# Events of the same camera, plate and violation this close in time are one violation.
TRAFFIC_DUPLICATE_WINDOW_SECONDS = env_int("TRAFFIC_DUPLICATE_WINDOW_SECONDS", 300)
# Reading a plate from an event's image when the camera sent none (congan/traffic/plate_reader.py):
# "tesseract" (Debian's tesseract-ocr), "onnx" (the model file at TRAFFIC_PLATE_MODEL) or "none".
TRAFFIC_PLATE_READER = env_str("TRAFFIC_PLATE_READER", "tesseract")
TRAFFIC_PLATE_MODEL = env_str("TRAFFIC_PLATE_MODEL", "")
# Evidence images uploaded with an event (JPEG or PNG).
TRAFFIC_EVIDENCE_MAX_BYTES = env_int("TRAFFIC_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)
# Circular 73/2024 Art. 24: the owner is identified within 10 days of detection; 20 days after the
# notice with nobody come to resolve it, the vehicle is flagged to the registration agency.
TRAFFIC_IDENTIFY_OWNER_DAYS = env_int("TRAFFIC_IDENTIFY_OWNER_DAYS", 10)
TRAFFIC_REGISTRATION_WARNING_DAYS = env_int("TRAFFIC_REGISTRATION_WARNING_DAYS", 20)
# Public plate lookups per client address per minute, and the proof-of-work difficulty (bits).
# Hot-path statements prepared once per connection (congan.core.prepared); off behind PgBouncer in
# transaction mode.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
# Report intake (incidents.intake): public reports committed by one INSERT, their timeline entry
# and audit record written right after in batches by `congan incidents_intake --follow` (started
# by `congan serve`); with INCIDENTS_INTAKE_BACKGROUND off, by the request itself.
INCIDENTS_QUICK_INTAKE = env_bool("INCIDENTS_QUICK_INTAKE", True)
INCIDENTS_INTAKE_BACKGROUND = env_bool("INCIDENTS_INTAKE_BACKGROUND", True)
INCIDENTS_INTAKE_FLUSH_SECONDS = float(env_str("INCIDENTS_INTAKE_FLUSH_SECONDS", "0.05"))
INCIDENTS_INTAKE_NICE = env_int("INCIDENTS_INTAKE_NICE", 10)  # the completer's scheduling priority, below the server
TRAFFIC_LOOKUP_PER_MINUTE = env_int("TRAFFIC_LOOKUP_PER_MINUTE", 10)
# Public lookups are counted in memory and written at most this often per process (traffic.counter).
TRAFFIC_LOOKUP_COUNT_SECONDS = float(env_str("TRAFFIC_LOOKUP_COUNT_SECONDS", "1.0"))
TRAFFIC_CHALLENGE_BITS = env_int("TRAFFIC_CHALLENGE_BITS", 16)

# --- Notifications (outbox) ------------------------------------------------------------------
OUTBOX_DIR = DATA_DIR / "outbox"
NOTIFICATION_BACKENDS = {
    "email": env_str("NOTIFICATION_EMAIL_BACKEND", "congan.core.notifications.FileBackend"),
    "sms": env_str("NOTIFICATION_SMS_BACKEND", "congan.core.notifications.FileBackend"),
    "webpush": env_str("NOTIFICATION_WEBPUSH_BACKEND", "congan.core.notifications.FileBackend"),
}
# Web Push (congan.core.webpush): the VAPID key is generated into DATA_DIR unless given here; the
# subject is the contact push services may use; endpoints only on these push services' origins.
WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_SUBJECT = env_str("WEBPUSH_SUBJECT", "mailto:congan@localhost")
WEBPUSH_TTL_SECONDS = env_int("WEBPUSH_TTL_SECONDS", 24 * 3600)
WEBPUSH_ALLOWED_ORIGINS = env_list(
    "WEBPUSH_ALLOWED_ORIGINS",
    [
        "https://fcm.googleapis.com",
        "https://*.push.services.mozilla.com",
        "https://*.notify.windows.com",
        "https://*.push.apple.com",
    ],
)
# Networks a push endpoint's name may resolve into although they are not public (an operator's own
# push relay on the intranet, CIDR notation); every other private, loopback or link-local address
# is refused at send time.
WEBPUSH_ALLOWED_NETWORKS = env_list("WEBPUSH_ALLOWED_NETWORKS", [])

# --- Background tasks -------------------------------------------------------------------------
# Jobs (enrichment imports…) are rows in the database, run by `congan db_worker`, which
# `congan serve` starts beside the web server. No broker to install.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- API --------------------------------------------------------------------------------------
API_DEFAULT_RATE_LIMIT_PER_MINUTE = env_int("API_DEFAULT_RATE_LIMIT_PER_MINUTE", 600)
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
# Reverse proxies whose X-Real-IP header is believed (nginx on the same host by default).
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS", ["127.0.0.1", "::1"])

# --- Audit ------------------------------------------------------------------------------------
AUDIT_BUFFER_FLUSH_SECONDS = float(env_str("AUDIT_BUFFER_FLUSH_SECONDS", "0.25"))
AUDIT_BUFFER_MAX_EVENTS = env_int("AUDIT_BUFFER_MAX_EVENTS", 1000)
# Group commit: a call with buffered audit events is answered once their batch is committed; past
# this many seconds without it, the call is answered 503 (decision 0002).
AUDIT_DURABLE_TIMEOUT_SECONDS = float(env_str("AUDIT_DURABLE_TIMEOUT_SECONDS", "10"))
# The local journal a buffered event is written and synced to before its call is answered
# (congan.core.audit.journal): one file per server process in this folder ("off": none, each call
# waits for its batch's database commit instead); fdatasync before answering (off: a kill -9 still
# loses nothing, a power loss may); a new file past this size; how often a process looks for the
# journals of stopped processes to chain.
_journal_dir = env_str("AUDIT_JOURNAL_DIR", str(DATA_DIR / "audit-journal"))
AUDIT_JOURNAL_DIR = None if _journal_dir.lower() in ("", "0", "off") else Path(_journal_dir)
AUDIT_JOURNAL_FSYNC = env_bool("AUDIT_JOURNAL_FSYNC", True)
AUDIT_JOURNAL_ROTATE_BYTES = env_int("AUDIT_JOURNAL_ROTATE_BYTES", 64 * 1024 * 1024)
AUDIT_JOURNAL_RECOVER_SECONDS = float(env_str("AUDIT_JOURNAL_RECOVER_SECONDS", "30"))
# Signed checkpoints of the chain head, outside the database (decision 0014): the folder the
# operator ships elsewhere, the Ed25519 key (generated on first use, with its .pub beside it), how
# often `congan audit checkpoint --follow` (started by `congan serve`) writes one (0: never), and an
# optional RFC 3161 time-stamping authority with the PEM certificates its tokens are checked against.
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(DATA_DIR / "audit-checkpoints")))
AUDIT_CHECKPOINT_KEY_FILE = Path(env_str("AUDIT_CHECKPOINT_KEY_FILE", str(DATA_DIR / "audit_checkpoint_key")))
AUDIT_CHECKPOINT_SECONDS = float(env_str("AUDIT_CHECKPOINT_SECONDS", "3600"))
AUDIT_TSA_URL = env_str("AUDIT_TSA_URL", "")
AUDIT_TSA_CA_FILE = env_str("AUDIT_TSA_CA_FILE", "")
AUDIT_TSA_TIMEOUT_SECONDS = float(env_str("AUDIT_TSA_TIMEOUT_SECONDS", "10"))

# Digital signatures of official documents (congan.signatures, decision 0028): an RFC 3161 time-stamping
# authority makes signatures PAdES B-T (e.g. the Government CA's http://tsa.ca.gov.vn; empty: B-B);
# the trust roots verification accepts, as a folder of PEM/DER certificates or one PEM bundle
# (shipped empty: operations.md says where to get the Government CA and NEAC roots); the demo CA
# that `congan demo` writes, trusted only when that file exists and labelled as a demo in results;
# the largest PDF the verification page and API read.
SIGNING_TSA_URL = env_str("CONGAN_SIGNING_TSA_URL", "")
SIGNING_TSA_TIMEOUT_SECONDS = float(env_str("CONGAN_SIGNING_TSA_TIMEOUT_SECONDS", "10"))
SIGNING_TRUST_ROOTS = env_str("CONGAN_SIGNING_TRUST_ROOTS", "")
SIGNING_DIR = Path(env_str("CONGAN_SIGNING_DIR", str(DATA_DIR / "signing")))
SIGNING_MAX_PDF_BYTES = env_int("CONGAN_SIGNING_MAX_PDF_BYTES", 20 * 1024 * 1024)
# Verification asks the OCSP responders and CRLs that certificates name (off: only what files embed).
SIGNING_VERIFY_ONLINE = env_bool("CONGAN_SIGNING_VERIFY_ONLINE", False)

# Electronic archive (congan.archive, decision 0033): scanned files read by OCRmyPDF + Tesseract
# (languages in Tesseract's names, "vie" or "vie+eng"); the folder scanning stations drop files into
# (taken once, moved to done/ or failed/ beside it; empty: no folder); the largest file and page count
# accepted; OCR worker threads per file; how long a worker holds an item before another may take it
# over (a crashed worker's item resumes), and how often; the confidence under which a page is flagged;
# the resolution a coarser scan is enlarged to for Tesseract (the archive copy keeps the scan's own).
ARCHIVE_OCR_LANGUAGES = env_str("ARCHIVE_OCR_LANGUAGES", "vie")
ARCHIVE_IMPORT_DIR = env_str("ARCHIVE_IMPORT_DIR", str(DATA_DIR / "archive-import"))
ARCHIVE_MAX_UPLOAD_BYTES = env_int("ARCHIVE_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
ARCHIVE_MAX_PAGES = env_int("ARCHIVE_MAX_PAGES", 1000)
ARCHIVE_OCR_JOBS = env_int("ARCHIVE_OCR_JOBS", 1)
ARCHIVE_OCR_CLEAN = env_bool("ARCHIVE_OCR_CLEAN", False)
ARCHIVE_OCR_MIN_DPI = env_int("ARCHIVE_OCR_MIN_DPI", 300)
ARCHIVE_LEASE_SECONDS = env_int("ARCHIVE_LEASE_SECONDS", 300)
ARCHIVE_MAX_ATTEMPTS = env_int("ARCHIVE_MAX_ATTEMPTS", 3)
ARCHIVE_REVIEW_CONFIDENCE = env_int("ARCHIVE_REVIEW_CONFIDENCE", 80)
ARCHIVE_WATCH_SECONDS = float(env_str("ARCHIVE_WATCH_SECONDS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # OCRmyPDF and the font subsetter it calls log every step of every page at INFO (the archive).
    "loggers": {"axes": {"level": "WARNING"}, "ocrmypdf": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
