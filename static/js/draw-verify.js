/* The in-browser re-run of a random draw (双随机一公开, R-INS-5): the same algorithm as
   bureau/sampling.py, step by step, against the data the page publishes. Needs sha256.js.
   The page gives: [data-draw-verify] with data-pool-url, a <script type="application/json"
   id="draw-verify-data"> {number, poolHash, commitment, seed, selection: [{unit, officers}]},
   the seed input [data-verify-seed], the button [data-verify-run], and places for the verdict,
   the steps and the rows. BureauDraw.parsePool/draw/verify are also usable on their own. */
(function () {
  "use strict";
  var sha = window.BureauSha256;
  var VERSION = "pool v1";

  function DrawError(message) { this.message = message; }

  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function unique(list) {
    var seen = Object.create(null), out = [];
    list.forEach(function (x) { if (!seen[x]) { seen[x] = true; out.push(x); } });
    return out.sort(compare);
  }

  function parsePool(text) {
    var lines = text.split(/\r\n|\n|\r/).map(function (l) { return l.trim(); })
      .filter(function (l) { return l && l.charAt(0) !== "#"; });
    if (!lines.length || lines[0] !== VERSION) throw new DrawError("抽取池文件应以“" + VERSION + "”开头。");
    var pool = { sample: null, team: null, units: [], officers: [], avoid: Object.create(null) };
    lines.slice(1).forEach(function (line) {
      var space = line.indexOf(" ");
      var word = space < 0 ? line : line.slice(0, space);
      var parts = space < 0 ? [] : line.slice(space + 1).split(/\s+/).filter(Boolean);
      if ((word === "sample" || word === "team") && parts.length === 1 && /^[0-9]+$/.test(parts[0])) {
        pool[word] = parseInt(parts[0], 10);
      } else if (word === "unit" && parts.length === 1) {
        pool.units.push(parts[0]);
      } else if (word === "officer" && parts.length === 1) {
        pool.officers.push(parts[0]);
      } else if (word === "avoid" && parts.length === 2) {
        pool.avoid[parts[0] + " " + parts[1]] = true;
      } else {
        throw new DrawError("抽取池文件有无法识别的一行：" + line);
      }
    });
    if (pool.sample === null || pool.team === null) throw new DrawError("抽取池文件缺少 sample 或 team 行。");
    pool.units = unique(pool.units);
    pool.officers = unique(pool.officers);
    return pool;
  }

  function draw(pool, seed) {
    if (!pool.units.length) throw new DrawError("抽取池为空。");
    if (pool.sample < 1 || pool.sample > pool.units.length) {
      throw new DrawError("抽取数量 " + pool.sample + " 与抽取池的 " + pool.units.length + " 家单位不符。");
    }
    var tickets = pool.units.map(function (code) { return [sha.text(seed + "|U|" + code), code]; });
    tickets.sort(function (a, b) { return compare(a[0], b[0]) || compare(a[1], b[1]); });
    var load = Object.create(null);
    pool.officers.forEach(function (cert) { load[cert] = 0; });
    return tickets.slice(0, pool.sample).map(function (ticket) {
      var code = ticket[1];
      var eligible = pool.officers.filter(function (cert) { return !pool.avoid[cert + " " + code]; })
        .map(function (cert) { return [load[cert], sha.text(seed + "|O|" + code + "|" + cert), cert]; });
      if (eligible.length < pool.team) throw new DrawError("单位 " + code + " 回避后可派执法人员不足。");
      eligible.sort(function (a, b) { return (a[0] - b[0]) || compare(a[1], b[1]) || compare(a[2], b[2]); });
      var team = eligible.slice(0, pool.team).map(function (e) { return e[2]; });
      team.forEach(function (cert) { load[cert] += 1; });
      return { unit: code, officers: team };
    });
  }

  function sameSelection(a, b) {
    if (a.length !== b.length) return false;
    return a.every(function (pick, i) {
      return pick.unit === b[i].unit &&
        pick.officers.slice().sort(compare).join(",") === b[i].officers.slice().sort(compare).join(",");
    });
  }

  /* Every step of the check on ``poolBytes`` (Uint8Array) and ``seed``, against ``data``. */
  function verify(poolBytes, seed, data) {
    var steps = [], selection = [], ok = true;
    function step(label, value, good) {
      steps.push({ label: label, value: value, good: good });
      if (good === false) ok = false;
    }
    seed = seed.trim();
    step("抽取池文件", poolBytes.length + " 字节", null);
    var poolHash = sha.bytes(poolBytes);
    step("抽取池指纹 SHA-256（计算值）", poolHash, poolHash === data.poolHash);
    step("抽取池指纹（公示值）", data.poolHash, null);
    var commitment = sha.text(seed);
    step("SHA-256(随机种子)（计算值）", commitment, commitment === data.commitment);
    step("随机种子承诺值（公示值）", data.commitment, null);
    if (commitment !== data.commitment) {
      step("随机种子", "随机种子与事先公示的承诺值（SHA-256）不符，不能据此抽取。", false);
      return { ok: false, refused: true, steps: steps, selection: selection };
    }
    try {
      var pool = parsePool(new TextDecoder("utf-8").decode(poolBytes));
      step("抽取池", pool.units.length + " 家单位，执法人员 " + pool.officers.length + " 人，抽取 " +
        pool.sample + " 家，每家 " + pool.team + " 人", null);
      selection = draw(pool, seed);
    } catch (error) {
      step("重新抽取", error instanceof DrawError ? error.message : String(error), false);
      return { ok: false, refused: false, steps: steps, selection: selection };
    }
    var same = sameSelection(selection, data.selection);
    step("重新抽取结果与公布的抽取结果", same ? "一致" : "不一致", same);
    return { ok: ok, refused: false, steps: steps, selection: selection };
  }

  window.BureauDraw = { parsePool: parsePool, draw: draw, verify: verify, DrawError: DrawError };

  function show(root, data, result) {
    var verdict = root.querySelector("[data-verify-verdict]");
    verdict.textContent = result.refused ? "不一致：种子与承诺值不符，已拒绝抽取" : (result.ok ? "一致" : "不一致");
    verdict.className = "verify-verdict " + (result.ok ? "good" : "bad");
    var list = root.querySelector("[data-verify-steps]");
    list.textContent = "";
    result.steps.forEach(function (s) {
      var li = document.createElement("li");
      if (s.good === true) li.className = "good";
      if (s.good === false) li.className = "bad";
      var label = document.createElement("span");
      label.textContent = s.label + "：";
      var value = document.createElement("code");
      value.textContent = s.value;
      li.appendChild(label);
      li.appendChild(value);
      if (s.good !== null) li.appendChild(document.createTextNode(s.good ? " ✓ 一致" : " ✗ 不一致"));
      list.appendChild(li);
    });
    var table = root.querySelector("[data-verify-table]");
    var rows = root.querySelector("[data-verify-rows]");
    rows.textContent = "";
    result.selection.forEach(function (pick, i) {
      var published = data.selection[i];
      var same = published && sameSelection([pick], [published]);
      var tr = document.createElement("tr");
      [String(i + 1), pick.unit, pick.officers.join("、"), same ? "一致" : "不一致"].forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      tr.className = same ? "good" : "bad";
      rows.appendChild(tr);
    });
    table.hidden = !result.selection.length;
  }

  function setUp(root) {
    var source = document.getElementById("draw-verify-data");
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var button = root.querySelector("[data-verify-run]");
    var input = root.querySelector("[data-verify-seed]");
    var verdict = root.querySelector("[data-verify-verdict]");
    var poolBytes = null;
    button.addEventListener("click", function () {
      button.disabled = true;
      verdict.className = "verify-verdict";
      verdict.textContent = "正在下载抽取池文件并重新抽取……";
      var ready = poolBytes ? Promise.resolve(poolBytes) :
        fetch(root.getAttribute("data-pool-url"), { credentials: "omit" }).then(function (response) {
          if (!response.ok) throw new Error("抽取池文件下载失败（" + response.status + "）");
          return response.arrayBuffer();
        }).then(function (buffer) { poolBytes = new Uint8Array(buffer); return poolBytes; });
      ready.then(function (bytes) {
        // Let the status text paint before the hashing (a large pool takes a moment).
        return new Promise(function (resolve) {
          setTimeout(function () { resolve(verify(bytes, input.value, data)); }, 20);
        });
      }).then(function (result) {
        show(root, data, result);
      }).catch(function (error) {
        verdict.className = "verify-verdict bad";
        verdict.textContent = "无法复核：" + error.message;
      }).then(function () { button.disabled = false; });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-draw-verify]"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
