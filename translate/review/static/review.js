"use strict";
// The review page. Data comes from the JSON block in the page and from /api; the DOM is built
// with textContent only (catalogue strings are never parsed as HTML).
const boot = JSON.parse(document.getElementById("boot").textContent);

// The session token is not in the page: `translate review` prints an address with
// #token=…; keep it for this address, so later addresses (typed, or deep links) need none.
const TOKEN_KEY = "translate-review-token";
function hashParams() {
  const out = {};
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    try { out[k] = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1)); } catch (e) { out[k] = part.slice(eq + 1); }
  }
  return out;
}
function storedToken() { try { return localStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; } }
function takeToken() {
  const h = hashParams();
  if (h.token === undefined) return storedToken();
  try { localStorage.setItem(TOKEN_KEY, h.token); } catch (e) { /* storage disabled: this tab only */ }
  const rest = location.hash.replace(/^#/, "").split("&").filter((p) => p && !p.startsWith("token="));
  history.replaceState(null, "", location.pathname + location.search + (rest.length ? "#" + rest.join("&") : ""));
  return h.token;
}
const TOKEN = takeToken();
const FILTERS = [["all", "All"], ["failing", "Failing"], ["warning", "Warning"], ["fuzzy", "Fuzzy/machine"], ["untranslated", "Untranslated"], ["reviewed", "Reviewed"], ["translated", "Translated"], ["worst", "Worst first"]];
const S = {cat: boot.cat, filter: "all", q: "", items: [], total: 0, counts: {}, sel: -1, digest: boot.first.digest, seq: 0, pending: null};
const $ = (id) => document.getElementById(id);
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}
function say(msg, err) { const s = $("status"); s.textContent = msg; s.classList.toggle("err", !!err); }

async function api(path, body) {
  const opt = body === undefined ? {} : {method: "POST", headers: {"Content-Type": "application/json", "X-Review-Token": TOKEN}, body: JSON.stringify(body)};
  const r = await fetch(path, opt);
  let data;
  try { data = await r.json(); } catch (e) { data = {error: r.statusText}; }
  if (!r.ok) {
    let msg = data.error || r.statusText;
    if (r.status === 403 && /token/.test(msg)) msg = "read-only: open the address `translate review` printed (it carries this session's key), then save again";
    const err = new Error(msg); err.status = r.status; throw err;
  }
  return data;
}

function badge(it) {
  if (it.verdict === "fail") return ["fail", "fail"];
  if (!it.translated) return ["untranslated", "new"];
  if (it.fuzzy) return ["fuzzy", it.machine ? "machine" : "fuzzy"];
  if (it.reviewed) return ["reviewed", "reviewed"];
  if (it.verdict === "warn") return ["warn", "warn"];
  if (it.verdict === "pass") return ["pass", "pass"];
  return ["", "done"];
}
function shownTr(it) {
  if (it.msgid_plural) return Object.values(it.msgstr_plural).join(" | ");
  return it.msgstr;
}
function row(it, k) {
  const li = el("li");
  li.setAttribute("role", "option");
  li.dataset.k = k;
  const [b, label] = badge(it);
  li.appendChild(el("span", "badge b-" + b, label));
  li.appendChild(el("span", "src", (it.msgctxt ? "[" + it.msgctxt + "] " : "") + it.msgid));
  const tr = shownTr(it);
  li.appendChild(el("span", "tr" + (tr ? "" : " empty"), tr || "(untranslated)"));
  if (k === S.sel) { li.classList.add("sel"); li.setAttribute("aria-selected", "true"); }
  return li;
}
function renderFilters() {
  const nav = $("filters");
  nav.textContent = "";
  FILTERS.forEach(([f, label], n) => {
    const b = el("button");
    b.type = "button";
    b.dataset.filter = f;
    b.setAttribute("aria-pressed", String(S.filter === f));
    b.title = "key " + n;
    b.appendChild(document.createTextNode(label));
    b.appendChild(el("span", "count", String(S.counts[f] ?? 0)));
    b.addEventListener("click", () => setFilter(f));
    nav.appendChild(b);
  });
}
function renderList(from) {
  const list = $("list");
  if (!from) list.textContent = "";
  const frag = document.createDocumentFragment();
  for (let k = from || 0; k < S.items.length; k++) frag.appendChild(row(S.items[k], k));
  list.appendChild(frag);
  $("more").classList.toggle("on", S.items.length < S.total);
  $("more").textContent = "Load more (" + (S.total - S.items.length) + " left)";
}
function applyPage(data, append) {
  S.total = data.total;
  S.counts = data.counts;
  S.digest = data.digest;
  const from = append ? S.items.length : 0;
  S.items = append ? S.items.concat(data.items) : data.items;
  renderFilters();
  renderList(from);
}
async function load(append) {
  if (append && S.appending) return false;
  if (append) S.appending = true;
  try { return await loadPage(append); } finally { if (append) S.appending = false; }
}
async function loadPage(append) {
  const seq = ++S.seq;
  const off = append ? S.items.length : 0;
  const url = "/api/entries?cat=" + S.cat + "&filter=" + S.filter + "&q=" + encodeURIComponent(S.q) + "&offset=" + off + "&limit=" + boot.pageSize;
  try {
    const data = await api(url);
    if (seq !== S.seq) return false;
    applyPage(data, append);
    if (!append) select(S.items.length ? 0 : -1);
    return true;
  } catch (e) { say(e.message, true); return false; }
}
async function refreshCounts() {
  try {
    const data = await api("/api/entries?cat=" + S.cat + "&filter=" + S.filter + "&q=" + encodeURIComponent(S.q) + "&offset=0&limit=1");
    S.counts = data.counts; S.digest = data.digest; renderFilters();
  } catch (e) { say(e.message, true); }
}
function setFilter(f) { S.filter = f; load(false); }

