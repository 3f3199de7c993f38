// What an officer's browser holds for an inspection (R-INS-6), shared by the form
// (inspection-form.js) and the record page (inspection-record.js): unsent answers in localStorage,
// photos in IndexedDB (or, where IndexedDB cannot keep one, in this page's memory), and the two
// requests that send them. The project's own script, no libraries, no build step: it defines
// window.InspectionStore and nothing else.
(() => {
  const DB_NAME = "inspection-form";
  const PHOTOS = "photos";
  const FALLBACK = "服务器未接受，请稍后重试。";

  const csrfToken = () => {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : input ? input.value : "";
  };
  const errorText = (data) => {
    if (!data || typeof data !== "object") return FALLBACK;
    const parts = [];
    for (const value of Object.values(data)) parts.push(...(Array.isArray(value) ? value : [value]));
    return parts.join("；") || FALLBACK;
  };

  // Answers: {pointId: {values, state, message, seq}} under one key per inspection; the states below.
  const answersKey = (inspection) => `inspection-form:${inspection}:answers`;
  const loadAnswers = (inspection) => {
    try {
      return JSON.parse(window.localStorage.getItem(answersKey(inspection)) || "{}");
    } catch (error) {
      return {};
    }
  };
  const storeAnswers = (inspection, answers) => {
    try {
      if (Object.keys(answers).length) window.localStorage.setItem(answersKey(inspection), JSON.stringify(answers));
      else window.localStorage.removeItem(answersKey(inspection));
    } catch (error) {
      // A full or forbidden storage: the answers are still in the page's memory and on their way.
    }
  };

  // Photos: {client_id, inspection, point, blob, name, lastModified, coords, state, message}.
  // The states of what is held (answers and photos alike): "pending" (an answer) or "waiting" (a photo),
  // on its way and sent again until it arrives; "refused" (403, 409), the record moved on or the
  // officer may no longer write it: waits and is listed on the record page; "invalid" (400), the
  // server will never take it as it is: 未通过 with the reason, not waited for, kept until the officer
  // changes the answer or gives the photo up.
  let dbPromise = null;
  const openDb = () => {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise((resolve) => {
      let request;
      try {
        if (!window.indexedDB) return resolve(null);
        request = window.indexedDB.open(DB_NAME, 1);
      } catch (error) {
        return resolve(null); // e.g. a private window that forbids it
      }
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(PHOTOS, { keyPath: "client_id" });
        store.createIndex("inspection", "inspection");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    });
    return dbPromise;
  };
  const dbDo = async (mode, work) => {
    const db = await openDb();
    if (!db) throw new Error("IndexedDB unavailable");
    return new Promise((resolve, reject) => {
      const tx = db.transaction(PHOTOS, mode);
      const request = work(tx.objectStore(PHOTOS));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  // Only in this page's memory: IndexedDB is missing or refused to keep it. Lost with the page.
  const memoryPhotos = new Map();
  const putPhoto = async (record) => {
    try {
      await dbDo("readwrite", (store) => store.put(record));
      memoryPhotos.delete(record.client_id);
      return true;
    } catch (error) {
      memoryPhotos.set(record.client_id, record);
      return false;
    }
  };
  const deletePhoto = async (id) => {
    memoryPhotos.delete(id);
    try {
      await dbDo("readwrite", (store) => store.delete(id));
    } catch (error) {
      // Nothing kept there.
    }
  };
  // Every photo held for the inspection: those in IndexedDB and those only in memory, each once.
  const waitingPhotos = async (inspection) => {
    let found = [];
    try {
      found = (await dbDo("readonly", (store) => store.index("inspection").getAll(inspection))) || [];
    } catch (error) {
      found = [];
    }
    const ids = new Set(found.map((record) => record.client_id));
    for (const record of memoryPhotos.values()) {
      if (record.inspection === inspection && !ids.has(record.client_id)) found.push(record);
    }
    return found;
  };
  const onlyInMemory = (inspection) =>
    Array.from(memoryPhotos.values()).filter((record) => record.inspection === inspection).length;
  const dbAvailable = async () => Boolean(await openDb());

  // Sending: {ok, status, data, offline} — the callers decide what a refusal means.
  const post = async (url, body, json) => {
    try {
      const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
      if (json) headers["Content-Type"] = "application/json";
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers,
        body: json ? JSON.stringify(body) : body,
      });
      const data = await response.json().catch(() => null);
      return { ok: response.ok, status: response.status, data, offline: false };
    } catch (error) {
      return { ok: false, status: 0, data: null, offline: true };
    }
  };
  const answerBody = (id, values) => {
    const body = { point: Number(id), ...values };
    body.deadline_workdays = values.deadline_workdays === "" ? null : Number(values.deadline_workdays);
    if (Number.isNaN(body.deadline_workdays)) body.deadline_workdays = values.deadline_workdays;
    return body;
  };
  const postAnswer = (url, id, values) => post(url, answerBody(id, values), true);
  const postPhoto = (url, record) => {
    const form = new FormData();
    form.append("client_id", record.client_id);
    form.append("file", record.blob, record.name || "photo.jpg");
    if (record.point != null) form.append("point", String(record.point));
    if (record.coords) {
      for (const key of ["latitude", "longitude", "accuracy_m"]) form.append(key, record.coords[key]);
    }
    if (record.lastModified) form.append("file_modified_at", new Date(record.lastModified).toISOString());
    return post(url, form, false);
  };
  // A refusal that stays until the officer acts: the request itself is wrong, or the record moved on.
  const refused = (status) => status === 400 || status === 403 || status === 409;
  const INVALID = "invalid";
  // What a refusal makes of it: 400 says the thing itself is wrong, the rest that the record moved on.
  const refusal = (status) => (status === 400 ? INVALID : "refused");
  // Held, but waited for by nobody: what the server will never take as it is.
  const awaited = (entry) => entry.state !== INVALID;

  window.InspectionStore = {
    csrfToken,
    errorText,
    loadAnswers,
    storeAnswers,
    putPhoto,
    deletePhoto,
    waitingPhotos,
    onlyInMemory,
    dbAvailable,
    postAnswer,
    postPhoto,
    refused,
    refusal,
    awaited,
    INVALID,
  };
})();
