// Reads a Snakemake report as a person does: every category and subcategory opened from the menu,
// its list of results read, and every result's view button clicked; what each showed goes to <pre>.
window.addEventListener("load", function () {
  var steps = [], seen = [], shown = [];
  Object.keys(categories).forEach(function (c) {
    Object.keys(categories[c]).forEach(function (s) { steps.push([c, s]); });
  });
  var root = document.querySelector("#app");
  function finish(error) {
    var pre = document.createElement("pre");
    pre.id = "invariance-read";
    pre.textContent = JSON.stringify({views: seen, images: shown, error: error || null});
    document.body.appendChild(pre);
  }
  function when(ready, then, tries) {  // poll: React renders after load, asynchronously
    tries = tries === undefined ? 200 : tries;
    if (ready()) { then(); return; }
    if (tries === 0) { finish("timed out waiting for the page"); return; }
    setTimeout(function () { when(ready, then, tries - 1); }, 50);
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
    var row = rows()[j], button = row && row.querySelector("a[href='#']");
    if (!button) { open(i, n, j + 1); return; }
    var label = row.textContent;
    button.click();
    when(function () {
      var img = root.querySelector("img[src^='data:image/png']");
      return img && img.complete && img.naturalWidth > 0 && app.state.resultPath;
    }, function () {
      var img = root.querySelector("img[src^='data:image/png']");
      shown.push([app.state.resultPath, label, img.naturalWidth]);
      open(i, n, j + 1);
    }, 40);
  }
  when(function () { return typeof app !== "undefined" && root.children.length > 0; }, function () { view(0); });
});
