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
        value = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
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
                    f"VALUES (%s, %s, %s) ON CONFLICT ({qn('cache_key')}) DO UPDATE SET "
                    f"{qn('value')} = EXCLUDED.{qn('value')}, "
                    f"{qn('expires')} = EXCLUDED.{qn('expires')}",
                    [key, value, exp])
        except DatabaseError:
            return False  # like Django's: a failed cache write is not an error
        return True
