import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { asForm, field, formErrors, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import type { PersonIndexDeps } from './routes.js';
import type { ReviewView } from './review-view.js';
import { mergePages } from './pages-merge.js';

const signed = (w: number) => `${w >= 0 ? '+' : '−'}${Math.abs(w).toFixed(2)}`;
const small = (p: number | null) => (p === null ? '—' : p >= 0.001 ? p.toFixed(3) : p.toExponential(1));
export const percent = (p: number) => `${(p * 100).toFixed(p > 0.99 && p < 1 ? 2 : 1)}%`;
const ukDateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
const formKey = (v: string) => (/^[0-9a-f-]{36}$/.test(v) ? v : randomUUID());

/** The review queue and each item's side-by-side page; the merge forms of the child's page. */
export function personIndexPages(web: Web, d: PersonIndexDeps) {
  web.get('/person-index/reviews', async (req, reply, actor) => {
    const items = await d.reviews.list(actor);
    const decided = (req.query as Record<string, unknown>).decided !== undefined;
    return web.render(req, reply, 'person-index/reviews.njk', {
      pageTitle: 'Records to review', decided,
      items: items.map((i) => ({ ...i, when: ukDateTime.format(new Date(i.queued_at)), percent: percent(i.match_probability) })),
    });
  });

  web.get('/person-index/reviews/:id', async (req, reply, actor) => reviewPage(req, reply, actor, { values: {}, idem: randomUUID() }));

  web.post('/person-index/reviews/:id', async (req, reply, actor) => {
    const id = uuidParam(req, 'id');
    const form = asForm(req.body);
    const values = { decision: field(form, 'decision'), reason: field(form, 'reason') };
    const idem = formKey(field(form, '_idem'));
    try {
      await d.reviews.decide(actor, id, values, `page-review-${idem}`);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: (p) => (p === 'decision' ? 'decision' : 'reason'), message: (p, m) => wording(p, m, values) });
      if (!errors) throw err;
      return reviewPage(req, reply, actor, { values, idem, errors }, 422);
    }
    return reply.redirect('/person-index/reviews?decided', 303);
  });

  async function reviewPage(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, ctx: { values: Record<string, string>; idem: string; errors?: FormErrors }, status = 200) {
    const r = await d.reviews.view(actor, uuidParam(req, 'id'));
    return web.render(req, reply, 'person-index/review.njk', { pageTitle: 'Is this the same person?', ...ctx, ...shown(r) }, status);
  }

  mergePages(web, d);
}

/** Numbers as a reviewer reads them: signed weights to two places, the total their sum. */
export function shown(r: ReviewView) {
  return {
    r,
    prior: signed(r.prior_weight),
    rows: r.fields.map((f) => ({ ...f, m: small(f.m), u: small(f.u), weight: signed(f.weight) })),
    total: signed(r.match_weight),
    percent: percent(r.match_probability),
  };
}

function wording(path: string, message: string, values: { decision: string; reason: string }): string {
  if (path === 'decision') return 'Choose whether these are the same person or different people';
  if (path === 'reason' && !values.reason) return 'Give the reason for your decision';
  return message;
}
