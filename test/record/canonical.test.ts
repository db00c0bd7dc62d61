import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { Sealer, canonicalContent, entryHash, type ChainedContent } from '../../src/record/chain.js';

/** The definition every stored hash was made with: RFC 8785 (canonicalize) of the whole object. */
function reference(e: ChainedContent): string | undefined {
  return canonicalize({
    v: 1,
    id: e.id,
    child_id: e.child_id,
    seq: e.seq,
    kind: e.kind,
    occurred_at: e.occurred_at.toISOString(),
    recorded_at: e.recorded_at.toISOString(),
    author_id: e.author_id,
    author_name: e.author_name,
    author_role: e.author_role,
    author_agency_id: e.author_agency_id,
    via_token_id: e.via_token_id,
    concerns: e.concerns,
    narrative: e.narrative,
    data: e.data,
    supersedes_id: e.supersedes_id,
    correction_reason: e.correction_reason,
    prev_hash: e.prev_hash,
  });
}

const outcome = (f: () => string | undefined) => {
  try {
    return { ok: f() };
  } catch (e) {
    return { threw: (e as Error).message };
  }
};

// Any UTF-16 code unit, lone surrogates included: canonical JSON must refuse those the same way.
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const text = fc.oneof(fc.string(), anyText, fc.constantFrom('', 'é', '\u2028', '"\\', '\u{1F600}'));
const date = fc.date({ min: new Date(0), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true });
const data = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(text, fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(text))),
);

const entry: fc.Arbitrary<ChainedContent> = fc.record({
  id: fc.uuid(),
  child_id: fc.uuid(),
  seq: fc.oneof(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.double()),
  kind: text,
  occurred_at: date,
  recorded_at: date,
  author_id: fc.option(fc.uuid(), { nil: null }),
  author_name: text,
  author_role: text,
  author_agency_id: fc.uuid(),
  via_token_id: fc.option(fc.uuid(), { nil: null }),
  concerns: fc.array(fc.uuid(), { maxLength: 3 }),
  narrative: text,
  data: data as fc.Arbitrary<unknown>,
  supersedes_id: fc.option(fc.uuid(), { nil: null }),
  correction_reason: fc.option(text, { nil: null }),
  prev_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

describe('canonical content of an entry', () => {
  it('is byte for byte what canonicalize makes of the whole entry, and refuses what it refuses', () => {
    fc.assert(fc.property(entry, (e) => {
      expect(outcome(() => canonicalContent(e))).toEqual(outcome(() => reference(e)));
    }), { numRuns: 3000 });
  });

  it('hashes a known entry to the hash it had before (stored chains still verify)', () => {
    const e: ChainedContent = {
      id: '3f0c1c9e-4a57-4c52-9d43-2a1f6c1d8e01', child_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7', seq: 3, kind: 'home_visit',
      occurred_at: new Date('2026-01-10T10:00:00Z'), recorded_at: new Date('2026-01-10T11:30:05.123Z'),
      author_id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', author_name: 'Test worker', author_role: 'social_worker',
      author_agency_id: '6fa459ea-ee8a-4ca4-894e-db77e160355e', via_token_id: null, concerns: [],
      narrative: 'Visited at home. Child seen in the living room with mother.',
      data: { child_seen: true, child_seen_alone: false, present: ['Mother'], announced: true },
      supersedes_id: null, correction_reason: null, prev_hash: 'a'.repeat(64),
    };
    expect(canonicalContent(e)).toBe(reference(e));
    // Computed with the generic canonicalize implementation this replaced.
    expect(entryHash(e)).toBe('3ba62f4a4675862486fcf0e6aaca9fd0dcc9bc4aa8c30985e4c93f2a2ae511e1');
  });

  it('seals with HMAC-SHA256 under the key as UTF-8 text, as stored seals were made (the key is prepared once)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), text, (key, message) => {
      expect(new Sealer(key).seal(message)).toBe(createHmac('sha256', key).update(message).digest('hex'));
    }), { numRuns: 300 });
  });
});
