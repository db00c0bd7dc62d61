import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The fields of an entry that its hash covers. Everything a reader relies on is here. */
export interface ChainedContent {
  id: string;
  child_id: string;
  seq: number;
  kind: string;
  occurred_at: Date;
  recorded_at: Date;
  author_id: string | null;
  author_name: string;
  author_role: string;
  author_agency_id: string;
  via_token_id: string | null;
  concerns: string[];
  narrative: string;
  data: unknown;
  supersedes_id: string | null;
  correction_reason: string | null;
  prev_hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** RFC 8785 canonical JSON, so the same entry always hashes the same on any database. */
export function canonicalContent(e: ChainedContent): string {
  const out = canonicalize({
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
  if (out === undefined) throw new Error('entry cannot be canonicalised');
  return out;
}

export function entryHash(e: ChainedContent): string {
  return createHash('sha256').update(canonicalContent(e)).digest('hex');
}

/** Seals are HMACs under a key held outside the database: rewriting a chain needs the key too. */
export class Sealer {
  constructor(private readonly key: string) {}
  seal(message: string): string {
    return createHmac('sha256', this.key).update(message).digest('hex');
  }
  check(message: string, seal: string): boolean {
    const want = Buffer.from(this.seal(message), 'hex');
    const got = Buffer.from(seal, 'hex');
    return want.length === got.length && timingSafeEqual(want, got);
  }
  entrySeal(hash: string) {
    return this.seal(`entry:${hash}`);
  }
  headSeal(childId: string, seq: number, hash: string) {
    return this.seal(`head:${childId}:${seq}:${hash}`);
  }
}

export interface StoredLink extends ChainedContent {
  hash: string;
  seal: string;
}
export interface Head {
  seq: number;
  hash: string;
  seal: string;
}

export type VerifyProblem =
  | 'modified'
  | 'missing_before'
  | 'inserted_or_reordered'
  | 'broken_link'
  | 'bad_seal'
  | 'newest_entries_removed'
  | 'head_missing'
  | 'head_tampered';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  problem?: VerifyProblem;
  /** The first entry that fails, when the failure is at an entry. */
  firstBadEntryId?: string;
  firstBadSeq?: number;
  message?: string;
}

/**
 * Walks one child's chain in seq order and names the first entry that fails.
 * `links` must be ordered by seq as stored; `head` is the sealed newest link.
 */
export function verifyChain(childId: string, links: StoredLink[], head: Head | undefined, sealer: Sealer): VerifyResult {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  const bad = (l: StoredLink, problem: VerifyProblem, message: string): VerifyResult => ({
    ok: false,
    entries: links.length,
    problem,
    firstBadEntryId: l.id,
    firstBadSeq: l.seq,
    message,
  });
  for (const l of links) {
    if (l.child_id !== childId) return bad(l, 'inserted_or_reordered', `entry ${l.id} belongs to another child`);
    if (l.seq > expectedSeq) return bad(l, 'missing_before', `entries ${expectedSeq}..${l.seq - 1} are missing before this entry`);
    if (l.seq < expectedSeq) return bad(l, 'inserted_or_reordered', `entry number ${l.seq} appears out of order`);
    if (l.prev_hash !== prev) return bad(l, 'broken_link', 'this entry does not follow the entry before it');
    if (entryHash(l) !== l.hash) return bad(l, 'modified', 'the content of this entry was changed after it was recorded');
    if (!sealer.check(`entry:${l.hash}`, l.seal)) return bad(l, 'bad_seal', 'this entry was not sealed by Sightline');
    prev = l.hash;
    expectedSeq++;
  }
  const fail = (problem: VerifyProblem, message: string): VerifyResult => ({ ok: false, entries: links.length, problem, message });
  if (!head) return fail('head_missing', 'the sealed head of this chain is missing');
  if (!sealer.check(`head:${childId}:${head.seq}:${head.hash}`, head.seal)) return fail('head_tampered', 'the sealed head was altered');
  if (links.length > head.seq) {
    return bad(links[head.seq], 'inserted_or_reordered', 'this entry was added after the chain was last sealed');
  }
  if (head.seq !== links.length || head.hash !== prev) {
    return fail(
      'newest_entries_removed',
      `the chain ends at entry ${links.length} but was sealed at entry ${head.seq}: the newest entries were removed`,
    );
  }
  return { ok: true, entries: links.length };
}
