// Small behaviours for every page (no inline scripts: the Content-Security-Policy forbids them).
(function () {
  // buttons and links that ask first
  document.addEventListener("click", function (evt) {
    var el = evt.target.closest("[data-konfirmasi]");
    if (el && !window.confirm(el.dataset.konfirmasi)) evt.preventDefault();
  });
  // forms that start work: one submission per click (a double click queues nothing twice);
  // disabled after the browser has taken the pressed button's value
  document.addEventListener("submit", function (evt) {
    var form = evt.target.closest("form[data-sekali]");
    if (!form || evt.defaultPrevented) return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  // back to a page from the browser's cache: its buttons work again
  window.addEventListener("pageshow", function (evt) {
    if (!evt.persisted) return;
    document.querySelectorAll("form[data-sekali] button[type=submit]").forEach(function (b) {
      b.disabled = false;
    });
  });
  // a select that opens another plan: value "unit|tahun"
  document.addEventListener("change", function (evt) {
    var el = evt.target.closest("[data-pilih-rencana]");
    if (!el) return;
    var v = el.value.split("|");
    location.search = "?unit=" + encodeURIComponent(v[0]) + "&tahun=" + encodeURIComponent(v[1]);
  });
})();
