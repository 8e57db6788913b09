// The API reference page: renders /openapi.json (paths, methods, summaries, parameters, request
// bodies and answers) as plain HTML. Text only through textContent: nothing from the document is
// parsed as HTML.
'use strict';
(function () {
  const el = (tag, attrs, ...kids) => {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    for (const k of kids) if (k != null) n.append(k);
    return n;
  };
  const resolve = (doc, s) => {
    for (let i = 0; s && s.$ref && i < 10; i++)
      s = s.$ref
        .split('/')
        .slice(1)
        .reduce((o, k) => (o ? o[k] : undefined), doc);
    return s || {};
  };
  /** A schema in one line: {a: string, b?: number[]} or a union with |. */
  const shape = (doc, s, depth) => {
    s = resolve(doc, s);
    if (depth > 3) return '…';
    const alts = s.anyOf || s.oneOf;
    if (alts) return alts.map((a) => shape(doc, a, depth + 1)).join(' | ');
    if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (s.const !== undefined) return JSON.stringify(s.const);
    if (s.type === 'array') return `${shape(doc, s.items, depth + 1)}[]`;
    if (s.type === 'object' || s.properties) {
      const req = new Set(s.required || []);
      const props = Object.entries(s.properties || {}).map(
        ([k, v]) => `${k}${req.has(k) ? '' : '?'}: ${shape(doc, v, depth + 1)}`,
      );
      return `{${props.join(', ')}}`;
    }
    return Array.isArray(s.type) ? s.type.join(' | ') : s.type || 'any';
  };
  const operation = (doc, path, method, op) => {
    const card = el('details', {
      class: 'op',
      'data-text': `${method} ${path} ${op.summary || ''}`.toLowerCase(),
    });
    card.append(
      el(
        'summary',
        {},
        el('span', { class: `method m-${method}` }, method.toUpperCase()),
        ' ',
        el('code', {}, path),
        ' ',
        el('span', { class: 'muted' }, op.summary || ''),
      ),
    );
    if (op.description) card.append(el('p', {}, op.description));
    if (op.security)
      card.append(el('p', { class: 'muted' }, 'Needs the bearer token (or the console session).'));
    for (const p of op.parameters || [])
      card.append(
        el(
          'p',
          {},
          el('code', {}, `${p.in} ${p.name}${p.required ? '' : '?'}`),
          ': ',
          shape(doc, p.schema, 0),
        ),
      );
    const body =
      op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
    if (body)
      card.append(
        el(
          'p',
          {},
          el('b', {}, 'Body '),
          el('code', { class: 'wrap' }, shape(doc, body.schema, 0)),
        ),
      );
    const list = el('ul', { class: 'responses' });
    for (const [status, r0] of Object.entries(op.responses || {})) {
      const r = resolve(doc, r0);
      const json = r.content && r.content['application/json'];
      list.append(
        el(
          'li',
          {},
          el('b', {}, status),
          ' ',
          r.description || '',
          json && json.schema
            ? el('code', { class: 'wrap' }, ' ' + shape(doc, json.schema, 0))
            : null,
        ),
      );
    }
    card.append(list);
    return card;
  };
  async function main() {
    const doc = await (await fetch('/openapi.json')).json();
    document.getElementById('api-version').textContent =
      `${doc.info.title} ${doc.info.version} · OpenAPI ${doc.openapi}`;
    const root = document.getElementById('api');
    root.textContent = '';
    for (const [path, item] of Object.entries(doc.paths).sort(([a], [b]) => a.localeCompare(b)))
      for (const [method, op] of Object.entries(item))
        root.append(operation(doc, path, method, op));
    document.getElementById('api-filter').addEventListener('input', (e) => {
      const q = e.target.value.toLowerCase();
      for (const d of root.querySelectorAll('.op'))
        d.hidden = q !== '' && !d.dataset.text.includes(q);
    });
  }
  main().catch(
    (e) => (document.getElementById('api').textContent = `Could not load /openapi.json: ${e}`),
  );
})();
