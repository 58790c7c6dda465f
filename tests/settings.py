"""Settings of the test run: the project's settings with a throw-away evidence folder and
background tasks run inside the request (tests/laporan/test_proses.py queues them in the
database and runs db_worker). Environment variables still win (CI's S3 run)."""

import os
import tempfile

os.environ.setdefault("ZI_MEDIA_ROOT", tempfile.mkdtemp(prefix="zi-test-berkas-"))
os.environ.setdefault("ZI_PROSES_BACKEND", "immediate")
# the reports' signing certificate: a local one, made by siapkan_demo (tests/conftest.py)
os.environ.setdefault("ZI_TTE_P12", os.path.join(tempfile.mkdtemp(prefix="zi-test-tte-"),
                                                 "lokal.p12"))

from zona_integritas.settings import *  # noqa: E402, F403

# The suite's query counts measure the application's own queries, not the cache's: a
# per-process cache here. Production shares one (a database table or Redis); that it is
# shared across processes is tested in tests/keamanan/test_tembolok_bersama.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "zi-uji"}}

# the suite starts from the seed plans only; tests/test_demo.py fills the demo year itself
ZI_DEMO_ISI = False
