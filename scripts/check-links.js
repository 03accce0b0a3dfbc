#!/usr/bin/env node
/**
 * The links of the README and the guides hold: every relative link in README.md and docs/*.md names a
 * file or folder that exists, and every `#anchor` names a heading of the page it points at (GitHub's
 * anchors: the heading's text in lower case, punctuation dropped, spaces as hyphens, `-1`, `-2` … for
 * repeats). Links out of the repository (https:, mailto:) are not followed.
 *   node scripts/check-links.js      (npm run check:links; npm test runs it)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

const pages = require('./doc-pages')(root);

/** The page's text outside fenced code blocks, line by line (numbers kept). */
function proseLines(text) {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** GitHub's anchor for each heading of a page. */
function anchors(page) {
  const seen = new Map();
  const result = new Set();
  for (const line of proseLines(fs.readFileSync(path.join(root, page), 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's text
      .replace(/[`*_~]/g, (mark) => (mark === '_' ? '_' : '')); // code and emphasis marks
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

const errors = [];
const anchorCache = new Map();
let checked = 0;
for (const page of pages) {
  proseLines(fs.readFileSync(path.join(root, page), 'utf8')).forEach((line, index) => {
    for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      checked++;
      const where = `${page}:${index + 1}`;
      const [file, anchor] = target.split('#');
      const resolved = file ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file)) : page;
      if (!fs.existsSync(path.join(root, resolved))) {
        errors.push(`${where}: ${target}: no file ${resolved}`);
        continue;
      }
      if (anchor === undefined || !resolved.endsWith('.md')) continue;
      if (!anchorCache.has(resolved)) anchorCache.set(resolved, anchors(resolved));
      if (!anchorCache.get(resolved).has(decodeURIComponent(anchor)))
        errors.push(`${where}: ${target}: no heading #${anchor} in ${resolved}`);
    }
  });
}
if (errors.length > 0) {
  console.error(errors.join('\n'));
  process.exit(1);
}
console.log(`links: ${checked} relative links of ${pages.length} pages resolve`);
