// Keep the filter form in step with the URL when htmx restores a page from history
// (the Back button): the form sits outside the swapped tree.
(function () {
  function syncFilter() {
    var form = document.getElementById("filter");
    if (!form) return;
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.type === "checkbox") { el.checked = params.get(el.name) === el.value; }
      else if (el.tagName === "SELECT" || el.type === "search" || el.type === "text") {
        el.value = params.get(el.name) || el.dataset.bawaan || "";
      }
    });
  }
  document.addEventListener("htmx:historyRestore", syncFilter);
  // Short URLs: leave out empty filters ("?bulan=2024-04", not "?area=&bulan=2024-04&pic=&q=").
  document.addEventListener("htmx:configRequest", function (evt) {
    var params = evt.detail.parameters;
    if (params instanceof FormData) {
      Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) params.delete(k); });
    } else {
      Object.keys(params).forEach(function (k) { if (!params[k]) delete params[k]; });
    }
  });
  window.addEventListener("popstate", function () { setTimeout(syncFilter, 0); });
})();
