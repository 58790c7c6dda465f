// Upload with a progress bar (plain XHR) and drag-and-drop onto the file field. Without
// JavaScript the forms post normally.
(function () {
  document.querySelectorAll("form.unggah-form").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (ev) {
      form.addEventListener(ev, function (e) { e.preventDefault(); form.classList.add("zona-aktif"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      form.addEventListener(ev, function () { form.classList.remove("zona-aktif"); });
    });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
    });
    form.addEventListener("submit", function (e) {
      if (!window.XMLHttpRequest || !window.FormData) return;
      e.preventDefault();
      // files over the limit are named before anything is sent (the server refuses them too)
      var maks = parseFloat(form.dataset.maksMb || "0") * 1024 * 1024;
      var besar = Array.prototype.filter.call(input.files || [], function (f) { return maks && f.size > maks; });
      if (besar.length) {
        alert((form.dataset.pesanBesar || "") + " " + besar.map(function (f) { return f.name; }).join(", ") +
              " (maks. " + form.dataset.maksMb + " MB)");
        return;
      }
      var bar = form.querySelector(".progress"), fill = bar && bar.querySelector(".progress-bar");
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (ev) {
        if (!ev.lengthComputable || !fill) return;
        var pct = Math.round(ev.loaded * 100 / ev.total);
        fill.style.width = pct + "%"; fill.textContent = pct + "%";
        bar.setAttribute("aria-valuenow", pct);
      });
      xhr.onload = function () {
        if (xhr.status < 200 || xhr.status >= 300) {
          button.disabled = false;
          if (bar) bar.classList.add("d-none");
          alert("Unggahan gagal (kode " + xhr.status + "). Berkas belum tersimpan; coba lagi atau hubungi Admin.");
          return;
        }
        var url = window.location.href;
        try { url = JSON.parse(xhr.responseText).url || url; } catch (err) { /* keep */ }
        var samePage = new URL(url, window.location.href).pathname === window.location.pathname;
        window.location.assign(url);
        if (samePage) window.location.reload();  // only the #anchor changed: load it again
      };
      xhr.onerror = function () { button.disabled = false; alert(form.dataset.galat || "Unggahan gagal. Periksa koneksi lalu coba lagi."); };
      if (bar) bar.classList.remove("d-none");
      button.disabled = true;
      xhr.send(new FormData(form));
    });
  });
})();
