// embeddb's neighbour explorer: asks /api/neighbors and draws the answer as
// a list and as a map that pans and zooms. No libraries, no build step.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const svg = $("map"), view = $("view"), gPoints = $("points"), gLabels = $("labels");
  const NS = "http://www.w3.org/2000/svg";
  let answer = null;            // the last reply
  let zoom = { k: 1, x: 0, y: 0 };  // screen = k * map + (x, y)

  function status(text, isError) {
    $("status").textContent = text;
    $("status").className = isError ? "error" : "";
  }

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  async function loadTables() {
    const tables = await getJSON("/api/tables");
    const sel = $("table");
    sel.textContent = "";
    for (const t of tables) {
      const o = document.createElement("option");
      o.value = t.name;
      o.textContent = `${t.name} (${t.rows.toLocaleString()} × ${t.dim})`;
      sel.appendChild(o);
    }
    if (tables.length === 0) status("This database has no tables.", true);
  }

  async function search(table, q, push) {
    if (!table || !q) return;
    $("table").value = table;
    $("q").value = q;
    const k = $("k").value, method = $("method").value;
    status("Searching…");
    const params = new URLSearchParams({ table, q, k, method });
    try {
      answer = await getJSON("/api/neighbors?" + params);
    } catch (e) {
      status(e.message, true);
      return;
    }
    status(`${answer.neighbors.length} neighbours of “${answer.query}” in ${answer.table} (${answer.ms.toFixed(1)} ms on the server)`);
    if (push) history.pushState({ table, q }, "", "#" + encodeURIComponent(table) + "/" + encodeURIComponent(q));
    drawList();
    resetZoom();
  }

  function drawList() {
    const ol = $("list");
    ol.textContent = "";
    $("list-title").textContent = `Neighbours of “${answer.query}”`;
    answer.neighbors.forEach((n, i) => {
      const li = document.createElement("li");
      li.dataset.i = i;
      const w = document.createElement("span");
      w.className = "word";
      w.textContent = n.word;
      const s = document.createElement("span");
      s.className = "sim";
      s.textContent = n.similarity.toFixed(3);
      li.append(w, s);
      li.addEventListener("click", () => search(answer.table, n.word, true));
      li.addEventListener("mouseenter", () => highlight(i, true));
      li.addEventListener("mouseleave", () => highlight(i, false));
      ol.appendChild(li);
    });
  }

  function highlight(i, on) {
    const c = gPoints.querySelector(`circle[data-i="${i}"]`);
    if (c) c.classList.toggle("hover", on);
    const li = $("list").querySelector(`li[data-i="${i}"]`);
    if (li) li.classList.toggle("hover", on);
  }

  // points returns the center (if any) then the neighbours, with an index
  // into neighbours (-1 for the center).
  function points() {
    const pts = [];
    if (answer.center) pts.push({ ...answer.center, i: -1 });
    answer.neighbors.forEach((n, i) => pts.push({ ...n, i }));
    return pts;
  }

  function resetZoom() {
    const pts = points();
    const box = svg.getBoundingClientRect();
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const p of pts) { x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); }
    const w = Math.max(x1 - x0, 1e-9), h = Math.max(y1 - y0, 1e-9), pad = 60;
    const k = Math.min((box.width - 2 * pad - 80) / w, (box.height - 2 * pad) / h);
    zoom = { k, x: pad - k * x0, y: pad + k * y1 };  // y up: screen y = y - k * mapY
    draw();
  }

  // draw places the points for the current zoom (circles and text keep
  // their size) and keeps only labels that do not overlap earlier ones.
  function draw() {
    gPoints.textContent = "";
    gLabels.textContent = "";
    if (!answer) return;
    const kept = [];
    for (const p of points()) {
      const sx = zoom.k * p.x + zoom.x, sy = zoom.y - zoom.k * p.y;
      const c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", sx.toFixed(1));
      c.setAttribute("cy", sy.toFixed(1));
      c.setAttribute("r", p.i < 0 ? 7 : 4.5);
      c.dataset.i = p.i;
      c.dataset.word = p.word;
      if (p.i < 0) c.classList.add("center");
      const title = document.createElementNS(NS, "title");
      title.textContent = p.i < 0 ? p.word : `${p.word} (${p.similarity.toFixed(3)})`;
      c.appendChild(title);
      gPoints.appendChild(c);
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", (sx + (p.i < 0 ? 11 : 8)).toFixed(1));
      t.setAttribute("y", (sy + 4).toFixed(1));
      t.textContent = p.word;
      if (p.i < 0) t.classList.add("center");
      gLabels.appendChild(t);
      const b = t.getBBox();
      if (kept.some((o) => b.x < o.x + o.width && o.x < b.x + b.width && b.y < o.y + o.height && o.y < b.y + b.height)) {
        t.remove();
      } else {
        kept.push(b);
      }
    }
  }

  // Pan and zoom.
  let drag = null;
  svg.addEventListener("pointerdown", (e) => {
    if (e.target.tagName === "circle") return;
    drag = { x: e.clientX, y: e.clientY, zx: zoom.x, zy: zoom.y };
    svg.setPointerCapture(e.pointerId);
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    zoom.x = drag.zx + e.clientX - drag.x;
    zoom.y = drag.zy + e.clientY - drag.y;
    draw();
  });
  const endDrag = () => { drag = null; svg.classList.remove("dragging"); };
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("wheel", (e) => {
    e.preventDefault();
    const box = svg.getBoundingClientRect();
    const mx = e.clientX - box.left, my = e.clientY - box.top;
    const f = Math.exp(-e.deltaY * 0.0015);
    zoom.x = mx - (mx - zoom.x) * f;
    zoom.y = my - (my - zoom.y) * f;
    zoom.k *= f;
    draw();
  }, { passive: false });
  svg.addEventListener("dblclick", () => answer && resetZoom());
  svg.addEventListener("click", (e) => {
    const w = e.target.dataset && e.target.dataset.word;
    if (e.target.tagName === "circle" && w && answer) search(answer.table, w, true);
  });
  gPoints.addEventListener("mouseover", (e) => { if (e.target.dataset.i >= 0) highlight(+e.target.dataset.i, true); });
  gPoints.addEventListener("mouseout", (e) => { if (e.target.dataset.i >= 0) highlight(+e.target.dataset.i, false); });
  window.addEventListener("resize", () => answer && resetZoom());

  $("search").addEventListener("submit", (e) => {
    e.preventDefault();
    search($("table").value, $("q").value.trim(), true);
  });
  $("table").addEventListener("change", () => $("q").value.trim() && search($("table").value, $("q").value.trim(), true));

  function fromHash() {
    const m = location.hash.match(/^#([^/]+)\/(.+)$/);
    if (m) search(decodeURIComponent(m[1]), decodeURIComponent(m[2]), false);
  }
  window.addEventListener("popstate", fromHash);
  loadTables().then(fromHash).catch((e) => status(e.message, true));
})();
