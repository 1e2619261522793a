#!/usr/bin/env node
// Completes package-lock.json with the other platforms' optional binaries of @swc/core and unrs-resolver.
//
// The registry mirror these machines reach carries only the Linux builds of those binaries, so npm writes
// a lock file without the darwin/win32/… entries — and then `npm ci` refuses that same lock file
// ("Missing: @swc/core-darwin-arm64@ from lock file"). This adds each missing one as npm would, by name,
// version and platform, without `resolved`/`integrity` (which the mirror cannot give): npm skips them on
// other platforms, and on their own platform fetches them by version from the registry it is pointed at.
// Run it (then `npm install` to normalise the file) after a dependency change brings the error back.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;
const PARENTS = { 'node_modules/@swc/core': 'core-', 'node_modules/unrs-resolver': 'resolver-binding-' };

/** `@swc/core-linux-arm-gnueabihf` → os linux, cpu arm, libc glibc (the packages' own naming). */
function platformOf(name, prefix) {
  const [os, cpu, ...abi] = name.split('/').pop().slice(prefix.length).split('-');
  const entry = { os: [os], cpu: [cpu] };
  if (abi.some((a) => a.startsWith('gnu'))) entry.libc = ['glibc'];
  if (abi.some((a) => a.startsWith('musl'))) entry.libc = ['musl'];
  return entry;
}

let added = 0;
for (const [parent, prefix] of Object.entries(PARENTS)) {
  const optional = packages[parent]?.optionalDependencies ?? {};
  // Flag the new entries as npm flagged the ones it did lock (dev or not).
  const sibling = Object.keys(optional).map((name) => packages[`node_modules/${name}`]).find(Boolean) ?? {};
  for (const [name, version] of Object.entries(optional)) {
    const key = `node_modules/${name}`;
    if (packages[key] || name.includes('wasm32')) continue;
    packages[key] = { version, ...(sibling.dev ? { dev: true } : {}), optional: true, ...platformOf(name, prefix) };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
lock.packages = sorted;
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform binaries to package-lock.json`);
