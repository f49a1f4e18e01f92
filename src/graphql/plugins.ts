import type { ApolloServerPlugin } from '@apollo/server';
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
