/** Domain errors: each maps to one HTTP status in src/http/problem.ts. Domain code imports no HTTP. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 423 | 429,
    readonly title: string,
    readonly fields?: { path: string; message: string }[],
  ) {
    super(message);
  }
}
export const notFound = (what = 'The record') =>
  new DomainError(`${what} was not found, or you do not have a relationship that lets you see it.`, 404, 'Not found');
/**
 * A child's record merged into another's (the person index): answers 404, naming the survivor only to
 * a caller who may see it (the door decides); pages redirect there.
 */
export class MergedRecord extends DomainError {
  constructor(readonly mergedFrom: string, readonly mergedInto: string) {
    super(notFound().message, 404, 'Not found');
  }
}
export const conflict = (message: string) => new DomainError(message, 409, 'Conflict');
export const invalid = (message: string, fields?: { path: string; message: string }[]) =>
  new DomainError(message, 422, 'Unprocessable content', fields);
export const forbidden = (message: string) => new DomainError(message, 403, 'Forbidden');
export const unauthorised = (message = 'Sign in to continue.') => new DomainError(message, 401, 'Unauthorised');
