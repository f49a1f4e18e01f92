import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Locale } from '../reference/reference.types';

/** Whether a share link still opens its report. */
export enum ReportShareLinkStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ReportShareLinkStatus, {
  name: 'ReportShareLinkStatus',
  valuesConfig: {
    ACTIVE: { description: 'Opens the report until expiresAt.' },
    EXPIRED: { description: 'Past expiresAt: the link answers 410 Gone.' },
    REVOKED: { description: 'Revoked: the link answers 410 Gone.' },
  },
});

@ObjectType('ReportShareLink', {
  description:
    "A link that opens one assessment's report without an API key until it expires or is revoked. Its token is shown only when created; only a hash of it is stored.",
})
export class ReportShareLinkNode {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  assessmentId: string;

  @Field(() => Locale, { description: 'Language the link opens the report in (the page offers the other one too).' })
  locale: Locale;

  @Field({ description: 'The first characters of the token, to tell links apart.' })
  prefix: string;

  @Field()
  createdAt: Date;

  @Field()
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;

  @Field(() => ReportShareLinkStatus)
  status: ReportShareLinkStatus;
}

@ObjectType({ description: 'A new share link with its URL; the URL holds the token, which is never shown again.' })
export class CreatedReportShareLink {
  @Field(() => ReportShareLinkNode)
  shareLink: ReportShareLinkNode;

  @Field({
    description:
      'The report page with the token: send it to the readers. The PDF is at the same address with .pdf after the id, or with Accept: application/pdf.',
  })
  url: string;

  @Field({ description: 'The secret token (also in url). Shown once.' })
  token: string;
}
