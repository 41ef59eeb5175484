// pingcheng-kg graph page: legend, type filters, search, tooltips and details.
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

  // The card shown as a hover tooltip and in the details panel; `full` lists every headline.
  function card(n, full) {
    const k = n.kg;
    const box = el("div", "tip");
    box.append(el("b", null, k.name));
    box.append(el("div", "muted", k.typeZh));
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

  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const byId = new Map(DATA.nodes.map((n) => [n.id, n]));

  // Summary line.
  let summary = "显示 " + DATA.nodes.length + " 个节点、" + DATA.edges.length + " 条边 · " +
    DATA.nodes.length + " nodes, " + DATA.edges.length + " edges";
  if (DATA.note) summary += " · " + DATA.note;
  $("summary").textContent = summary;

  // Legend doubles as the type filter: one checkbox per group.
  const hiddenGroups = new Set();
  function setGroup(group, on) {
    if (on) hiddenGroups.delete(group); else hiddenGroups.add(group);
    const box = document.querySelector('#legend input[data-group="' + CSS.escape(group) + '"]');
    if (box) box.checked = on;
    nodes.update(DATA.nodes.filter((n) => n.kg.type === group).map((n) => ({ id: n.id, hidden: !on })));
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

  // Search by any name: exact name or alias first, then names containing the text.
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
  const weight = (id) => byId.get(id).kg.mentions || 0;
  const ranked = (ids) => [...new Set(ids)].sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1));

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

  function show(id) {
    const n = byId.get(id);
    if (hiddenGroups.has(n.kg.type)) setGroup(n.kg.type, true);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 300 } });
    details(id);
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

  function details(id) {
    const box = $("details");
    box.replaceChildren();
    if (id === null) {
      box.append(el("p", "muted", "点击或搜索一个节点 Click or search a node"));
      return;
    }
    box.append(card(byId.get(id), true));
    const near = network.getConnectedNodes(id).sort();
    if (near.length) {
      box.append(el("div", "key", "相连 linked (" + near.length + "):"));
      for (const other of near.slice(0, 30)) {
        const b = el("button", null, describe(other));
        b.type = "button";
        b.addEventListener("click", () => show(other));
        box.append(b);
      }
    }
  }

  // Lay out once with a fixed seed, then stop the physics so the picture holds still.
  const t0 = performance.now();
  const network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, DATA.options);
  // Timings for benchmarks/html_layout.py: building the network, then settling.
  const kg = { network: network, nodes: nodes, edges: edges, search: runSearch, settled: false,
    createMs: performance.now() - t0, settleMs: null, iterations: 0 };
  window.kg = kg;
  network.on("stabilizationProgress", (p) => {
    $("loading").textContent = "布局中 Laying out… " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  function settle() {
    kg.iterations = network.physics.stabilizationIterations;  // vis resets it right after this event
    network.setOptions({ physics: { enabled: false } });
    // vis fits no closer than 1:1; a small view may come closer so its labels can be read.
    network.fit({ maxZoomLevel: 1.4, animation: false });
    if (DATA.focus && byId.has(DATA.focus)) {
      network.selectNodes([DATA.focus]);
      details(DATA.focus);
    }
    kg.settleMs = performance.now() - t0;
    kg.settled = true;
    $("loading").style.display = "none";
    document.body.dataset.settled = "true";
  }
  if (DATA.nodes.length) {
    network.once("stabilizationIterationsDone", settle);
  } else {
    settle();  // vis never stabilises an empty network
    $("loading").textContent = "没有可显示的节点 Nothing to show: widen the view (kg view --types / --min-mentions)";
    $("loading").style.display = "";
  }
  network.on("selectNode", (p) => details(p.nodes[0]));
  network.on("deselectNode", () => details(null));
})();
