// Cite these words: selecting words inside one passage of a source fills the citing bar with
// the passage, the exact words and where they start, counted in characters of the passage text
// (code points, as the server counts them, not the UTF-16 units JavaScript strings use).
(function () {
  "use strict";

  const bar = document.getElementById("selection-cite");
  if (!bar) return;
  const field = (name) => bar.querySelector(`[name="${name}"]`);
  const where = bar.querySelector(".selection-where");
  const preview = bar.querySelector(".selection-quote");
  const length = (text) => Array.from(text).length;

  function passageOf(node) {
    const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return element ? element.closest("[data-passage]") : null;
  }

  // The selection clipped to the passage it starts in (a triple click runs on into the next block).
  function selected() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0).cloneRange();
    const passage = passageOf(range.startContainer) || passageOf(range.endContainer);
    if (!passage) return null;
    const whole = document.createRange();
    whole.selectNodeContents(passage);
    if (range.compareBoundaryPoints(Range.START_TO_START, whole) < 0) range.setStart(whole.startContainer, whole.startOffset);
    if (range.compareBoundaryPoints(Range.END_TO_END, whole) > 0) range.setEnd(whole.endContainer, whole.endOffset);
    const before = whole.cloneRange();
    before.setEnd(range.startContainer, range.startOffset);
    // Range.toString() gives the text as stored; Selection.toString() would give it as laid out.
    const raw = range.toString();
    if (!raw.trim()) return null;
    const leading = raw.length - raw.trimStart().length;
    const start = length(before.toString()) + length(raw.slice(0, leading));
    return { passage, ...wholeWords(Array.from(whole.toString()), start, start + length(raw.trim())) };
  }

  // A drag that starts or ends inside a word takes the whole word: "moil" of "turmoil" is no quote.
  const isWord = (char) => char !== undefined && /[\p{L}\p{N}]/u.test(char);
  function wholeWords(chars, start, end) {
    while (start > 0 && isWord(chars[start - 1]) && isWord(chars[start])) start -= 1;
    while (end < chars.length && isWord(chars[end]) && isWord(chars[end - 1])) end += 1;
    return { start, quote: chars.slice(start, end).join("") };
  }

  function show(found) {
    field("passage").value = found.passage.dataset.passage;
    field("start").value = String(found.start);
    field("quote").value = found.quote;
    where.textContent = `¶${found.passage.dataset.number}:`;
    preview.textContent = found.quote;
    // The answer replaces this passage's block: its "cited by" list and a confirmation.
    bar.setAttribute("data-hx-target", `#p${found.passage.dataset.number}`);
    bar.hidden = false;
  }

  function hide() {
    bar.hidden = true;
    field("quote").value = "";
    // Each citation's stance is chosen afresh: the last one's would otherwise carry over unseen.
    const stance = field("stance");
    stance.value = (Array.from(stance.options).find((option) => option.defaultSelected) || stance.options[0]).value;
  }

  let pending = 0;
  document.addEventListener("selectionchange", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      const found = selected();
      // A collapsed selection (a click into the bar) keeps what was chosen until Cancel or a citation.
      if (found) show(found);
    }, 120);
  });

  bar.querySelector(".selection-cancel").addEventListener("click", hide);
  bar.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.xhr && event.detail.xhr.status < 500) {
      hide();
      window.getSelection().removeAllRanges();
    }
  });
})();
