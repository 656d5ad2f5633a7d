import { isAppError } from './errors';

/** Maps any error to a JSON response: the one place that turns error kinds into HTTP statuses. */
export function errorResponse(error: unknown, logError: (error: unknown) => void): Response {
  if (isAppError(error)) {
    return Response.json({ error: error.kind, message: error.message }, { status: error.status });
  }
  logError(error);
  return Response.json(
    { error: 'internal', message: 'Something went wrong on our side.' },
    { status: 500 },
  );
}
