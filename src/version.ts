import * as fs from 'node:fs';
import * as path from 'node:path';

function findPackageVersion(from: string): string {
  // Runs from src/ (ts-node, jest) and from dist/src/ (build): walk up to the project root.
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'service-strategy-maturity' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

/** The version of this build, from package.json. */
export const APP_VERSION: string = findPackageVersion(__dirname);

/** The project root (the folder of package.json). */
export const PROJECT_ROOT: string = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'seeds'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
})();
