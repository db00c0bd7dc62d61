import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { londonDate } from '../process/dates.js';
import { asForm, dateInput, field, formErrors, isoDay, type FormBody, type FormErrors } from '../web/forms.js';
import { uuidParam, type Practitioner, type Web } from '../web/shell.js';
import type { AlertService } from './alert-service.js';
import { alertItem } from './pages-alerts-summary.js';

export interface AlertPageDeps { db: Kysely<DB>; alerts: AlertService; clock?: () => Date }

const fieldOf: Record<string, string> = {
  type: 'type', 'decision.question': 'decision-question', 'decision.outcome': 'decision-outcome', 'decision.rationale': 'decision-rationale',
  'decision.occurred_at': 'decision-outcome', what: 'action-what', owner_id: 'action-owner', due_on: 'action-due-day', reason: 'no-action-reason',
};

/** The answer form as the API's body: only the chosen answer's fields are sent. */
export function answerFromForm(form: FormBody, now: Date): { body: unknown; dateError?: string } {
  const type = field(form, 'type');
  if (type === 'decision') {
    return { body: { type, decision: { occurred_at: now.toISOString(), question: field(form, 'decision-question'), outcome: field(form, 'decision-outcome'), rationale: field(form, 'decision-rationale') } } };
  }
  if (type === 'action') {
    const due = dateInput(form, 'action-due', 'the date it is due by');
    return { body: { type, what: field(form, 'action-what'), owner_id: field(form, 'action-owner'), due_on: due.ok ? isoDay(due) : 'not a date' }, dateError: due.ok ? undefined : due.message };
  }
  if (type === 'no_action') return { body: { type, reason: field(form, 'no-action-reason') } };
  return { body: { type: '' } };
}

/** An alert's page: the rule, the reason, the triggering entries from every agency, and the three ways to answer it. */
export function alertPages(web: Web, deps: AlertPageDeps) {
  const clock = deps.clock ?? (() => new Date());

  web.get('/alerts/:alertId', async (req, reply, actor) => {
    const q = req.query as Record<string, unknown>;
    return page(req, reply, actor, { values: {}, idem: randomUUID(), done: q.done === 'answered' });
  });

  web.post('/alerts/:alertId/answer', async (req, reply, actor) => {
    const id = uuidParam(req, 'alertId');
    const form = asForm(req.body);
    const idem = /^[0-9a-f-]{36}$/i.test(field(form, '_idem')) ? field(form, '_idem') : randomUUID();
    const { body, dateError } = answerFromForm(form, clock());
    try {
      await deps.alerts.answer(actor, id, body, `page-alert-${idem}`);
      return reply.redirect(`/alerts/${id}?done=answered`, 303);
    } catch (err) {
      const errors = formErrors(err, { fieldFor: (p) => fieldOf[p] ?? 'type', message: (p, m) => (p === 'type' ? 'Choose how you answer the alert' : p === 'due_on' && dateError ? dateError : m) });
      if (!errors) throw err;
      return page(req, reply, actor, { values: form, idem, errors }, err instanceof DomainError && err.status === 409 ? 409 : 422);
    }
  });

  async function page(req: FastifyRequest, reply: FastifyReply, actor: Practitioner, m: { values: FormBody; idem: string; errors?: FormErrors; done?: boolean }, status = 200) {
    const a = await deps.alerts.view(actor, uuidParam(req, 'alertId'));
    const owners = new Map([[actor.id, `${actor.name} (you)`], ...a.alerted.map((p) => [p.practitioner_id, p.name] as [string, string])]);
    return web.render(req, reply, 'signals/alert.njk', {
      ...m, pageTitle: `Alert: ${a.rule_id}`, a, item: alertItem(a), mayAnswer: a.status === 'open',
      childName: await childNameOf(deps.db, a.read_through), today: londonDate(clock()),
      owners: [...owners].map(([value, text]) => ({ value, text, selected: field(m.values, 'action-owner') === value })),
    }, status);
  }
}

async function childNameOf(db: Kysely<DB>, childId: string): Promise<string> {
  const n = await db.selectFrom('person_names').select(['given_name', 'family_name']).where('person_id', '=', childId).where('name_type', '=', 'legal')
    .orderBy('recorded_at', 'desc').limit(1).executeTakeFirst();
  return n ? `${n.given_name} ${n.family_name}` : 'Name not recorded';
}
