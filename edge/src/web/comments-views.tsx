import type { CommentMini, CommentTreeMini } from '../../../protocol/api/comments-mini.js';
import type { EdgeViewer } from '../context.js';

/** What the comment panel of one video shows, already fetched from the API. */
export interface CommentsPanelProps {
  videoId: string;
  /** PeerTube's policy id: 1 enabled, 2 disabled, 3 requires approval. */
  policy: 1 | 2 | 3;
  viewer: EdgeViewer | undefined;
  /** The viewer owns the video or is an admin: may delete any comment and approve held ones. */
  manages: boolean;
  threads: CommentTreeMini[];
  total: number;
  sort: string;
  nextCursor: string | null;
  /** Set when the comments could not be loaded; the rest of the page still works. */
  unavailable?: boolean;
}

const SORTS = [
  { value: '-createdAt', label: 'Newest' },
  { value: '-likes', label: 'Most liked' },
  { value: '-totalReplies', label: 'Most replies' },
] as const;

const when = (iso: string) =>
  new Date(iso).toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });

/** Where a comment's forms post: `/w/:videoId/comments[/:commentId/:action]`. */
export const commentAction = (videoId: string, commentId?: number, action?: string) =>
  `/w/${videoId}/comments${commentId ? `/${commentId}/${action}` : ''}`;

/** A form whose only visible part is one button (like, delete, approve). */
function ButtonForm(props: {
  action: string;
  label: string;
  fields?: Record<string, string>;
  pressed?: boolean;
  danger?: boolean;
}) {
  return (
    <form method="post" action={props.action} class="inline-form">
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        class={props.danger ? 'link-button danger' : 'link-button'}
        aria-pressed={props.pressed === undefined ? undefined : String(props.pressed)}
      >
        {props.label}
      </button>
    </form>
  );
}

/** A disclosure with a one-field form: reply, edit, report. Works without JavaScript. */
function TextForm(props: {
  id: string;
  summary: string;
  action: string;
  label: string;
  name: string;
  submit: string;
  value?: string;
  maxlength: number;
}) {
  return (
    <details class="comment-form">
      <summary>{props.summary}</summary>
      <form method="post" action={props.action} class="stack">
        <label for={props.id}>{props.label}</label>
        <textarea id={props.id} name={props.name} required maxlength={props.maxlength} rows={3}>
          {props.value ?? ''}
        </textarea>
        <button type="submit">{props.submit}</button>
      </form>
    </details>
  );
}

function CommentActions(props: { comment: CommentMini; panel: CommentsPanelProps }) {
  const { comment, panel } = props;
  const { viewer } = panel;
  if (!viewer || comment.isDeleted) return null;
  const mine = comment.account?.userId === viewer.userId;
  const act = (action: string) => commentAction(panel.videoId, comment.id, action);
  return (
    <div class="comment-actions">
      <ButtonForm
        action={act('like')}
        label="Like"
        fields={{ rating: comment.likedByMe ? 'none' : 'like' }}
        pressed={comment.likedByMe}
      />
      {panel.policy !== 2 && !comment.heldForReview ? (
        <TextForm
          id={`reply-${comment.id}`}
          summary="Reply"
          action={act('reply')}
          label="Your reply"
          name="text"
          submit="Post reply"
          maxlength={10_000}
        />
      ) : null}
      {mine ? (
        <TextForm
          id={`edit-${comment.id}`}
          summary="Edit"
          action={act('edit')}
          label="Edit your comment"
          name="text"
          submit="Save"
          value={comment.text}
          maxlength={10_000}
        />
      ) : null}
      {comment.heldForReview && panel.manages ? <ButtonForm action={act('approve')} label="Approve" /> : null}
      {mine || panel.manages ? <ButtonForm action={act('delete')} label="Delete" danger /> : null}
      {mine ? null : (
        <TextForm
          id={`report-${comment.id}`}
          summary="Report"
          action={act('report')}
          label="What is wrong with this comment?"
          name="reason"
          submit="Send report"
          maxlength={3000}
        />
      )}
    </div>
  );
}

