// drumbeat serve: reload the page after each rebuild, and show the
// problems of a failed build over the page. Added by the dev server only;
// built sites never hold it.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me ? me.getAttribute("data-version") : "";
  var key = "drumbeat-scroll:" + location.pathname;
  var style = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
    "background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";

  // Come back to where the reader was before the reload.
  try {
    var at = sessionStorage.getItem(key);
    if (at) {
      sessionStorage.removeItem(key);
      var xy = at.split(",");
      window.scrollTo(+xy[0] || 0, +xy[1] || 0);
    }
  } catch (e) {}

  function el(tag, css, text) {
    var e = document.createElement(tag);
    if (css) e.setAttribute("style", css);
    if (text) e.textContent = text; // text, never HTML
    return e;
  }

  function hide() {
    var old = document.getElementById("drumbeat-errors");
    if (old) old.parentNode.removeChild(old);
  }

  function show(errors) {
    hide();
    var box = el("div", style);
    box.id = "drumbeat-errors";
    box.setAttribute("role", "alert");
    var n = errors.length;
    box.appendChild(el("p", "margin:0 0 1rem;font-size:1.2rem;color:#ff8a80",
      "The site did not build: " + n + (n === 1 ? " problem" : " problems")));
    var ul = el("ul", "margin:0;padding:0;list-style:none");
    errors.forEach(function (e) {
      var li = el("li", "margin:0 0 .75rem");
      if (e.pos) {
        li.appendChild(el("span", "color:#80d8ff", e.pos));
        li.appendChild(document.createTextNode(": "));
      }
      li.appendChild(document.createTextNode(e.msg));
      if (e.hint) li.appendChild(el("span", "color:#bbb", " (" + e.hint + ")"));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.appendChild(el("p", "margin:1rem 0 0;color:#bbb",
      "Fix the file and save it: this page reloads by itself. It shows the last site that built."));
    (document.body || document.documentElement).appendChild(box);
  }

  function hardReload() {
    try {
      sessionStorage.setItem(key, window.scrollX + "," + window.scrollY);
    } catch (e) {}
    location.reload();
  }

  // The stylesheets and scripts a document loads, by address, without
  // this one.
  function assets(doc) {
    var out = [];
    doc.querySelectorAll('link[rel~="stylesheet"],script[src]').forEach(function (e) {
      var url = e.getAttribute("href") || e.getAttribute("src");
      if (!/\/_drumbeat\//.test(url)) out.push(e.tagName + " " + new URL(url, location.href).href);
    });
    return out.join("\n");
  }

  // swap puts the new version of the page in place of the old without a
  // reload, as a dev server with DOM diffing does: the stylesheets stay
  // loaded, so the edit shows in a frame, and the new body's inline scripts
  // run. A page that loads scripts from files (charts, or a theme's own),
  // whose work on the old body would be lost, or whose stylesheets changed,
  // is reloaded instead.
  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    if (!doc.body || assets(doc) !== assets(document) || /^SCRIPT /m.test(assets(doc)) ||
        document.querySelector("[data-chart]") || doc.querySelector("[data-chart]")) {
      return false;
    }
    var live = doc.querySelector('script[src*="/_drumbeat/live.js"]');
    if (!live) return false;
    version = live.getAttribute("data-version");
    live.parentNode.removeChild(live);
    var x = window.scrollX, y = window.scrollY;
    document.title = doc.title;
    document.body.replaceWith(doc.body);
    // Scripts that came with the new body have not run: run copies.
    document.body.querySelectorAll("script").forEach(function (old) {
      var type = old.getAttribute("type");
      if (type && !/^(text\/javascript|module)$/i.test(type)) return;
      var s = document.createElement("script");
      for (var i = 0; i < old.attributes.length; i++) {
        s.setAttribute(old.attributes[i].name, old.attributes[i].value);
      }
      s.textContent = old.textContent;
      old.replaceWith(s);
    });
    window.scrollTo(x, y);
    if (location.hash) {
      var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target && y === 0) target.scrollIntoView();
    }
    document.dispatchEvent(new CustomEvent("drumbeat:swapped"));
    return true;
  }

  var asked = 0; // counts reloads asked for; only the last one's page is used

  function reload() {
    if (!window.fetch || !window.DOMParser) return hardReload();
    var n = ++asked;
    fetch(location.href, { cache: "no-store", credentials: "same-origin" }).then(function (r) {
      if (!r.ok || !/text\/html/.test(r.headers.get("Content-Type") || "")) throw new Error("not a page");
      return r.text();
    }).then(function (html) {
      if (n === asked && !swap(html)) hardReload();
    }).catch(function () {
      if (n === asked) hardReload();
    });
  }

  function update(ev) {
    var st;
    try {
      st = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (st.errors && st.errors.length) {
      show(st.errors);
    } else if (String(st.version) !== version) {
      reload();
    } else {
      hide();
    }
  }

  if (!window.EventSource) return;
  var es = new EventSource("/_drumbeat/events");
  es.onopen = function () {
    document.documentElement.setAttribute("data-drumbeat-live", "");
  };
  ["hello", "reload", "errors"].forEach(function (name) {
    es.addEventListener(name, update);
  });
})();
