import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES, DomainEventSchema, EVENT_CATALOG } from '../../../../protocol/events.js';

/** The table docs/events.md must contain, rendered from the protocol's event list. */
function renderEventTable(): string {
  const payloadKeys = new Map(
    DomainEventSchema.options.map((o) => [o.shape.type.value, Object.keys(o.shape.payload.shape)]),
  );
  const rows = DOMAIN_EVENT_TYPES.map((type) => {
    const { description, emitted } = EVENT_CATALOG[type];
    const payload = (payloadKeys.get(type) ?? []).map((k) => `\`${k}\``).join(', ');
    return `| \`${type}\` | ${emitted ? 'yes' : 'not yet'} | ${payload} | ${description} |`;
  });
  return ['| Type | Emitted | Payload | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

describe('docs/events.md', () => {
  it('lists exactly the events of protocol/events.ts', async () => {
    const doc = await readFile(new URL('../../../../docs/events.md', import.meta.url), 'utf8');
    expect(doc).toContain(renderEventTable());
  });
});
