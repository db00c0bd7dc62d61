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

/**
 * RFC 8785 canonical JSON, so the same entry always hashes the same on any database. The same bytes
 * as `canonicalize` of the whole object (test/record/canonical.test.ts proves it), but written with
 * the fixed keys already in canonical order: appending a batch hashes every entry, and the generic
 * walk (sorting keys, scanning every string in JavaScript) was most of that cost.
 */
export function canonicalContent(e: ChainedContent): string {
  const fields: [string, unknown][] = [
    ['"author_agency_id":', e.author_agency_id],
    ['"author_id":', e.author_id],
    ['"author_name":', e.author_name],
    ['"author_role":', e.author_role],
    ['"child_id":', e.child_id],
    ['"concerns":', e.concerns],
    ['"correction_reason":', e.correction_reason],
    ['"data":', e.data],
    ['"id":', e.id],
    ['"kind":', e.kind],
    ['"narrative":', e.narrative],
    ['"occurred_at":', e.occurred_at.toISOString()],
    ['"prev_hash":', e.prev_hash],
    ['"recorded_at":', e.recorded_at.toISOString()],
    ['"seq":', e.seq],
    ['"supersedes_id":', e.supersedes_id],
    ['"v":', 1],
    ['"via_token_id":', e.via_token_id],
  ];
  const parts: string[] = [];
  for (const [key, value] of fields) {
    const json = canonicalValue(value);
    if (json !== undefined) parts.push(key + json);
  }
  return `{${parts.join(',')}}`;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string the way `canonicalize` writes it (refusing lone surrogates), anything else through it. */
function canonicalValue(v: unknown): string | undefined {
  if (typeof v === 'string') {
    if (loneSurrogate.test(v)) throw new Error('Lone surrogate is not allowed');
    return JSON.stringify(v);
  }
  if (v === undefined || typeof v === 'symbol') return undefined;
  return canonicalize(v);
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
  /** The stored API JSON of the entry (migration 0012); absent for entries written before it. */
  view_text?: string | null;
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

/** The entry's hash, or undefined when its stored content cannot even be canonicalised (e.g. 1e400 in data). */
function hashOrNothing(l: StoredLink): string | undefined {
  try {
    return entryHash(l);
  } catch {
    return undefined;
  }
}

/**
 * Walks one child's chain in seq order and names the first entry that fails.
 * `links` must be ordered by seq as stored; `head` is the sealed newest link, and `checkpoint` the
 * newest sealed checkpoint (every state the head has held is kept, append-only), so that removing
 * the newest entries is found even when the head row was rolled back to an older sealed state.
 */
export function verifyChain(childId: string, links: StoredLink[], head: Head | undefined, sealer: Sealer, checkpoint?: Head): VerifyResult {
  childId = childId.toLowerCase();
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
    if (hashOrNothing(l) !== l.hash) return bad(l, 'modified', 'the content of this entry was changed after it was recorded');
    if (!sealer.check(`entry:${l.hash}`, l.seal)) return bad(l, 'bad_seal', 'this entry was not sealed by Sightline');
    if (l.view_text != null && l.view_text !== entryViewText(l)) return bad(l, 'modified', 'the copy of this entry that readers are shown was changed after it was recorded');
    prev = l.hash;
    expectedSeq++;
  }
  const fail = (problem: VerifyProblem, message: string): VerifyResult => ({ ok: false, entries: links.length, problem, message });
  const sealedHead = (h: Head) => sealer.check(`head:${childId}:${h.seq}:${h.hash}`, h.seal);
  if (checkpoint && !sealedHead(checkpoint)) return fail('head_tampered', 'a sealed checkpoint of this chain was altered');
  const removed = (why: string, sealedAt: number) =>
    fail('newest_entries_removed', `the chain ends at entry ${links.length} but was sealed at entry ${sealedAt}: the newest entries were removed${why}`);
  if (!head) {
    if (checkpoint && checkpoint.seq > links.length) return removed(' and the sealed head deleted', checkpoint.seq);
    return fail('head_missing', 'the sealed head of this chain is missing');
  }
  if (!sealedHead(head)) return fail('head_tampered', 'the sealed head was altered');
  if (checkpoint && checkpoint.seq > head.seq) {
    if (checkpoint.seq > links.length) return removed(' and the sealed head rolled back to an older state', checkpoint.seq);
    return fail('head_tampered', `the sealed head was rolled back from entry ${checkpoint.seq} to entry ${head.seq}`);
  }
  if (links.length > head.seq) {
    return bad(links[head.seq], 'inserted_or_reordered', 'this entry was added after the chain was last sealed');
  }
  if (head.seq !== links.length || head.hash !== prev) return removed('', head.seq);
  return { ok: true, entries: links.length };
}

const s = JSON.stringify;

/**
 * The stored, immutable part of an entry's API JSON (the shape of `EntryView`). It ends inside the
 * `author` object: the agency's current name and kind, and the newest correction, are appended when
 * read (chronology-json.ts). `data` is written in canonical key order so that the text computed from
 * the database's copy of the entry equals the text computed when it was appended.
 */
export function entryViewText(e: StoredLink): string {
  return (
    `{"id":${s(e.id)},"child_id":${s(e.child_id)},"seq":${e.seq},"kind":${s(e.kind)}` +
    `,"occurred_at":${s(e.occurred_at.toISOString())},"recorded_at":${s(e.recorded_at.toISOString())}` +
    `,"concerns":${s(e.concerns)},"narrative":${s(e.narrative)},"data":${canonicalize(e.data) ?? 'null'}` +
    `,"supersedes_id":${s(e.supersedes_id)},"correction_reason":${s(e.correction_reason)}` +
    `,"hash":${s(e.hash)},"prev_hash":${s(e.prev_hash)}` +
    `,"author":{"id":${s(e.author_id)},"name":${s(e.author_name)},"role":${s(e.author_role)}` +
    `,"agency_id":${s(e.author_agency_id)},"via_token_id":${s(e.via_token_id)}`
  );
}
