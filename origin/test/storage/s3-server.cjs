// Runs s3rver for the storage tests; started by s3-server.ts as
// `node --openssl-legacy-provider s3-server.cjs <directory> <bucket>`, it prints
// `{"port":N}` once listening and stops on SIGTERM or when its stdin closes.
//
// s3rver answers a PUT as soon as the last byte has been hashed, before the file is on disk, so a
// GET or LIST right after can miss it or read it short. Real S3 is read-after-write consistent, so
// the two writers are replaced with ones that finish writing (to a temp file, then rename) before
// answering; a client that aborts mid-body now leaves nothing behind, as on S3. Every request
// must also carry a valid SigV4 signature (s3-sigv4.cjs), which s3rver does not check.
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { Readable, Transform } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem');
const { checkSignature } = require('./s3-sigv4.cjs');

async function writeFileHashed(content, filePath) {
  await fs.promises.mkdir(path.dirname(filePath), { recursive: true });
  const temp = `${filePath}.${crypto.randomUUID()}.partial`;
  const md5 = crypto.createHash('md5');
  let size = 0;
  const hash = new Transform({
    transform(chunk, _encoding, callback) {
      md5.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  try {
    const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
    await pipeline(source, hash, fs.createWriteStream(temp));
    await fs.promises.rename(temp, filePath);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  return { size, md5: md5.digest('hex') };
}

FilesystemStore.prototype.putObject = async function putObject(object) {
  const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
  const result = await writeFileHashed(object.content, objectPath);
  await this.putMetadata(object.bucket, object.key, object.metadata, result.md5);
  return result;
};

FilesystemStore.prototype.putPart = async function putPart(bucket, uploadId, partNumber, content) {
  const partPath = path.join(
    this.getResourcePath(bucket, undefined, 'uploads'),
    uploadId,
    String(partNumber),
  );
  const result = await writeFileHashed(content, partPath);
  await fs.promises.writeFile(`${partPath}.md5`, result.md5);
  return result;
};

const [directory, bucket] = process.argv.slice(2);
// s3rver's built-in account; the tests sign with the same pair.
const account = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
const server = new S3rver({ silent: true, directory, configureBuckets: [{ name: bucket }] });
const s3rver = server.callback();
const httpServer = http.createServer((req, res) => {
  const code = checkSignature(req, account);
  if (!code) return s3rver(req, res);
  res.writeHead(403, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  );
});
server
  .configureBuckets()
  .then(() => new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve)))
  .then(() => process.stdout.write(`${JSON.stringify({ port: httpServer.address().port })}\n`));
process.stdin.on('end', () => process.exit(0)).resume();
process.on('SIGTERM', () => {
  httpServer.closeAllConnections();
  httpServer.close(() => process.exit(0));
});
