import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * protocol/media.ts is the one place that spells Vidra's storage layout and HLS file names. This
 * test fails when any other source file spells one in code, and prints where.
 *
 * What counts: string literals, template literal text, regular expression literals and JSX text,
 * found with the TypeScript parser. Comments do not count: they explain, they build no key.
 *
 * Which files: every `.ts`/`.tsx` file under the tiers that build, serve or store media
 * (SCANNED_DIRS), except test code, which must spell names exactly to check them (a test that
 * asserts a playlist's text, or a fixture that stores a file where a transcoder would):
 * - `*.test.ts` and `*.test.tsx`;
 * - anything under a `test/` folder (edge/test/, origin/test/: harnesses and fixture servers);
 * - files whose name starts with `test-` (transcoder/src/media/test-checks.ts, test-fixtures.ts,
 *   origin/src/storage/test-helpers.ts, test-s3-server.ts, scripts/upstash-bridge/test-support.ts);
 * - the storage contract suite, origin/src/storage/storage-contract*.ts, run by the storage tests
 *   with example keys;
 * - vitest configuration files.
 * SQL migrations are not TypeScript: 0002_relative_media_keys.sql must name the wave-1 layout it
 * rewrites.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED_DIRS = ['edge', 'origin', 'transcoder', 'db', 'scripts'];

/** What may only be spelled in protocol/media.ts, each with the rule it enforces. */
const FORBIDDEN: Array<{ what: string; pattern: RegExp }> = [
  { what: 'storage prefix (STORAGE_PREFIXES)', pattern: /(?:^|[^\w./-])(?:sources|videos)\// },
  { what: 'HLS folder (HLS_DIR, hlsKey)', pattern: /(?:^|[^\w.-])hls\// },
  {
    what: 'HLS file name (HLS_FILES)',
    pattern: /\b(?:master\.m3u8|index\.m3u8|init\.mp4|thumbnail\.jpg|storyboard\.jpg|storyboard\.vtt)\b/,
  },
  { what: 'segment or part name (SEGMENT_PATTERN, PART_PATTERN)', pattern: /\b(?:seg|part)_/ },
  { what: 'playlist or segment extension (isPlaylist, contentTypeOf)', pattern: /\.(?:m3u8|m4s)\b/ },
];

function isExempt(relative: string): boolean {
  const name = path.posix.basename(relative);
  return (
    /\.test\.tsx?$/.test(name) ||
    relative.split('/').includes('test') ||
    name.startsWith('test-') ||
    /^storage-contract.*\.ts$/.test(name) ||
    /vitest\.config\.ts$/.test(name)
  );
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) files.push(...sourceFiles(relative));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(relative);
  }
  return files;
}

/** Every `file:line: <rule>: <literal>` where `text` spells a forbidden name in code. */
function findOffences(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const offences: string[] = [];
  const visit = (node: ts.Node) => {
    let literal: string | undefined;
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node) ||
      ts.isRegularExpressionLiteral(node)
    ) {
      literal = node.text;
    } else if (ts.isJsxText(node)) {
      literal = node.getText(source);
    }
    if (literal !== undefined) {
      for (const { what, pattern } of FORBIDDEN) {
        if (!pattern.test(literal)) continue;
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        offences.push(`${file}:${line + 1}: ${what}: ${JSON.stringify(literal)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return offences;
}

describe('one media layout', () => {
  it('no source file outside protocol/ spells a storage prefix or an HLS file name', () => {
    const files = SCANNED_DIRS.flatMap(sourceFiles).filter((file) => !isExempt(file));
    // Guard against a scan that silently finds nothing (a moved folder, a broken walk).
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('edge/src/playback/serve.ts');
    expect(files).toContain('transcoder/src/media/outputs.ts');
    const offences = files.flatMap((file) => findOffences(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offences, `Use protocol/media.ts instead:\n${offences.join('\n')}`).toEqual([]);
  });

  it('catches every kind of spelling in code, and none in comments or unrelated paths', () => {
    const code = `const a = 'videos/' + id;
const b = \`sources/\${id}/original\`;
const c = \`\${dir}/hls/\${file}\`;
const d = join(out, 'master.m3u8');
const e = /^seg_d+.m4s$/;
const f = name.endsWith('.m3u8');
const g = \`part_\${n}\`;
const h = <p>storyboard.vtt</p>;
// videos/<id>/hls/master.m3u8 in a comment is documentation
const ok = ['/api/v1/videos/', '/internal/v1/videos/', 'myvideos/x', 'thumbnails', 'segments'];`;
    expect(findOffences('x.tsx', code).map((offence) => offence.split(':')[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '4',
      '5',
      '5',
      '6',
      '7',
      '8',
    ]);
  });

  it('exempts exactly the test code described above', () => {
    expect(isExempt('edge/src/playback/playback.test.ts')).toBe(true);
    expect(isExempt('edge/test/real-origin.ts')).toBe(true);
    expect(isExempt('transcoder/src/media/test-fixtures.ts')).toBe(true);
    expect(isExempt('origin/src/storage/storage-contract-namespace.ts')).toBe(true);
    expect(isExempt('edge/vitest.config.ts')).toBe(true);
    expect(isExempt('edge/src/playback/serve.ts')).toBe(false);
    expect(isExempt('origin/src/storage/local.ts')).toBe(false);
    expect(isExempt('scripts/start.ts')).toBe(false);
  });
});
