// LKE pages: answers saved with htmx (lke/views.jawab).
(function () {
  // an invalid answer (400) or a newer version (409) comes back as the row with its message
  htmx.config.responseHandling.unshift({code: "400", swap: true}, {code: "409", swap: true});

  function pesan(text) {
    var box = document.getElementById("lke-galat");
    if (!box) return;
    var div = document.createElement("div");
    div.className = "alert alert-danger alert-dismissible shadow";
    div.setAttribute("role", "alert");
    div.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    div.appendChild(close);
    box.appendChild(div);
  }

  // signed out meanwhile: htmx followed the redirect to the sign-in page
  document.addEventListener("htmx:afterRequest", function (evt) {
    var xhr = evt.detail.xhr, box = document.getElementById("lke-galat");
    if (box && xhr && xhr.responseURL && xhr.responseURL.indexOf("/masuk/") !== -1) {
      pesan(box.dataset.pesanSesi);
    }
  });
  // refused (403), gone (404) or failed (5xx): say so instead of doing nothing
  document.addEventListener("htmx:responseError", function (evt) {
    var box = document.getElementById("lke-galat"), xhr = evt.detail.xhr;
    if (box) pesan(box.dataset.pesanGalat + " (" + xhr.status + "). " + box.dataset.pesanMuat);
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("lke-galat");
    if (box) pesan(box.dataset.pesanGalat + ". " + box.dataset.pesanMuat);
  });

  // Answers save as they change (the form posts on "change": a choice at once, a number or
  // a note when the user leaves the field). Typing that is not saved yet is never lost:
  // the reply of an earlier save does not replace a row being typed in, and leaving the
  // page with unsaved typing asks first; the bar above the table says it in words.
  var status = function () { return document.getElementById("lke-status-simpan"); };
  function belum() {
    return Array.prototype.some.call(document.querySelectorAll("form[data-lke-jawab]"),
      function (f) { return f.dataset.ubah && f.dataset.ubah !== f.dataset.tersimpan; });
  }
  function tulis(teks, kelas) {
    var s = status();
    if (!s) return;
    s.textContent = teks;
    s.className = "ms-auto " + (kelas || "text-muted");
  }
  document.addEventListener("input", function (evt) {
    var f = evt.target.closest("form[data-lke-jawab]");
    if (!f) return;
    f.dataset.ubah = String(Date.now());
    if (status()) tulis(status().dataset.belum, "text-warning-emphasis fw-semibold");
  });
  // the reply may replace the form, whose events then no longer reach the document: each
  // save is followed on its own request
  var terbang = 0;
  function perbarui() {
    if (terbang || !status()) return;
    if (belum()) { tulis(status().dataset.belum, "text-warning-emphasis fw-semibold"); return; }
    // the time in WIB, as the rows write it, whatever the browser's own zone
    var jam = new Date().toLocaleTimeString("id-ID", {timeZone: "Asia/Jakarta", hour: "2-digit",
                                                      minute: "2-digit", hour12: false});
    tulis(status().dataset.tersimpan + " " + jam.replace(".", ":") + " WIB", "text-success");
  }
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var f = evt.detail.elt;
    if (!f.matches || !f.matches("form[data-lke-jawab]")) return;
    f.dataset.dikirim = f.dataset.ubah || "0";
    terbang += 1;
    if (status()) tulis(status().dataset.menyimpan);
    evt.detail.xhr.addEventListener("loadend", function () {
      terbang -= 1;
      if (this.status === 0 || this.status >= 300) {
        if (status()) tulis(status().dataset.gagal, "text-danger fw-semibold");
        return;
      }
      f.dataset.tersimpan = f.dataset.dikirim;
      perbarui();
    });
  });
  // a row in which the user typed after the save was sent keeps its inputs: only the
  // version it must send next is taken from the reply
  document.addEventListener("htmx:oobBeforeSwap", function (evt) {
    var lama = evt.detail.target, baru = evt.detail.fragment;
    if (!lama || !lama.querySelectorAll || !baru || !baru.querySelectorAll) return;
    var sibuk = Array.prototype.filter.call(lama.querySelectorAll("form[data-lke-jawab]"),
      function (f) { return f.dataset.ubah && f.dataset.ubah !== f.dataset.dikirim; });
    if (!sibuk.length) return;
    sibuk.forEach(function (f) {
      var sisi = f.querySelector("input[name=sisi]").value;
      Array.prototype.forEach.call(baru.querySelectorAll("form[data-lke-jawab]"), function (g) {
        if (g.querySelector("input[name=sisi]").value === sisi) {
          f.querySelector("input[name=versi]").value = g.querySelector("input[name=versi]").value;
        }
      });
    });
    evt.detail.shouldSwap = false;
  });
  window.addEventListener("beforeunload", function (evt) {
    if (!belum()) return;
    evt.preventDefault();
    evt.returnValue = status() ? status().dataset.belum : "";
  });
})();
