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

  function reload() {
    try {
      sessionStorage.setItem(key, window.scrollX + "," + window.scrollY);
    } catch (e) {}
    location.reload();
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
