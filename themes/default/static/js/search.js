// drumbeat's site search: loads the index drumbeat build wrote under
// /search/ (a manifest, then only the shards of the words typed) and shows
// the results. It holds no words of its own: the page gives them in data-
// attributes. fold, words and stem do what generator/render/search does.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || !window.fetch || !window.URL || !String.prototype.normalize) return;
  var $ = function (id) { return document.getElementById(id); };
  var input = $("search-q"), status = $("search-status"), list = $("search-results"), more = $("search-more");
  var lang = document.documentElement.lang || "en";
  // The plural rules and the number format are made, and used once, at
  // load: the first use of Intl sets up its locale data, which took tens
  // of milliseconds of a first query's time.
  var plural = null, number = String;
  try {
    plural = new Intl.PluralRules(lang);
    number = new Intl.NumberFormat(lang).format;
    plural.select(number(1) && 1);
  } catch (e) { /* no Intl, or a language it does not know: English forms */ }
  var manURL = new URL(root.getAttribute("data-index"), location.href);
  var base = root.getAttribute("data-root");
  var PAGE = 10;
  var man = null, files = {}, stems = {}, stop = {};
  var shown = [], seq = 0;
  var filters = ["kind", "partner", "tag", "year"].map(function (n) { return $("search-" + n); }).filter(Boolean);
  var kindLabel = {};
  Array.prototype.forEach.call($("search-kind").options, function (o) { kindLabel[o.value] = o.text; });

  $("search-nojs").hidden = true;
  root.querySelector(".search-filters").hidden = false;

  var mark = /\p{Mn}/gu, split = /[^\p{L}\p{N}]+/u, word = /[\p{L}\p{N}]+/gu;
  function fold(s) { return s.normalize("NFD").replace(mark, "").toLowerCase(); }
  function words(s) { return fold(s).split(split).filter(Boolean); }
  function tokens(s) {
    return words(s).filter(function (w) {
      return !stop[w] && (w.length >= 2 || /^[0-9]$/.test(w)) && w.length <= 40;
    });
  }
  function vowel(s) { return /[aeiouy]/.test(s); }
  function stem(w) {
    var n = w.length;
    if (n <= 3 || /[^\x00-\x7f]/.test(w)) return w;
    var end = function (x) { return w.slice(-x.length) === x; };
    if (end("ies") && n > 4) w = w.slice(0, -3) + "y";
    else if (end("sses") || end("xes") || end("zes") || end("ches") || end("shes")) w = w.slice(0, -2);
    else if (end("ss") || end("us") || end("is")) { /* kept */ }
    else if (end("s")) w = w.slice(0, -1);
    n = w.length;
    if (end("eed")) return w.slice(0, -1);
    if (end("ing") && n > 5 && vowel(w.slice(0, -3))) w = w.slice(0, -3);
    else if (end("ed") && n > 4 && vowel(w.slice(0, -2))) w = w.slice(0, -2);
    else return w;
    n = w.length;
    var c = w.charAt(n - 1);
    if (n >= 3 && c === w.charAt(n - 2) && /[b-df-hj-np-tv-xz]/.test(c) && c !== "l" && c !== "s" && c !== "z") w = w.slice(0, -1);
    return w;
  }
  function stemOf(t) { return stems[t] || (stems[t] = stem(t)); }
  window.drumbeatSearch = { fold: fold, stem: stem, tokens: tokens };

  // num reads the numbers of a posting list (see appendNum in
  // generator/render/search): 5 bits a character, lowest first; a
  // character of the upper half says more follows.
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", digit = new Int8Array(128);
  for (var di = 0; di < 64; di++) digit[DIGITS.charCodeAt(di)] = di;
  function nums(s, f) {
    for (var i = 0, v = 0, p = 1; i < s.length; i++) {
      var d = digit[s.charCodeAt(i) & 127];
      v += (d & 31) * p;
      if (d < 32) { f(v); v = 0; p = 1; } else p *= 32;
    }
  }

  function get(name) {
    if (!files[name]) {
      files[name] = fetch(new URL(name, manURL)).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      files[name].catch(function () { delete files[name]; });
    }
    return files[name];
  }
  function manifest() {
    return man ? Promise.resolve(man) : get(manURL.pathname.split("/").pop()).then(function (m) {
      m.stop.forEach(function (w) { stop[w] = true; });
      return (man = m);
    });
  }

  // shardsFor returns the names of the shards that may hold w, its
  // stem and, for three letters or more, the words it begins.
  function shardsFor(w) {
    var s = stem(w), p = 0;
    while (p < w.length && w.charAt(p) === s.charAt(p)) p++;
    var pre = w.slice(0, p), out = [];
    Object.keys(man.shards).forEach(function (k) {
      if (pre.lastIndexOf(k, 0) === 0 || (w.length >= 3 && k.lastIndexOf(pre, 0) === 0)) out.push(man.shards[k]);
    });
    return out;
  }

  // match returns, for one query word, each document's best match: in
  // bits 0-1, 3 the word itself, 2 a word it begins, 1 a word of the same
  // stem, 0 none; bit 2 set when a matching word is in the title. The
  // lists are read inline (as nums does), not through a call a number:
  // the first query runs before the browser has compiled the script.
  function match(w, shards) {
    var ws = stem(w), prefix = w.length >= 3, m = new Uint8Array(man.n);
    shards.forEach(function (sh) {
      for (var t in sh) {
        var c = t === w ? 3 : prefix && t.lastIndexOf(w, 0) === 0 ? 2 : stemOf(t) === ws ? 1 : 0;
        if (!c) continue;
        for (var s = sh[t], i = 0, id = 0, v = 0, p = 1; i < s.length; i++) {
          var d = digit[s.charCodeAt(i) & 127];
          v += (d & 31) * p;
          if (d < 32) {
            id += v >>> 3;
            var o = m[id];
            m[id] = Math.max(o & 3, c) | o & 4 | (v & 1) << 2;
            v = 0; p = 1;
          } else p *= 32;
        }
      }
    });
    return m;
  }

  // rank returns the ids of the documents every word matched and the
  // filters keep, in order: more query words in the title first, then
  // better matches (exact, prefix, stem), then newer (lower ids). The
  // keys are few, so a counting sort does it in two passes (a query of
  // very many words is sorted instead).
  function rank(maps, keep) {
    var n = man.n, q = maps.length, span = 2 * q + 1, keys = (q + 1) * span, key = new Int32Array(n), id, k;
    var count = new Int32Array(q > 64 ? 1 : keys + 1), all = [];
    for (id = 0; id < n; id++) {
      var titles = 0, cls = 0;
      key[id] = -1;
      for (k = 0; k < q && maps[k][id]; k++) { titles += maps[k][id] >> 2; cls += maps[k][id] & 3; }
      if (k < q) continue;
      for (k = 0; k < keep.length && keep[k].has(id); k++);
      if (k < keep.length) continue;
      key[id] = (q - titles) * span + 3 * q - cls;
      if (q > 64) all.push(id);
      else count[key[id] + 1]++;
    }
    if (q > 64) return all.sort(function (a, b) { return key[a] - key[b] || a - b; });
    for (k = 1; k < count.length; k++) count[k] += count[k - 1];
    var out = new Int32Array(count[keys]);
    for (id = 0; id < n; id++) if (key[id] >= 0) out[count[key[id]]++] = id;
    return out;
  }

  function ids(deltas) {
    var out = new Uint8Array(man.n), id = 0;
    nums(deltas, function (v) { id += v; out[id] = 1; });
    return out;
  }

  function filtered() {
    return Promise.all(filters.map(function (sel) {
      var name = sel.name, v = sel.value;
      if (!v) return null;
      if (name === "year") {
        var r = man.years[v] || [0, 0];
        return { has: function (id) { return id >= r[0] && id < r[1]; } };
      }
      return get("f-" + name + "." + man.facets[name] + ".json").then(function (f) { var s = ids(f[v] || ""); return { has: function (id) { return s[id] === 1; } }; });
    })).then(function (l) { return l.filter(Boolean); });
  }

  function search() {
    var q = input.value, my = ++seq;
    syncURL();
    var qw = null;
    return manifest().then(function () {
      qw = tokens(q);
      if (!qw.length) return null;
      return Promise.all([Promise.all(qw.map(function (w) {
        return Promise.all(shardsFor(w).map(function (h) { return get("t." + h + ".json"); })).then(function (sh) { return match(w, sh); });
      })), filtered()]);
    }).then(function (res) {
      if (my !== seq) return;
      if (!res) { show([], qw, q); return; }
      var out = rank(res[0], res[1]);
      return show(out, qw, q, my);
    }).catch(function (e) {
      window.drumbeatSearchError = String(e && e.stack || e);
      if (my === seq) { list.textContent = ""; status.textContent = root.getAttribute("data-failed"); root.setAttribute("data-shown", q); }
    });
  }

  function show(results, qw, q, my) {
    shown = results;
    list.textContent = "";
    more.hidden = true;
    // data-shown is the query whose results the page shows.
    if (!q.trim()) { status.textContent = ""; root.setAttribute("data-shown", q); return; }
    if (!results.length) { status.textContent = root.getAttribute("data-none"); root.setAttribute("data-shown", q); return; }
    return render(0, my).then(function () {
      if (my !== undefined && my !== seq) return;
      var n = results.length, form = plural && plural.select(n) === "one" ? "one" : "other";
      status.textContent = root.getAttribute("data-found-" + form).replace("{count}", number(n));
      root.setAttribute("data-shown", q);
    });
  }

  // render adds the results from index from, PAGE at a time, loading the
  // titles and snippets of their documents.
  function render(from, my) {
    var page = shown.slice(from, from + PAGE), qw = tokens(input.value);
    var need = {};
    page.forEach(function (id) { need[Math.floor(id / man.chunk)] = true; });
    return Promise.all(Object.keys(need).map(function (c) {
      return get("d." + man.docs[c] + ".json").then(function (rows) { return [c, rows]; });
    })).then(function (chunks) {
      if (my !== undefined && my !== seq) return;
      var rows = {};
      chunks.forEach(function (x) { rows[x[0]] = x[1]; });
      page.forEach(function (id) {
        var d = rows[Math.floor(id / man.chunk)][id % man.chunk];
        var li = document.createElement("li"), a = document.createElement("a"), h = document.createElement("h2");
        li.className = "search-result";
        a.href = base + d[0].slice(1);
        highlight(a, d[1], qw);
        h.appendChild(a);
        li.appendChild(h);
        var meta = document.createElement("p");
        meta.className = "search-meta";
        meta.textContent = (kindLabel[d[2]] || d[2]) + (d[3] ? " · " + d[3] : "") + (d[5] ? " · " + root.getAttribute("data-preview") : "");
        li.appendChild(meta);
        if (d[4]) {
          var sn = document.createElement("p");
          sn.className = "search-snippet";
          highlight(sn, d[4], qw);
          li.appendChild(sn);
        }
        list.appendChild(li);
      });
      more.hidden = from + PAGE >= shown.length;
    });
  }

  // highlight writes text into el with the words the query matches in <mark>.
  function highlight(el, text, qw) {
    var last = 0, m, qs = qw.map(stemOf);
    word.lastIndex = 0;
    while ((m = word.exec(text))) {
      var f = fold(m[0]), fs = stemOf(f), hit = qw.some(function (w, i) {
        return f === w || (w.length >= 3 && f.lastIndexOf(w, 0) === 0) || fs === qs[i];
      });
      if (!hit) continue;
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mk = document.createElement("mark");
      mk.textContent = m[0];
      el.appendChild(mk);
      last = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function syncURL() {
    var u = new URL(location.href), p = new URLSearchParams();
    if (input.value) p.set("q", input.value);
    filters.forEach(function (s) { if (s.value) p.set(s.name, s.value); });
    u.search = p.toString();
    if (u.href !== location.href) history.replaceState(null, "", u.href);
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("input", search);
  filters.forEach(function (s) { s.addEventListener("change", search); });
  $("search-form").addEventListener("submit", function (e) { e.preventDefault(); search(); });
  more.addEventListener("click", function () {
    var n = list.children.length;
    render(n).then(function () { var l = links(); if (l[n]) l[n].focus(); });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      var l = links();
      if (l.length) { e.preventDefault(); l[0].focus(); }
    } else if (e.key === "Escape" && input.value) {
      e.preventDefault();
      input.value = "";
      search();
    }
  });
  list.addEventListener("keydown", function (e) {
    var l = links(), i = l.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown" && i + 1 < l.length) { e.preventDefault(); l[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? l[i - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });

  var params = new URLSearchParams(location.search);
  filters.forEach(function (s) { if (params.get(s.name)) s.value = params.get(s.name); });
  if (params.get("q")) { input.value = params.get("q"); search(); }
  else manifest().catch(function () {});
})();
