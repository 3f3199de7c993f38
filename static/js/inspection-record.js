// The record page of an inspection, for its officers (R-INS-6): nothing held in this browser is stranded.
//
// What the officer's form kept in this browser and could not send (answers in localStorage, photos in
// IndexedDB, see inspection-store.js) is looked up here too. It is sent once from this page when the
// page opens and when the connection returns: while the record is a draft it arrives (and the page is
// loaded again to show it); once the record is locked or signed the server refuses it (409) and says
// why — and a photo that in fact arrived before is recognised by its number and dropped. While
// anything is held, 签名 is disabled with "本机尚有 N 项未发送" and a link to the form; what could not
// arrive is listed under 本机未能送达的内容 with its reason, to be saved to the phone (保存到本机)
// and then cleared (已处理，清除, after a confirm). What the server found wrong in itself (400, "invalid"
// in inspection-store.js) does not hold 签名 and is not sent again unasked; it is listed with the rest
// of what was refused. The project's own script, no libraries.
(() => {
  const configNode = document.getElementById("inspection-held-config");
  const store = window.InspectionStore;
  if (!configNode || !store) return;
  const config = JSON.parse(configNode.textContent);
  const NOT_SENT = "未能发送（离线或服务器暂时无法接收），请联网后回到填写页面发送。";

  const hint = document.querySelector("[data-held-hint]");
  const count = document.querySelector("[data-held-count]");
  const panel = document.querySelector("[data-held]");
  const answersBox = document.querySelector("[data-held-answers]");
  const answerList = document.querySelector("[data-held-answer-list]");
  const answersFile = document.querySelector("[data-held-answers-file]");
  const photosBox = document.querySelector("[data-held-photos]");
  const photoList = document.querySelector("[data-held-photo-list]");
  const clearButton = document.querySelector("[data-held-clear]");
  const signForm = document.querySelector("[data-action=sign]");
  const signButton = signForm?.querySelector("button[type=submit]");

  let answers = {};
  let photos = [];
  const urls = []; // object URLs of this rendering, let go on the next
  // What 签名 waits for: everything held but what the server will never take as it is.
  const held = () => Object.values(answers).filter(store.awaited).length + photos.filter(store.awaited).length;
  const refused = (entry) => entry.state === "refused" || entry.state === store.INVALID;

  // 签名 waits while anything is held; from the first moment, until the browser has been asked.
  const blockSign = (blocked) => {
    if (signButton) signButton.disabled = blocked;
  };
  blockSign(true);
  signForm?.addEventListener("submit", (event) => {
    if (held()) event.preventDefault();
  });

  // Listed: everything once the record cannot take it any more; while a draft, what was refused.
  const listed = (entry) => !config.draft || refused(entry);
  const code = (point) => (point == null ? "其他照片" : `第 ${config.codes[point] || point} 项`);
  const reasonOf = (entry) => entry.message || NOT_SENT;
  const answerLine = (id, entry) => {
    const v = entry.values || {};
    const parts = [`${code(id)}：${config.verdicts[v.verdict] || "未选择结论"}`];
    if (v.note) parts.push(`情况说明：${v.note}`);
    if (v.deadline_workdays) parts.push(`整改时限 ${v.deadline_workdays} 个工作日`);
    if (v.responsible_person) parts.push(`整改责任人：${v.responsible_person}`);
    return parts.join("；");
  };
  const objectUrl = (blob) => {
    const url = URL.createObjectURL(blob);
    urls.push(url);
    return url;
  };

  const render = () => {
    while (urls.length) URL.revokeObjectURL(urls.pop());
    const n = held();
    blockSign(n > 0 && !config.signed);
    hint.hidden = n === 0 || config.signed;
    count.textContent = String(n);
    const listedAnswers = Object.entries(answers).filter(([, e]) => listed(e));
    const listedPhotos = photos.filter(listed);
    panel.hidden = listedAnswers.length + listedPhotos.length === 0;

    answerList.replaceChildren();
    for (const [id, entry] of listedAnswers) {
      const item = document.createElement("li");
      item.dataset.heldAnswer = id;
      const text = document.createElement("span");
      text.textContent = answerLine(id, entry);
      const reason = document.createElement("small");
      reason.className = "held-reason";
      reason.textContent = `未送达原因：${reasonOf(entry)}`;
      item.append(text, reason);
      answerList.append(item);
    }
    answersBox.hidden = listedAnswers.length === 0;
    if (listedAnswers.length) {
      const lines = [`现场检查 ${config.number} · 本机未能送达的检查结论（导出于 ${new Date().toLocaleString("zh-CN")}）`, ""];
      for (const [id, entry] of listedAnswers) lines.push(answerLine(id, entry), `  未送达原因：${reasonOf(entry)}`);
      answersFile.href = objectUrl(new Blob([lines.join("\r\n") + "\r\n"], { type: "text/plain;charset=utf-8" }));
      answersFile.download = `${config.number}-未送达的检查结论.txt`;
    }

    photoList.replaceChildren();
    for (const record of listedPhotos) {
      const item = document.createElement("li");
      item.className = "held-photo";
      item.dataset.heldPhoto = record.client_id;
      const url = objectUrl(record.blob);
      const img = document.createElement("img");
      img.src = url;
      img.alt = "未送达的现场照片";
      img.width = img.height = 64;
      const text = document.createElement("span");
      const name = document.createElement("strong");
      name.textContent = record.name || "照片";
      const reason = document.createElement("small");
      reason.className = "held-reason";
      reason.textContent = `${code(record.point)} · 未送达原因：${reasonOf(record)}`;
      const save = document.createElement("a");
      save.className = "button";
      save.href = url;
      save.download = record.name || `${config.number}-照片.jpg`;
      save.textContent = "保存到本机";
      text.append(name, reason, save);
      item.append(img, text);
      photoList.append(item);
    }
    photosBox.hidden = listedPhotos.length === 0;
  };

  // Send what is held, once; what arrives is dropped, what is refused keeps the server's reason.
  let sending = false;
  const sendHeld = async () => {
    if (sending || !navigator.onLine) return false;
    sending = true;
    let arrived = false;
    try {
      const outcome = new Map(); // id -> {seq, entry (refused) or null (arrived)}
      for (const [id, entry] of Object.entries(answers)) {
        if (!store.awaited(entry)) continue;
        const response = await store.postAnswer(config.answersUrl, id, entry.values || {});
        if (response.ok) {
          outcome.set(id, { seq: entry.seq, entry: null });
          arrived = true;
        } else if (response.status >= 400 && response.status < 500) {
          const message = store.errorText(response.data);
          const state = store.refusal(response.status);
          outcome.set(id, { seq: entry.seq, entry: { ...entry, state, message } });
        }
      }
      // The form may have changed an answer meanwhile (another tab): its newer one stays as it is.
      const latest = store.loadAnswers(config.inspection);
      for (const [id, result] of outcome) {
        if (!latest[id] || latest[id].seq !== result.seq) continue;
        if (result.entry) latest[id] = result.entry;
        else delete latest[id];
      }
      store.storeAnswers(config.inspection, latest);
      answers = latest;
      for (const record of photos) {
        if (!store.awaited(record)) continue;
        const response = await store.postPhoto(config.photosUrl, record);
        if (response.ok) {
          await store.deletePhoto(record.client_id);
          arrived = arrived || response.status === 201;
        } else if (store.refused(response.status)) {
          record.state = store.refusal(response.status);
          record.message = store.errorText(response.data);
          await store.putPhoto(record);
        }
      }
      photos = await store.waitingPhotos(config.inspection);
    } finally {
      sending = false;
    }
    return arrived;
  };

  const load = async () => {
    answers = store.loadAnswers(config.inspection);
    photos = await store.waitingPhotos(config.inspection).catch(() => []);
  };
  const check = async () => {
    try {
      await load();
      render();
      if (!held()) return;
      const arrived = await sendHeld();
      // A draft that received something: the page again, to show it on the record.
      if (arrived && config.draft && !held()) {
        window.location.reload();
        return;
      }
    } finally {
      render();
    }
  };

  clearButton.addEventListener("click", async () => {
    const ok = window.confirm(
      "确认已将这些内容保存到本机或另行处理？清除后本机不再保留，且无法恢复；服务器上的检查记录不受影响。",
    );
    if (!ok) return;
    // Only what is listed: what is still on its way while a draft stays.
    const latest = store.loadAnswers(config.inspection);
    for (const [id, entry] of Object.entries(latest)) if (listed(entry)) delete latest[id];
    store.storeAnswers(config.inspection, latest);
    for (const record of photos) if (listed(record)) await store.deletePhoto(record.client_id);
    await load();
    render();
  });
  window.addEventListener("online", () => check());
  check();
})();
