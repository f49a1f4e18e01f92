import type { LoggerOptions } from 'pino';
import type { AppConfig } from './config';

/** The logger's options (Fastify's and the cluster primary's): JSON lines, or pretty lines for a person in development. */
export function loggerOptions(config: Pick<AppConfig, 'logLevel' | 'logPretty'>): LoggerOptions {
  return config.logPretty
    ? {
        level: config.logLevel,
        transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
      }
    : { level: config.logLevel };
}
