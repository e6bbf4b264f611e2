import type { Context } from 'hono';
import * as z from 'zod/mini';
import { type AbuseMini, AbusePageMiniSchema } from '../../../protocol/api/comments-mini.js';
import type { EdgeEnv } from '../context.js';
import { adminApiRefusal } from './admin-refusal.js';
import { callApi, NO_CONTENT } from './api.js';
import { crossSiteRefusal } from './auth-pages.js';
import { isSameOrigin } from './bridge.js';
import { formFields } from './forms.js';
import { Layout, MessagePage, sendPage } from './layout.js';
import { getSession } from './session.js';

const PATH = '/admin/reports';
const STATES = [
  { id: 1, label: 'Pending' },
  { id: 3, label: 'Accepted' },
  { id: 2, label: 'Rejected' },
] as const;
const StateSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/** What was reported, with a link to it while it still exists. */
function ReportedThing(props: { abuse: AbuseMini }) {
  const { video, comment, flaggedAccount } = props.abuse;
  if (comment) {
    return (
      <div>
        <p>
          Comment on <a href={`/w/${comment.video.uuid}#comment-${comment.id}`}>{comment.video.name}</a>
          {comment.deleted ? ' (deleted)' : null}
        </p>
        {comment.deleted ? null : <blockquote class="reported-text">{comment.text}</blockquote>}
      </div>
    );
  }
  if (video) {
    return (
      <p>
        Video {video.deleted ? <>{video.name} (deleted)</> : <a href={`/w/${video.uuid}`}>{video.name}</a>}
      </p>
    );
  }
  return <p>Account @{flaggedAccount?.name ?? 'unknown'}</p>;
}

function ReportItem(props: { abuse: AbuseMini; state: number }) {
  const { abuse } = props;
  const id = `report-${abuse.id}`;
  const removable = (abuse.video && !abuse.video.deleted) || (abuse.comment && !abuse.comment.deleted);
  return (
    <li class="report" id={id}>
      <article aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>
          Report #{abuse.id} <span class="badge">{abuse.state.label}</span>
        </h2>
        <ReportedThing abuse={abuse} />
        <p>
          <strong>Reason:</strong> {abuse.reason}
          {abuse.predefinedReasons.length ? ` (${abuse.predefinedReasons.join(', ')})` : null}
        </p>
        <p class="card-meta">
          By @{abuse.reporterAccount.name}
          {abuse.flaggedAccount ? ` about @${abuse.flaggedAccount.name}` : null} ·{' '}
          <time datetime={abuse.createdAt}>{new Date(abuse.createdAt).toISOString().slice(0, 10)}</time>
        </p>
        <form method="post" action={`${PATH}/${abuse.id}`} class="stack">
          <input type="hidden" name="from" value={String(props.state)} />
          <label for={`${id}-note`}>Note for the record</label>
          <textarea id={`${id}-note`} name="moderationComment" maxlength={3000} rows={2}>
            {abuse.moderationComment ?? ''}
          </textarea>
          {removable ? (
            <div class="checkbox">
              <input type="checkbox" id={`${id}-delete`} name="deleteTarget" value="1" />
              <label for={`${id}-delete`}>
                Also delete the reported {abuse.comment ? 'comment' : 'video'}
              </label>
            </div>
          ) : null}
          <div class="control-row">
            <button type="submit" name="state" value="3">
              Accept
            </button>
            <button type="submit" name="state" value="2">
              Reject
            </button>
          </div>
        </form>
      </article>
    </li>
  );
}

/** `GET /admin/reports?state=`: the report queue (admins only; the API refuses anyone else). */
export async function adminReportsPage(c: Context<EdgeEnv>) {
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent(PATH)}`, 303);
  const parsed = StateSchema.safeParse(Number(c.req.query('state') ?? 1));
  const state = parsed.success ? parsed.data : 1;
  const query = new URLSearchParams({ state: String(state), count: '50' });
  const cursor = c.req.query('cursor');
  if (cursor) query.set('cursor', cursor);
  const res = await callApi(c, `/api/v1/abuses?${query}`, AbusePageMiniSchema, { token: session.token });
  const refusal = { viewer: session.viewer, path: PATH, what: 'reports', audience: 'moderators' };
  if (!res.ok) return adminApiRefusal(c, res.status, refusal);
  return sendPage(
    c,
    <Layout title="Reports" viewer={session.viewer} path={PATH}>
      <section aria-labelledby="reports-heading">
        <h1 id="reports-heading">Reports</h1>
        <nav aria-label="Report states" class="comment-sorts">
          {STATES.map((s) => (
            <a href={`${PATH}?state=${s.id}`} aria-current={s.id === state ? 'page' : undefined}>
              {s.label}
            </a>
          ))}
        </nav>
        <p role="status">
          {res.data.total === 0
            ? 'No reports here.'
            : `${res.data.total} report${res.data.total === 1 ? '' : 's'}`}
        </p>
        <ol class="report-list">
          {res.data.data.map((abuse) => (
            <ReportItem abuse={abuse} state={state} />
          ))}
        </ol>
        {res.data.nextCursor ? (
          <p class="pager">
            <a href={`${PATH}?state=${state}&cursor=${encodeURIComponent(res.data.nextCursor)}`}>
              More reports
            </a>
          </p>
        ) : null}
      </section>
    </Layout>,
  );
}

/** `POST /admin/reports/:id`: accept or reject a report, maybe deleting what it names. */
export async function adminReportSubmit(c: Context<EdgeEnv>) {
  if (!isSameOrigin(c)) return crossSiteRefusal(c);
  const session = await getSession(c);
  if (!session.viewer) return c.redirect(`/login?next=${encodeURIComponent(PATH)}`, 303);
  const form = await formFields(c);
  const state = StateSchema.safeParse(Number(form.state));
  const id = Number(c.req.param('id'));
  const body = {
    ...(state.success ? { state: state.data } : {}),
    moderationComment: form.moderationComment ?? '',
    ...(form.deleteTarget ? { deleteTarget: true } : {}),
  };
  const res = Number.isInteger(id)
    ? await callApi(c, `/api/v1/abuses/${id}`, NO_CONTENT, { method: 'PUT', token: session.token, body })
    : undefined;
  if (!res?.ok) {
    const status = res?.status === 403 ? 403 : res?.status === 404 || !res ? 404 : 400;
    const page = (
      <MessagePage
        title="Report not updated"
        viewer={session.viewer}
        path={PATH}
        heading="The report was not updated"
        message={res?.error.message ?? 'No such report.'}
        action={<a href={PATH}>Back to the reports</a>}
      />
    );
    return sendPage(c, page, status);
  }
  const from = StateSchema.safeParse(Number(form.from));
  return c.redirect(`${PATH}?state=${from.success ? from.data : 1}`, 303);
}
