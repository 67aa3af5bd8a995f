// multiplier — a little progressive enhancement, no build step. Every page works
// without it; scripts read the CSRF token from <meta name="csrf-token">.
"use strict";
window.multiplier = {
  csrf() {
    const m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  },
  // POST a JSON body with the CSRF header; resolves to the parsed JSON answer.
  async postJson(url, body) {
    const r = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": this.csrf() },
      body: JSON.stringify(body),
    });
    const data = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error((data.error && data.error.message) || r.statusText);
    return data;
  },
};
