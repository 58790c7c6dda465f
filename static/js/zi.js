// Small behaviours for every page (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  // buttons and links that ask first
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest("[data-konfirmasi]");
    if (el && !window.confirm(el.dataset.konfirmasi)) evt.preventDefault();
  });
  // a select that opens another plan: value "unit|tahun"
  document.addEventListener("change", function (evt) {
    var el = evt.target.closest("[data-pilih-rencana]");
    if (!el) return;
    var v = el.value.split("|");
    location.search = "?unit=" + encodeURIComponent(v[0]) + "&tahun=" + encodeURIComponent(v[1]);
  });
})();
