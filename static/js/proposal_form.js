// The new-proposal form: proposer rows can be added, moved up and removed (the first row is the lead
// proposer), and the proposal number follows the chosen session until someone types their own.
(() => {
  const form = document.getElementById("proposal-form");
  if (!form) return;
  const rows = document.getElementById("proposer-rows");
  form.querySelectorAll(".js-only").forEach((element) => { element.hidden = false; });

  document.getElementById("add-proposer").addEventListener("click", () => {
    const row = rows.lastElementChild.cloneNode(true);
    row.querySelector("input").value = "";
    row.querySelector("select").selectedIndex = 0;
    rows.appendChild(row);
    row.querySelector("input").focus();
  });
  rows.addEventListener("click", (event) => {
    const row = event.target.closest(".proposer-row");
    if (!row) return;
    if (event.target.matches("[data-row-up]") && row.previousElementSibling) {
      rows.insertBefore(row, row.previousElementSibling);
    } else if (event.target.matches("[data-row-remove]")) {
      if (rows.children.length > 1) row.remove();
      else row.querySelector("input").value = "";
    }
  });

  const number = form.querySelector("input[name=number]");
  const session = form.querySelector("select[name=session]");
  const next = JSON.parse(number.dataset.nextNumbers || "{}");
  let suggested = number.value;
  session.addEventListener("change", () => {
    if (number.value === "" || number.value === String(suggested)) {
      suggested = next[session.value] || "";
      number.value = suggested;
    }
  });
})();
