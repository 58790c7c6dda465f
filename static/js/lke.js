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

})();
