/**
 * The problem catalog as HTML: server-rendered pages with no script and no external asset, one inline
 * style sheet allowed by its hash in the `Content-Security-Policy`. Every piece of text is escaped here.
 */
import { createHash } from 'node:crypto';
import type { CatalogEntry, CatalogPage, CatalogRoute } from './catalog';
import type { JsonSchema } from './openapi';
import { reasonPhrase } from './status';

/** The heading and paragraph of the index, from the catalog's options. */
export interface CatalogText {
  readonly title: string;
  readonly description: string | undefined;
}

/** A rendered page and the policy it needs. */
export interface RenderedPage {
  readonly html: string;
  readonly csp: string;
}

/** Readable on a phone, light and dark, with a contrast of at least 4.5:1 for every text colour. */
const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--soft:#f6f8fa;--line:#d1d9e0;--link:#0550ae;--c4:#9a3412;--c4bg:#fff1e6;--c5:#a40e26;--c5bg:#ffebe9}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--soft:#151b23;--line:#3d444d;--link:#79c0ff;--c4:#ffa657;--c4bg:#2d1a0b;--c5:#ff9492;--c5bg:#3a1216}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:56rem;margin:0 auto;padding:0 1.25rem}
.skip{position:absolute;left:-100vw;top:.5rem;background:var(--bg);color:var(--link);padding:.5rem 1rem;border:2px solid var(--link);border-radius:.375rem}
.skip:focus{left:.5rem}
header{border-bottom:1px solid var(--line);background:var(--soft)}
header .wrap{padding-top:2.25rem;padding-bottom:1.75rem}
nav{font-size:.9rem;margin-bottom:1rem}
.eyebrow{margin:0;color:var(--muted);font-size:.8rem;font-weight:600;letter-spacing:.08em;text-transform:uppercase}
h1{margin:.3rem 0 .5rem;font-size:clamp(1.6rem,5vw,2.2rem);line-height:1.2;letter-spacing:-.01em}
h2{margin:2.5rem 0 .75rem;font-size:1.25rem;line-height:1.3}
.lead{margin:0;color:var(--muted);font-size:1.05rem;max-width:44rem}
main{padding-bottom:3rem}
a{color:var(--link);text-underline-offset:.15em}
a:focus-visible{outline:2px solid var(--link);outline-offset:2px;border-radius:2px}
code,pre{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,monospace;font-size:.875em}
code{background:var(--soft);border:1px solid var(--line);border-radius:.3rem;padding:.05em .3em;overflow-wrap:anywhere}
pre{background:var(--soft);border:1px solid var(--line);border-radius:.5rem;padding:1rem;overflow-x:auto;line-height:1.5}
pre code{background:none;border:0;padding:0;font-size:inherit}
table{width:100%;border-collapse:collapse;margin:.5rem 0}
caption{text-align:left;color:var(--muted);font-size:.9rem;padding-bottom:.5rem}
th,td{text-align:left;vertical-align:top;padding:.7rem .6rem;border-bottom:1px solid var(--line)}
thead th{font-size:.75rem;font-weight:600;letter-spacing:.06em;text-transform:uppercase;color:var(--muted);border-bottom-width:2px}
tbody th{font-weight:600}
td p,th p{margin:0}
.summary{color:var(--muted);font-size:.925rem;font-weight:400;margin-top:.15rem}
td.code code{white-space:nowrap}
.index th:first-child,.index td:first-child{width:5.5rem}
tbody a{font-weight:600;text-decoration:none}
tbody a:hover{text-decoration:underline}
tbody th code{white-space:nowrap}
.status{display:inline-block;min-width:3.1rem;text-align:center;font-weight:700;font-variant-numeric:tabular-nums;border-radius:999px;padding:.05rem .55rem;font-size:.9rem;color:var(--c4);background:var(--c4bg)}
.status.s5{color:var(--c5);background:var(--c5bg)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1.25rem;margin:1.5rem 0 0}
dt{color:var(--muted);font-weight:600}
dd{margin:0;min-width:0}
ul.routes{list-style:none;padding:0;margin:.25rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem}
.cause{margin:0 0 1.25rem}
.cause p{margin:0 0 .35rem}
footer{border-top:1px solid var(--line);color:var(--muted);font-size:.875rem}
footer .wrap{padding-top:1.25rem;padding-bottom:2rem}
@media (max-width:40rem){th,td{padding:.6rem .35rem}.hide-narrow{display:none}}
`.trim();

/** The policy of every page: nothing may load or run; only the style sheet above applies. */
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text or attribute value: nothing in it can become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Escaped text whose `backtick` spans become code, as the descriptions write them. */
function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** Paragraphs of a description, split at blank lines. */
function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${prose(paragraph.trim())}</p>`)
    .join('\n');
}

/** The status as a badge; its reason phrase is spelled out for assistive technology by the title beside it. */
function statusBadge(status: number): string {
  return `<span class="status${status >= 500 ? ' s5' : ''}">${status}</span>`;
}

