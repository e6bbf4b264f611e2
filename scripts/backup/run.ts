import path from 'node:path';
import { BackupError } from './manifest.js';

/**
 * Run `main` when this module is the entry point. An operator's problem (bad environment, a
 * non-empty target, a damaged backup) prints its message and exits 1, without a stack trace.
 */
export function runCommand(moduleUrl: string, main: (argv: string[]) => Promise<void>): void {
  const entry = process.argv[1];
  if (!entry || moduleUrl !== new URL(`file://${path.resolve(entry)}`).href) return;
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      const known = error instanceof BackupError || /^Invalid environment variables/.test(String(error));
      console.error(known ? (error as Error).message : error);
      process.exit(1);
    },
  );
}
