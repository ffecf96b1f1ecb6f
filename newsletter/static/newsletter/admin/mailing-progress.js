// The progress screen of a newsletter sending (newsletter/admin/mailing_progress.html) fetches its figures again
// every few seconds until the sending is done. A file of its own, not an inline script, so the admin's content
// security policy needs nothing more.
(() => {
  const INTERVAL = 2000;
  const container = document.querySelector("[data-mailing-progress]");
  const announce = document.querySelector("[data-mailing-announce]");
  if (!container) return;

  const figures = () => container.querySelector("[data-mailing-figures]");

  const refresh = async () => {
    const url = figures()?.dataset.refreshUrl;
    if (!url) return; // done: nothing changes any more
    try {
      // As a script: a refusal is then a 403 (the admin redirects only browsers), never a page swapped in.
      const response = await fetch(url, { headers: { "X-Requested-With": "XMLHttpRequest" } });
      // Never pull a button away from under the keyboard or a click: wait while focus is inside.
      if (response.ok && !container.contains(document.activeElement)) {
        const before = figures().dataset.state;
        container.innerHTML = await response.text();
        const after = figures();
        if (announce && after.dataset.state !== before) {
          announce.textContent = after.querySelector("[data-mailing-state]").textContent.replace(/\s+/g, " ").trim();
        }
      }
    } finally {
      setTimeout(refresh, INTERVAL);
    }
  };
  setTimeout(refresh, INTERVAL);
})();
