/* Light or dark before the page paints: the scheme chosen on the site (Material's stored palette), else the system's. */
(function () {
  "use strict";
  var root = (document.currentScript && document.currentScript.getAttribute("data-root")) || "/";
  try {
    var palette = JSON.parse(localStorage.getItem(root + ".__palette") || "null");
    var scheme = palette && palette.color && palette.color.scheme;
    if (scheme === "slate") document.documentElement.setAttribute("data-scheme", "dark");
    else if (scheme === "default") document.documentElement.setAttribute("data-scheme", "light");
  } catch (e) { /* no storage, or not JSON: the system's scheme */ }
})();
