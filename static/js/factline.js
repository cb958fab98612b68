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

// Leaving the page loses what is typed in an open entry form: the changes banner's Refresh asks first.
(function () {
  "use strict";

  function edited(form) {
    return Array.from(form.elements).some((field) => {
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") return Array.from(field.options).some((o) => o.selected !== o.defaultSelected);
      return field.type !== "hidden" && "defaultValue" in field && field.value !== field.defaultValue;
    });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-refresh]");
    if (!link) return;
    const unsaved = Array.from(document.querySelectorAll("form.entry-form")).some(edited);
    if (unsaved && !window.confirm("An entry you are editing is not saved. Refresh anyway and lose what you typed?")) {
      event.preventDefault();
    }
  });

  // Removing a member shuts them out at once, in the middle of their work: ask first.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  // Back and Forward bring back the entry list of that address, not what its filters were set to.
  document.body.addEventListener("htmx:historyRestore", () => {
    const params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form.filters").forEach((form) => {
      Array.from(form.elements).forEach((field) => {
        if (field.name) field.value = params.get(field.name) || "";
      });
    });
  });
})();

// Keyboard: after htmx swaps an entry's block, its form, the line of a deleted entry or a conflict in,
// focus goes where the server's markup says (data-focus), instead of falling back to the top of the
// page with the element that had it. On a form, that is its first field (the first with an error, if any).
(function () {
  "use strict";

  const FIELDS = "input:not([type=hidden]), select, textarea";

  // Once settled, when htmx has made the new markup work (an Edit pressed sooner would load a page).
  // If focus moved meanwhile (someone began typing in another field), it stays where they put it.
  let focusedAtSwap = null;
  document.body.addEventListener("htmx:afterSwap", () => {
    focusedAtSwap = document.activeElement;
  });
  document.body.addEventListener("htmx:afterSettle", () => {
    const marked = document.querySelector("[data-focus]");
    if (!marked) return;
    marked.removeAttribute("data-focus");  // once: a later swap (the changes poll) must not move focus back
    if (document.activeElement !== focusedAtSwap) return;
    const field = marked.tagName === "FORM" &&
      (marked.querySelector(`.has-error :is(${FIELDS})`) || marked.querySelector(FIELDS));
    (field || marked).focus();
  });

  // Escape closes an open entry form: an entry's edit form as its Cancel does, the add form folds away.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented || !(event.target instanceof Element)) return;
    const form = event.target.closest("form.entry-form");
    if (!form) return;
    const cancel = form.querySelector("a[data-cancel]");
    const details = form.closest("details");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    } else if (details) {
      event.preventDefault();
      details.open = false;
      details.querySelector("summary").focus();
    }
  });
})();
