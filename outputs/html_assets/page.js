/* deportgraph interactive export.
 *
 * The graph arrives as JSON in <script id="dg-data" type="application/json">. Every piece of text that
 * came from an article is put into the page with textContent (or vis-network's plain-text tooltips),
 * never as HTML; links are made only for http(s) URLs. window.deportgraph exposes the network and the
 * panel functions (used by the tests and handy from the console).
 */
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("dg-data").textContent);
  const style = data.style;
  const NONE = style.no_status;
  const $ = (id) => document.getElementById(id);

  const nodeById = new Map();
  const edgeById = new Map();
  const incident = new Map();
  for (const n of data.nodes) {
    nodeById.set(n.id, n);
    incident.set(n.id, []);
  }
  for (const e of data.edges) {
    edgeById.set(e.id, e);
    incident.get(e.from).push(e.id);
    if (e.to !== e.from) incident.get(e.to).push(e.id);
  }

  /* ---- DOM helpers: text only ---- */
  function el(tag, opts, ...children) {
    const node = document.createElement(tag);
    if (opts) {
      if (opts.cls) node.className = opts.cls;
      if (opts.text !== undefined && opts.text !== null) node.textContent = String(opts.text);
      if (opts.title) node.title = String(opts.title);
      if (opts.type) node.type = opts.type;
    }
    for (const child of children) if (child) node.appendChild(child);
    return node;
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url.trim()) ? url.trim() : null;
  }
  function link(text, url) {
    const href = safeUrl(url);
    if (!href) return el("span", { cls: "dg-art", text });
    const a = el("a", { cls: "dg-art", text });
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function plain(value) {
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(plain).join(", ");
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }
  function nameOf(id) {
    const n = nodeById.get(id);
    return n ? n.name : id;
  }
  function statusColour(status) {
    return style.statuses[status] ? style.statuses[status].color : style.statuses[NONE].color;
  }
  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  /* ---- vis items ---- */
  function nodeTip(n) {
    const bits = [style.kinds[n.kind] ? style.kinds[n.kind].one : n.kind];
    if (n.props.iso3) bits.push(n.props.iso3);
    if (n.props.kind) bits.push(String(n.props.kind));
    if (n.status) bits.push(n.status);
    const lines = [n.name, bits.join(" · "), plural(n.degree, "connection")];
    if (n.props.n_sources) lines.push(plural(n.props.n_sources, "article"));
    return lines.join("\n");
  }
  function sentence(e) {
    const template = (style.edge_sentences || {})[e.type] || "{src} → {dst}";
    return template.replace("{src}", nameOf(e.from)).replace("{dst}", nameOf(e.to));
  }
  function edgeTip(e) {
    const bits = [];
    if (e.status) bits.push(e.status);
    bits.push(plural(e.n, "article"));
    const lines = [sentence(e), bits.join(" · ")];
    if (e.d0) lines.push(e.d0 === e.d1 ? e.d0 : `${e.d0} – ${e.d1}`);
    return lines.join("\n");
  }
  function nodeItem(n) {
    const k = style.kinds[n.kind] || style.kinds.Other;
    const border = n.kind === "Agreement" && n.status ? statusColour(n.status) : k.border;
    const item = {
      id: n.id, label: n.label, title: nodeTip(n), shape: k.shape, size: n.size,
      borderWidth: n.kind === "Agreement" ? 3 : 1,
      color: {
        background: k.color, border,
        highlight: { background: k.color, border: "#111827" }, hover: { background: k.color, border: "#111827" },
      },
    };
    if (n.x !== undefined) {
      item.x = n.x;
      item.y = n.y;
    }
    if (n.hub) {
      item.shape = "star";
      item.title = `${item.title}\n(a deporting hub: it sends deportees to several hosts)`;
      if (data.layout === "physics") item.fixed = { x: true, y: true };
    }
    return item;
  }
  function edgeItem(e) {
    const c = statusColour(e.status || NONE);
    const item = {
      id: e.id, from: e.from, to: e.to, label: style.edge_types[e.type] || e.type, title: edgeTip(e),
      width: e.width, color: { color: c, highlight: c, hover: c, opacity: 0.9 },
    };
    if (e.smooth) item.smooth = e.smooth;
    return item;
  }

  /* ---- filters ---- */
  const state = { kinds: new Set(), types: new Set(), statuses: new Set(), from: "", to: "", isolated: false };
  let connected = new Set(); // nodes with at least one edge shown: the others stay hidden unless asked
  function inDates(rec) {
    if (!rec.d0) return true;
    if (state.from && rec.d1 < state.from) return false;
    if (state.to && rec.d0 > state.to) return false;
    return true;
  }
  function nodePasses(n) {
    if (!n || !state.kinds.has(n.kind)) return false;
    if (n.kind === "Agreement" && !state.statuses.has(n.status || NONE)) return false;
    return inDates(n);
  }
  function edgePasses(e) {
    return state.types.has(e.type) && state.statuses.has(e.status || NONE) && inDates(e)
      && nodePasses(nodeById.get(e.from)) && nodePasses(nodeById.get(e.to));
  }
  function nodeShown(n) {
    // articles are never joined by edges: their checkbox alone shows them
    return nodePasses(n) && (state.isolated || n.kind === "Source" || connected.has(n.id));
  }
  function connect() {
    connected = new Set();
    for (const e of data.edges) {
      if (edgePasses(e)) {
        connected.add(e.from);
        connected.add(e.to);
      }
    }
  }

  function counts(key, items) {
    const out = new Map();
    for (const it of items) out.set(key(it), (out.get(key(it)) || 0) + 1);
    return out;
  }
  function checkbox(container, set, value, labelText, count, swatch, checked) {
    const input = el("input", { type: "checkbox" });
    input.checked = checked;
    input.value = value;
    input.dataset.value = value;
    if (checked) set.add(value);
    input.addEventListener("change", () => {
      if (input.checked) set.add(value);
      else set.delete(value);
      applyFilters();
    });
    container.appendChild(el("label", null, input, swatch, el("span", { text: labelText }),
      el("span", { cls: "dg-count", text: count })));
    return input;
  }
  function swatch(shape, colour) {
    const s = el("span", { cls: `dg-swatch ${shape}` });
    s.style.background = colour;
    s.style.setProperty("--c", colour);
    return s;
  }
  const defaults = [];
  function buildFilters() {
    const kindCounts = counts((n) => n.kind, data.nodes);
    for (const kind of style.kind_order) {
      if (!kindCounts.has(kind)) continue;
      const k = style.kinds[kind];
      defaults.push([checkbox($("dg-kinds"), state.kinds, kind, k.many, kindCounts.get(kind),
        swatch(k.swatch, k.color), !k.hidden), !k.hidden]);
    }
    const lone = el("input", { type: "checkbox" });
    lone.id = "dg-isolated";
    lone.addEventListener("change", () => {
      state.isolated = lone.checked;
      applyFilters();
    });
    $("dg-kinds").appendChild(el("label", null, lone, el("span", { text: "Unconnected nodes" })));
    if (data.nodes.some((n) => n.hub)) {
      $("dg-kinds").appendChild(el("p", { cls: "dg-note", text: "★ a deporting hub: sends deportees to several hosts" }));
    }
    defaults.push([lone, false]);
    const statusCounts = counts((e) => e.status || NONE, data.edges);
    for (const n of data.nodes) {
      if (n.kind === "Agreement") statusCounts.set(n.status || NONE, (statusCounts.get(n.status || NONE) || 0) + 1);
    }
    for (const status of style.status_order) {
      const s = style.statuses[status];
      defaults.push([checkbox($("dg-statuses"), state.statuses, status, s.text, statusCounts.get(status) || 0,
        swatch("line", s.color), true), true]);
    }
    const typeCounts = counts((e) => e.type, data.edges);
    for (const type of style.type_order) {
      if (!typeCounts.has(type)) continue;
      defaults.push([checkbox($("dg-types"), state.types, type, style.edge_types[type], typeCounts.get(type),
        null, true), true]);
    }
    for (const [id, key] of [["dg-from", "from"], ["dg-to", "to"]]) {
      const input = $(id);
      if (data.dates) {
        input.min = data.dates[0];
        input.max = data.dates[1];
      }
      input.addEventListener("change", () => {
        state[key] = input.value || "";
        applyFilters();
      });
    }
    $("dg-reset").addEventListener("click", () => {
      for (const [input, checked] of defaults) {
        input.checked = checked;
        input.dispatchEvent(new Event("change"));
      }
      $("dg-from").value = "";
      $("dg-to").value = "";
      state.from = "";
      state.to = "";
      applyFilters();
    });
  }
  function applyFilters() {
    connect();
    nodesView.refresh();
    edgesView.refresh();
    showCounts();
  }
  function showCounts() {
    message(`${plural(nodesView.length, "node")}, ${plural(edgesView.length, "edge")} shown`);
  }
  function message(text) {
    $("dg-msg").textContent = text;
  }

  /* ---- the panel ---- */
  const SKIP = new Set(["quotes", "evidence_sources", "sources", "name"]);
  function propsTable(props, extra) {
    const table = el("table", { cls: "dg-props" });
    const rows = extra.concat(Object.keys(props).sort().filter((k) => !SKIP.has(k)).map((k) => [k, props[k]]));
    for (const [key, value] of rows) {
      const text = plain(value);
      if (text === "") continue;
      table.appendChild(el("tr", null, el("th", { text: key }), el("td", { text })));
    }
    return table;
  }
  function evidence(props) {
    const box = el("div");
    const quotes = Array.isArray(props.quotes) ? props.quotes : [];
    const ids = Array.isArray(props.evidence_sources) ? props.evidence_sources : [];
    const groups = new Map();
    quotes.forEach((quote, i) => {
      const sid = ids[i] === undefined ? "" : String(ids[i]);
      if (!groups.has(sid)) groups.set(sid, []);
      if (!groups.get(sid).includes(quote)) groups.get(sid).push(quote);
    });
    if (groups.size === 0) {
      box.appendChild(el("p", { cls: "dg-hint", text: "No sentence recorded for this item." }));
      return box;
    }
    for (const [sid, qs] of groups) {
      const src = data.sources[sid] || {};
      const item = el("div", { cls: "dg-ev" });
      for (const q of qs) item.appendChild(el("blockquote", { text: q }));
      const meta = el("div", { cls: "dg-meta" });
      meta.appendChild(link(src.title || src.path || (sid ? `article ${sid}` : "unknown article"), src.url));
      const rest = [src.publisher, src.published, src.title && src.path ? src.path : null]
        .filter((v) => v).map(String).join(" · ");
      if (rest) meta.appendChild(el("span", { text: ` — ${rest}` }));
      if (src.url && !safeUrl(src.url)) meta.appendChild(el("div", { text: String(src.url) }));
      item.appendChild(meta);
      box.appendChild(item);
    }
    return box;
  }
  function panel(...children) {
    const p = $("dg-panel");
    p.replaceChildren(...children);
    p.scrollTop = 0;
  }
  function showNode(id) {
    const n = nodeById.get(id);
    if (!n) return false;
    const k = style.kinds[n.kind] || style.kinds.Other;
    const sub = el("p", { cls: "dg-sub" }, swatch(k.swatch, k.color), el("span", { text: `${k.one} · ${n.id}` }));
    if (n.status) {
      const pill = el("span", { cls: "dg-pill", text: n.status });
      pill.style.background = statusColour(n.status);
      sub.appendChild(pill);
    }
    const links = el("ul", { cls: "dg-links" });
    const inc = incident.get(id);
    for (const eid of inc.slice(0, 200)) {
      const e = edgeById.get(eid);
      const b = el("button", { type: "button", text: sentence(e) });
      b.addEventListener("click", () => selectEdge(eid));
      links.appendChild(el("li", null, b));
    }
    if (inc.length > 200) links.appendChild(el("li", { text: `… and ${inc.length - 200} more` }));
    const parts = [el("h2", { text: n.name }), sub];
    if (n.kind === "Country") parts.push(...profile(id, inc));
    panel(...parts, propsTable(n.props, [["connections", n.degree]]),
      el("h3", { text: "Evidence" }), evidence(n.props), el("h3", { text: "Connections" }), links);
    return true;
  }
  function profile(id, inc) {
    // A country's arrangements and money at a glance, from its edges (as `deportgraph profile` gives them).
    const rows = (pred, other) => inc.map((eid) => edgeById.get(eid)).filter(pred).map((e) => {
      const usd = e.props.amount_usd;
      const bits = [nameOf(other(e)), e.status || "", usd ? `USD ${Math.round(usd).toLocaleString("en-US")}` : ""];
      return el("li", { text: bits.filter((b) => b).join(" · ") });
    });
    const hosts = rows((e) => e.type === "ACCEPTS_DEPORTEES_FROM" && e.from === id, (e) => e.to);
    const sends = rows((e) => e.type === "ACCEPTS_DEPORTEES_FROM" && e.to === id, (e) => e.from);
    const paid = inc.map((eid) => edgeById.get(eid)).filter((e) => e.type === "PAID");
    const total = (pred) => paid.filter(pred).reduce((sum, e) => sum + (Number(e.props.amount_usd) || 0), 0);
    const out = [el("h3", { text: "Profile" })];
    const list = (title, items) => {
      if (items.length) out.push(el("p", { cls: "dg-note", text: title }), el("ul", { cls: "dg-profile" }, ...items));
    };
    list("Accepts deportees from", hosts);
    list("Sends deportees to", sends);
    if (paid.length) {
      out.push(el("p", { cls: "dg-note", text: `Paid USD ${Math.round(total((e) => e.from === id)).toLocaleString("en-US")}`
        + ` · received USD ${Math.round(total((e) => e.to === id)).toLocaleString("en-US")} (disclosed sums)` }));
    }
    return out.length > 1 ? out : [];
  }
  function showEdge(id) {
    const e = edgeById.get(id);
    if (!e) return false;
    const sub = el("p", { cls: "dg-sub" }, el("span", { text: style.edge_types[e.type] || e.type }));
    const pill = el("span", { cls: "dg-pill", text: e.status || "no status" });
    pill.style.background = statusColour(e.status || NONE);
    sub.appendChild(pill);
    const ends = el("ul", { cls: "dg-links" });
    for (const [arrow, nid] of [["from", e.from], ["to", e.to]]) {
      const b = el("button", { type: "button", text: `${arrow} ${nameOf(nid)}` });
      b.addEventListener("click", () => selectNode(nid));
      ends.appendChild(el("li", null, b));
    }
    panel(el("h2", { text: sentence(e) }), sub,
      propsTable(e.props, [["type", e.type], ["articles", e.n]]), el("h3", { text: "Evidence" }),
      evidence(e.props), el("h3", { text: "Between" }), ends);
    return true;
  }
  function clearPanel() {
    panel(el("p", { cls: "dg-hint", text: "Click a node or an edge to see its properties and the sentences behind it." }));
  }

  /* ---- the network ---- */
  buildFilters();
  const nodes = new vis.DataSet(data.nodes.map(nodeItem));
  const edges = new vis.DataSet(data.edges.map(edgeItem));
  connect();
  const nodesView = new vis.DataView(nodes, { filter: (item) => nodeShown(nodeById.get(item.id)) });
  const edgesView = new vis.DataView(edges, { filter: (item) => edgePasses(edgeById.get(item.id)) });
  const physics = data.layout === "physics" && nodesView.length > 0;
  const big = data.nodes.length > 1000;
  /* Fewer iterations for bigger graphs: physics starts from the positions computed in Python. */
  const iterations = (n) => Math.round(Math.min(1000, Math.max(100, 150000 / Math.max(n, 1))));
  const options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: {
      font: { size: 14, color: "#1a202c", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 6 } },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.55 } },
      font: { size: 10, color: "#4a5568", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" },
      smooth: physics ? { enabled: true, type: "continuous", roundness: 0.3 } : false,
      selectionWidth: 2,
      hoverWidth: 0.5,
    },
    interaction: {
      hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, multiselect: false,
    },
    physics: physics ? {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -80, centralGravity: 0.015, springLength: 110, springConstant: 0.06,
        damping: 0.5, avoidOverlap: 0.4 },
      minVelocity: 0.75,
      stabilization: { enabled: true, iterations: iterations(nodesView.length), updateInterval: 25, fit: true },
    } : { enabled: false },
  };

  for (const n of data.nodes) {
    const opt = document.createElement("option");
    opt.value = n.name;
    $("dg-names").appendChild(opt);
  }
  const network = new vis.Network($("dg-net"), { nodes: nodesView, edges: edgesView }, options);

  function selectNode(id) {
    if (!showNode(id)) return false;
    if (nodesView.get(id)) {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    } else {
      network.unselectAll();
      message(`${nameOf(id)} is hidden by the filters`);
    }
    return true;
  }
  function selectEdge(id) {
    if (!showEdge(id)) return false;
    if (edgesView.get(id)) network.selectEdges([id]);
    else network.unselectAll();
    return true;
  }
  function findNode(query) {
    const q = String(query || "").trim().toLowerCase();
    if (!q) return null;
    let best = null;
    let bestScore = 0;
    for (const n of data.nodes) {
      const name = n.name.toLowerCase();
      const aliases = Array.isArray(n.props.aliases) ? n.props.aliases.map((a) => String(a).toLowerCase()) : [];
      let score = 0;
      if (n.id.toLowerCase() === q || String(n.props.iso3 || "").toLowerCase() === q) score = 50;
      else if (name === q) score = 40;
      else if (aliases.includes(q)) score = 30;
      else if (name.startsWith(q)) score = 20;
      else if (name.includes(q)) score = 10;
      if (!score) continue;
      score += (n.kind === "Country" ? 2 : 0) + (nodePasses(n) ? 1 : 0);
      if (score > bestScore) {
        best = n.id;
        bestScore = score;
      }
    }
    return best;
  }
  function search(query) {
    const id = findNode(query);
    if (id === null) {
      message(`no node matches “${String(query).trim()}”`);
      return null;
    }
    showCounts();
    selectNode(id);
    return id;
  }
  $("dg-search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search($("dg-search").value);
  });
  /* An edge is a thin line: a click this close to one (in screen pixels) counts as a click on it. */
  const EDGE_REACH = 12;
  function nearestEdge(point) {
    let best = null;
    let bestDistance = EDGE_REACH;
    for (const id of edgesView.getIds()) {
      const edge = network.body.edges[id];
      if (!edge || !edge.edgeType) continue;
      for (let t = 0; t <= 1.0001; t += 0.05) {
        const p = network.canvasToDOM(edge.edgeType.getPoint(t));
        const d = Math.hypot(p.x - point.x, p.y - point.y);
        if (d < bestDistance) {
          bestDistance = d;
          best = id;
        }
      }
    }
    return best;
  }
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else {
      const near = nearestEdge(params.pointer.DOM);
      if (near !== null) {
        network.selectEdges([near]);
        showEdge(near);
      } else clearPanel();
    }
  });

  const api = {
    ready: false, physics, data, network, nodes, edges, nodesView, edgesView,
    showNode, showEdge, selectNode, selectEdge, search, findNode, applyFilters, state, nearestEdge,
  };
  window.deportgraph = api;
  function ready() {
    if (api.ready) return;
    api.ready = true;
    document.body.dataset.ready = "true";
    showCounts();
    if (data.focus) selectNode(data.focus);
  }
  if (physics) {
    network.on("stabilizationProgress", (p) => message(`laying out… ${Math.round((100 * p.iterations) / p.total)} %`));
    network.once("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      nodes.update(data.nodes.filter((n) => n.hub).map((n) => ({ id: n.id, fixed: false })));
      network.fit();
      network.once("afterDrawing", ready);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", ready);
    network.fit();
    network.redraw();
  }
})();
