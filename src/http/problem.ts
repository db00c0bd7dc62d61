import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, MergedRecord } from '../errors.js';

/** RFC 9457 problem details, with field-level errors in `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { path: string; message: string }[];
  /** A merged child's record: the id of the record it was merged into. */
  merged_into?: string;
}

const zodFields = (e: ZodError) => e.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));

export function toProblem(err: unknown, instance?: string): Problem {
  const base = { type: 'about:blank', instance };
  if (err instanceof DomainError) {
    return { ...base, title: err.title, status: err.status, detail: err.message, errors: err.fields, ...(err instanceof MergedRecord ? { merged_into: err.mergedInto } : {}) };
  }
  if (err instanceof ZodError) {
    return { ...base, title: 'Unprocessable content', status: 422, detail: 'The request has invalid fields.', errors: zodFields(err) };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    return {
      ...base,
      title: 'Bad request',
      status: 400,
      detail: 'The request does not match the schema.',
      errors: err.validation.map((v) => ({ path: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`, message: v.message ?? 'invalid' })),
    };
  }
  const fe = err as FastifyError & { code?: string };
  if (fe.code === '23505') return { ...base, title: 'Conflict', status: 409, detail: 'That would duplicate an existing record.' };
  // Foreign-key and check violations mean the request named something that does not exist or broke a rule.
  if (fe.code === '23503' || fe.code === '23514' || fe.code === '22P02' || fe.code === '22007' || fe.code === '22008') {
    return { ...base, title: 'Unprocessable content', status: 422, detail: 'The request refers to something that does not exist, or breaks a rule of the record.' };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { ...base, title: fe.name || 'Bad request', status: fe.statusCode, detail: fe.message };
  }
  return { ...base, title: 'Internal server error', status: 500, detail: 'Something went wrong; nothing was saved.' };
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, err: unknown) {
  const p = toProblem(err, req.url.split('?')[0]);
  if (p.status >= 500) req.log.error({ err }, 'request failed');
  return reply.status(p.status).type('application/problem+json').send(p);
}
