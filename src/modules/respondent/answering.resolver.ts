import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { QuestionnaireArgs, SaveAnswersInput } from './answering.inputs';
import { getQuestionnaire, requireLinkToken, saveAnswers, submitResponse } from './answering.service';
import {
  QuestionnaireNode,
  QuestionnaireProgressNode,
  SaveAnswersPayloadNode,
  SubmitResponsePayloadNode,
} from './answering.types';

const TOKEN_NOTE = 'Needs a respondent link token ("Authorization: Bearer ssr_…"), not an API key.';

@Resolver()
export class AnsweringResolver {
  @Query(() => QuestionnaireNode, {
    description: `The respondent’s questionnaire, saved answers and progress. ${TOKEN_NOTE}`,
  })
  async questionnaire(
    @Args(() => QuestionnaireArgs) args: QuestionnaireArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<QuestionnaireNode> {
    const token = requireLinkToken(ctx);
    return getQuestionnaire(token, ctx.dataSource, args.locale);
  }

  @Mutation(() => SaveAnswersPayloadNode, {
    description:
      'Saves 1..200 answers in any order. An answer with a lower clientSeq than the stored one is ignored (STALE); repeating a call changes nothing; ' +
      `an invalid answer rejects the whole call (BAD_USER_INPUT). CONFLICT after submitting or unless the assessment is OPEN. ${TOKEN_NOTE}`,
  })
  async saveAnswers(
    @Arg('input', () => SaveAnswersInput) input: SaveAnswersInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SaveAnswersPayloadNode> {
    const token = requireLinkToken(ctx);
    return saveAnswers(token, ctx.dataSource, input);
  }

  @Mutation(() => SubmitResponsePayloadNode, {
    description: `Submits the response; every visible required question must be answered (else BAD_USER_INPUT naming them). ${TOKEN_NOTE}`,
  })
  async submitResponse(@Ctx() ctx: RequestContext): Promise<SubmitResponsePayloadNode> {
    const token = requireLinkToken(ctx);
    return submitResponse(token, ctx.dataSource);
  }
}

/** The fields of a save's payload that read the respondent's answers back, when asked for. */
@Resolver(() => SaveAnswersPayloadNode)
export class SaveAnswersPayloadResolver {
  @FieldResolver(() => [String], { description: 'Codes of the questions visible now, in questionnaire order.' })
  async visibleQuestions(@Root() payload: SaveAnswersPayloadNode): Promise<string[]> {
    return (await payload.progressDetail()).visibleQuestions;
  }

  @FieldResolver(() => QuestionnaireProgressNode, {
    description: 'Progress with the answers stored now (read after the save).',
  })
  async progress(@Root() payload: SaveAnswersPayloadNode): Promise<QuestionnaireProgressNode> {
    return payload.progressDetail();
  }
}