function section(parent, title) { parent.appendChild(el("h2", null, title)); }
function renderDetail() {
  const d = $("detail");
  d.textContent = "";
  const it = S.items[S.sel];
  if (!it) { d.appendChild(el("p", "meta", S.total ? "" : "No entry matches.")); return; }
  const head = el("p", "meta", "Entry " + (it.i + 1) + (it.line ? " · line " + it.line : "") + (it.flags.length ? " · #, " + it.flags.join(", ") : ""));
  d.appendChild(head);
  if (it.msgctxt) { section(d, "Context (msgctxt)"); d.appendChild(el("div", "text", it.msgctxt)); }
  section(d, "English");
  d.appendChild(el("div", "text", it.msgid)).id = "msgid";
  if (it.msgid_plural) { section(d, "English plural"); d.appendChild(el("div", "text", it.msgid_plural)); }
  section(d, "Spanish");
  if (it.msgid_plural) {
    for (const [k, v] of Object.entries(it.msgstr_plural)) {
      const t = el("textarea", "form"); t.value = v; t.dataset.form = k; t.setAttribute("aria-label", "msgstr[" + k + "]");
      t.addEventListener("input", () => t.classList.add("dirty"));
      d.appendChild(el("div", "meta", "msgstr[" + k + "]")); d.appendChild(t);
    }
  } else {
    const t = el("textarea"); t.id = "msgstr"; t.value = it.msgstr; t.setAttribute("aria-label", "Spanish translation");
    t.addEventListener("input", () => t.classList.add("dirty"));
    if (S.pending && S.pending.i === it.i) { t.value = S.pending.text; t.classList.add("dirty"); }
    d.appendChild(t);
  }
  const acts = el("div", "actions");
  for (const [id, label, fn] of [["save", "Save (Ctrl+Enter)", () => act("save")], ["approve", "Approve (a)", () => act("approve")], ["reject", "Reject (X)", () => act("reject")]]) {
    const b = el("button", null, label); b.type = "button"; b.id = "btn-" + id; b.addEventListener("click", fn); acts.appendChild(b);
  }
  d.appendChild(acts);
  section(d, "Check");
  const v = el("p");
  const [bc, bl] = it.verdict ? [it.verdict, it.verdict] : ["", "not checked"];
  v.appendChild(el("span", "badge b-" + bc, bl)); v.id = "verdict";
  if (it.checks.length) v.appendChild(document.createTextNode(" " + it.checks.join(", ")));
  if (it.score !== null && it.score !== undefined) v.appendChild(document.createTextNode(" · score " + it.score + "/100"));
  d.appendChild(v);
  if (it.findings.length) {
    const ul = el("ul"); ul.id = "findings";
    for (const f of it.findings) ul.appendChild(el("li", null, f.name + ": " + f.detail));
    d.appendChild(ul);
  }
  if (it.back_translation) { section(d, "Back-translation"); d.appendChild(el("div", "text", it.back_translation)); }
  if (it.reviewed) d.appendChild(el("p", "meta", it.reviewed)).id = "reviewed";
  if (it.previous_msgid) { section(d, "Previous English (#| msgid)"); d.appendChild(el("div", "text", it.previous_msgid)); }
  if (it.tcomment) { section(d, "Translator comments"); d.appendChild(el("div", "text", it.tcomment)); }
  if (it.notes.length) { section(d, "Notes"); d.appendChild(el("div", "text meta", it.notes.join("\n"))); }
  if (it.references.length) { section(d, "References"); d.appendChild(el("div", "meta", it.references.join("  "))); }
  const ctx = el("div"); ctx.id = "context"; d.appendChild(ctx);
  if (it.context !== undefined) renderContext(it.context);
}
function renderContext(c) {
  const box = $("context");
  if (!box) return;
  box.textContent = "";
  if (!c) return;
  section(box, "Paragraph in " + c.file);
  const p = el("div", "text ctx");
  p.appendChild(document.createTextNode(c.before));
  p.appendChild(el("mark", null, c.sentence));
  p.appendChild(document.createTextNode(c.after));
  box.appendChild(p);
}
let detailTimer = null;
function select(k) {
  const list = $("list");
  const old = list.querySelector("li.sel");
  if (old) { old.classList.remove("sel"); old.removeAttribute("aria-selected"); }
  S.sel = k;
  const li = list.children[k];
  if (li) { li.classList.add("sel"); li.setAttribute("aria-selected", "true"); li.scrollIntoView({block: "nearest"}); }
  renderDetail();
  clearTimeout(detailTimer);
  const it = S.items[k];
  if (!it || it.context !== undefined) return;
  detailTimer = setTimeout(async () => {
    try {
      const data = await api("/api/entry?cat=" + S.cat + "&i=" + it.i);
      it.context = data.entry.context;
      if (S.items[S.sel] === it) renderContext(it.context);
    } catch (e) { say(e.message, true); }
  }, 60);
}
async function move(step) {
  let k = S.sel + step;
  if (k >= S.items.length && S.items.length < S.total) { await load(true); }
  if (k < 0 || k >= S.items.length) return;
  select(k);
}
function dirty() { return !!document.querySelector("#detail textarea.dirty"); }
async function act(action) {
  const it = S.items[S.sel];
  if (!it) return;
  const body = {cat: S.cat, i: it.i, action: action, digest: S.digest};
  if (action !== "reject") {
    if (it.msgid_plural) {
      body.msgstr_plural = {};
      document.querySelectorAll("#detail textarea.form").forEach((t) => { body.msgstr_plural[t.dataset.form] = t.value; });
    } else { body.msgstr = $("msgstr").value; }
  }
  const k = S.sel;
  try {
    const d = await api("/api/entry", body);
    if (S.pending && S.pending.i === it.i) S.pending = null;
    S.digest = d.digest;
    d.entry.context = d.entry.context ?? null;
    S.items[k] = d.entry;
    const li = $("list").children[k];
    if (li) li.replaceWith(row(d.entry, k));
    if (S.sel === k) renderDetail();
    const what = {save: "saved", approve: "approved", reject: "rejected (now untranslated)"}[action];
    say((d.saved ? what : "no change") + ": entry " + (it.i + 1) + (d.entry.verdict ? " — check: " + d.entry.verdict : ""));
    refreshCounts();
    if (action === "approve") move(1);
  } catch (e) {
    if (e.status === 409) {
      if (!it.msgid_plural && $("msgstr")) S.pending = {i: it.i, text: $("msgstr").value};
      $("conflict-msg").textContent = e.message;
      $("conflict").classList.add("on");
    }
    say(e.message, true);
  }
}
async function reloadFromDisk() {
  try {
    const r = await api("/api/reload", {cat: S.cat});
    S.digest = r.digest;  // before anything else: a save right after the reload must not be refused
    const keep = S.items[S.sel] ? S.items[S.sel].i : null;
    await load(false);
    if (keep !== null) { const k = S.items.findIndex((x) => x.i === keep); if (k >= 0) select(k); }
    $("conflict").classList.remove("on");  // only once the page shows the reloaded catalogue
    say("reloaded from disk" + (S.pending ? "; your edit is kept in the box: save it again" : ""));
  } catch (e) { say(e.message, true); }
}
document.addEventListener("keydown", (ev) => {
  const t = ev.target;
  const typing = t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT");
  if (typing) {
    if (ev.key === "Escape") { t.blur(); ev.preventDefault(); }
    else if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && t.tagName === "TEXTAREA") { ev.preventDefault(); t.blur(); act("save"); }
    else if (ev.key === "Enter" && t.id === "search") { ev.preventDefault(); t.blur(); }
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const k = ev.key;
  if (k === "j" || k === "ArrowDown") { ev.preventDefault(); move(1); }
  else if (k === "k" || k === "ArrowUp") { ev.preventDefault(); move(-1); }
  else if (k === "e" || k === "Enter") { const ta = document.querySelector("#detail textarea"); if (ta) { ev.preventDefault(); ta.focus(); ta.setSelectionRange(ta.value.length, ta.value.length); } }
  else if (k === "a") { ev.preventDefault(); act("approve"); }
  else if (k === "s") { ev.preventDefault(); act("save"); }
  else if (k === "X") { ev.preventDefault(); act("reject"); }
  else if (k === "R" && $("conflict").classList.contains("on")) { ev.preventDefault(); reloadFromDisk(); }
  else if (k === "/") { ev.preventDefault(); $("search").focus(); }
  else if (/^[0-6]$/.test(k)) { ev.preventDefault(); setFilter(FILTERS[Number(k)][0]); }
});
let searchTimer = null;
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { S.q = $("search").value; load(false); }, 150);
});
$("more").addEventListener("click", () => load(true));
$("reload").addEventListener("click", reloadFromDisk);
$("listbox").addEventListener("click", (ev) => { const li = ev.target.closest("li"); if (li) select(Number(li.dataset.k)); });
$("listbox").addEventListener("scroll", () => {
  const b = $("listbox");
  if (b.scrollTop + b.clientHeight > b.scrollHeight - 200 && S.items.length < S.total) load(true);
});
$("catalogue").addEventListener("change", () => { location.search = "?cat=" + $("catalogue").value; });

