"""QR codes as SVG data URIs (segno), for printed pages: WeasyPrint draws them sharp."""

import segno


def qr_data_uri(teks, *, warna="#000"):
    return segno.make(teks, error="m").svg_data_uri(scale=4, border=0, dark=warna)
