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

// Search-as-you-type for fields that pick a record (bureau.web.SearchInput): suggestions come from the
// field's data-search-url as {results: [{label, name, code, town}]}; choosing one fills in its label
// (「代码 名称」), which the server resolves. Without this script the field is plain text.
document.addEventListener("DOMContentLoaded", () => {
  let counter = 0;
  for (const input of document.querySelectorAll("input[data-search-url]")) {
    counter += 1;
    const list = document.createElement("ul");
    list.className = "suggestions";
    list.id = `suggestions-${counter}`;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.insertAdjacentElement("afterend", list);
    let results = [];
    let active = -1;
    let timer = null;
    let asked = "";

    const close = () => {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    const choose = (index) => {
      const result = results[index];
      if (!result) return;
      input.value = result.label;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };
    const highlight = (index) => {
      const options = list.querySelectorAll("[role=option]");
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (options[index]) input.setAttribute("aria-activedescendant", options[index].id);
    };
    const show = (found, text) => {
      results = found;
      list.replaceChildren();
      if (!found.length) {
        const empty = document.createElement("li");
        empty.className = "suggestion-empty";
        empty.textContent = `未找到与“${text}”相符的排污单位`;
        list.append(empty);
      }
      found.forEach((result, index) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${index}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        const name = document.createElement("strong");
        name.textContent = result.name;
        const meta = document.createElement("small");
        meta.textContent = [result.code, result.town].filter(Boolean).join(" · ");
        option.append(name, meta);
        // mousedown, not click: it comes before the input's blur closes the list.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(index);
        });
        list.append(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    };
    const ask = () => {
      const text = input.value.trim();
      if (!text) return close();
      asked = text;
      const url = `${input.dataset.searchUrl}?q=${encodeURIComponent(text)}`;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => {
          if (asked === text && document.activeElement === input) show(data.results || [], text);
        })
        .catch(() => close());
    };

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }
});
