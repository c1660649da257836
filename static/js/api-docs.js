// Starts Swagger UI on /api/docs/ (templates/public/api_docs.html) with the schema named by
// the page. A file of its own, not an inline script: the site's CSP runs none.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // No badge from validator.swagger.io: the CSP allows this site's own origin only.
    validatorUrl: null,
  });
})();
