// The officer's form at the factory gate (inspections, R-INS-6): nothing is lost.
//
// Every change to a point is kept in the browser first (localStorage, by inspection) and then sent to
// /api/v1/inspections/<pk>/answers/; every photo is kept in IndexedDB first and then sent, one by one,
// to /photos/, which answers with a receipt. What could not be sent (offline, a server error) waits and
// is sent again when the connection returns, every half minute, and when the page is opened again.
// What the server refused stays, with its Chinese reason, until the officer changes it. Each point
// shows 已保存 HH:MM / 待发送（离线） / 未通过：…; the head counts what is waiting, and 去签名 waits for it.
// What the server found wrong in itself (400: a 不符合 without its note, a file that is no photo) is
// 未通过 and waited for by nobody: an answer until the officer changes it, a photo until it is sent
// again (重试) or given up (放弃此照片). A 不符合's class is the officer's pick: the point's suggested
// class is shown beside the select (建议：…, 采用建议) and never sent unasked.
// Where IndexedDB cannot keep a photo it is held in the page's memory, sent like the others, and the
// form says so (and asks before the page is left). The keeping and the requests are
// inspection-store.js, shared with the record page. The project's own script, no libraries; without
// it the page is plain forms.
(() => {
  const configNode = document.getElementById("inspection-form-config");
  const store = window.InspectionStore;
  if (!configNode || !store) return;
  const config = JSON.parse(configNode.textContent);
  const FIELDS = ["verdict", "note", "finding_kind", "disposition", "deadline_workdays", "responsible_person", "conduct"];
  const NONCOMPLIANT = "noncompliant";
  const RETRY_MS = 30000;
  const NOTE_DELAY_MS = 800;

  // Times read as the bureau's clock (Asia/Shanghai), as the server prints them, whatever the phone's zone.
  const BUREAU_CLOCK = new Intl.DateTimeFormat("zh-CN", {
    timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const clock = (iso) =>
    Object.fromEntries(BUREAU_CLOCK.formatToParts(iso ? new Date(iso) : new Date()).map((p) => [p.type, p.value]));
  const hhmm = (iso) => {
    const t = clock(iso);
    return `${t.hour}:${t.minute}`;
  };
  const mmdd = (iso) => {
    const t = clock(iso);
    return `${t.month}-${t.day}`;
  };
  const errorText = store.errorText;
  // crypto.randomUUID needs a secure context (https or localhost); on http://<LAN address> it is
  // missing, so a version-4 UUID is made from getRandomValues, which every context has.
  const newUuid = () => {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  // Answers waiting in localStorage: {pointId: {values, state, message, seq}}, states in the store ------
  let pending = store.loadAnswers(config.inspection);
  const storePending = () => store.storeAnswers(config.inspection, pending);

  // Photos waiting in IndexedDB (or only in memory): see inspection-store.js ----------------------------
  const putPhoto = store.putPhoto;
  const deletePhoto = store.deletePhoto;
  const waitingPhotos = () => store.waitingPhotos(config.inspection);

  // The page ------------------------------------------------------------------------------------------
  const counter = document.querySelector("[data-pending-counter]");
  const counterNumber = document.querySelector("[data-pending-number]");
  const netState = document.querySelector("[data-net-state]");
  const signLink = document.querySelector("[data-sign-link]");
  const signHint = document.querySelector("[data-sign-hint]");
  const answered = document.querySelector("[data-answered]");
  const photoStates = new Map(); // client_id -> "waiting" | "refused" | "invalid"
  let recordMoved = false; // the server answered 409: someone signed meanwhile
  const storeWarning = document.querySelector("[data-store-warning]");
  const warnNoStorage = () => {
    if (storeWarning) storeWarning.hidden = false;
  };

  const pointNode = (id) => document.querySelector(`[data-point="${id}"]`);
  const formOf = (id) => pointNode(id)?.querySelector("[data-answer-form]");

  // What is waited for: everything held but what the server will never take as it is.
  const awaitedCount = () =>
    Object.values(pending).filter(store.awaited).length +
    Array.from(photoStates.values()).filter((state) => state !== store.INVALID).length;
  const refreshCounter = () => {
    const waiting = awaitedCount();
    counter.hidden = waiting === 0;
    counterNumber.textContent = String(waiting);
    netState.hidden = navigator.onLine;
    if (waiting && (config.locked || recordMoved)) {
      // Nothing more can arrive here: the record page lists what is left and what to do with it.
      signLink.removeAttribute("aria-disabled");
      signLink.classList.remove("disabled");
      signHint.textContent = `记录已锁定，本机尚有 ${waiting} 项未能送达，请到检查记录页处理`;
      signHint.hidden = false;
    } else if (waiting) {
      signLink.setAttribute("aria-disabled", "true");
      signLink.classList.add("disabled");
      signHint.textContent = `尚有 ${waiting} 项未发送`;
      signHint.hidden = false;
    } else {
      signLink.removeAttribute("aria-disabled");
      signLink.classList.remove("disabled");
      signHint.hidden = true;
    }
    answered.textContent = String(
      document.querySelectorAll("[data-answer-form] input[name=verdict]:checked").length,
    );
  };
  signLink.addEventListener("click", (event) => {
    if (signLink.getAttribute("aria-disabled") === "true") {
      event.preventDefault();
      signHint.classList.add("flash");
      window.setTimeout(() => signHint.classList.remove("flash"), 600);
    }
  });

  const showStatus = (id, kind, text) => {
    const node = pointNode(id)?.querySelector("[data-status]");
    if (!node) return;
    const span = document.createElement("span");
    span.className = kind;
    span.textContent = text;
    node.replaceChildren(span);
    pointNode(id).classList.toggle("has-error", kind === "refused");
  };
  const showRefused = (id, entry) => showStatus(id, "refused", `未通过：${entry.message}`);

  const valuesOf = (form) => {
    const values = {};
    for (const field of FIELDS) {
      const input = form.querySelector(`[name=${field}]:checked`) || form.querySelector(`[name=${field}]:not([type=radio])`);
      values[field] = input ? input.value : "";
    }
    // Only a 不符合 carries its class and disposition; the deadline only a 限期整改.
    if (values.verdict !== NONCOMPLIANT) {
      values.finding_kind = values.disposition = values.responsible_person = values.deadline_workdays = values.conduct = "";
    } else if (values.disposition !== "rectification") {
      values.responsible_person = values.deadline_workdays = "";
    }
    return values;
  };
  const fillForm = (form, values) => {
    for (const field of FIELDS) {
      const radios = form.querySelectorAll(`[name=${field}][type=radio]`);
      if (radios.length) {
        radios.forEach((radio) => (radio.checked = radio.value === values[field]));
      } else {
        const input = form.querySelector(`[name=${field}]`);
        if (input) input.value = values[field] ?? "";
      }
    }
  };
  const showFields = (form) => {
    const verdict = form.querySelector("[name=verdict]:checked")?.value;
    const disposition = form.querySelector("[name=disposition]:checked")?.value;
    form.querySelector("[data-noncompliant]").hidden = verdict !== NONCOMPLIANT;
    form.querySelector("[data-rectification]").hidden = disposition !== "rectification";
    // 采用建议 only while the suggestion is not what the select shows.
    const adopt = form.querySelector("[data-adopt-kind]");
    if (adopt) adopt.hidden = form.querySelector("[name=finding_kind]").value === adopt.dataset.adoptKind;
  };

  // Sending answers -----------------------------------------------------------------------------------
  const sending = new Set();
  let seq = Date.now();

  const sendAnswer = async (id) => {
    const entry = pending[id];
    if (!entry || sending.has(id)) return;
    const values = entry.values;
    if (values.verdict === NONCOMPLIANT && !values.note.trim()) {
      // Never sent: the server would refuse it, and the officer is still writing.
      entry.state = store.INVALID;
      entry.message = "须填写情况说明";
      storePending();
      showRefused(id, entry);
      return;
    }
    if (!navigator.onLine) {
      showStatus(id, "waiting", "待发送（离线）");
      return;
    }
    sending.add(id);
    const sent = entry.seq;
    try {
      const response = await store.postAnswer(config.answersUrl, id, values);
      const data = response.data;
      const current = pending[id];
      if (response.offline) {
        showStatus(id, "waiting", "待发送（离线）");
      } else if (response.ok) {
        if (current && current.seq === sent) delete pending[id];
        if (!pending[id]) showStatus(id, "saved", `已保存 ${hhmm(data && data.updated_at)}`);
      } else if (response.status >= 400 && response.status < 500 && current && current.seq === sent) {
        if (response.status === 409) recordMoved = true;
        current.state = store.refusal(response.status);
        current.message = errorText(data);
        showRefused(id, current);
      } else if (current) {
        showStatus(id, "waiting", "待发送（服务器暂时无法保存，稍后自动重试）");
      }
    } finally {
      sending.delete(id);
      storePending();
      refreshCounter();
      // Changed while it was on its way: send the newer one.
      if (pending[id] && pending[id].seq !== sent) sendAnswer(id);
    }
  };

  const known = {}; // point -> its values as last kept (saved, or waiting), to tell a change from none
  const changed = (form) => {
    const id = form.closest("[data-point]").dataset.point;
    seq += 1;
    pending[id] = { values: valuesOf(form), state: "pending", message: "", seq };
    known[id] = JSON.stringify(pending[id].values);
    storePending();
    showStatus(id, "waiting", navigator.onLine ? "待发送" : "待发送（离线）");
    refreshCounter();
    sendAnswer(id);
  };

  // Sending photos ------------------------------------------------------------------------------------
  const photoList = (point) =>
    document.querySelector(`[data-photos="${point == null ? "" : point}"] [data-photo-list]`);
  const photoItem = (record) => {
    let item = document.querySelector(`[data-photo="${record.client_id}"]`);
    if (item) return item;
    item = document.createElement("li");
    item.className = "photo";
    item.dataset.photo = record.client_id;
    const img = document.createElement("img");
    img.alt = "现场照片";
    img.width = img.height = 64;
    img.src = URL.createObjectURL(record.blob);
    // A file that is no picture (the server will say so): an empty frame, not a broken image.
    img.addEventListener("error", () => {
      URL.revokeObjectURL(img.src);
      const none = document.createElement("span");
      none.className = "no-preview";
      none.textContent = "无预览";
      img.replaceWith(none);
    });
    const text = document.createElement("span");
    text.className = "photo-status";
    item.append(img, text);
    photoList(record.point)?.append(item);
    return item;
  };
  const photoButton = (label, action) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = label;
    button.addEventListener("click", action);
    return button;
  };
  const showPhoto = (record, kind, text, { retry = false, giveUp = false } = {}) => {
    const item = photoItem(record);
    item.classList.remove("arrived", "waiting", "refused");
    item.classList.add(kind);
    const status = item.querySelector(".photo-status");
    status.textContent = text;
    if (retry) status.append(" ", photoButton("重试", () => sendPhoto(record)));
    if (giveUp) status.append(" ", photoButton("放弃此照片", () => giveUpPhoto(record)));
  };
  const showRefusedPhoto = (record) => {
    if (record.state === store.INVALID) {
      showPhoto(record, "refused", `未通过：${record.message}`, { retry: true, giveUp: true });
    } else {
      showPhoto(record, "refused", `未送达 · 未通过：${record.message}`, { retry: true });
    }
  };
  // A photo the server will not take, dropped from this browser once the officer confirms.
  const giveUpPhoto = async (record) => {
    if (!window.confirm("放弃此照片？服务器没有收到它，放弃后本机也不再保留，无法恢复。")) return;
    await deletePhoto(record.client_id);
    photoStates.delete(record.client_id);
    const item = photoItem(record);
    const img = item.querySelector("img");
    if (img) URL.revokeObjectURL(img.src);
    item.remove();
    refreshCounter();
  };

  let lastPosition = null;
  const position = () =>
    new Promise((resolve) => {
      if (lastPosition && Date.now() - lastPosition.at < 120000) return resolve(lastPosition);
      if (!navigator.geolocation) return resolve(null);
      // Never waits for long: a photo without a location is still a photo.
      const timer = window.setTimeout(() => resolve(null), 1500);
      navigator.geolocation.getCurrentPosition(
        (found) => {
          lastPosition = {
            latitude: found.coords.latitude.toFixed(6),
            longitude: found.coords.longitude.toFixed(6),
            accuracy_m: String(Math.round(found.coords.accuracy)),
            at: Date.now(),
          };
          window.clearTimeout(timer);
          resolve(lastPosition);
        },
        () => {
          window.clearTimeout(timer);
          resolve(null);
        },
        { enableHighAccuracy: true, timeout: 1500, maximumAge: 120000 },
      );
    });

  const photosSending = new Set();
  const sendPhoto = async (record) => {
    if (photosSending.has(record.client_id)) return;
    if (!navigator.onLine) {
      showPhoto(record, "waiting", "未送达（离线，联网后自动发送）");
      return;
    }
    photosSending.add(record.client_id);
    showPhoto(record, "waiting", "未送达 · 正在发送…");
    try {
      const response = await store.postPhoto(config.photosUrl, record);
      const data = response.data;
      if (response.offline) {
        photoStates.set(record.client_id, "waiting");
        showPhoto(record, "waiting", "未送达（离线，联网后自动发送）", { retry: true });
      } else if (response.ok && data) {
        await deletePhoto(record.client_id);
        photoStates.delete(record.client_id);
        showPhoto(record, "arrived", `已送达 · ${data.sha256.slice(0, 12)} · ${mmdd(data.received_at)} ${hhmm(data.received_at)}`);
        photoItem(record).dataset.sha256 = data.sha256;
      } else if (store.refused(response.status)) {
        if (response.status === 409) recordMoved = true;
        record.state = store.refusal(response.status);
        record.message = errorText(data);
        await putPhoto(record);
        photoStates.set(record.client_id, record.state);
        showRefusedPhoto(record);
      } else {
        photoStates.set(record.client_id, "waiting");
        showPhoto(record, "waiting", "未送达（服务器暂时无法接收，稍后自动重试）", { retry: true });
      }
    } finally {
      photosSending.delete(record.client_id);
      refreshCounter();
    }
  };

  const takePhotos = async (input) => {
    const holder = input.closest("[data-photos]");
    const point = holder.dataset.photos ? Number(holder.dataset.photos) : null;
    const files = Array.from(input.files || []);
    input.value = "";
    const records = [];
    // Kept in the browser first, before anything else can go wrong.
    for (const file of files) {
      const record = {
        client_id: newUuid(),
        inspection: config.inspection,
        point,
        blob: file,
        name: file.name,
        lastModified: file.lastModified,
        coords: null,
        state: "waiting",
        message: "",
      };
      photoStates.set(record.client_id, "waiting");
      if (!(await putPhoto(record))) warnNoStorage();
      showPhoto(record, "waiting", "未送达");
      records.push(record);
    }
    refreshCounter();
    const coords = records.length ? await position() : null;
    for (const record of records) {
      if (coords) {
        record.coords = coords;
        await putPhoto(record);
      }
      await sendPhoto(record);
    }
  };

  // Flushing everything that waits ----------------------------------------------------------------------
  // A refused photo is tried again when the page is opened again (the officer may have logged in
  // anew), otherwise only with its 重试 button; answers are tried again each time. What the server
  // found wrong in itself (invalid) is not sent again unasked: it would be refused again.
  const flush = async (everything = false) => {
    refreshCounter();
    for (const [id, entry] of Object.entries(pending)) if (store.awaited(entry)) sendAnswer(id);
    for (const record of await waitingPhotos()) {
      if (record.state === store.INVALID) continue;
      if (everything || record.state !== "refused") await sendPhoto(record);
    }
  };

  // Start ----------------------------------------------------------------------------------------------
  document.querySelectorAll("[data-plain-save]").forEach((button) => (button.hidden = true));
  document.querySelectorAll("[data-photo-button]").forEach((button) => (button.hidden = false));
  for (const form of document.querySelectorAll("[data-answer-form]")) {
    showFields(form);
    known[form.closest("[data-point]").dataset.point] = JSON.stringify(valuesOf(form));
    if (config.locked) continue;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      changed(form);
    });
    const typed = (target) => target.matches("textarea, input[type=text], input[type=number]");
    form.addEventListener("change", (event) => {
      showFields(form);
      if (!typed(event.target)) changed(form);
    });
    // 采用建议: the suggested class picked with one tap, then saved like any pick.
    form.querySelector("[data-adopt-kind]")?.addEventListener("click", (event) => {
      const select = form.querySelector("[name=finding_kind]");
      select.value = event.currentTarget.dataset.adoptKind;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    // What is typed is kept a moment after the last key, and at the latest when the field is left.
    let timer = null;
    const unsent = () => known[form.closest("[data-point]").dataset.point] !== JSON.stringify(valuesOf(form));
    form.addEventListener("input", (event) => {
      if (!typed(event.target)) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => changed(form), NOTE_DELAY_MS);
    });
    form.addEventListener("focusout", (event) => {
      if (!typed(event.target)) return;
      window.clearTimeout(timer);
      if (unsent()) changed(form);
    });
  }
  for (const input of document.querySelectorAll("[data-photo-input]")) {
    input.addEventListener("change", () => takePhotos(input));
  }
  const details = document.querySelector("[data-details-form]");
  details?.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      window.alert("当前离线，负责人与小结暂不能保存；请联网后再提交。已填写的检查结论和照片会在联网后自动发送。");
    }
  });

  // What this browser kept from before (a reload, a closed tab) comes back over the server's copy.
  for (const [id, entry] of Object.entries(pending)) {
    const form = formOf(id);
    if (!form) {
      delete pending[id];
      continue;
    }
    fillForm(form, entry.values);
    showFields(form);
    known[id] = JSON.stringify(entry.values);
    if (entry.state === "refused" || entry.state === store.INVALID) showRefused(id, entry);
    else showStatus(id, "waiting", navigator.onLine ? "待发送" : "待发送（离线）");
  }
  storePending();
  waitingPhotos()
    .catch(() => [])
    .then((records) => {
      for (const record of records) {
        const refused = record.state === "refused" || record.state === store.INVALID;
        photoStates.set(record.client_id, refused ? record.state : "waiting");
        if (refused) showRefusedPhoto(record);
        else showPhoto(record, "waiting", "未送达");
      }
      flush(true);
    });

  store.dbAvailable().then((available) => available || warnNoStorage());
  // A photo only in memory is lost with the page: never silently.
  window.addEventListener("beforeunload", (event) => {
    if (store.onlyInMemory(config.inspection)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("online", () => flush());
  window.addEventListener("offline", () => {
    refreshCounter();
    for (const id of Object.keys(pending)) {
      if (pending[id].state === "pending") showStatus(id, "waiting", "待发送（离线）");
    }
  });
  window.setInterval(() => {
    if (navigator.onLine && awaitedCount()) flush();
  }, RETRY_MS);
  refreshCounter();
})();
