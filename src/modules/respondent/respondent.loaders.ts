import DataLoader from 'dataloader';
import type { RequestContext } from '../../graphql/context';
import { progressOfRespondents } from './respondent.service';
import type { RespondentProgressNode, RespondentView } from './respondent.types';

/** Progress of the firm's respondents, batched: a list of any length costs three queries. */
export function respondentProgressLoader(
  ctx: RequestContext,
  firmId: string,
): DataLoader<RespondentView, RespondentProgressNode, string> {
  return ctx.loaders.get(
    `respondent.progress:${firmId}`,
    () =>
      new DataLoader(
        (respondents: readonly RespondentView[]) => progressOfRespondents(ctx.dataSource, firmId, respondents),
        { cacheKeyFn: (r) => r.id },
      ),
  );
}
