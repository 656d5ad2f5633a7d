/** Machine-readable error kinds, each mapped to one HTTP status below. */
export type ErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

const STATUS: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** An error safe to show to the user: its message never carries database details. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Where it happened, e.g. "invite.accept"; for logs. */
    readonly where?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export const notFound = (what: string, where?: string) =>
  new AppError('not_found', `${what} not found.`, where);
export const forbidden = (message = 'You do not have permission to do that.', where?: string) =>
  new AppError('forbidden', message, where);
