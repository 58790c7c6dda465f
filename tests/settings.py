"""Settings of the test run: the project's settings with a throw-away evidence folder and
background tasks run inside the request (tests/laporan/test_tugas.py queues them in the
database and runs db_worker). Environment variables still win (CI's S3 run)."""

import os
import tempfile

os.environ.setdefault("ZI_MEDIA_ROOT", tempfile.mkdtemp(prefix="zi-test-berkas-"))
os.environ.setdefault("ZI_TUGAS_BACKEND", "immediate")

from zona_integritas.settings import *  # noqa: E402, F403
