// Redaction review: text selected in the reply's text becomes the span to add (its offsets in the plain text).
(function () {
  "use strict";
  const container = document.getElementById("redaction-text");
  const input = document.getElementById("redaction-text-input");
  const start = document.getElementById("redaction-start");
  const end = document.getElementById("redaction-end");
  if (!container || !input) return;

  function offset(node, nodeOffset) {
    const range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, nodeOffset);
    return range.toString().length;
  }

  document.addEventListener("selectionchange", () => {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
    start.value = offset(range.startContainer, range.startOffset);
    end.value = offset(range.endContainer, range.endOffset);
    input.value = range.toString();
  });
  // typing a string instead masks each of its occurrences, not the earlier selection
  input.addEventListener("input", () => { start.value = ""; end.value = ""; });
})();
