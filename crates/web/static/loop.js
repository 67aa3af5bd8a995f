// multiplier — interview-loop pages. Progressive enhancement only: the server
// checks everything again, and every form works without this file.
"use strict";
(function () {
  // A score of 1 or 4 needs its evidence; a raised red flag needs what was seen.
  // Mark the matching text field required so the browser says so before sending.
  function sync(el) {
    if (!el || !el.dataset) return;
    if (el.type === "radio") {
      const group = el.closest("fieldset[data-note]");
      if (!group) return;
      const note = document.getElementById(group.dataset.note);
      const chosen = group.querySelector("input[type=radio]:checked");
      if (note && chosen) note.required = chosen.value === "1" || chosen.value === "4";
    } else if (el.type === "checkbox" && el.dataset.note) {
      const note = document.getElementById(el.dataset.note);
      if (note) note.required = el.checked;
    }
  }
  document.addEventListener("change", (e) => sync(e.target));
  document.addEventListener("DOMContentLoaded", () => {
    document
      .querySelectorAll("fieldset[data-note] input:checked, input[type=checkbox][data-note]")
      .forEach(sync);
  });
})();
