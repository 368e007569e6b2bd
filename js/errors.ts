/** A problem with the command line or with reading input: exit status 2. */
export class UsageError extends Error {}

/** The message of anything thrown. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
