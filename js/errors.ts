/** A problem with the command line or with reading input: exit status 2. */
export class UsageError extends Error {}
