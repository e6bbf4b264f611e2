import {
  type AcceptedJobEnvelope,
  type AcceptedJobOf,
  AcceptedJobSchemas,
  type JobKind,
  JobKindSchema,
} from '../../../protocol/runner.js';
import { runLiveJob } from './live.js';
import { runTranscodeJob } from './transcode.js';
import type { JobContext, JobHandler, JobHandlers } from './types.js';

export type { JobContext, JobHandler, JobHandlers } from './types.js';
export { JobRejectedError } from './types.js';

/**
 * What this transcoder can run, one handler per kind (PeerTube's table of builders). Recordings, cleanup and deliveries get their entry here when they exist; until then
 * the origin never offers them to this runner.
 */
export const JOB_HANDLERS: JobHandlers = {
  transcode: runTranscodeJob,
  live: (ctx) => runLiveJob(ctx),
};

/** The kinds a runner with these handlers asks the origin for. */
export function handledKinds(handlers: JobHandlers): JobKind[] {
  return JobKindSchema.options.filter((kind) => handlers[kind] !== undefined);
}

/** The reason a runner gives when it fails a job it has no handler for. */
export const cannotRun = (kind: string) => `This runner cannot run jobs of kind ${JSON.stringify(kind)}`;

/** The job bound to its handler, or why this runner must fail it without trying. */
export type Dispatch =
  | { job: AcceptedJobOf<JobKind>; run: (ctx: Omit<JobContext<JobKind>, 'job'>) => Promise<void> }
  | { rejected: string };

function bind<K extends JobKind>(handlers: JobHandlers, kind: K, envelope: AcceptedJobEnvelope): Dispatch {
  const handler = handlers[kind] as JobHandler<K> | undefined;
  if (!handler) return { rejected: cannotRun(kind) };
  const parsed = AcceptedJobSchemas[kind].safeParse(envelope);
  if (!parsed.success) return { rejected: `The origin sent a ${kind} job this runner cannot read` };
  const job = parsed.data as AcceptedJobOf<K>;
  return { job, run: (ctx) => handler({ ...ctx, job } as JobContext<K>) };
}

/** Pick the handler for an accepted job. Pure: no I/O, so every case is a unit test. */
export function dispatch(handlers: JobHandlers, envelope: AcceptedJobEnvelope): Dispatch {
  const kind = JobKindSchema.safeParse(envelope.kind);
  return kind.success ? bind(handlers, kind.data, envelope) : { rejected: cannotRun(envelope.kind) };
}
