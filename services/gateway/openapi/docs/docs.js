/* Renders /openapi.json: a small, dependency-free reader for Hop's own document. */
'use strict';

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

/** Inline `code` and paragraphs; everything else is text (never HTML from the document). */
function prose(text) {
  const wrap = el('div');
  for (const para of String(text || '').split(/\n{2,}/)) {
    const p = el('p');
    String(para).split(/(`[^`]+`)/).forEach((part) => {
      p.append(part.startsWith('`') && part.endsWith('`') ? el('code', {}, part.slice(1, -1)) : document.createTextNode(part));
    });
    wrap.append(p);
  }
  return wrap;
}

let doc;
function resolve(node) {
  let seen = 0;
  while (node && node.$ref && seen++ < 20) {
    node = node.$ref.replace(/^#\//, '').split('/').reduce((at, key) => at && at[key], doc);
  }
  return node || {};
}

function typeOf(schema) {
  const s = resolve(schema);
  if (schema && schema.$ref) return schema.$ref.split('/').pop();
  if (s.oneOf) return s.oneOf.map(typeOf).join(' | ');
  if (s.allOf) return s.allOf.map(typeOf).join(' & ');
  const types = [].concat(s.type || 'any');
  const base = types.map((t) => (t === 'array' ? `${typeOf(s.items || {})}[]` : t)).join(' | ');
  return s.format ? `${base} (${s.format})` : base;
}

function constraints(s) {
  const bits = [];
  if (s.enum) bits.push(`one of: ${s.enum.join(', ')}`);
  if (s.default !== undefined) bits.push(`default ${JSON.stringify(s.default)}`);
  if (s.minimum !== undefined) bits.push(`min ${s.minimum}`);
  if (s.maximum !== undefined) bits.push(`max ${s.maximum}`);
  if (s.minLength !== undefined) bits.push(`min length ${s.minLength}`);
  if (s.maxLength !== undefined) bits.push(`max length ${s.maxLength}`);
  if (s.maxItems !== undefined) bits.push(`at most ${s.maxItems} items`);
  return bits.join('; ');
}

function schemaTree(schema, depth = 0) {
  const s = resolve(schema);
  if (depth > 4) return null;
  if (s.allOf) return el('div', {}, s.allOf.map((part) => schemaTree(part, depth)));
  if (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array') && s.items)) {
    return el('div', {}, el('span', { class: 'type' }, `array of ${typeOf(s.items)}`), schemaTree(s.items, depth + 1));
  }
  const props = s.properties || {};
  const names = Object.keys(props);
  if (!names.length) {
    const note = constraints(s);
    return s.description || note ? el('div', { class: 'muted' }, [s.description, note].filter(Boolean).join(' — ')) : null;
  }
  const required = new Set(s.required || []);
  return el(
    'ul',
    { class: 'schema' },
    names.map((name) => {
      const p = resolve(props[name]);
      const nested = (p.properties || (p.items && resolve(p.items).properties)) && depth < 3 ? schemaTree(props[name], depth + 1) : null;
      return el(
        'li',
        {},
        el('code', {}, name), ' ', el('span', { class: 'type' }, typeOf(props[name])),
        required.has(name) ? el('span', { class: 'required' }, ' required') : null,
        p.description ? el('span', { class: 'muted' }, ` — ${p.description}`) : null,
        constraints(p) ? el('span', { class: 'muted' }, ` (${constraints(p)})`) : null,
        nested,
      );
    }),
  );
}

function parametersTable(parameters) {
  if (!parameters || !parameters.length) return null;
  return el(
    'table', {},
    el('tr', {}, el('th', {}, 'Parameter'), el('th', {}, 'In'), el('th', {}, 'Type'), el('th', {}, 'Description')),
    parameters.map(resolve).map((p) =>
      el('tr', {},
        el('td', {}, el('code', {}, p.name), p.required ? el('span', { class: 'required' }, ' required') : null),
        el('td', {}, p.in),
        el('td', { class: 'type' }, typeOf(p.schema)),
        el('td', {}, p.description || '', constraints(resolve(p.schema)) ? el('div', { class: 'muted' }, constraints(resolve(p.schema))) : null))),
  );
}

function responses(map) {
  return Object.entries(map || {}).map(([status, raw]) => {
    const r = resolve(raw);
    const media = r.content && r.content['application/json'];
    const headers = Object.keys(r.headers || {});
    return el('details', {},
      el('summary', {}, el('span', { class: 'status' }, status), ' ', r.description || ''),
      headers.length ? el('div', { class: 'muted' }, `Headers: ${headers.join(', ')}`) : null,
      media && media.schema ? schemaTree(media.schema) : null,
      media && media.example ? el('pre', {}, JSON.stringify(media.example, null, 2)) : null);
  });
}

function operation(path, method, op) {
  const id = op.operationId || `${method}-${path}`;
  const body = op.requestBody && resolve(op.requestBody);
  const media = body && body.content && body.content['application/json'];
  return el('section', { class: 'op', id },
    el('div', { class: 'signature' }, el('span', { class: `method ${method}` }, method.toUpperCase()), el('span', {}, path)),
    el('h3', {}, op.summary || ''),
    op['x-required-scope'] ? el('p', {}, 'Scope: ', el('span', { class: 'scope' }, op['x-required-scope'])) : null,
    prose(op.description),
    op.parameters ? [el('h4', {}, 'Parameters'), parametersTable(op.parameters)] : null,
    media ? [el('h4', {}, 'Request body'), body.description ? prose(body.description) : null, schemaTree(media.schema)] : null,
    el('h4', {}, 'Responses'),
    responses(op.responses),
    el('h4', {}, 'Example'),
    el('pre', {}, `curl -X ${method.toUpperCase()} "${location.origin}${path}" \\\n  -H "Authorization: Bearer $HOP_API_KEY"${media ? ' \\\n  -H "Content-Type: application/json" -d @body.json' : ''}`));
}

async function render() {
  doc = await (await fetch('/openapi.json')).json();
  const nav = document.getElementById('nav');
  const main = document.getElementById('main');
  nav.replaceChildren(el('strong', {}, doc.info.title), el('div', { class: 'muted' }, `v${doc.info.version} · `, el('a', { href: '/openapi.json', class: 'inline' }, 'openapi.json')));
  main.replaceChildren(el('h1', {}, doc.info.title), prose(doc.info.description));
  const byTag = new Map((doc.tags || []).map((t) => [t.name, { tag: t, ops: [] }]));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
      const op = item[method];
      if (!op) continue;
      const tag = (op.tags && op.tags[0]) || 'Other';
      if (!byTag.has(tag)) byTag.set(tag, { tag: { name: tag }, ops: [] });
      byTag.get(tag).ops.push({ path, method, op });
    }
  }
  for (const { tag, ops } of byTag.values()) {
    if (!ops.length) continue;
    nav.append(el('h2', {}, tag.name));
    main.append(el('h2', { id: `tag-${tag.name}` }, tag.name), tag.description ? prose(tag.description) : null);
    for (const { path, method, op } of ops) {
      nav.append(el('a', { href: `#${op.operationId || `${method}-${path}`}` }, el('span', { class: `method ${method}` }, method.toUpperCase()), op.summary || path));
      main.append(operation(path, method, op));
    }
  }
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

render().catch((err) => {
  document.getElementById('main').replaceChildren(el('p', {}, `Could not load /openapi.json: ${err.message}`));
});
