// multiplier — live guidance on the role-intake form. Progressive enhancement:
// without this file the "Check answers" button shows the same guidance.
"use strict";
(function () {
  const form = document.getElementById("intake");
  const panel = document.getElementById("guidance");
  if (!form || !panel || !window.fetch || !window.URLSearchParams) return;
  const url = form.dataset.guidance;
  let timer = null;
  let latest = 0;

  async function refresh() {
    const mine = ++latest;
    const body = new URLSearchParams(new FormData(form));
    body.delete("action");
    try {
      const r = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "x-csrf-token": window.multiplier ? window.multiplier.csrf() : "" },
        body,
      });
      // Only the answer to the newest request is shown.
      if (!r.ok || mine !== latest) return;
      panel.innerHTML = await r.text();
    } catch (_) {
      // Keep the last guidance; "Check answers" still works.
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