function CommentItem(props: { node: CommentTreeMini; panel: CommentsPanelProps }) {
  const { comment, children } = props.node;
  const headingId = `comment-${comment.id}-author`;
  return (
    <li id={`comment-${comment.id}`} class="comment">
      <article aria-labelledby={headingId}>
        <p class="comment-meta">
          <strong id={headingId}>{comment.account ? comment.account.displayName : 'Deleted comment'}</strong>
          {comment.account ? <span class="username"> @{comment.account.name}</span> : null}
          {' · '}
          <time datetime={comment.createdAt}>{when(comment.createdAt)}</time>
          {comment.heldForReview ? <span class="badge">Awaiting approval</span> : null}
          {comment.likes > 0 ? (
            <span class="comment-likes">
              {' · '}
              {comment.likes === 1 ? '1 like' : `${comment.likes} likes`}
            </span>
          ) : null}
        </p>
        {comment.isDeleted ? (
          <p class="tombstone">This comment was deleted.</p>
        ) : (
          // Rendered and sanitised by the origin (an allow-list of inline tags; no scripts, no handlers).
          <div class="comment-body" dangerouslySetInnerHTML={{ __html: comment.html }} />
        )}
        <CommentActions comment={comment} panel={props.panel} />
        {children.length ? (
          <ol class="replies" aria-label={`Replies to comment ${comment.id}`}>
            {children.map((child) => (
              <CommentItem node={child} panel={props.panel} />
            ))}
          </ol>
        ) : null}
      </article>
    </li>
  );
}

function NewCommentForm(props: { panel: CommentsPanelProps }) {
  const { panel } = props;
  if (panel.policy === 2) return <p class="notice">Comments are turned off for this video.</p>;
  if (!panel.viewer) {
    const next = encodeURIComponent(`/w/${panel.videoId}#comments`);
    return (
      <p>
        <a href={`/login?next=${next}`}>Sign in</a> to comment.
      </p>
    );
  }
  return (
    <form method="post" action={commentAction(panel.videoId)} class="stack new-comment">
      <label for="new-comment">Add a comment</label>
      {panel.policy === 3 ? (
        <p class="hint" id="new-comment-hint">
          Comments on this video appear once its owner approves them.
        </p>
      ) : null}
      <textarea
        id="new-comment"
        name="text"
        required
        maxlength={10_000}
        rows={3}
        aria-describedby={panel.policy === 3 ? 'new-comment-hint' : undefined}
      />
      <p class="hint">Markdown works: **bold**, *italic*, `code`, links.</p>
      <button type="submit">Post comment</button>
    </form>
  );
}

/** The comment section below the player: the new-comment form, sort links and the threads. */
export function CommentsPanel(props: CommentsPanelProps) {
  const here = `/w/${props.videoId}`;
  return (
    <section class="comments" id="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">
        Comments <span class="count">({props.total})</span>
      </h2>
      <NewCommentForm panel={props} />
      {props.viewer && !props.manages ? (
        <TextForm
          id="report-video"
          summary="Report this video"
          action={`/w/${props.videoId}/report`}
          label="What is wrong with this video?"
          name="reason"
          submit="Send report"
          maxlength={3000}
        />
      ) : null}
      {props.unavailable ? (
        <p class="notice notice-error" role="status">
          Comments cannot be loaded right now.
        </p>
      ) : null}
      {props.threads.length ? (
        <nav aria-label="Sort comments" class="comment-sorts">
          {SORTS.map((sort) => (
            <a
              href={`${here}?sort=${encodeURIComponent(sort.value)}#comments`}
              aria-current={sort.value === props.sort ? 'true' : undefined}
            >
              {sort.label}
            </a>
          ))}
        </nav>
      ) : null}
      <ol class="comment-list">
        {props.threads.map((node) => (
          <CommentItem node={node} panel={props} />
        ))}
      </ol>
      {props.nextCursor ? (
        <p class="pager">
          <a
            href={`${here}?sort=${encodeURIComponent(props.sort)}&comments=${encodeURIComponent(props.nextCursor)}#comments`}
          >
            More comments
          </a>
        </p>
      ) : null}
    </section>
  );
}
