import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { AppConfig } from './config';
import { loggerOptions } from './logger-options';
import type { Database } from './db/database';
import type { RequestContext } from './graphql/context';
import { createFormatError } from './graphql/format-error';
import { operationNamePlugin } from './graphql/plugins';
import { buildAppSchema } from './app-modules';
import { Loaders } from './graphql/loaders';

declare module 'fastify' {
  interface FastifyRequest {
    graphqlOperationName?: string;
  }
}

/**
 * Builds the HTTP server (not yet listening): GraphQL at /graphql, /healthz and /readyz.
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
    bodyLimit: 5 * 1024 * 1024,
  });

  // One line per request, with the GraphQL operation and the duration.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
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

  const production = config.nodeEnv === 'production';
  const apollo = new ApolloServer<RequestContext>({
    schema: await buildAppSchema(),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(app.log),
    parseOptions: { maxTokens: 20000 },
    plugins: [
      fastifyApolloDrainPlugin(app),
      // No field sets cache hints; the default plugin walks every result for nothing.
      ApolloServerPluginCacheControlDisabled(),
      operationNamePlugin(),
      production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
  });
  await apollo.start();

  await app.register(fastifyApollo(apollo), {
    context: async (request) => {
      const ctx: RequestContext = {
        requestId: request.id,
        log: request.log,
        dataSource: database.dataSource,
        databaseMode: database.mode,
        authorization: request.headers.authorization,
        loaders: new Loaders(),
        setOperationName: (name) => {
          request.graphqlOperationName = name;
        },
      };
      return ctx;
    },
  });
  return app;
}
