import { describe, expect, it } from 'vitest';
import {
  completeMultipartBody,
  decodeXml,
  deleteObjectsBody,
  escapeXml,
  parseDeleteErrors,
  parseListPage,
  xmlText,
} from './s3-xml.js';

describe('S3 XML', () => {
  it('decodes named and numeric entities and escapes what it writes', () => {
    expect(decodeXml('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233; &#x1F600; &nope;')).toBe(
      'a & b <c> "d" \'e\' é 😀 &nope;',
    );
    const tricky = `a&b<c>"d"'e`;
    expect(decodeXml(escapeXml(tricky))).toBe(tricky);
  });

  it('reads a truncated ListObjectsV2 page with its continuation token', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>v/</Prefix>
<KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>
<Contents><Key>v/a&amp;b.m4s</Key><ETag>&quot;x&quot;</ETag><Size>1</Size></Contents>
<Contents><Key>v/c d</Key><Size>2</Size></Contents>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken></ListBucketResult>`;
    expect(parseListPage(xml)).toEqual({
      keys: ['v/a&b.m4s', 'v/c d'],
      nextToken: '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=',
    });
    expect(parseListPage('<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>')).toEqual({
      keys: [],
    });
  });

  it('refuses a truncated page without a token rather than looping', () => {
    expect(() =>
      parseListPage('<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>'),
    ).toThrow(/NextContinuationToken/);
  });

  it('reads DeleteObjects errors and S3 error codes', () => {
    const xml = `<DeleteResult><Deleted><Key>a</Key></Deleted>
<Error><Key>b&amp;c</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>`;
    expect(parseDeleteErrors(xml)).toEqual([{ key: 'b&c', code: 'AccessDenied' }]);
    expect(xmlText('<Error><Code>NoSuchKey</Code></Error>', 'Code')).toBe('NoSuchKey');
    expect(xmlText('<Error></Error>', 'Code')).toBeUndefined();
  });

  it('writes request bodies with escaped keys and ETags', () => {
    expect(deleteObjectsBody(['a&b', 'c'])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet>' +
        '<Object><Key>a&#38;b</Key></Object><Object><Key>c</Key></Object></Delete>',
    );
    expect(completeMultipartBody([{ partNumber: 1, etag: '"abc"' }])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>' +
        '<Part><PartNumber>1</PartNumber><ETag>&#34;abc&#34;</ETag></Part></CompleteMultipartUpload>',
    );
  });
});
