"""Django's database cache, with a write that costs one statement: `set` is an upsert, and
the table is culled on one write in CULL_SETIAP instead of being counted on every write.
`add`, `touch` and the rest (rate limits) are Django's own."""

import base64
import itertools
import pickle
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router
from django.utils.timezone import now as tz_now

CULL_SETIAP = 100


class TembolokBasisData(DatabaseCache):
    _hitungan = itertools.count(1)

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        if mode != "set":
            return super()._base_set(mode, key, value, timeout)
        return self._upsert({key: value}, timeout)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Many entries in one statement (the overview caches every changed plan at once)."""
        data = {self.make_and_validate_key(k, version=version): v for k, v in data.items()}
        items = list(data.items())
        gagal = []
        for i in range(0, len(items), 500):
            part = dict(items[i:i + 500])
            if not self._upsert(part, timeout):
                gagal.extend(part)
        return gagal

    def _upsert(self, data, timeout):
        if not data:
            return True
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self._table)
        if timeout is None:
            exp = datetime.max
        else:
            exp = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        exp = connection.ops.adapt_datetimefield_value(exp.replace(microsecond=0))
        params = []
        for key, value in data.items():
            params += [key, base64.b64encode(pickle.dumps(value, self.pickle_protocol))
                       .decode("latin1"), exp]
        try:
            with connection.cursor() as cursor:
                if next(self._hitungan) % CULL_SETIAP == 0:
                    cursor.execute(f"SELECT COUNT(*) FROM {table}")
                    num = cursor.fetchone()[0]
                    if num > self._max_entries:
                        self._cull(db, cursor, tz_now().replace(microsecond=0), num)
                # PostgreSQL and SQLite (3.24+) both know this upsert
                cursor.execute(
                    f"INSERT INTO {table} ({qn('cache_key')}, {qn('value')}, {qn('expires')}) "
                    f"VALUES {', '.join(['(%s, %s, %s)'] * len(data))} ON CONFLICT "
                    f"({qn('cache_key')}) DO UPDATE SET {qn('value')} = EXCLUDED.{qn('value')}, "
                    f"{qn('expires')} = EXCLUDED.{qn('expires')}",
                    params)
        except DatabaseError:
            return False  # like Django's: a failed cache write is not an error
        return True
