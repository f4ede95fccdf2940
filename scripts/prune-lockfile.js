// Drops optional dependencies that the lockfile lists but does not contain.
//
// The registry reachable from OpsLoop's build machines carries @napi-rs/canvas (an optional
// dependency of pdfjs-dist) only for linux-x64 and linux-arm64, so npm cannot record the other
// platforms' packages, and `npm ci` then refuses the lockfile as "out of sync". Run after every
// `npm install` that changes dependencies: `npm run lock:prune` (see docs/decisions.md, D16).
import fs from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const names = Object.keys(lock.packages);
let dropped = 0;
for (const [name, entry] of Object.entries(lock.packages)) {
  const optional = entry.optionalDependencies;
  if (optional === undefined) continue;
  for (const dep of Object.keys(optional)) {
    if (!names.some((key) => key.endsWith(`node_modules/${dep}`))) {
      delete optional[dep];
      dropped += 1;
      console.log(`dropped ${dep} (optional dependency of ${name}: not in the lockfile)`);
    }
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(dropped === 0 ? 'package-lock.json: nothing to prune' : `package-lock.json: pruned ${dropped}`);
