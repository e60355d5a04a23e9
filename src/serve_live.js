// seisaku serve: live reload and the error overlay. Served only by `seisaku serve`.
(function () {
  "use strict";
  var overlay = null;
  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "seisaku-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,0,0,.92);color:#fff;font:14px/1.6 ui-monospace,monospace;padding:2rem";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "seisaku: the build failed — the last good site is shown underneath";
    overlay.appendChild(h);
    errors.forEach(function (d) {
      var p = document.createElement("pre");
      p.style.whiteSpace = "pre-wrap";
      var loc = d.file + (d.line ? ":" + d.line + (d.column ? ":" + d.column : "") : "");
      p.textContent = loc + "\n" + d.code + ": " + d.message + (d.hint ? "\nhint: " + d.hint : "");
      overlay.appendChild(p);
    });
  }
  var seen = null, hadError = false;
  var es = new EventSource("/__seisaku/events");
  es.addEventListener("reload", function (e) {
    if (seen === null && !hadError) { seen = e.data; return; }
    if (e.data !== seen || hadError) window.location.reload();
  });
  es.addEventListener("builderror", function (e) {
    hadError = true;
    show(JSON.parse(e.data));
  });
})();
