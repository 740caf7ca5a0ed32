/* Course editor, progressive enhancement only: every page works without this script.
   - Live preview: while a module is typed, the preview (rendered and sanitised by the
     server, exactly like the Preview button) is refreshed after a short pause.
   - Links on line numbers in the checker's messages put the cursor on that line. */
(function () {
  "use strict";

  var DELAY_MS = 700;

  function livePreview(area) {
    var form = area.form;
    var target = document.getElementById(area.getAttribute("data-preview-target"));
    var url = area.getAttribute("data-preview-url");
    if (!form || !target || !url || !window.fetch || !window.FormData) {
      return;
    }
    var timer = null;
    var sent = 0;
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var number = ++sent;
        var data = new FormData();
        data.append("csrf_token", form.elements.csrf_token.value);
        data.append("module", form.elements.module.value);
        data.append("source", area.value);
        window.fetch(url, { method: "POST", body: data, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            if (html !== null && number === sent) {
              target.innerHTML = html; // server-rendered, escaped and sanitised
            }
          })
          .catch(function () { /* offline: the Preview button still works */ });
      }, DELAY_MS);
    });
  }

  function goToLine(area, line) {
    var lines = area.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) {
      start += lines[i].length + 1;
    }
    var end = start + (lines[line - 1] || "").length;
    area.focus();
    area.setSelectionRange(start, end);
    var lineHeight = parseFloat(window.getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-line]") : null;
    if (!link) {
      return;
    }
    var area = document.getElementById(link.getAttribute("href").slice(1));
    if (area && area.tagName === "TEXTAREA") {
      event.preventDefault();
      goToLine(area, parseInt(link.getAttribute("data-line"), 10));
    }
  });

  var areas = document.querySelectorAll("textarea[data-preview-url]");
  for (var i = 0; i < areas.length; i++) {
    livePreview(areas[i]);
  }
})();
