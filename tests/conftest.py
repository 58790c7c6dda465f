import signal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisasi.models import UnitKerja
from rencana_aksi.models import RencanaKerja

PASSWORD = "demo12345"


@pytest.fixture(scope="session", autouse=True)
def _bucket_s3():
    """With object storage configured (ZI_S3_BUCKET, e.g. CI's moto server), the test run
    uses a fresh bucket."""
    from django.conf import settings

    opsi = settings.STORAGES["bukti"]
    if "s3" not in opsi["BACKEND"].lower():
        return
    import boto3

    o = opsi["OPTIONS"]
    s3 = boto3.client("s3", endpoint_url=o["endpoint_url"], region_name=o["region_name"] or "us-east-1",
                      aws_access_key_id=o["access_key"], aws_secret_access_key=o["secret_key"])
    try:
        s3.create_bucket(Bucket=o["bucket_name"])
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from `make setup`'s state: the seed plan and the demo users."""
    with django_db_blocker.unblock():
        call_command("siapkan_demo", verbosity=0, stdout=open("/dev/null", "w"))


def pytest_collection_modifyitems(config, items):
    # Browser tests use live_server and migration tests migrate back and forth; both flush
    # the database afterwards: run them last (browser tests seed their own data).
    items.sort(key=lambda item: (item.get_closest_marker("migrasi") is not None,
                                 item.get_closest_marker("browser") is not None))


@pytest.fixture
def users(db):
    User = get_user_model()  # noqa: N806
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def dinsos(db):
    return UnitKerja.objects.get(kode="dinsos-mojokerto")


@pytest.fixture
def dinkes(db):
    return UnitKerja.objects.get(kode="dinkes-mojokerto")


@pytest.fixture
def rk_dinsos(dinsos):
    return RencanaKerja.objects.get(unit=dinsos, tahun=2024)


@pytest.fixture
def rk_dinkes(dinkes):
    return RencanaKerja.objects.get(unit=dinkes, tahun=2024)


@pytest.fixture
def client_as(client, users):
    def login(username):
        client.force_login(users[username])
        return client

    return login


@pytest.fixture(autouse=True)
def _cache_kosong():
    """Cached figures are keyed by plan version, which a rolled-back test reuses."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def antrean(settings, monkeypatch):
    """The production task backend: tasks wait in the database for a worker
    (the suite otherwise runs them inside the request, tests/settings.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # a worker run inside a test's transaction must not drop the connection
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections",
                        lambda: None)


@pytest.fixture
def jalankan_pekerja(antrean):
    """Run `manage.py db_worker` until the queue is empty, as `make worker` would."""
    def run():
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        finally:
            for s, h in handlers.items():
                signal.signal(s, h)
    return run
