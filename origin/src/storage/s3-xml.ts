/**
 * Just enough XML for the S3 responses we read (ListObjectsV2, DeleteObjects, multipart, errors)
 * and the two request bodies we send. S3's XML is flat, machine-written and free of CDATA and
 * comments in the elements we read, so a regex per element is exact here and spares a parser dependency.
 */

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode the five predefined entities and numeric character references. */
export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return NAMED_ENTITIES[entity] ?? whole;
  });
}

/** Escape text for an element body. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function elementPattern(tag: string): RegExp {
  return new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
}

/** Raw inner XML of every `<tag>` element, in document order. For elements that do not nest. */
export function xmlBlocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(elementPattern(tag))].map((match) => match[1] ?? '');
}

/** Decoded text of the first `<tag>` element, or undefined when there is none. */
export function xmlText(xml: string, tag: string): string | undefined {
  const block = xmlBlocks(xml, tag)[0];
  return block === undefined ? undefined : decodeXml(block);
}

/** One page of ListObjectsV2: its keys, and the token for the next page when there is one. */
export function parseListPage(xml: string): { keys: string[]; nextToken?: string } {
  const keys = xmlBlocks(xml, 'Contents').map((contents) => xmlText(contents, 'Key') ?? '');
  if (xmlText(xml, 'IsTruncated') !== 'true') return { keys };
  const nextToken = xmlText(xml, 'NextContinuationToken');
  // A truncated page without a token would make us list the first page forever.
  if (!nextToken) throw new Error('S3 listed a truncated page without NextContinuationToken');
  return { keys, nextToken };
}

/** Keys that DeleteObjects could not delete, with S3's reason for each. */
export function parseDeleteErrors(xml: string): Array<{ key: string; code: string }> {
  return xmlBlocks(xml, 'Error').map((error) => ({
    key: xmlText(error, 'Key') ?? '',
    code: xmlText(error, 'Code') ?? 'Unknown',
  }));
}

/** Body of a DeleteObjects request; quiet mode so S3 reports only failures. */
export function deleteObjectsBody(keys: readonly string[]): string {
  const objects = keys.map((key) => `<Object><Key>${escapeXml(key)}</Key></Object>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet>${objects}</Delete>`;
}

/** Body of a CompleteMultipartUpload request. */
export function completeMultipartBody(parts: ReadonlyArray<{ partNumber: number; etag: string }>): string {
  const items = parts
    .map(
      (part) =>
        `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${escapeXml(part.etag)}</ETag></Part>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>${items}</CompleteMultipartUpload>`;
}
