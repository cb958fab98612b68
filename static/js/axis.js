// The time axis, made better with JavaScript (it works without: its marks and zoom links are links).
// - Drag across it to zoom to the years dragged over (a short press is still a click on a mark).
// - The entry being read is highlighted on the axis, which stays in view on tall enough screens.
(function () {
  "use strict";

  let observer = null;

  function setup(figure) {
    const svg = figure.querySelector("svg.axis");
    const plot = figure.querySelector(".axis-plot");
    const brush = figure.querySelector(".axis-brush");
    const first = Number(figure.dataset.from);
    const last = Number(figure.dataset.to);
    const block = figure.closest(".axis-block");

    // Where a pointer at clientX is, in percent of the plot (which stretches with the page).
    function percentAt(clientX) {
      const box = plot.getBoundingClientRect();
      return Math.min(Math.max(((clientX - box.left) / box.width) * 100, 0), 99.999);
    }
    function yearAt(clientX) {
      return first + Math.floor((percentAt(clientX) / 100) * (last - first + 1));
    }

    let start = null;
    let dragged = false;
    figure.classList.add("is-draggable");
    svg.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || event.pointerType === "touch") return;
      start = event.clientX;
      dragged = false;
    });
    svg.addEventListener("pointermove", (event) => {
      if (start === null) return;
      if (!dragged && Math.abs(event.clientX - start) < 8) return;
      if (!dragged) svg.setPointerCapture(event.pointerId);
      dragged = true;
      const [a, b] = [percentAt(start), percentAt(event.clientX)].sort((x, y) => x - y);
      brush.setAttribute("x", a + "%");
      brush.setAttribute("width", b - a + "%");
      brush.classList.add("is-active");
    });
    svg.addEventListener("pointerup", (event) => {
      if (start === null) return;
      const from = yearAt(Math.min(start, event.clientX));
      const to = yearAt(Math.max(start, event.clientX));
      start = null;
      if (!dragged) return;
      const url = new URL(window.location.href);
      url.searchParams.set("from", from);
      url.searchParams.set("to", to);
      url.hash = "timeline-axis";
      window.location.assign(url.toString());
    });
    // A drag ends in a click on whatever is under the pointer: it must not follow that link too.
    svg.addEventListener(
      "click",
      (event) => {
        if (dragged) {
          event.preventDefault();
          dragged = false;
        }
      },
      true,
    );

    if (block && block.classList.contains("axis-follows")) {
      figure.classList.add("is-following");
      // Entries jumped to from the axis land below it, not under it.
      const keepRoom = () =>
        document.documentElement.style.setProperty("--axis-height", figure.getBoundingClientRect().height + "px");
      keepRoom();
      window.addEventListener("resize", keepRoom);
    }
    follow(figure);
  }

  // Highlight the mark of the entry being read: the first entry in the upper part of the screen.
  function follow(figure) {
    if (observer) observer.disconnect();
    if (!("IntersectionObserver" in window)) return;
    const marks = new Map();
    figure.querySelectorAll("a.axis-mark[data-entry]").forEach((mark) => marks.set("entry-" + mark.dataset.entry, mark));
    const clusters = new Map();
    figure.querySelectorAll("a.axis-cluster[data-year]").forEach((cluster) => clusters.set(cluster.dataset.year, cluster));
    const entries = Array.from(document.querySelectorAll("[id^='entry-']")).filter((entry) => /^entry-\d+$/.test(entry.id));
    const visible = new Set();
    let current = null;

    function markOf(entry) {
      if (marks.has(entry.id)) return marks.get(entry.id);
      const time = entry.querySelector("time[datetime]");
      return time ? clusters.get(time.getAttribute("datetime").slice(0, 4)) : undefined;
    }
    function update() {
      const top = entries.find((entry) => visible.has(entry));
      const mark = (top && markOf(top)) || null;
      if (mark === current) return;
      if (current) current.classList.remove("is-current");
      if (mark) mark.classList.add("is-current");
      current = mark;
    }
    observer = new IntersectionObserver(
      (changes) => {
        changes.forEach((change) => (change.isIntersecting ? visible.add(change.target) : visible.delete(change.target)));
        update();
      },
      { rootMargin: "-25% 0px -45% 0px" },
    );
    entries.forEach((entry) => observer.observe(entry));
  }

  const figure = document.getElementById("timeline-axis");
  if (figure) setup(figure);
  // The editor's filters swap the list and the axis in (htmx): set the new axis up the same way.
  // An entry swapped in after an edit is a new element to follow.
  document.addEventListener("htmx:load", (event) => {
    const elt = event.detail.elt;
    if (!elt.querySelector) return;
    const swapped = elt.id === "editor-axis" ? elt.querySelector("#timeline-axis") : null;
    if (swapped) setup(swapped);
    else if (/^entry-\d+$/.test(elt.id) && document.getElementById("timeline-axis")) {
      follow(document.getElementById("timeline-axis"));
    }
  });
})();
