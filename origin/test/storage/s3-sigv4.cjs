// An independent AWS Signature Version 4 check for the test S3 server (s3-server.cjs). s3rver
// accepts any V4 signature, which would let a signing bug pass every test and then fail on S3,
// R2 or MinIO. This follows the AWS spec rather than aws4fetch's code, so the two check each other:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
const crypto = require('node:crypto');

/** S3's UriEncode: every byte except A-Z a-z 0-9 - _ . ~ is percent-encoded. */
const uriEncode = (text) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : Number.NaN;
}

/**
 * Check the request's signature (Authorization header or presigned query) for one account and
 * region. Returns undefined when it is valid, or the S3 error code to answer with.
 */
function checkSignature(req, { accessKeyId, secretAccessKey, region }) {
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  const params = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0
        ? [decodeURIComponent(pair), '']
        : [pair.slice(0, eq), pair.slice(eq + 1)].map(decodeURIComponent);
    });
  const query = new Map(params);

  let credential, signedHeaders, signature, amzDate, payloadHash;
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
    if (!m) return 'AuthorizationHeaderMalformed';
    [, credential, signedHeaders, signature] = m;
    amzDate = req.headers['x-amz-date'];
    payloadHash = req.headers['x-amz-content-sha256'];
    if (!payloadHash) return 'InvalidRequest';
    if (!(Math.abs(Date.now() - parseAmzDate(amzDate)) <= 15 * 60_000)) return 'RequestTimeTooSkewed';
  } else if (query.has('X-Amz-Signature')) {
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return 'AuthorizationQueryParametersError';
    credential = query.get('X-Amz-Credential') ?? '';
    signedHeaders = query.get('X-Amz-SignedHeaders') ?? '';
    signature = query.get('X-Amz-Signature');
    amzDate = query.get('X-Amz-Date');
    payloadHash = 'UNSIGNED-PAYLOAD';
    // Expiry is checked by s3rver itself ("Request has expired").
  } else {
    return 'AccessDenied'; // the bucket is private: anonymous requests are refused, as on S3
  }

  const [keyId, date, scopeRegion, service, terminator] = credential.split('/');
  if (keyId !== accessKeyId) return 'InvalidAccessKeyId';
  if (
    scopeRegion !== region ||
    service !== 's3' ||
    terminator !== 'aws4_request' ||
    !amzDate?.startsWith(date)
  ) {
    return 'AuthorizationHeaderMalformed';
  }
  const headerNames = signedHeaders.split(';');
  if (!headerNames.includes('host')) return 'AccessDenied';

  const canonicalRequest = [
    req.method,
    // S3 paths are encoded once, from the decoded key, and never normalised.
    decodeURIComponent(rawPath).split('/').map(uriEncode).join('/'),
    params
      .filter(([name]) => name !== 'X-Amz-Signature')
      .map(([name, value]) => [uriEncode(name), uriEncode(value)])
      .sort(([a, x], [b, y]) => compare(a, b) || compare(x, y))
      .map(([name, value]) => `${name}=${value}`)
      .join('&'),
    headerNames
      .map(
        (name) =>
          `${name}:${String(req.headers[name] ?? '')
            .trim()
            .replace(/\s+/g, ' ')}\n`,
      )
      .join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = ['aws4_request'].reduce(
    (key, part) => hmac(key, part),
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), 's3'),
  );
  return hmac(signingKey, stringToSign).toString('hex') === signature ? undefined : 'SignatureDoesNotMatch';
}

module.exports = { checkSignature };
