// 我的文档: while a document is made in the background, ask for its progress every second, move the bar,
// and reload the page when it is done or failed (the page then offers the download or the reason).
// The project's own script, no libraries; the pages carry no inline script.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-document-progress]")) {
    if (box.dataset.state === "done" || box.dataset.state === "failed") continue;
    const url = box.dataset.documentProgress;
    const bar = box.querySelector("progress");
    const text = box.querySelector("[data-progress-text]");

    const poll = async () => {
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          cache: "no-store",
        });
        if (response.ok) {
          const data = await response.json();
          if (data.state === "done" || data.state === "failed") {
            window.location.reload();
            return;
          }
          if (data.percent === null) {
            bar.removeAttribute("value");
            text.textContent = "正在准备…";
          } else {
            bar.value = data.percent;
            text.textContent = `已完成 ${data.done} / ${data.total}（${data.percent}%）`;
          }
        }
      } catch (error) {
        // A dropped request (server restarting, network): try again at the next tick.
      }
      window.setTimeout(poll, 1000);
    };
    window.setTimeout(poll, 1000);
  }
});
