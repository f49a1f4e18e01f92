import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Where a respondent is (values equal the stored `status`). */
export enum RespondentStatusValue {
  INVITED = 'INVITED',
  IN_PROGRESS = 'IN_PROGRESS',
  SUBMITTED = 'SUBMITTED',
}
registerEnumType(RespondentStatusValue, {
  name: 'RespondentStatus',
  description: 'INVITED (nothing saved yet) → IN_PROGRESS (first answer saved) → SUBMITTED (answers read-only).',
});

@ObjectType('RespondentProgress', {
  description:
    'Progress through the questionnaire, counting only the questions currently visible with the saved answers (showIf).',
})
export class RespondentProgressNode {
  @Field(() => Int, { description: 'Visible questions.' })
  visible: number;

  @Field(() => Int, { description: 'Visible questions with a saved answer (a value or "not applicable").' })
  answered: number;

  @Field(() => Int, { description: 'Visible required questions.' })
  required: number;

  @Field(() => Int, { description: 'Visible required questions with a saved answer; submitting needs all of them.' })
  requiredAnswered: number;
}

/** What the respondent service returns for one respondent (progress is a field resolver). */
export interface RespondentView {
  firmId: string;
  id: string;
  assessmentId: string;
  name: string;
  email: string;
  role: string;
  status: RespondentStatusValue;
  tokenPrefix: string | null;
  tokenExpiresAt: Date | null;
  tokenRevokedAt: Date | null;
  submittedAt: Date | null;
  lastActivityAt: Date | null;
  createdAt: Date;
}

@ObjectType('Respondent', { description: 'A person invited to answer an assessment through a secret link token.' })
export class RespondentNode implements Omit<RespondentView, 'firmId'> {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  assessmentId: string;

  @Field()
  name: string;

  @Field()
  email: string;

  @Field({ description: 'EXECUTIVE, MANAGER, FRONTLINE or another role the assessment declares.' })
  role: string;

  @Field(() => RespondentStatusValue)
  status: RespondentStatusValue;

  @Field(() => String, {
    nullable: true,
    description:
      'The first 12 characters of the latest link token issued, to tell tokens apart (kept after it is revoked: see tokenActive).',
  })
  tokenPrefix: string | null;

  @Field(() => Date, { nullable: true, description: 'When the current link token stops working.' })
  tokenExpiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the link token was revoked (null while a token is active).' })
  tokenRevokedAt: Date | null;

  @Field(() => Date, { nullable: true })
  submittedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The last save or submission.' })
  lastActivityAt: Date | null;

  @Field()
  createdAt: Date;

  // `tokenActive` and `progress` are field resolvers of RespondentResolver.
}

@ObjectType('Invitation', {
  description: 'An invited respondent with their link token. The token is shown only here, once.',
})
export class InvitationNode {
  @Field(() => RespondentNode)
  respondent: RespondentView;

  @Field({
    description:
      'The secret link token ("ssr_…"): the respondent sends it as "Authorization: Bearer <token>". Never shown again.',
  })
  token: string;

  @Field({ description: 'When the token stops working.' })
  expiresAt: Date;

  @Field({
    description:
      'The respondent’s page: PUBLIC_URL + "/r/" + token. Send it to the respondent; it opens the questionnaire in a browser.',
  })
  url: string;
}
