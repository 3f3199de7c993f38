// 数据导入: while a batch is parsed or written, ask the server for its progress every second, move the
// bar, and reload the page once the batch has left that state. The project's own script, no libraries.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-import-progress]");
  if (!box) return;
  const url = box.dataset.importProgress;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");

  const show = (data) => {
    if (data.percent === null) {
      bar.removeAttribute("value"); // indeterminate: the amount is not known yet
      text.textContent = data.text;
    } else {
      bar.value = data.percent;
      text.textContent = `${data.text}（${data.percent}%）`;
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const data = await response.json();
        if (!data.is_running) {
          window.location.reload();
          return;
        }
        show(data);
      }
    } catch (error) {
      // A dropped request (server restarting, network): try again at the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
});
