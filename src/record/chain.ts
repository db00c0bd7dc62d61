import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';
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
  // Appended field by field, with no array of pairs (nor closure) made for every entry hashed.
  let out = field('', '"author_agency_id":', e.author_agency_id);
  out = field(out, '"author_id":', e.author_id);
  out = field(out, '"author_name":', e.author_name);
  out = field(out, '"author_role":', e.author_role);
  out = field(out, '"child_id":', e.child_id);
  out = field(out, '"concerns":', e.concerns);
  out = field(out, '"correction_reason":', e.correction_reason);
  out = field(out, '"data":', e.data);
  out = field(out, '"id":', e.id);
  out = field(out, '"kind":', e.kind);
  out = field(out, '"narrative":', e.narrative);
  out = field(out, '"occurred_at":', e.occurred_at.toISOString());
  out = field(out, '"prev_hash":', e.prev_hash);
  out = field(out, '"recorded_at":', e.recorded_at.toISOString());
  out = field(out, '"seq":', e.seq);
  out = field(out, '"supersedes_id":', e.supersedes_id);
  out = field(out, '"v":', 1);
  out = field(out, '"via_token_id":', e.via_token_id);
  return `{${out}}`;
}

/** `out` with `key` and the value's canonical JSON appended, or as it was when the value is left out. */
function field(out: string, key: string, value: unknown): string {
  const json = canonicalValue(value);
  return json === undefined ? out : `${out}${out ? ',' : ''}${key}${json}`;
}

// String#isWellFormed (Node 20) is true exactly when a string has no lone surrogate; the regex it
// replaces scanned every narrative in JavaScript and was a large part of hashing a batch.
const wellFormed = (v: string): boolean => (v as string & { isWellFormed(): boolean }).isWellFormed();

/** A string the way `canonicalize` writes it (refusing lone surrogates), anything else through it. */
function canonicalValue(v: unknown): string | undefined {
  if (typeof v === 'string') {
    if (!wellFormed(v)) throw new Error('Lone surrogate is not allowed');
    return JSON.stringify(v);
  }
  if (v === undefined || typeof v === 'symbol') return undefined;
  return canonicalize(v);
}

export function entryHash(e: ChainedContent): string {
  return hash('sha256', canonicalContent(e), 'hex');
}

/** Seals are HMACs under a key held outside the database: rewriting a chain needs the key too. */
export class Sealer {
  // A key object is prepared once; a string key would be converted again for every seal.
  private readonly key: KeyObject;
  constructor(key: string) {
    this.key = createSecretKey(Buffer.from(key, 'utf8'));
  }
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
    if (l.view_text != null && !storedViewMatches(l, l.view_text)) return bad(l, 'modified', 'the copy of this entry that readers are shown was changed after it was recorded');
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
 * How a stored entry JSON of the list form begins (version 2, written from 2026-11-27). Version 1
 * (migration 0012) began `{"id":` and is still verified as it was written; see `storedViewMatches`.
 */
export const LIST_TEXT_PREFIX = '{"seq":';

/**
 * The stored, immutable JSON of an entry in the chronology's list form (version 2): the whole entry
 * as `GET /api/children/:id/entries` lists it, ending `"superseded_by":null}`, which the read replaces
 * with the newest correction's id when there is one (chronology-json.ts). No `child_id` (it is in the
 * URL), no `prev_hash` (the integrity endpoint proves the links) and no agency names (they are the
 * agencies' current names, listed once per answer). `data` is written in canonical key order so that
 * the text computed from the database's copy of the entry equals the text computed when it was appended.
 */
export function entryViewText(e: StoredLink): string {
  const f = fragments(e);
  return `${LIST_TEXT_PREFIX}${e.seq},"id":${s(e.id)},"kind":${s(e.kind)},${f.times},${f.author}},${f.content},${f.correction},"hash":${s(e.hash)},"superseded_by":null}`;
}

/**
 * Version 1 of the stored entry JSON (migration 0012 until 2026-11-27), kept so that entries stored
 * then still verify: the old API shape, ending inside the `author` object. Reads no longer use it.
 */
export function entryViewTextV1(e: StoredLink): string {
  const f = fragments(e);
  return `{"id":${s(e.id)},"child_id":${s(e.child_id)},"seq":${e.seq},"kind":${s(e.kind)},${f.times},${f.content},${f.correction},"hash":${s(e.hash)},"prev_hash":${s(e.prev_hash)},${f.author}`;
}

/** The parts both versions write alike (`author` left open). */
function fragments(e: StoredLink) {
  return {
    times: `"occurred_at":${s(e.occurred_at.toISOString())},"recorded_at":${s(e.recorded_at.toISOString())}`,
    author: `"author":{"id":${s(e.author_id)},"name":${s(e.author_name)},"role":${s(e.author_role)},"agency_id":${s(e.author_agency_id)},"via_token_id":${s(e.via_token_id)}`,
    content: `"concerns":${s(e.concerns)},"narrative":${s(e.narrative)},"data":${canonicalize(e.data) ?? 'null'}`,
    correction: `"supersedes_id":${s(e.supersedes_id)},"correction_reason":${s(e.correction_reason)}`,
  };
}

/**
 * Whether an entry's stored JSON is exactly what its hashed columns give, in the version it says it
 * is (by how it begins). A copy that claims the other version fails unless it is that version's exact
 * text, which is just as faithful to the hashed columns.
 */
export function storedViewMatches(e: StoredLink, stored: string): boolean {
  return stored === (stored.startsWith(LIST_TEXT_PREFIX) ? entryViewText(e) : entryViewTextV1(e));
}
