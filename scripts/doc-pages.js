'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The pages the README promises are checked: README.md and every docs/*.md, as paths from `root`. */
module.exports = function docPages(root) {
  const docs = fs.readdirSync(path.join(root, 'docs')).filter((name) => name.endsWith('.md'));
  return ['README.md', ...docs.sort().map((name) => `docs/${name}`)];
};
