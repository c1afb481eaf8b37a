/** An export that cannot be used: one line naming the file (and line) and what to do; never a stack trace. */
export class ConnectConfigError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'ConnectConfigError';
  }
}
