// The bureau system's own script: the phone-width menu toggle and the navigation's to-do counts.
// Nothing is loaded from outside.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.getElementById("main-nav");
  if (!toggle || !nav) return;
  toggle.addEventListener("click", () => {
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
  // The home page renders its counts; every other page asks for them once it has loaded.
  const url = nav.dataset.countsUrl;
  if (!url) return;
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : {}))
    .then((counts) => {
      for (const [key, count] of Object.entries(counts)) {
        const link = nav.querySelector(`a[data-nav="${CSS.escape(key)}"]`);
        if (!link || !count || link.querySelector(".nav-count")) continue;
        const badge = document.createElement("span");
        badge.className = "nav-count";
        badge.title = `待办 ${count} 项`;
        badge.textContent = String(count);
        link.append(badge);
      }
    })
    .catch(() => {});
});