/** The page around a body: language, viewport, landmarks and the skip link. */
function layout(title: string, header: string, main: string, footer: string): RenderedPage {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><div class="wrap">
${header}
</div></header>
<main id="main" tabindex="-1"><div class="wrap">
${main}
</div></main>
<footer><div class="wrap">
${footer}
</div></footer>
</body>
</html>
`;
  return { html, csp: CSP };
}

const FOOTER = `<p>Problems are sent as RFC 9457 problem details (<code>application/problem+json</code>). This catalog is also served as JSON: ask for <code>Accept: application/json</code>.</p>`;

/** One table of the index. */
function indexTable(caption: string, entries: readonly CatalogEntry[], href: (page: string) => string, codes: boolean): string {
  const rows = entries
    .map(
      (entry) => `<tr id="${escapeHtml(entry.page)}">
<td>${statusBadge(entry.status)}</td>
<th scope="row"><a href="${escapeHtml(href(entry.page))}">${escapeHtml(entry.title)}</a><p class="summary">${prose(entry.summary)}</p></th>
${codes ? `<td class="code hide-narrow">${entry.code !== undefined ? `<code>${escapeHtml(entry.code)}</code>` : ''}</td>` : ''}
</tr>`,
    )
    .join('\n');
  return `<table class="index">
<caption>${caption}</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Problem</th>${codes ? '<th scope="col" class="hide-narrow">Code</th>' : ''}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** The index: the app's own problem types, then the answers whose type is `about:blank`. */
export function renderIndex(text: CatalogText, entries: readonly CatalogEntry[], href: (page: string) => string): RenderedPage {
  const typed = entries.filter((entry) => entry.type !== 'about:blank');
  const blank = entries.filter((entry) => entry.type === 'about:blank');
  const header = `<p class="eyebrow">Problem catalog</p>
<h1>${escapeHtml(text.title)}</h1>
<p class="lead">${text.description !== undefined ? prose(text.description) : 'Every problem this API may answer with. A problem’s <code>type</code> is the address of its page here.'}</p>`;
  const main = [
    typed.length > 0
      ? `<h2 id="types">Problem types</h2>\n${indexTable('Each has a <code>type</code> of its own and a <code>code</code> to tell it apart.', typed, href, true)}`
      : '',
    blank.length > 0
      ? `<h2 id="statuses">Answers by status</h2>\n${indexTable('Their <code>type</code> is <code>about:blank</code>: the status says all there is.', blank, href, false)}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  return layout(text.title, header, main || '<p>This API declares no problem types.</p>', FOOTER);
}

/** The type of a JSON Schema, in a word or two (`string`, `array of string`, `"a" | "b"`). */
function schemaType(schema: JsonSchema): string {
  if (Object.hasOwn(schema, 'const')) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : typeof schema.type === 'string' ? schema.type : 'any';
  const items = schema.items;
  return type === 'array' && typeof items === 'object' && items !== null ? `array of ${schemaType(items as JsonSchema)}` : type;
}

/** A list of routes as code. */
function routeList(routes: readonly CatalogRoute[]): string {
  return `<ul class="routes">${routes.map((route) => `<li><code>${escapeHtml(`${route.method} ${route.path}`)}</code></li>`).join('')}</ul>`;
}

/** One problem type's page. */
export function renderPage(text: CatalogText, page: CatalogPage, indexHref: string): RenderedPage {
  const header = `<nav aria-label="Breadcrumb"><a href="${escapeHtml(indexHref)}">← ${escapeHtml(text.title)}</a></nav>
<p class="eyebrow">${page.status} · ${escapeHtml(page.type === 'about:blank' ? 'answered by status' : 'problem type')}</p>
<h1>${escapeHtml(page.title)}</h1>
<p class="lead">${prose(page.summary)}</p>`;
  const facts = `<dl>
<dt>Status</dt><dd>${statusBadge(page.status)}</dd>
<dt>Type</dt><dd><code>${escapeHtml(page.type)}</code></dd>
${page.code !== undefined ? `<dt>Code</dt><dd><code>${escapeHtml(page.code)}</code></dd>` : ''}
</dl>`;
  const sections = [facts];
  // a description of one sentence is the lead already
  if (page.description.trim() !== page.summary) sections.push(`<h2>What it means</h2>\n${paragraphs(page.description)}`);
  sections.push(
    `<h2>When it is answered</h2>\n${page.causes
      .map(
        (cause) =>
          `<div class="cause"><p>${prose(cause.summary)}</p>${cause.anyRoute ? '<p class="summary">On any request.</p>' : routeList(cause.routes)}</div>`,
      )
      .join('\n')}`,
  );
  if (page.extensions.length > 0) {
    const rows = page.extensions
      .map(
        (member) =>
          `<tr><th scope="row"><code>${escapeHtml(member.name)}</code></th><td><code>${escapeHtml(schemaType(member.schema))}</code>${member.required ? '' : ' <span class="summary">(optional)</span>'}</td><td>${typeof member.schema.description === 'string' ? prose(member.schema.description) : ''}</td></tr>`,
      )
      .join('\n');
    sections.push(`<h2>Extension members</h2>
<table>
<thead><tr><th scope="col">Member</th><th scope="col">Type</th><th scope="col">Meaning</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`);
  }
  const headerRows = page.headers
    .map(
      (header) =>
        `<tr><th scope="row"><code>${escapeHtml(header.name)}</code></th><td>${header.required ? 'Always' : 'When known'}</td><td>${prose(header.description)}</td></tr>`,
    )
    .join('\n');
  sections.push(`<h2>Headers</h2>
<table>
<thead><tr><th scope="col">Header</th><th scope="col">Sent</th><th scope="col">Meaning</th></tr></thead>
<tbody>
${headerRows}
</tbody>
</table>`);
  sections.push(`<h2>Example</h2>
<pre tabindex="0"><code>${escapeHtml(`HTTP/1.1 ${page.status} ${reasonPhrase(page.status)}\nContent-Type: application/problem+json\n\n${JSON.stringify(page.example, null, 2)}`)}</code></pre>`);
  return layout(`${page.title} — ${text.title}`, header, sections.join('\n'), FOOTER);
}
