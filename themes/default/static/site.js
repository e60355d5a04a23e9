// seisaku: small enhancements; every page works without this script.
(function () {
  "use strict";
  // On a source page, highlight the cited range `#L12-L20` line by line.
  function highlightRange() {
    var old = document.querySelectorAll(".source-lines li.hl");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("hl");
    var m = /^#L(\d+)(?:-L(\d+))?$/.exec(window.location.hash);
    if (!m) return;
    var first = parseInt(m[1], 10), last = m[2] ? parseInt(m[2], 10) : first;
    for (var n = first; n <= last; n++) {
      var li = document.getElementById("L" + n);
      if (li) li.classList.add("hl");
    }
  }
  // The table of contents is open beside the page on a wide screen, folded on a phone.
  var toc = document.getElementById("toc");
  if (toc && window.matchMedia) {
    var wide = window.matchMedia("screen and (min-width: 64rem)");
    var sync = function () { toc.open = wide.matches; };
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
    else if (wide.addListener) wide.addListener(sync);
  }
  if (document.querySelector(".source-lines")) {
    highlightRange();
    window.addEventListener("hashchange", highlightRange);
  }
})();
