import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { AppConfig } from './config';
import { loggerOptions } from './logger-options';
import type { Database } from './db/database';
import type { RequestContext } from './graphql/context';
import { createFormatError } from './graphql/format-error';
import { operationNamePlugin, readRoutingPlugin } from './graphql/plugins';
import { RequestReads } from './db/read-routing';
import { buildAppSchema } from './app-modules';
import { Loaders } from './graphql/loaders';
import { redactPageToken } from './modules/respondent-page/respondent-page.paths';
import { registerRespondentPage } from './modules/respondent-page/respondent-page.routes';
import { redactUrl, registerReportRoutes } from './modules/report/report.routes';
import { queryLimitsRule } from './graphql/query-limits';
import { CorsPolicy, registerCors } from './http/cors';
import { registerErrorShape } from './http/error-shape';
import { registerExplorer } from './http/explorer';
import { DEMO_KEY_FILE } from './modules/firm/demo-firm';

const GRAPHQL_PATH = '/graphql';

declare module 'fastify' {
  interface FastifyRequest {
    graphqlOperationName?: string;
  }
}

/**
 * Builds the HTTP server (not yet listening): GraphQL at /graphql, /healthz and /readyz,
 * the respondent's page at /r/<token>.
 */
export async function createServer(config: AppConfig, database: Database): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    // Our own onResponse hook writes the one line per request.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: config.bodyLimitBytes,
  });
  registerErrorShape(app, {
    bodyLimit: config.bodyLimitBytes,
    graphqlPath: GRAPHQL_PATH,
    graphqlMethods: ['GET', 'POST'],
  });
  database.reads.setLog(app.log);
  const cors = new CorsPolicy(config.corsOrigins, database.dataSource);
  // The one way a request's context is made: for GraphQL and for the report pages.
  const contextOf = (request: FastifyRequest): RequestContext => ({
    requestId: request.id,
    log: request.log,
    dataSource: database.dataSource,
    reads: new RequestReads(database.reads, request.log),
    databaseMode: database.mode,
    publicUrl: config.publicUrl,
    allowPrivateWebhooks: config.webhooks.allowPrivateNetworks,
    authorization: request.headers.authorization,
    corsOriginToCheck: request.corsOriginToCheck,
    cors,
    loaders: new Loaders(),
    setOperationName: (name) => {
      request.graphqlOperationName = name;
    },
  });
  registerCors(app, cors);

  // One line per request, with the GraphQL operation and the duration.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        // Link tokens and share tokens never reach the log.
        url: redactUrl(redactPageToken(request.url)),
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        operationName: request.graphqlOperationName,
      },
      'request',
    );
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await database.dataSource.query('SELECT 1');
      return { status: 'ok', database: database.mode };
    } catch (err) {
      app.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', database: database.mode });
    }
  });

  registerRespondentPage(app, database.dataSource);
  registerReportRoutes(app, contextOf);

  const production = config.nodeEnv === 'production';
  if (!production)
    registerExplorer(app, { demoKeyPath: path.join(config.dataDir, DEMO_KEY_FILE), graphqlPath: GRAPHQL_PATH });
  const apollo = new ApolloServer<RequestContext>({
    schema: await buildAppSchema(),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(app.log),
    parseOptions: { maxTokens: 20000 },
    validationRules: [queryLimitsRule(config.queryLimits)],
    plugins: [
      fastifyApolloDrainPlugin(app),
      // No field sets cache hints; the default plugin walks every result for nothing.
      ApolloServerPluginCacheControlDisabled(),
      operationNamePlugin(),
      readRoutingPlugin(database.reads.enabled),
      // The development explorer is our own page (src/http/explorer.ts), not Apollo's CDN one.
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  await app.register(fastifyApollo(apollo), {
    context: async (request) => contextOf(request),
  });
  return app;
}
