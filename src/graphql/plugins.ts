import type { ApolloServerPlugin } from '@apollo/server';
import { OperationTypeNode } from 'graphql';
import type { RequestContext } from './context';

/**
 * Records the resolved operation name on the request context, so the one log line per
 * request can name it (the body's `operationName` is optional for single-operation documents).
 */
export function operationNamePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operationName, operation }) {
          contextValue.setOperationName(
            operationName ?? operation?.name?.value ?? `anonymous ${operation?.operation ?? 'operation'}`,
          );
        },
      };
    },
  };
}

/**
 * Ends each operation's replica reads (src/db/read-routing.ts): gives back the replica
 * connection, and after a firm's mutation records the primary's WAL position, so that the
 * firm's next reads, in any API process, are not served by a replica that lacks the change.
 * Runs before the answer is sent. With `replicas` false (no DATABASE_REPLICA_URLS) there is
 * nothing to record. Respondents' mutations (saveAnswers, submitResponse) carry no API key
 * and record nothing: they change no list or benchmark until the assessment is closed.
 */
export function readRoutingPlugin(replicas: boolean): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation }) {
          try {
            if (replicas && operation?.operation === OperationTypeNode.MUTATION && contextValue.principalPromise) {
              const principal = await contextValue.principalPromise.catch(() => null);
              if (principal) await contextValue.reads.noteWrite(principal.firmId);
            }
          } finally {
            await contextValue.reads.release();
          }
        },
      };
    },
  };
}
