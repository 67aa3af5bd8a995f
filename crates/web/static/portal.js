// multiplier candidate portal — progressive enhancement, no build step. Every form
// works without this script; with it, drafts save as the candidate types, a click on
// a diff line opens a comment box under it, and a new link has a copy button.
// JSON is posted with the CSRF token from <meta name="csrf-token"> in x-csrf-token.
"use strict";
(function () {
  const DEBOUNCE_MS = 1200;

  function csrf() {
    const m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  }

  async function postJson(url, body) {
    const r = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf() },
      body: JSON.stringify(body),
    });
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      throw new Error((data.error && data.error.message) || "the draft could not be saved");
    }
    return data;
  }

  function hhmm(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return "";
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  // <time datetime> in the reader's own time zone.
  function localTimes() {
    document.querySelectorAll("time[datetime]").forEach((t) => {
      const d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) {
        t.textContent = d.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
      }
    });
  }

  // A saver: debounced or immediate JSON posts, one at a time, with a status line.
  function saver(url, status, collect, onSaved) {
    let timer = null;
    let busy = null;
    let again = false;
    function show(text, problem) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("portal-problem", !!problem);
    }
    async function run() {
      if (busy) {
        again = true;
        return busy;
      }
      timer = null;
      show("Saving…");
      busy = postJson(url, collect())
        .then((data) => {
          show("Saved at " + hhmm(data.saved_at) + ".");
          if (onSaved) onSaved(data);
        })
        .catch((e) => show("Not saved: " + e.message, true))
        .finally(() => {
          busy = null;
          if (again) {
            again = false;
            run();
          }
        });
      return busy;
    }
    return {
      soon() {
        if (timer) clearTimeout(timer);
        show("Unsaved changes…");
        timer = setTimeout(run, DEBOUNCE_MS);
      },
      now() {
        if (timer) clearTimeout(timer);
        return run();
      },
      // Nothing waiting to be saved and nothing being saved.
      idle() {
        return !timer && !busy;
      },
      // Resolves once nothing is waiting to be saved.
      async flush() {
        if (timer) await run();
        while (busy) await busy;
      },
      show,
    };
  }

  // Hold a form's submission until the last draft is saved. With nothing
  // waiting (the candidate paused long enough for the draft to save), the
  // browser's own submission goes ahead untouched. Otherwise it is held and
  // submitted again once saved, from a fresh task: requestSubmit() called
  // while the first submit event is still being dispatched is ignored, which
  // made the first tap do nothing.
  function submitAfter(form, s) {
    let flushed = false;
    form.addEventListener("submit", (e) => {
      if (flushed || s.idle()) return;
      e.preventDefault();
      const submitter = e.submitter;
      s.flush().finally(() => {
        flushed = true;
        setTimeout(() => {
          if (form.requestSubmit) form.requestSubmit(submitter);
          else form.submit();
        }, 0);
      });
    });
  }

  // ---------------------------------------------------------------- assessment
  function assessment(form) {
    const areas = form.querySelectorAll("textarea[name^='answer-']");
    const s = saver(form.dataset.autosave, document.getElementById("save-status"), () => ({
      answers: Array.from(areas).map((a) => ({
        question: a.name.slice("answer-".length),
        text: a.value,
      })),
    }));
    areas.forEach((a) => a.addEventListener("input", () => s.soon()));
    submitAfter(form, s);
  }

  // ---------------------------------------------------------------- code review
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function review(form) {
    const summary = document.getElementById("summary");
    const list = document.getElementById("comment-list");
    const addForm = document.getElementById("add-comment");
    const status = document.getElementById("save-status");
    let comments = Array.from(list.querySelectorAll("li[data-path]")).map((li) => ({
      path: li.dataset.path,
      line: Number(li.dataset.line),
      side: li.dataset.side,
      body: li.querySelector(".portal-comment-body").textContent,
    }));
    const draft = (cs) => ({ summary: summary.value, comments: cs });
    const s = saver(form.dataset.autosave, status, () => draft(comments));
    summary.addEventListener("input", () => s.soon());
    submitAfter(form, s);

    // Save a changed comment list; keep it only when the server accepts it.
    async function change(next) {
      await s.flush();
      s.show("Saving…");
      try {
        const data = await postJson(form.dataset.autosave, draft(next));
        comments = data.draft.comments;
        s.show("Saved at " + hhmm(data.saved_at) + ".");
        render();
        return true;
      } catch (e) {
        s.show("Not saved: " + e.message, true);
        return false;
      }
    }

    function rowFor(c) {
      const table = Array.from(document.querySelectorAll("table.portal-diff")).find(
        (t) => t.dataset.path === c.path
      );
      if (!table) return null;
      return table.querySelector(
        'tr[data-side="' + c.side + '"][data-line="' + c.line + '"]'
      );
    }

    function removeButton(i, text) {
      const b = el("button", { type: "button", class: "link" }, text);
      b.addEventListener("click", () => {
        change(comments.filter((_, j) => j !== i));
      });
      return b;
    }

    function render() {
      document.querySelectorAll("tr.portal-comment-row").forEach((r) => r.remove());
      list.textContent = "";
      const none = document.getElementById("no-comments");
      if (none) none.hidden = comments.length > 0;
      comments.forEach((c, i) => {
        const where = c.path + ":" + c.line + (c.side === "old" ? " (old)" : "");
        const li = el("li");
        li.append(el("code", {}, where), el("div", { class: "portal-answer" }, c.body));
        li.append(removeButton(i, "Remove"));
        list.append(li);
        const row = rowFor(c);
        if (row) {
          const tr = el("tr", { class: "portal-comment-row" });
          const td = el("td", { colspan: "3" });
          const box = el("div", { class: "portal-comment" });
          box.append(
            el("p", { class: "hint" }, "Your comment on line " + c.line + (c.side === "old" ? " (old version)" : "")),
            el("div", { class: "portal-answer" }, c.body),
            removeButton(i, "Remove this comment")
          );
          td.append(box);
          tr.append(td);
          let after = row;
          while (after.nextElementSibling && after.nextElementSibling.classList.contains("portal-comment-row")) {
            after = after.nextElementSibling;
          }
          after.after(tr);
        }
      });
    }

    let editorCount = 0;
    function openEditor(row, path, line, side) {
      const open = row.parentElement.querySelector("tr.portal-editor");
      if (open) open.remove();
      editorCount += 1;
      const id = "inline-comment-" + editorCount;
      const tr = el("tr", { class: "portal-editor" });
      const td = el("td", { colspan: "3" });
      const label = el("label", { for: id }, "Comment on line " + line + " of " + path + (side === "old" ? " (old version)" : ""));
      const area = el("textarea", { id: id, rows: "4", maxlength: "5000" });
      const add = el("button", { type: "button" }, "Add comment");
      const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
      const close = () => {
        tr.remove();
        const b = row.querySelector("button.portal-line");
        if (b) b.focus();
      };
      add.addEventListener("click", async () => {
        if (!area.value.trim()) {
          area.focus();
          return;
        }
        const ok = await change(comments.concat([{ path, line, side, body: area.value }]));
        if (ok) close();
      });
      cancel.addEventListener("click", close);
      area.addEventListener("keydown", (e) => {
        if (e.key === "Escape") close();
      });
      const box = el("div", { class: "portal-editor-box" });
      box.append(label, area, add, document.createTextNode(" "), cancel);
      td.append(box);
      tr.append(td);
      let after = row;
      while (after.nextElementSibling && after.nextElementSibling.classList.contains("portal-comment-row")) {
        after = after.nextElementSibling;
      }
      after.after(tr);
      area.focus();
    }

    // Line numbers become buttons: click to comment under that line.
    document.querySelectorAll("table.portal-diff").forEach((table) => {
      const path = table.dataset.path;
      table.querySelectorAll("tr[data-line]").forEach((row) => {
        const side = row.dataset.side;
        const line = Number(row.dataset.line);
        const cell = row.children[side === "old" ? 0 : 1];
        if (!cell) return;
        const b = el("button", {
          type: "button",
          class: "portal-line",
          "aria-label": "Comment on line " + line + " of " + path + (side === "old" ? " (old version)" : ""),
        }, String(line));
        b.addEventListener("click", () => openEditor(row, path, line, side));
        cell.textContent = "";
        cell.append(b);
      });
    });

    // The form under the diff, and the remove buttons, save without a reload.
    if (addForm) {
      addForm.addEventListener("submit", async (e) => {
        e.preventDefault();
        const f = new FormData(addForm);
        const ok = await change(comments.concat([{
          path: f.get("path"),
          line: Number(f.get("line")),
          side: f.get("side") || "new",
          body: f.get("body"),
        }]));
        if (ok) addForm.reset();
      });
    }
    render();
  }

  // ---------------------------------------------------------------- copy a link
  function copyButtons() {
    document.querySelectorAll("input[data-copy]").forEach((input) => {
      if (!navigator.clipboard) return;
      const b = el("button", { type: "button", class: "secondary" }, "Copy the link");
      const note = el("span", { class: "hint", role: "status" });
      b.addEventListener("click", () => {
        navigator.clipboard.writeText(input.value).then(
          () => (note.textContent = " Copied."),
          () => (note.textContent = " Copying failed; select the text and copy it.")
        );
      });
      input.after(b, note);
      input.addEventListener("focus", () => input.select());
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    localTimes();
    copyButtons();
    const a = document.getElementById("assessment-form");
    if (a && a.dataset.autosave) assessment(a);
    const r = document.getElementById("review-form");
    if (r && r.dataset.autosave && document.getElementById("comment-list")) review(r);
  });
})();
