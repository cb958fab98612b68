// When an htmx request fails, nothing is swapped (see responseHandling in base.html): say so above
// the page, in words the #request-error element holds, instead of failing silently.
(function () {
  "use strict";

  const box = document.getElementById("request-error");
  if (!box) return;

  function show(kind) {
    box.textContent = box.dataset[kind] || box.dataset.error;
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  document.body.addEventListener("htmx:responseError", (event) => {
    const status = String(event.detail.xhr.status);
    show(["401", "403", "404"].includes(status) ? status : "error");
  });
  document.body.addEventListener("htmx:sendError", () => show("offline"));
  // A later save that works means the trouble is over (the background poll proves nothing).
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful && event.detail.requestConfig.verb !== "get") box.hidden = true;
  });
})();
