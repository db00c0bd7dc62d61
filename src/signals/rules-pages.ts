import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireAdministrator } from '../agencies/admin.js';
import { idemFrom, newIdem } from '../agencies/page-helpers.js';
import { notFound } from '../errors.js';
import { formatDate } from '../web/dates.js';
import { entryKindLabels, type EntryKind } from '../record/kinds.js';
import { asForm, field, formErrors, type FormBody, type FormErrors } from '../web/forms.js';
import type { Web } from '../web/shell.js';
import { newVersionInput, ruleChange, type NewerVersionView, type RuleChange, type RuleView, type TrialView } from './rules-schemas.js';
import type { SignalRulesService } from './rules-service.js';

const recipientLabels: Record<string, string> = {
  allocated_worker: 'Allocated worker', manager: 'Their manager', head_of_service: 'Head of service', designated_lead: 'Designated lead',
};
const kindLabel = (k: string) => entryKindLabels[k as EntryKind] ?? ({ process_step: 'Process step', relationship: 'Relationship recorded', schedule: 'Found later (nothing recorded)' }[k] ?? k);
const words = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');
const shown = (v: unknown) => (v === null ? 'Not set' : Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 'Yes' : 'No') : String(v));
const ruleId = (req: FastifyRequest) => {
  const id = String((req.params as Record<string, string>).ruleId ?? '').toUpperCase();
  if (!/^R[0-9]{1,3}$/.test(id)) throw notFound('The rule');
  return id;
};

/** The rule the change form offers: with a newer version, its parameters (the authority's values kept, the added ones at its defaults). */
const offered = ({ rule, newer_version: n }: { rule: RuleView; newer_version: NewerVersionView | null }): RuleView =>
  (n ? { ...rule, parameters: n.parameters, local_parameters: n.local_parameters } : rule);

/** What the form says a parameter is now: the authority's value, or for one its version lacks, that it is new. */
const nowText = (rule: RuleView, n: NewerVersionView | null, key: string) =>
  (key in rule.parameters || !n ? shown(rule.parameters[key] ?? null) : `not in your authority’s version (new: ${n.parameters[key] === null ? 'not set' : shown(n.parameters[key])} in the newer version)`);

/** Where the newer version comes from and what it adds, in the administrator's words. */
function newerText(n: NewerVersionView | null) {
  if (!n) return undefined;
  const from = n.jurisdiction === null ? 'the default' : `the version for ${words(n.jurisdiction)}`;
  const adds = n.adds.length ? `: it adds ${n.adds.join(', ')}` : '';
  const drops = n.drops.length ? `${adds ? ';' : ':'} it no longer reads ${n.drops.join(', ')}` : '';
  return `A newer version of this rule is available from ${from}, in force from ${formatDate(n.effective_from)}${adds}${drops}.`;
}

/** One input per parameter, of the parameter's own type: a number, a yes/no, or a list (one item per line). */
function parameterFields(rule: RuleView, form?: FormBody) {
  return Object.entries(rule.parameters).map(([key, value]) => ({
    key, id: `p_${key}`, label: words(key), local: rule.local_parameters.includes(key),
    type: Array.isArray(value) ? 'list' : typeof value === 'boolean' ? 'yesno' : 'number',
    value: form ? field(form, `p_${key}`) : Array.isArray(value) ? value.join('\n') : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value ?? ''),
  }));
}

/** The change typed into the form, read by each parameter's type (what does not fit is left for the rule's schema to refuse). */
function changeFrom(rule: RuleView, form: FormBody): RuleChange {
  const parameters: Record<string, unknown> = {};
  for (const f of parameterFields(rule, form)) {
    if (f.type === 'list') parameters[f.key] = f.value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    else if (f.type === 'yesno') parameters[f.key] = f.value === 'yes';
    // A number left blank is not set (R8's baby interval: then the visit interval itself).
    else parameters[f.key] = /^-?\d+$/.test(f.value) ? Number(f.value) : f.value === '' ? null : f.value;
  }
  return ruleChange.parse({ parameters, severity: field(form, 'severity') || undefined, enabled: field(form, 'enabled') ? field(form, 'enabled') === 'yes' : undefined });
}

const fieldFor = (path: string) => (path.startsWith('parameters.') ? `p_${path.split('.')[1]}` : path.split('.')[0] || 'severity');

/** /admin/signals: the red-flag rules; /admin/signals/:id: one rule, a trial of a change, and putting it in force. */
export function signalRulePages(web: Web, rules: SignalRulesService) {
  web.get('/admin/signals', async (req, reply, actor) => {
    requireAdministrator(actor);
    const list = (await rules.list(actor)).map((r) => ({ ...r, who: r.recipients.map((x) => recipientLabels[x] ?? x).join(', '), newer: !!r.newer_version }));
    return web.render(req, reply, 'signals/rules.njk', { pageTitle: 'Red-flag rules', rules: list });
  });

  const page = async (req: FastifyRequest, reply: FastifyReply, id: string, o: { form?: FormBody; trial?: TrialView; errors?: FormErrors; reasonError?: string } = {}) => {
    const shownRule = await rules.show(req.actor!, id);
    const { rule, versions, newer_version: newer } = shownRule;
    const form = o.form;
    return web.render(req, reply, 'signals/rule.njk', {
      pageTitle: `${rule.rule_id}: ${rule.name}`,
      rule: { ...rule, who: rule.recipients.map((x) => recipientLabels[x] ?? x).join(', ') },
      newer: newerText(newer),
      parameters: parameterFields(offered(shownRule), form).map((p) => ({ ...p, current: nowText(rule, newer, p.key) })),
      severity: form ? field(form, 'severity') || rule.severity : rule.severity,
      enabled: form ? field(form, 'enabled') || (rule.enabled ? 'yes' : 'no') : rule.enabled ? 'yes' : 'no',
      versions, trial: o.trial && { ...o.trial, hits: o.trial.hits.map((h) => ({ ...h, kindText: kindLabel(h.kind) })) },
      errors: o.errors, reason: form ? field(form, 'reason') : '', idem: form ? idemFrom(form).idem : newIdem(), done: (req.query as Record<string, string>).done === 'enabled',
    }, o.errors ? 422 : 200);
  };

  web.get('/admin/signals/:ruleId', async (req, reply, actor) => {
    requireAdministrator(actor);
    return page(req, reply, ruleId(req));
  });

  web.post('/admin/signals/:ruleId/trial', async (req, reply, actor) => {
    requireAdministrator(actor);
    const id = ruleId(req);
    const form = asForm(req.body);
    const rule = offered(await rules.show(actor, id));
    try {
      return await page(req, reply, id, { form, trial: await rules.trial(actor, id, changeFrom(rule, form)) });
    } catch (err) {
      const errors = formErrors(err, { fieldFor });
      if (!errors) throw err;
      return page(req, reply, id, { form, errors });
    }
  });

  web.post('/admin/signals/:ruleId/versions', async (req, reply, actor) => {
    requireAdministrator(actor);
    const id = ruleId(req);
    const form = asForm(req.body);
    const rule = offered(await rules.show(actor, id));
    try {
      const input = newVersionInput.parse({ ...changeFrom(rule, form), reason: field(form, 'reason') });
      await rules.addVersion(actor, id, input, idemFrom(form).key);
    } catch (err) {
      const errors = formErrors(err, { fieldFor, message: (path, m) => (path === 'reason' ? 'Say why the change is needed, in at least 10 characters' : m) });
      if (!errors) throw err;
      return page(req, reply, id, { form, errors });
    }
    return reply.redirect(`/admin/signals/${id}?done=enabled`, 303);
  });
}
