"""Upload handlers. The first stops storing a file as soon as it passes the size limit: the
rest of that file is skipped while it streams in, never written to memory or disk (the view
tells the user which files were skipped: request.zi_terlalu_besar). The others keep the
file in memory or in a temporary file as Django's do, and hash it while it streams in
(`file.sha256`), so the file is not read again to hash it; a temporary file is then moved
into local storage, not copied."""

import hashlib

from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    SkipFile,
    TemporaryFileUploadHandler,
)

from .services import maks_ukuran

# Django reads the body in pieces of the smallest handler chunk (64 KiB by default): larger
# pieces mean fewer Python calls per megabyte.
POTONGAN = 1024 * 1024


class BatasBerkasHandler(FileUploadHandler):
    chunk_size = POTONGAN

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.diterima = 0

    def receive_data_chunk(self, raw_data, start):
        self.diterima += len(raw_data)
        if self.diterima > maks_ukuran():
            if not hasattr(self.request, "zi_terlalu_besar"):
                self.request.zi_terlalu_besar = []
            self.request.zi_terlalu_besar.append(self.file_name)
            raise SkipFile
        return raw_data  # passed on to the next handler (memory or temporary file)

    def file_complete(self, file_size):
        return None


class _Sidik:
    chunk_size = POTONGAN

    def new_file(self, *args, **kwargs):
        self.sidik = hashlib.sha256()  # first: the memory handler ends new_file by raising
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        out = super().receive_data_chunk(raw_data, start)
        if out is None:  # this handler kept the chunk
            self.sidik.update(raw_data)
        return out

    def file_complete(self, file_size):
        f = super().file_complete(file_size)
        if f is not None:
            f.sha256 = self.sidik.hexdigest()
        return f


class MemoriSidikHandler(_Sidik, MemoryFileUploadHandler):
    pass


class SementaraSidikHandler(_Sidik, TemporaryFileUploadHandler):
    pass
