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
        el.value = params.get(el.name) || "";
      }
    });
  }
  document.addEventListener("htmx:historyRestore", syncFilter);
  window.addEventListener("popstate", function () { setTimeout(syncFilter, 0); });
})();
