// Review page: click a row to see its text, keyboard shortcuts j/k (move), a (accept), e (edit), r (reject), x (select).
(function () {
  "use strict";
  let current = null;

  function rows() { return Array.from(document.querySelectorAll("tr.row[data-row]")); }

  function select(row) {
    if (!row) return;
    document.querySelectorAll(".selected").forEach((el) => el.classList.remove("selected"));
    current = row.dataset.row;
    row.classList.add("selected");
    row.scrollIntoView({ block: "nearest" });
    // a row's text may be marked in pieces (split at a commitment's edge); the first carries the id
    document.querySelectorAll('[data-row="' + current + '"]:not(tr)').forEach((el) => el.classList.add("selected"));
    const first = document.getElementById("t-" + current);
    if (first) first.scrollIntoView({ block: "center" });
  }

  function currentRow() { return current && document.querySelector('tr.row[data-row="' + current + '"]'); }

  function move(step) {
    const list = rows();
    const index = list.indexOf(currentRow());
    select(list[Math.max(0, Math.min(list.length - 1, index + step))] || list[0]);
  }

  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr.row[data-row]");
    if (row && !event.target.closest("button, input, a, form")) select(row);
    const mark = event.target.closest("[data-row]:not(tr)");
    if (mark) select(document.querySelector('tr.row[data-row="' + mark.dataset.row + '"]'));
  });

  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    const row = currentRow();
    const press = (action) => { const b = row && row.querySelector('[data-action="' + action + '"]'); if (b) b.click(); };
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press("accept"); break;
      case "r": press("reject"); break;
      case "e": press("edit"); break;
      case "x": { const box = row && row.querySelector("input[type=checkbox]"); if (box) box.checked = !box.checked; break; }
      default: return;
    }
    event.preventDefault();
  });

  // A refused review or edit (409: changed by someone else since; 422: bad input) answers with the row to show
  // in place, with the reason and the current values: swap it in rather than drop it as an error.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.target && event.detail.target.closest("table.rows")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterSwap", () => { const row = currentRow(); if (row) row.classList.add("selected"); });
})();

// A search result opens the page at ?start=&end= (characters of the reply's text): mark that span and go to it.
(function () {
  "use strict";
  const params = new URLSearchParams(window.location.search);
  const start = parseInt(params.get("start"), 10), end = parseInt(params.get("end"), 10);
  const container = document.getElementById("reply-text");
  if (!container || !(start >= 0 && end > start)) return;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const pieces = [];
  let offset = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const from = Math.max(start, offset), to = Math.min(end, offset + node.length);
    if (from < to) pieces.push([node, from - offset, to - offset]);
    offset += node.length;
  }
  pieces.forEach(([node, from, to], index) => {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    const mark = document.createElement("mark");
    mark.className = "hl-focus";
    if (index === 0) mark.id = "t-focus";
    range.surroundContents(mark);
  });
  const first = document.getElementById("t-focus");
  if (first) first.scrollIntoView({ block: "center" });
})();
