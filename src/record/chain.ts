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
 * as `canonicalize` of the whole object (test/record/canonical.test.ts proves it), refusing what it
 * refuses in the same key order, but written with the fixed keys already in canonical order from
 * each field's JSON text: the generic walk (sorting keys, scanning every string in JavaScript) was
 * most of the cost of hashing a batch.
 */
export function canonicalContent(e: ChainedContent): string {
  return canonicalText(checkedFields(e));
}

export function entryHash(e: ChainedContent): string {
  return hash('sha256', canonicalContent(e), 'hex');
}

/** An entry's hash and its stored entry JSON (`entryViewText`), each field escaped once for both. */
export function hashAndView(e: Omit<StoredLink, 'hash'>): { hash: string; view: string } {
  const f = checkedFields(e);
  const h = hash('sha256', canonicalText(f), 'hex');
  return { hash: h, view: viewText(f, h) };
}

/** Each content field as JSON text, written once for both the canonical content and the stored entry JSON. */
interface Fields {
  agency: string; author: string; name: string; role: string; child: string; concerns: string; reason: string;
  data: string | undefined; id: string; kind: string; narrative: string; occurred: string; prev: string;
  recorded: string; seq: string; supersedes: string; token: string;
}

const q = JSON.stringify;

function fields(e: ChainedContent, data: string | undefined, occurred = e.occurred_at.toISOString(), recorded = e.recorded_at.toISOString()): Fields {
  return {
    agency: q(e.author_agency_id), author: q(e.author_id), name: q(e.author_name), role: q(e.author_role), child: q(e.child_id),
    concerns: q(e.concerns), reason: q(e.correction_reason), data, id: q(e.id), kind: q(e.kind), narrative: q(e.narrative),
    occurred: `"${occurred}"`, prev: q(e.prev_hash), recorded: `"${recorded}"`, seq: q(e.seq),
    supersedes: q(e.supersedes_id), token: q(e.via_token_id),
  };
}

/** The fields, after refusing what `canonicalize` refuses, key by key in its order (JSON.stringify would escape or write null). */
function checkedFields(e: ChainedContent): Fields {
  const occurred = e.occurred_at.toISOString();
  const recorded = e.recorded_at.toISOString();
  wellFormed(e.author_agency_id);
  wellFormed(e.author_id);
  wellFormed(e.author_name);
  wellFormed(e.author_role);
  wellFormed(e.child_id);
  for (const c of e.concerns) wellFormed(c);
  wellFormed(e.correction_reason);
  const data = canonicalize(e.data);
  wellFormed(e.id);
  wellFormed(e.kind);
  wellFormed(e.narrative);
  wellFormed(e.prev_hash);
  finite(e.seq);
  wellFormed(e.supersedes_id);
  wellFormed(e.via_token_id);
  return fields(e, data, occurred, recorded);
}

function canonicalText(f: Fields): string {
  return `{"author_agency_id":${f.agency},"author_id":${f.author},"author_name":${f.name},"author_role":${f.role},"child_id":${f.child},` +
    `"concerns":${f.concerns},"correction_reason":${f.reason},${f.data === undefined ? '' : `"data":${f.data},`}"id":${f.id},"kind":${f.kind},` +
    `"narrative":${f.narrative},"occurred_at":${f.occurred},"prev_hash":${f.prev},"recorded_at":${f.recorded},"seq":${f.seq},` +
    `"supersedes_id":${f.supersedes},"v":1,"via_token_id":${f.token}}`;
}

/** Refuses a string with a lone surrogate, as `canonicalize` does. */
function wellFormed(v: string | null): void {
  // String#isWellFormed (Node 20) is true exactly when a string has no lone surrogate.
  if (typeof v === 'string' && !(v as string & { isWellFormed(): boolean }).isWellFormed()) throw new Error('Lone surrogate is not allowed');
}

/** Refuses NaN and infinities, as `canonicalize` does. */
function finite(n: number): void {
  if (typeof n !== 'number') return;
  if (Number.isNaN(n)) throw new Error('NaN is not allowed');
  if (!Number.isFinite(n)) throw new Error('Infinity is not allowed');
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
  return viewText(fields(e, canonicalize(e.data)), e.hash);
}

function viewText(f: Fields, hash: string): string {
  return `${LIST_TEXT_PREFIX}${f.seq},"id":${f.id},"kind":${f.kind},"occurred_at":${f.occurred},"recorded_at":${f.recorded},` +
    `"author":{"id":${f.author},"name":${f.name},"role":${f.role},"agency_id":${f.agency},"via_token_id":${f.token}},` +
    `"concerns":${f.concerns},"narrative":${f.narrative},"data":${f.data ?? 'null'},"supersedes_id":${f.supersedes},` +
    `"correction_reason":${f.reason},"hash":${q(hash)},"superseded_by":null}`;
}

/**
 * Version 1 of the stored entry JSON (migration 0012 until 2026-11-27), kept so that entries stored
 * then still verify: the old API shape, ending inside the `author` object. Reads no longer use it.
 */
export function entryViewTextV1(e: StoredLink): string {
  const f = fragments(e);
  return `{"id":${s(e.id)},"child_id":${s(e.child_id)},"seq":${e.seq},"kind":${s(e.kind)},${f.times},${f.content},${f.correction},"hash":${s(e.hash)},"prev_hash":${s(e.prev_hash)},${f.author}`;
}

/** The parts of version 1 (`author` left open). */
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
