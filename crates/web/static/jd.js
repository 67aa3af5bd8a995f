// multiplier — the copy button on the job-description page. Without this file
// the button stays hidden and the text can be selected and copied by hand.
"use strict";
(function () {
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const target = document.getElementById(button.dataset.copy);
    if (!target || !navigator.clipboard) return;
    const status = button.parentElement.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(target.value || target.textContent);
        if (status) status.textContent = "Copied.";
      } catch (_) {
        target.select();
        if (status) status.textContent = "Select all and copy by hand (Ctrl+C / ⌘C).";
      }
    });
  });
})();
