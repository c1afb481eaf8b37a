/** An error the user can act on: printed as one line plus a hint, never as a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
