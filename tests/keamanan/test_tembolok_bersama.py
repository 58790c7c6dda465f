"""The cache is shared by every process (settings.CACHES: a database table, or Redis with
REDIS_URL): figures computed by one gunicorn worker serve the others, and a rate limit is
one limit, not one per worker. Three separate processes with the production settings count
the same PortalRB limit."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HITUNG = """
import django
django.setup()
from django.test import RequestFactory
from django_ratelimit.core import get_usage
r = RequestFactory().get("/api/portalrb/pengusulan/unit-wbk", REMOTE_ADDR="10.9.8.7")
u = get_usage(r, group="portalrb:gagal", key="ip", rate="2/m", increment=True)
print(u["count"], u["should_limit"])
"""


def _jalan(env, *args):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True).stdout


def test_tiga_proses_berbagi_batas_permintaan(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zona_integritas.settings",
           "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    env.pop("REDIS_URL", None)
    _jalan(env, "manage.py", "createcachetable")
    hasil = [_jalan(env, "-c", HITUNG).split() for _ in range(3)]
    assert hasil == [["1", "False"], ["2", "False"], ["3", "True"]]