// Deep links: #entry=<catalogue's shown name, URL-encoded>:<line where its msgid starts>
function catalogueNamed(name) {
  const exact = boot.catalogues.findIndex((c) => c.name === name);
  if (exact >= 0) return exact;
  const tail = (s) => s.split("/").pop();
  const same = boot.catalogues.map((c, k) => [c, k]).filter(([c]) => tail(c.name) === tail(name));
  return same.length === 1 ? same[0][1] : -1;
}
let linkSeq = 0;  // the newest link followed: an older one still waiting for the server must not win
async function followLink() {
  const mine = ++linkSeq;
  const spec = hashParams().entry;
  if (!spec) return true;
  const at = spec.lastIndexOf(":");
  const name = at < 0 ? spec : spec.slice(0, at);
  const line = at < 0 ? NaN : Number(spec.slice(at + 1));
  const k = catalogueNamed(name);
  if (k < 0 || !Number.isInteger(line)) { say("no entry " + spec + " in this review", true); return true; }
  if (k !== S.cat) { location.replace("/?cat=" + k + location.hash); return false; }
  try {
    const where = await api("/api/locate?cat=" + S.cat + "&line=" + line);
    if (mine !== linkSeq) return true;
    if (S.filter !== "all" || S.q) { S.filter = "all"; S.q = ""; $("search").value = ""; await load(false); }
    while (!S.items.some((x) => x.i === where.i) && S.items.length < S.total) { if (!(await load(true))) break; }
    const pos = S.items.findIndex((x) => x.i === where.i);
    if (pos >= 0 && mine === linkSeq) { select(pos); $("list").children[pos].scrollIntoView({block: "center"}); }
  } catch (e) { say(e.message, true); }
  return true;
}
window.addEventListener("hashchange", () => { takeToken(); followLink(); });

applyPage(boot.first, false);
select(S.items.length ? 0 : -1);
if (!TOKEN) say("read-only: open the address `translate review` printed (it carries this session's key) to save");
followLink().then((stay) => { if (stay) document.body.dataset.ready = "1"; });
