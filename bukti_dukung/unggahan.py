"""Upload handler that stops storing a file as soon as it passes the size limit: the rest of
that file is skipped while it streams in, never written to memory or disk. The view tells
the user which files were skipped (request.zi_terlalu_besar)."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from .services import maks_ukuran


class BatasBerkasHandler(FileUploadHandler):
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
