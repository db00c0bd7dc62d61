import { describe, expect, it } from 'vitest';
import { age, formatDateTime, londonIso } from '../../src/web/dates.js';
import { dateInput, timeInput } from '../../src/web/forms.js';
import { timeline } from '../../src/record/timeline.js';
import { dataFromForm, factsOf, formFromData } from '../../src/record/entry-form.js';
import { whoLooked } from '../../src/access/pages.js';
import type { EntryView } from '../../src/record/view.js';

describe('UK dates and times', () => {
  it('turns a time on UK clocks into an instant with the right offset, either side of the clock changes', () => {
    expect(londonIso(2026, 1, 12, 14, 30)).toBe('2026-01-12T14:30:00+00:00');
    expect(londonIso(2026, 7, 1, 9, 0)).toBe('2026-07-01T09:00:00+01:00');
    // 29 March 2026: clocks go forward at 01:00 UTC.
    expect(londonIso(2026, 3, 29, 0, 30)).toBe('2026-03-29T00:30:00+00:00');
    expect(londonIso(2026, 3, 29, 3, 0)).toBe('2026-03-29T03:00:00+01:00');
    expect(londonIso(2026, 2, 30, 10, 0)).toBeUndefined();
  });

  it('reads times as people type them', () => {
    expect(timeInput('14:30')).toEqual({ hour: 14, minute: 30 });
    expect(timeInput('9.05')).toEqual({ hour: 9, minute: 5 });
    expect(timeInput('2pm')).toEqual({ hour: 14, minute: 0 });
    expect(timeInput('12:15am')).toEqual({ hour: 0, minute: 15 });
    expect(timeInput('12pm')).toEqual({ hour: 12, minute: 0 });
    for (const bad of ['', '14', '25:00', '13pm', 'teatime', '10:60']) expect(timeInput(bad)).toBeUndefined();
  });

  it('checks a date input is a real date', () => {
    expect(dateInput({ 'd-day': '29', 'd-month': '2', 'd-year': '2024' }, 'd', 'the date')).toMatchObject({ ok: true, day: 29 });
    expect(dateInput({ 'd-day': '29', 'd-month': '2', 'd-year': '2025' }, 'd', 'the date')).toMatchObject({ ok: false, message: 'The date must be a real date' });
    expect(dateInput({}, 'd', 'the date')).toMatchObject({ ok: false, blank: true, message: 'Enter the date' });
  });

  it('writes dates and ages as people say them', () => {
    expect(formatDateTime('2026-01-12T14:30:00Z')).toBe('12 January 2026 at 2:30pm');
    expect(formatDateTime('2026-07-01T08:00:00Z')).toBe('1 July 2026 at 9am');
    expect(age('2025-03-01', new Date('2026-03-01T12:00:00Z'))).toBe('12 months');
    expect(age('2020-03-02', new Date('2026-03-01T12:00:00Z'))).toBe('5 years');
    expect(age('2026-02-20', new Date('2026-03-01T12:00:00Z'))).toBe('9 days');
  });
});

const entry = (over: Partial<EntryView>): EntryView => ({
  id: 'x', child_id: 'c', seq: 1, kind: 'case_note', occurred_at: '2026-01-01T10:00:00.000Z', recorded_at: '2026-01-01T10:00:00.000Z',
  author: { id: 'a', name: 'Sam Worker', role: 'social_worker', agency_id: 'ag', agency_name: 'Northmoor Council', via_token_id: null },
  concerns: [], narrative: 'n', data: {}, supersedes_id: null, correction_reason: null, superseded_by: null, hash: 'h', prev_hash: 'p', ...over,
});

describe('the chronology as the page shows it', () => {
  it('puts each chain of corrections beside its original, newest version first, where the newest falls in time', () => {
    const items = timeline([
      entry({ id: 'late', seq: 5, occurred_at: '2026-03-01T10:00:00.000Z' }),
      entry({ id: 'c2', seq: 4, occurred_at: '2026-02-02T10:00:00.000Z', supersedes_id: 'c1', correction_reason: 'again' }),
      entry({ id: 'c1', seq: 3, occurred_at: '2026-02-01T10:00:00.000Z', supersedes_id: 'orig', correction_reason: 'date', superseded_by: 'c2' }),
      entry({ id: 'mid', seq: 2, occurred_at: '2026-01-15T10:00:00.000Z' }),
      entry({ id: 'orig', seq: 1, occurred_at: '2026-01-01T10:00:00.000Z', superseded_by: 'c1' }),
    ]);
    expect(items.map((i) => [i.entry.id, i.state])).toEqual([
      ['late', 'entry'], ['c2', 'correction'], ['c1', 'corrected'], ['orig', 'corrected'], ['mid', 'entry'],
    ]);
    expect(items[0].byline).toBe('Sam Worker (Social worker, Northmoor Council)');
  });
});

describe('the quick form fields', () => {
  it('round-trips a home visit between form and data, and describes it in short facts', () => {
    const data = dataFromForm('home_visit', { child_seen: 'yes', child_seen_alone: 'no', announced: '', present: 'Mother\n\n Grandad ' });
    expect(data).toEqual({ child_seen: true, child_seen_alone: false, present: ['Mother', 'Grandad'] });
    expect(formFromData('home_visit', data)).toEqual({ child_seen: 'yes', child_seen_alone: 'no', present: 'Mother\nGrandad' });
    expect(factsOf('home_visit', data)).toEqual(['Child seen: Yes', 'Seen alone: No', 'Present: Mother, Grandad']);
    expect(dataFromForm('injury', { body_locations: ['face', '', 'face', 'ear'] }).body_locations).toEqual(['face', 'ear']);
  });
});

describe('who has looked', () => {
  const line = (at: string, name: string, action: string) => ({
    at, action, basis: 'allocated_worker', basis_label: 'Allocated worker', emergency_reason: null,
    actor: { name, role: 'social_worker', agency: 'Northmoor Council', kind: 'practitioner' as const },
  });
  it("shows one page view's several reads as one look, but keeps writes and other people apart", () => {
    const looks = whoLooked([
      line('2026-01-01T10:00:02Z', 'Sam', 'read_access_log'),
      line('2026-01-01T10:00:01Z', 'Sam', 'read_chronology'),
      line('2026-01-01T10:00:00Z', 'Sam', 'read_summary'),
      line('2026-01-01T09:59:00Z', 'Sam', 'append_entry'),
      line('2026-01-01T09:58:00Z', 'Jo', 'read_summary'),
      line('2026-01-01T08:00:00Z', 'Jo', 'read_summary'),
    ]);
    expect(looks.map((l) => `${l.who}: ${l.what}`)).toEqual(['Sam: Viewed the record', 'Sam: Added an entry', 'Jo: Opened the record', 'Jo: Opened the record']);
    expect(looks[0].role).toBe('Social worker');
  });
});
