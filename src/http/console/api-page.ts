// GET /api: a reference page for /openapi.json, rendered in the browser by api.js from the
// document the worker serves (no CDN, no bundled viewer).

/** The page's HTML shell; api.js fills #api from /openapi.json. */
export const apiReferencePage = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · AIS Worker</title><link rel="stylesheet" href="/console/assets/app.css"><link rel="stylesheet" href="/console/assets/tables.css">
<script src="/console/assets/api.js" defer></script></head>
<body class="api"><header><div class="title"><h1>AIS Worker API</h1><span class="muted" id="api-version"></span></div>
<nav class="muted"><a href="/">console</a> · <a href="/openapi.json">openapi.json</a></nav></header>
<main><p class="muted">Endpoints under /v1 and /webhooks need <code>Authorization: Bearer &lt;AIS_API_TOKEN&gt;</code> (or the console's session). Errors are <code>{"error": {"code", "message"}}</code>.</p>
<label class="filter">Filter <input type="search" id="api-filter" placeholder="path or word"></label>
<div id="api"><p class="muted">Loading /openapi.json…</p></div></main></body></html>`;
