// 年度等级评定: while a year is being drafted, ask the server for its progress every second, move the bar,
// and reload the page once the draft is done (or failed). The project's own script, no libraries; the
// pages carry no inline script.
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll("[data-grading-progress]")) {
    const url = box.dataset.gradingProgress;
    const bar = box.querySelector("progress");
    const text = box.querySelector("[data-progress-text]");

    const show = (data) => {
      if (data.percent === null) {
        bar.removeAttribute("value"); // indeterminate: the number of holders is not known yet
        text.textContent = "正在汇总年度事实…";
      } else {
        bar.value = data.percent;
        text.textContent = `已评定 ${data.done} / ${data.total}（${data.percent}%）`;
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
          if (data.state !== "drafting") {
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
  }
});
