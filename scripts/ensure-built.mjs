// Builds the server bundle and the web UI when they are missing or older than their sources,
// so `npm start` works on a fresh clone and starts at once on a built one.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function newest(dir) {
  let t = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  if (existsSync(dir)) walk(dir);
  return t;
}

const mtime = (f) => (existsSync(f) ? statSync(f).mtimeMs : 0);
const common = newest(path.join(root, 'common'));
const serverOut = path.join(root, 'dist', 'voronka.js');
const webOut = path.join(root, 'web', 'dist', 'index.html');

if (mtime(serverOut) < Math.max(newest(path.join(root, 'server')), common)) {
  console.log('Сборка сервера…');
  execSync('npm run --silent build:server', { cwd: root, stdio: 'inherit' });
}
if (mtime(webOut) < Math.max(newest(path.join(root, 'web', 'src')), common, mtime(path.join(root, 'web', 'index.html')))) {
  console.log('Сборка веб-интерфейса…');
  execSync('npm run --silent build:web', { cwd: root, stdio: 'inherit' });
}
