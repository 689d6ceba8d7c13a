// The API reference at /docs: Swagger UI from the swagger-ui-dist npm package, served by this app
// (no CDN), so it works offline and behind a Content-Security-Policy of 'self'. The bundle is read
// from node_modules on first use and kept in memory; where there is no file system (Workers), the
// page says so and points at /openapi.json, which is always there.
import { Hono } from "hono";

/** The package's files the page needs, with their content types. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/** Starts Swagger UI on /openapi.json: a file of its own, since an inline script would need a nonce. */
const INIT_JS = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout" });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>One-stop compliance monitor — API</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<script src="/docs/assets/swagger-ui-bundle.js" defer></script>
<script src="/docs/assets/init.js" defer></script>
</head>
<body>
<main id="swagger-ui"><p>Loading the API reference… The OpenAPI document is at <a href="/openapi.json">/openapi.json</a>.</p></main>
</body>
</html>
`;

const loaded = new Map<string, Promise<Uint8Array | null>>();

/** A file of swagger-ui-dist, or null where node_modules cannot be read. */
function asset(name: string): Promise<Uint8Array | null> {
  let file = loaded.get(name);
  if (!file) {
    file = (async () => {
      try {
        const [{ createRequire }, { readFile }, { dirname, join }] = await Promise.all([
          import("node:module"),
          import("node:fs/promises"),
          import("node:path"),
        ]);
        const root = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
        return new Uint8Array(await readFile(join(root, name)));
      } catch {
        return null;
      }
    })();
    loaded.set(name, file);
  }
  return file;
}

export const docsRoutes = new Hono()
  .get("/docs", (c) => c.html(PAGE))
  .get("/docs/assets/init.js", (c) =>
    c.body(INIT_JS, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  )
  .get("/docs/assets/:file", async (c) => {
    const name = c.req.param("file");
    const type = ASSETS[name];
    const bytes = type ? await asset(name) : null;
    if (!type || !bytes) return c.text("Not available here; the OpenAPI document is at /openapi.json", 404);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400",
    });
  });
