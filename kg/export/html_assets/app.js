// pingcheng-kg graph page: an overview that grows on demand, legend and type filters, a date
// range over events and articles, search, tooltips, and a details panel with the article text.
// Every piece of article text reaches the DOM through textContent, never innerHTML,
// so a name or headline holding markup shows as text and runs nothing.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function row(box, key, value) {
    const r = el("div", "row");
    r.append(el("span", "key", key), document.createTextNode(value));
    box.append(r);
  }

  function when(k) {
    return k.dateEnd && k.dateEnd !== k.date ? k.date + " – " + k.dateEnd : k.date;
  }

  // The card shown as a hover tooltip and in the details panel; `full` lists every headline.
  function card(n, full) {
    const k = n.kg;
    const box = el("div", "tip");
    box.append(el("b", null, k.name));
    box.append(el("div", "muted", k.typeZh));
    if (k.date) row(box, "日期 date:", when(k));
    if (k.aliases.length) row(box, "别名 aliases:", k.aliases.join("、"));
    if (k.mentions !== null) row(box, "提及 mentions:", String(k.mentions));
    for (const [key, value] of k.facts) row(box, key + ":", value);
    if (k.headlines.length) {
      row(box, k.headlineKey + ":", "");
      const list = el("ul");
      const shown = full ? k.headlines : k.headlines.slice(0, 5);
      for (const h of shown) list.append(el("li", null, h));
      const more = k.more + (k.headlines.length - shown.length);
      if (more > 0) list.append(el("li", "muted", "…另有 " + more + " 篇 more"));
      box.append(list);
    }
    return box;
  }

  // An article in the details panel: where it is from, a link to its source, and its text.
  function articleCard(n) {
    const k = n.kg;
    const box = el("div", "tip article");
    box.append(el("b", null, k.name));
    box.append(el("div", "muted", k.typeZh));
    row(box, "日期 date:", k.date || "未知 unknown");
    for (const [key, value] of k.facts) row(box, key + ":", value);
    if (k.url) {
      // Python lets only http(s) addresses through; checked again here before it becomes a link.
      const a = el("a", "source", "原文 Source ↗");
      if (/^https?:\/\//.test(k.url)) {
        a.href = k.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        box.append(a);
      }
    }
    const text = el("div", "body", k.body);
    box.append(text);
    if (k.bodyMore) box.append(el("div", "muted", "…另有 " + k.bodyMore + " 字 more characters"));
    return box;
  }

  function edgeCard(e) {
    const k = e.kg;
    const box = el("div", "tip");
    box.append(el("b", null, k.relZh + " " + k.rel));
    box.append(el("div", "muted", k.fromName + " → " + k.toName));
    for (const [key, value] of k.facts) row(box, key + ":", value);
    if (k.evidence.length) {
      row(box, "依据 evidence:", "");
      const list = el("ul");
      for (const s of k.evidence) list.append(el("li", null, s));
      box.append(list);
    }
    return box;
  }

  for (const n of DATA.nodes) n.title = card(n, false);
  for (const e of DATA.edges) e.title = edgeCard(e);

  // Every node and edge of the view is here; the network holds the part shown so far.
  const byId = new Map(DATA.nodes.map((n) => [n.id, n]));
  const edgesOf = new Map(DATA.nodes.map((n) => [n.id, []]));
  for (const e of DATA.edges) {
    edgesOf.get(e.from).push(e);
    if (e.to !== e.from) edgesOf.get(e.to).push(e);
  }
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const shown = (id) => nodes.get(id) !== null;
  const neighbours = (id) => [...new Set(edgesOf.get(id).map((e) => (e.from === id ? e.to : e.from)))].sort();
  const weight = (id) => byId.get(id).kg.mentions || 0;
  const ranked = (ids) => [...new Set(ids)].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1));

  // Filters: a node is hidden when its group is unticked or its date falls outside the range.
  const hiddenGroups = new Set();
  // A plain text field, not <input type=date>: chromium draws that one's calendar icon from a
  // data: URL, and the page requests nothing at all. A partial date bounds by what it gives.
  const bound = (id) => { const v = $(id).value.trim(); return /^\d{4}(-\d{2}){0,2}$/.test(v) ? v : ""; };
  function inRange(n) {
    const k = n.kg;
    if (!k.date) return true;  // undated things stay: a range says nothing about them
    const from = bound("date-from");
    const to = bound("date-to");
    // "~" sorts after every digit: a bound "2024-03" takes in all of March.
    return (!from || (k.dateEnd || k.date) >= from) && (!to || k.date <= to.padEnd(10, "~"));
  }
  const hides = (n) => hiddenGroups.has(n.kg.type) || !inRange(n);
  function refresh() {
    nodes.update(nodes.getIds().map((id) => ({ id: id, hidden: hides(byId.get(id)) })));
    const dated = DATA.nodes.filter((n) => n.kg.date);
    const within = dated.filter(inRange).length;
    $("date-status").textContent = within + " / " + dated.length + " 个有日期的事件和文章在范围内 dated events and articles in range";
    const from = bound("date-from");
    const to = bound("date-to");
    for (const bar of document.querySelectorAll("#timeline-bars button")) {
      bar.classList.toggle("out", (!!from && bar.dataset.last < from) || (!!to && bar.dataset.first > to.padEnd(10, "~")));
    }
    summarise();
  }

  function summarise() {
    let text = "显示 " + nodes.length + " / " + DATA.nodes.length + " 个节点 · " + nodes.length + " of " +
      DATA.nodes.length + " nodes shown";
    if (DATA.note) text += " · " + DATA.note;
    $("summary").textContent = text;
  }

  // Add nodes (and every edge between shown nodes). New ones start on a ring around `centre`,
  // or where `at` (id -> {x, y}) puts them.
  function reveal(ids, centre, at) {
    const fresh = ids.filter((id) => byId.has(id) && !shown(id));
    const middle = centre && shown(centre) ? network.getPositions([centre])[centre] : null;
    const radius = 90 + 12 * fresh.length;
    nodes.add(fresh.map((id, i) => {
      const n = Object.assign({}, byId.get(id), { hidden: hides(byId.get(id)) });
      if (at && at[id]) {
        n.x = at[id].x;
        n.y = at[id].y;
      } else if (middle) {
        const angle = (2 * Math.PI * i) / fresh.length;
        n.x = middle.x + radius * Math.cos(angle);
        n.y = middle.y + radius * Math.sin(angle);
      }
      return n;
    }));
    const seen = new Set();
    const wanted = [];
    for (const id of fresh) {
      for (const e of edgesOf.get(id)) {
        if (!seen.has(e.id) && shown(e.from) && shown(e.to) && edges.get(e.id) === null) wanted.push(e);
        seen.add(e.id);
      }
    }
    edges.add(wanted);
    summarise();
    return fresh;
  }

  // Lay the new nodes in with a short run of physics, then stop it so the picture holds still.
  const waiting = [];
  function relayout(rounds) {
    kg.settled = false;
    document.body.dataset.settled = "false";
    network.setOptions({ physics: { enabled: true } });
    network.once("stabilizationIterationsDone", settle);
    network.stabilize(rounds);
  }
  function afterLayout(fn) {
    if (kg.settled) fn(); else waiting.push(fn);
  }

  function expand(id) {
    const fresh = reveal(neighbours(id), id);
    if (fresh.length) relayout(150);
    afterLayout(() => { network.selectNodes([id]); details(id); });
    return fresh.length;
  }

  function showAll() {
    const missing = DATA.nodes.map((n) => n.id).filter((id) => !shown(id));
    if (!missing.length) return;
    // vis places the newcomers itself, spread by its seeded generator. Rings around shown
    // neighbours looked tidier but made the first rounds of physics 3x slower at 5,000 nodes.
    reveal(missing);
    // Physics and edges as tuned for the whole view's size (cheaper rounds past 300 nodes).
    network.setOptions({ physics: DATA.optionsAll.physics, edges: DATA.optionsAll.edges });
    relayout(Math.max(100, Math.min(600, Math.round(200000 / DATA.nodes.length))));
  }

  let home = null;  // the overview's settled positions, to return to without a new layout
  function overview() {
    network.unselectAll();
    details(null);
    edges.clear();
    nodes.clear();
    network.setOptions({ physics: Object.assign({}, DATA.options.physics, { enabled: false }), edges: DATA.options.edges });
    reveal(DATA.initial, null, home);
    network.fit({ maxZoomLevel: 1.4, animation: false });
  }

  // Legend doubles as the type filter: one checkbox per group (counts are of the whole view).
  function setGroup(group, on) {
    if (on) hiddenGroups.delete(group); else hiddenGroups.add(group);
    const box = document.querySelector('#legend input[data-group="' + CSS.escape(group) + '"]');
    if (box) box.checked = on;
    refresh();
  }
  for (const g of DATA.groups) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.group = g.id;
    box.addEventListener("change", () => setGroup(g.id, box.checked));
    const glyph = el("span", "glyph", g.glyph);
    glyph.style.color = g.color;
    label.append(box, glyph, el("span", null, g.zh + " " + g.en), el("span", "count", g.count));
    $("legend").append(label);
  }
  for (const r of DATA.relations) {
    const line = el("div", null, (r.dashed ? "┄┄ " : "── ") + r.zh + " " + r.en);
    line.style.color = r.color;
    $("edge-legend").append(line);
  }

  // Timeline: one bar per month that has dated events or articles; a bar sets the range to its month.
  const months = new Map();
  for (const n of DATA.nodes) {
    if (!n.kg.date) continue;
    const m = n.kg.date.slice(0, 7);
    months.set(m, (months.get(m) || 0) + 1);
  }
  const monthKeys = [...months.keys()].sort();
  const tallest = Math.max(1, ...months.values());
  const lastDay = (m) => m + "-" + String(new Date(Date.UTC(+m.slice(0, 4), +m.slice(5, 7), 0)).getUTCDate()).padStart(2, "0");
  for (const m of monthKeys) {
    const bar = el("button", null);
    bar.type = "button";
    bar.title = m + "：" + months.get(m);
    bar.dataset.first = m + "-01";
    bar.dataset.last = lastDay(m);
    bar.style.height = Math.round(4 + (24 * months.get(m)) / tallest) + "px";
    bar.addEventListener("click", () => { $("date-from").value = bar.dataset.first; $("date-to").value = bar.dataset.last; refresh(); });
    $("timeline-bars").append(bar);
  }
  if (monthKeys.length) {
    $("timeline-ends").textContent = monthKeys[0] + " … " + monthKeys[monthKeys.length - 1];
  } else {
    $("timeline").hidden = true;
  }
  $("date-from").addEventListener("input", refresh);
  $("date-to").addEventListener("input", refresh);
  $("date-all").addEventListener("click", () => { $("date-from").value = ""; $("date-to").value = ""; refresh(); });

  // Search by any name, over the whole view: exact name or alias first, then names containing it.
  const index = new Map();
  const datalist = $("names");
  for (const n of DATA.nodes) {
    for (const name of n.kg.names) {
      const key = name.toLowerCase();
      if (!index.has(key)) index.set(key, []);
      index.get(key).push(n.id);
    }
  }
  for (const key of [...index.keys()].sort()) {
    const option = el("option");
    option.value = byId.get(index.get(key)[0]).kg.names.find((x) => x.toLowerCase() === key);
    datalist.append(option);
  }

  function search(text) {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    let hits = ranked(index.get(q) || []);
    if (!hits.length) {
      const found = [];
      for (const [key, ids] of index) if (key.includes(q)) found.push(...ids);
      hits = ranked(found);
    }
    return hits;
  }

  function describe(id) {
    const n = byId.get(id);
    return n.kg.name + "（" + n.kg.typeZh + "）";
  }

  // Select a node, bringing it into the picture first if it is not there yet.
  function show(id) {
    const n = byId.get(id);
    if (hiddenGroups.has(n.kg.type)) setGroup(n.kg.type, true);
    if (!inRange(n)) { $("date-from").value = ""; $("date-to").value = ""; refresh(); }
    if (!shown(id)) {
      reveal([id], neighbours(id).find(shown) || null);
      relayout(100);
    }
    afterLayout(() => {
      network.selectNodes([id]);
      network.focus(id, { scale: 1.3, animation: { duration: 300 } });
      details(id);
    });
  }

  // graph.html#id=<node id> (percent-encoded, e.g. #id=Village%2F%E8%A5%BF...) opens with that
  // node selected and its links shown: kg serve's pages link here. Followed on every change of
  // the fragment, so a link within one open view works too.
  function openFromHash() {
    const m = /^#id=(.+)$/.exec(location.hash);
    if (!m) return null;
    let id;
    try { id = decodeURIComponent(m[1]); } catch (e) { id = m[1]; }
    if (!byId.has(id)) {
      $("search-status").textContent = "未找到 Not found: " + id;
      return null;
    }
    show(id);
    // a turn of its own: settle() runs the waiting functions, and expanding lays out anew
    afterLayout(() => setTimeout(() => expand(id), 0));
    return id;
  }

  function runSearch(text) {
    const hits = search(text);
    const results = $("search-results");
    results.replaceChildren();
    if (!hits.length) {
      $("search-status").textContent = text.trim() ? "未找到 Not found: " + text.trim() : "";
      return hits;
    }
    $("search-status").textContent = "找到 " + hits.length + " 个 Found: " + describe(hits[0]);
    if (hits.length > 1) {
      for (const id of hits.slice(0, 12)) {
        const b = el("button", null, describe(id));
        b.type = "button";
        b.addEventListener("click", () => show(id));
        results.append(b);
      }
    }
    show(hits[0]);
    return hits;
  }

  $("search-form").addEventListener("submit", (ev) => { ev.preventDefault(); runSearch($("search").value); });
  // Picking a suggestion from the list searches at once; typing waits for Enter.
  $("search").addEventListener("input", (ev) => {
    if (ev.inputType === undefined || ev.inputType === "insertReplacementText") runSearch($("search").value);
  });
  $("show-overview").addEventListener("click", overview);
  $("show-all").addEventListener("click", showAll);

  function details(id) {
    const box = $("details");
    box.replaceChildren();
    if (id === null || !byId.has(id)) {
      box.append(el("p", "muted", "点击或搜索一个节点；双击展开相连节点 Click or search a node; double-click to show its links"));
      return;
    }
    const n = byId.get(id);
    box.append(n.kg.type === "Article" ? articleCard(n) : card(n, true));
    const near = neighbours(id);
    const hidden = near.filter((other) => !shown(other)).length;
    if (hidden) {
      const b = el("button", "expand", "展开相连 Show " + hidden + " more linked");
      b.type = "button";
      b.id = "expand";
      b.addEventListener("click", () => expand(id));
      box.append(b);
    }
    if (near.length) {
      box.append(el("div", "key", "相连 linked (" + near.length + "):"));
      for (const other of near.slice(0, 40)) {
        const b = el("button", shown(other) ? null : "absent", describe(other));
        b.type = "button";
        b.addEventListener("click", () => show(other));
        box.append(b);
      }
      if (near.length > 40) box.append(el("div", "muted", "…另有 " + (near.length - 40) + " more"));
    }
  }

  // Lay out the overview once with a fixed seed, then stop the physics.
  reveal(DATA.initial);
  const t0 = performance.now();
  const network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, DATA.options);
  // Timings for benchmarks/html_layout.py: building the network, then settling.
  const kg = { network: network, nodes: nodes, edges: edges, data: DATA, search: runSearch, expand: expand,
    showAll: showAll, overview: overview, open: openFromHash, settled: false, createMs: performance.now() - t0, settleMs: null,
    iterations: 0 };
  window.kg = kg;
  network.on("stabilizationProgress", (p) => {
    $("loading").textContent = "布局中 Laying out… " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  function settle() {
    kg.iterations = network.physics.stabilizationIterations;  // vis resets it right after this event
    network.setOptions({ physics: { enabled: false } });
    // vis fits no closer than 1:1; a small view may come closer so its labels can be read.
    network.fit({ maxZoomLevel: 1.4, animation: false });
    if (home === null) {
      home = network.getPositions();
      if (DATA.focus && byId.has(DATA.focus)) {
        network.selectNodes([DATA.focus]);
        details(DATA.focus);
      }
      kg.settleMs = performance.now() - t0;
      // Once this settling is over: opening a node lays out again, which settles anew.
      if (location.hash) setTimeout(openFromHash, 0);
    }
    kg.settled = true;
    $("loading").style.display = "none";
    document.body.dataset.settled = "true";
    while (waiting.length) waiting.shift()();
  }
  summarise();
  refresh();
  details(null);
  if (nodes.length) {
    network.once("stabilizationIterationsDone", settle);
  } else {
    settle();  // vis never stabilises an empty network
    $("loading").textContent = "没有可显示的节点 Nothing to show: widen the view (kg view --types / --min-mentions)";
    $("loading").style.display = "";
  }
  network.on("selectNode", (p) => details(p.nodes[0]));
  network.on("deselectNode", () => details(null));
  network.on("doubleClick", (p) => { if (p.nodes.length) expand(p.nodes[0]); });
  window.addEventListener("hashchange", openFromHash);
})();
