import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { requireRole } from '../firm/auth';
import { AssessmentBenchmarkArgs, CohortBenchmarkArgs, OrganisationBenchmarkArgs } from './benchmark.inputs';
import { assessmentBenchmark, cohortBenchmark, organisationBenchmark } from './benchmark.service';
import { Benchmark } from './benchmark.types';

@Resolver()
export class BenchmarkResolver {
  @Query(() => Benchmark, {
    description:
      'Compares a CLOSED assessment with an anonymous peer cohort (same framework key and major version; its own organisation left out). VIEWER.',
  })
  async assessmentBenchmark(
    @Args(() => AssessmentBenchmarkArgs) args: AssessmentBenchmarkArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Benchmark> {
    const principal = await requireRole(ctx, 'VIEWER');
    return ctx.reads.run(principal.firmId, (db) => assessmentBenchmark(principal, db, args));
  }

  @Query(() => Benchmark, {
    description: "Compares an organisation's latest closed assessment with an anonymous peer cohort. VIEWER.",
  })
  async organisationBenchmark(
    @Args(() => OrganisationBenchmarkArgs) args: OrganisationBenchmarkArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Benchmark> {
    const principal = await requireRole(ctx, 'VIEWER');
    return ctx.reads.run(principal.firmId, (db) => organisationBenchmark(principal, db, args));
  }

  @Query(() => Benchmark, { description: "A cohort's figures without a subject, for dashboards. VIEWER." })
  async cohortBenchmark(
    @Args(() => CohortBenchmarkArgs) args: CohortBenchmarkArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Benchmark> {
    const principal = await requireRole(ctx, 'VIEWER');
    return ctx.reads.run(principal.firmId, (db) => cohortBenchmark(principal, db, args));
  }
}
