import type { Context } from 'hono';
import { clientIp, type EdgeEnv } from '../context.js';
import { safeNext } from './next-path.js';

/** Props of one labelled form control. */
export interface FieldProps {
  id: string;
  label: string;
  name?: string;
  type?: 'text' | 'email' | 'password' | 'url';
  value?: string | undefined;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  minlength?: number;
  maxlength?: number;
  pattern?: string;
  multiline?: boolean;
}

/**
 * A label, the control, an optional hint and an optional error, wired together with
 * `aria-describedby`/`aria-invalid` so screen readers announce the hint and the error with the field.
 */
export function Field(props: FieldProps) {
  const hintId = props.hint ? `${props.id}-hint` : undefined;
  const errorId = props.error ? `${props.id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id: props.id,
    name: props.name ?? props.id,
    required: props.required ?? false,
    'aria-describedby': describedBy,
    'aria-invalid': props.error ? 'true' : undefined,
    maxlength: props.maxlength,
  };
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.multiline ? (
        <textarea {...common} rows={4}>
          {props.value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={props.value}
          autocomplete={props.autocomplete}
          minlength={props.minlength}
          pattern={props.pattern}
        />
      )}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** The form-level error, announced as soon as the page loads with it. */
export function FormError(props: { message: string | undefined }) {
  if (!props.message) return null;
  return (
    <p class="form-error" role="alert">
      {props.message}
    </p>
  );
}

/** `next` from a query or a form, checked against this site's origin (see `safeNext`). */
export function nextPath(c: Context<EdgeEnv>, value: unknown, fallback = '/'): string {
  return safeNext(value, new URL(c.req.url).origin, fallback);
}

/** Text fields of a urlencoded or multipart form post, as strings (files are ignored). */
export async function formFields(c: Context<EdgeEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}

/**
 * Sign-in and sign-up forms share the API's auth rate limit (same class and key as
 * `/api/v1/auth/*`), so the forms are no way around it. A limiter outage lets the request through.
 */
export async function authRateLimited(c: Context<EdgeEnv>): Promise<boolean> {
  try {
    const ip = clientIp(c) || 'unknown';
    return !(await c.var.state.limiter.limit('auth', `ip:${ip}`)).success;
  } catch {
    return false;
  }
}
