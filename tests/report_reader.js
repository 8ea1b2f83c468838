// Reads a Snakemake report as a person does: every category and subcategory shown (through the app's
// own setView, which the menu's entries call), its list of results read, and every result's view
// button clicked; what each showed goes to a <pre>.
window.addEventListener("load", function () {
  var steps = [], seen = [], shown = [];
  Object.keys(categories).forEach(function (c) {
    Object.keys(categories[c]).forEach(function (s) { steps.push([c, s]); });
  });
  var root = document.querySelector("#app"), done = false;
  function finish(error) {
    if (done) return;
    done = true;
    var pre = document.createElement("pre");
    pre.id = "invariance-read";
    pre.textContent = JSON.stringify({views: seen, images: shown, error: error || null});
    document.body.appendChild(pre);
  }
  window.addEventListener("error", function (e) { finish("script error: " + e.message); });
  function when(ready, then, tries, what) {  // poll: React renders after load, asynchronously
    tries = tries === undefined ? 400 : tries;  // of 50 ms (virtual time: the browser skips idle waits)
    if (ready()) { then(); return; }
    if (tries === 0) { finish("timed out waiting for " + (what || "the page")); return; }
    setTimeout(function () { when(ready, then, tries - 1, what); }, 50);
  }
  function rows() { return Array.prototype.slice.call(root.querySelectorAll("tbody tr")); }
  function view(i) {
    if (i === steps.length) { finish(); return; }
    var c = steps[i][0], s = steps[i][1];
    app.setView({navbarMode: "menu"});
    when(function () { return rows().length === 0; }, function () {
      app.setView({navbarMode: "subcategory", category: c, subcategory: s});
      when(function () { return rows().length > 0; }, function () {
        var list = rows();
        seen.push([c, s, list.map(function (r) { return r.textContent; })]);
        open(i, list.length, 0);
      });
    });
  }
  function open(i, n, j) {  // click the view button of row j, as a person does, and look at the image shown
    if (j === n) { view(i + 1); return; }
    var row = rows()[j];
    if (!row) { finish("row " + j + " of " + steps[i] + " is gone after opening the one before"); return; }
    var label = row.textContent, button = row.querySelector("a[iconname='eye']");
    if (!button) { finish("no view button for " + label); return; }
    var href = button.getAttribute("href");
    if (href !== "#") {  // a file the report does not show (markdown): its button downloads it; read that
      var text = decodeURIComponent(escape(atob(href.slice(href.indexOf("base64,") + 7))));
      shown.push([label, label, "download", text.split("\n")[0]]);
      open(i, n, j + 1);
      return;
    }
    var before = app.state.resultPath;
    button.click();
    function shownNow() {  // what the click showed: the result changed, and its own content is on the page
      var path = app.state.resultPath;
      if (!path || path === before) return null;
      var el = Array.prototype.find.call(root.querySelectorAll("img, iframe, embed, object"), function (x) {
        return (x.getAttribute("src") || x.getAttribute("data")) === results[path].data_uri;
      });
      if (!el || (el.tagName === "IMG" && !(el.complete && el.naturalWidth > 0))) return null;
      return el;
    }
    when(shownNow, function () {
      var el = shownNow();  // an image's decoded width; 0 for a page shown in a frame (markdown, HTML)
      shown.push([app.state.resultPath, label, el.tagName.toLowerCase(), el.naturalWidth || 0]);
      open(i, n, j + 1);
    }, 400, "the view of " + label + " (" + steps[i] + ")");
  }
  when(function () { return typeof app !== "undefined" && root.children.length > 0; }, function () { view(0); });
});
