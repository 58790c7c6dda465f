"""Evidence, logos and signed reports go through the "bukti" storage alias: local disk by
default, S3-compatible object storage when ZI_S3_BUCKET is set. CI runs the upload,
download and bundle tests once against a local S3 server (moto) with ZI_UJI_S3=1; then this
test makes sure the run really used it."""

import os

from django.core.files.base import ContentFile

from umum.penyimpanan import storage_bukti


def test_penyimpanan_sesuai_pengaturan(db):
    st = storage_bukti()
    if os.environ.get("ZI_UJI_S3"):
        assert type(st).__name__ == "S3Storage"
        assert st.bucket_name == os.environ["ZI_S3_BUCKET"]
    nama = st.save("uji/penyimpanan.txt", ContentFile(b"isi uji"))
    try:
        with st.open(nama, "rb") as f:
            assert f.read() == b"isi uji"
        assert st.exists(nama) and st.size(nama) == 7
        # a second file with the same name never overwrites the first
        nama2 = st.save("uji/penyimpanan.txt", ContentFile(b"lain"))
        assert nama2 != nama
        st.delete(nama2)
    finally:
        st.delete(nama)
    assert not st.exists(nama)
