"""The cache is shared by every process (settings.CACHES: a database table, or Redis with
REDIS_URL): figures computed by one gunicorn worker serve the others, and a rate limit is
one limit, not one per worker. Three separate processes with the production settings count
the same PortalRB limit. (A day's window: three process starts on a loaded CI machine can
take longer than a minute, and a window boundary between them would reset the count.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HITUNG = """
import django
django.setup()
from django.test import RequestFactory
from django_ratelimit.core import get_usage
r = RequestFactory().get("/api/portalrb/pengusulan/unit-wbk", REMOTE_ADDR="10.9.8.7")
u = get_usage(r, group="portalrb:gagal", key="ip", rate="2/d", increment=True)
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


def _tembolok(**options):
    """The production backend on the test database (whose settings use memory)."""
    from django.core.management import call_command
    from django.test import override_settings

    from umum.tembolok import TembolokBasisData

    with override_settings(CACHES={"default": {"BACKEND": "umum.tembolok.TembolokBasisData",
                                               "LOCATION": "zi_tembolok"}}):
        call_command("createcachetable", verbosity=0)
    return TembolokBasisData("zi_tembolok", {"OPTIONS": options})


@pytest.mark.django_db
def test_tulis_tembolok_satu_pernyataan():
    """A cached figure is written with one upsert (no count, no select, no transaction)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _tembolok()
    c.set("angka", {"persen": 50.0})
    with CaptureQueriesContext(connection) as q:
        c.set("angka", {"persen": 75.0})  # overwritten in place
    assert len(q.captured_queries) == 1 and "ON CONFLICT" in q.captured_queries[0]["sql"]
    assert c.get("angka") == {"persen": 75.0}
    c.set("sebentar", 1, timeout=-1)  # already expired: never served
    assert c.get("sebentar") is None
    assert c.add("baru", 1) and not c.add("baru", 2) and c.get("baru") == 1  # Django's add


@pytest.mark.django_db
def test_tembolok_dipangkas_sesekali(monkeypatch):
    from umum import tembolok

    monkeypatch.setattr(tembolok, "CULL_SETIAP", 5)
    c = _tembolok(MAX_ENTRIES=3, CULL_FREQUENCY=2)
    c.clear()
    for i in range(10):
        c.set(f"k{i}", i)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM zi_tembolok")
        assert cur.fetchone()[0] < 10  # culled on the way, not grown without bound


@pytest.mark.django_db
def test_banyak_entri_satu_pernyataan():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _tembolok()
    with CaptureQueriesContext(connection) as q:
        assert c.set_many({f"rk{i}": {"persen": i} for i in range(40)}) == []
    assert len(q.captured_queries) == 1
    assert c.get_many(["rk0", "rk39"]) == {"rk0": {"persen": 0}, "rk39": {"persen": 39}}
