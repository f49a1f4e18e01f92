import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Where the explorer's files are served from (only these, read from the npm packages). */
export const EXPLORER_ASSET_PREFIX = '/explorer-assets';

const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.production.min.js': {
    pkg: 'react',
    file: 'umd/react.production.min.js',
    type: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css; charset=utf-8' },
};

function assetPath(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** The demo firm's key from its file, or null when there is none. */
function demoKey(demoKeyPath: string): string | null {
  try {
    const key = fs.readFileSync(demoKeyPath, 'utf8').trim();
    return /^ssm_[A-Za-z0-9_-]{43}$/.test(key) ? key : null;
  } catch {
    return null;
  }
}

// A JSON text that is safe inside a <script> element.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function page(headers: Record<string, string>): string {
  const initialQuery =
    "# The demo firm's key is in the Headers tab below.\nquery Me {\n  me {\n    firm { name }\n    role\n  }\n}\n";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL explorer — service-strategy maturity API</title>
<link rel="stylesheet" href="${EXPLORER_ASSET_PREFIX}/graphiql.min.css">
<style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="explorer">Loading the explorer…</div>
<script src="${EXPLORER_ASSET_PREFIX}/react.production.min.js"></script>
<script src="${EXPLORER_ASSET_PREFIX}/react-dom.production.min.js"></script>
<script src="${EXPLORER_ASSET_PREFIX}/graphiql.min.js"></script>
<script>
  const headers = ${scriptJson(headers)};
  const fetcher = GraphiQL.createFetcher({ url: new URL('/graphql', location.href).toString() });
  ReactDOM.createRoot(document.getElementById('explorer')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: ${scriptJson(initialQuery)},
      defaultHeaders: JSON.stringify(headers, null, 2),
      headers: JSON.stringify(headers, null, 2),
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    }),
  );
</script>
</body>
</html>
`;
}

function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (typeof accept !== 'string' || !accept.includes('text/html')) return false;
  // A GET with a query is a GraphQL request, whatever the Accept header says.
  const query = request.query as Record<string, unknown> | undefined;
  return !query || query.query === undefined;
}

/**
 * The development explorer: GET /graphql from a browser (Accept: text/html, no query) shows
 * GraphiQL, whose scripts and styles come from the npm packages and are served by this
 * server (nothing from a CDN), with the demo firm's key (if the data folder has one) filled
 * in as the Authorization header.
 */
export function registerExplorer(app: FastifyInstance, options: { demoKeyPath: string; graphqlPath: string }): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const [name, asset] of Object.entries(ASSETS)) {
    files.set(name, { body: fs.readFileSync(assetPath(asset.pkg, asset.file)), type: asset.type });
  }
  for (const [name, file] of files) {
    app.get(`${EXPLORER_ASSET_PREFIX}/${name}`, async (_request, reply) =>
      reply
        .type(file.type)
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(file.body),
    );
  }
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.url.split('?')[0] !== options.graphqlPath || !wantsHtml(request)) return;
    const key = demoKey(options.demoKeyPath);
    const headers = { Authorization: key ? `Bearer ${key}` : 'Bearer <your API key>' };
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'",
      )
      .send(page(headers));
  });
}
