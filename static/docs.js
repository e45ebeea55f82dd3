// Starts Swagger UI on /docs. It lives in a file, not inline, so the page runs under
// a Content-Security-Policy of script-src 'self'; the spec URL comes from a data attribute.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
