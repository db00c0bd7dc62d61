/**
 * A million fictional children for `npm run bench -- lookup`, generated inside PostgreSQL with
 * generate_series (chunks of 100,000, with progress): names from skewed lists (the commonest surname
 * about 1.4% of children, as Smith is about 1.3% of people in England and Wales; the commonest given
 * name about 1.3%, twice Oliver's share of births), a date of birth in the last 18 years, a current
 * address at one of 70,000 postcodes, an NHS number from the 999 test range with a valid check
 * digit (the 9% of bases whose check digit would be 10 get none), and for 3% a previous surname.
 * Ids are made from the row number, so the benchmark can pick children without a scan.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';
import { log } from './support.js';

const GIVEN = ['Oliver', 'Amelia', 'Noah', 'Olivia', 'George', 'Isla', 'Leo', 'Ava', 'Arthur', 'Mia', 'Harry', 'Ivy', 'Oscar', 'Lily', 'Archie',
  'Isabella', 'Henry', 'Rosie', 'Theo', 'Sophia', 'Jack', 'Grace', 'Charlie', 'Freya', 'Finley', 'Willow', 'Freddie', 'Florence', 'Alfie',
  'Emily', 'Thomas', 'Ella', 'Jacob', 'Poppy', 'Tommy', 'Evie', 'Lucas', 'Elsie', 'William', 'Charlotte', 'Joshua', 'Evelyn', 'James',
  'Sienna', 'Samuel', 'Daisy', 'Max', 'Sofia', 'Muhammad', 'Aria', 'Isaac', 'Phoebe', 'Teddy', 'Ruby', 'Alexander', 'Isabelle', 'Edward',
  'Matilda', 'Joseph', 'Harper', 'Jude', 'Emilia', 'Reggie', 'Hallie', 'Ronnie', 'Maya', 'Louie', 'Sophie', 'Ethan', 'Luna', 'Elijah',
  'Millie', 'Harrison', 'Eliza', 'Albie', 'Mila', 'Mason', 'Bonnie', 'Sonny', 'Jessica', 'Roman', 'Lottie', 'Hugo', 'Layla', 'Rory',
  'Alice', 'Dylan', 'Maisie', 'Riley', 'Esme', 'Jaxon', 'Lucy', 'Ezra', 'Penelope', 'Harvey', 'Chloe', 'Ollie', 'Zara', 'Toby', 'Nancy',
  'Ralph', 'Eva', 'Reuben', 'Imogen', 'Frankie', 'Olive', 'Kai', 'Harriet', 'Otis', 'Beatrice', 'Caleb', 'Margot', 'Stanley', 'Thea',
  'Ibrahim', 'Aisha', 'Yusuf', 'Fatima', 'Zain', 'Maryam'];
const SURNAMES = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson',
  'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin',
  'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan', 'Scott',
  'Watson', 'Davis', 'Parker', 'James', 'Bennett', 'Young', 'Phillips', 'Richardson', 'Mitchell', 'Bailey', 'Carter', 'Cook', 'Singh',
  'Shaw', 'Bell', 'Collins', 'Morgan', 'Kelly', 'Begum', 'Miller', 'Cox', 'Hussain', 'Marshall', 'Simpson', 'Price', 'Anderson', 'Adams',
  'Wilkinson', 'Ali', 'Ahmed', 'Foster', 'Ellis', 'Murphy', 'Chapman', 'Mason', 'Gray', 'Richards', 'Webb', 'Griffiths', 'Hunt', 'Palmer',
  'Campbell', 'Holmes', 'Mills', 'Rogers', 'Barnes', 'Knight', 'Matthews', 'Barker', 'Powell', 'Stevens', 'Kaur', 'Fisher', 'Butler',
  'Dixon', 'Russell', 'Harvey', 'Pearson', 'Graham'];
// The long tail: 40 x 25 made-up surnames, evenly spread.
const STEMS = ['Ash', 'Black', 'Brad', 'Brom', 'Cald', 'Carr', 'Chad', 'Crom', 'Dal', 'Dun', 'Elm', 'Fair', 'Farn', 'Gold', 'Green', 'Hal',
  'Haw', 'Hay', 'Holl', 'Kirk', 'Lang', 'Lind', 'Mar', 'Mel', 'Nor', 'Oak', 'Pen', 'Ray', 'Red', 'Rush', 'Sal', 'Shel', 'Stan', 'Thorn',
  'Wake', 'Wal', 'Wel', 'Whit', 'Win', 'Wor'];
const ENDS = ['ford', 'ley', 'ton', 'wood', 'field', 'by', 'worth', 'ham', 'well', 'more', 'bridge', 'croft', 'dale', 'hurst', 'stone',
  'wick', 'combe', 'brook', 'gate', 'land', 'mead', 'shaw', 'thorpe', 'reed', 'ridge'];
const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Mill Road', 'Park Avenue', 'Victoria Road', 'Green Lane', 'Manor Way',
  'Queens Road', 'The Crescent', 'Orchard Close', 'Elm Grove', 'Larch Close', 'Sorrel Lane', 'Beech Drive'];
const UNIT = 'ABDEFGHJLNPQRSTUWXYZ';

export const personId = (g: number) => `00000001-0000-4000-8000-${g.toString(16).padStart(12, '0')}`;
const idSql = (prefix: string) => sql.raw(`('${prefix}-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid`);
const arr = (xs: string[]) => sql`${xs}::text[]`;

/** Inserts `total` children; returns how many got an NHS number. */
export async function generate(db: Kysely<DB>, total: number, chunk = 100_000): Promise<{ nhsNumbers: number; previousNames: number }> {
  await sql`SELECT setseed(0.2026)`.execute(db);
  const tail = STEMS.flatMap((s) => ENDS.map((e) => s + e));
  let nhsNumbers = 0;
  let previousNames = 0;
  for (let lo = 1; lo <= total; lo += chunk) {
    const hi = Math.min(total, lo + chunk - 1);
    await db.transaction().execute(async (tx) => {
      await sql`INSERT INTO persons (id, kind, sex, date_of_birth)
        SELECT ${idSql('00000001')}, 'child', CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END, date '2008-12-01' + floor(random() * 6570)::int
        FROM generate_series(${lo}::int, ${hi}::int) g`.execute(tx);
      // Skewed picks: the first names in each list are the most common (index = n * u^1.1 for given
      // names; for surnames 30% from the common list with n * u^1.5, the rest from the long tail).
      await sql`INSERT INTO person_names (id, person_id, given_name, family_name, valid_from)
        SELECT ${idSql('00000002')}, ${idSql('00000001')},
          (${arr(GIVEN)})[1 + floor(${GIVEN.length} * power(random(), 1.1))::int],
          CASE WHEN random() < 0.3 THEN (${arr(SURNAMES)})[1 + floor(${SURNAMES.length} * power(random(), 1.5))::int]
               ELSE (${arr(tail)})[1 + floor(random() * ${tail.length})::int] END,
          date '2020-01-01'
        FROM generate_series(${lo}::int, ${hi}::int) g`.execute(tx);
      await sql`INSERT INTO person_addresses (id, person_id, line1, postcode, valid_from)
        SELECT ${idSql('00000003')}, ${idSql('00000001')}, (1 + floor(random() * 120)::int) || ' ' || (${arr(STREETS)})[1 + floor(random() * ${STREETS.length})::int],
          'NM' || (1 + p % 90) || ' ' || ((p / 90) % 10) || substr(${UNIT}, 1 + (p / 900) / 20, 1) || substr(${UNIT}, 1 + (p / 900) % 20, 1),
          date '2020-01-01'
        FROM (SELECT g, floor(random() * 70000)::int AS p FROM generate_series(${lo}::int, ${hi}::int) g) x`.execute(tx);
      // 999 followed by six digits of the row number, then the modulus 11 check digit (none when it would be 10).
      const nhs = await sql`INSERT INTO person_identifiers (id, person_id, scheme, value)
        SELECT ${idSql('00000004')}, ${idSql('00000001')}, 'nhs_number', s || (CASE WHEN c = 11 THEN 0 ELSE c END)
        FROM (SELECT g, s, 11 - ((substr(s, 1, 1)::int * 10 + substr(s, 2, 1)::int * 9 + substr(s, 3, 1)::int * 8 + substr(s, 4, 1)::int * 7
              + substr(s, 5, 1)::int * 6 + substr(s, 6, 1)::int * 5 + substr(s, 7, 1)::int * 4 + substr(s, 8, 1)::int * 3 + substr(s, 9, 1)::int * 2) % 11) AS c
              FROM (SELECT g, (999000000 + g - 1)::text AS s FROM generate_series(${lo}::int, least(${hi}::int, 1000000)) g) b) x
        WHERE c <> 10`.execute(tx);
      nhsNumbers += Number(nhs.numAffectedRows ?? 0);
      const prev = await sql`INSERT INTO person_names (id, person_id, given_name, family_name, name_type, valid_from, valid_to)
        SELECT ${idSql('00000005')}, ${idSql('00000001')}, n.given_name, (${arr(tail)})[1 + floor(random() * ${tail.length})::int], 'previous', date '2015-01-01', date '2019-12-31'
        FROM generate_series(${lo}::int, ${hi}::int) g JOIN person_names n ON n.id = ${idSql('00000002')}
        WHERE random() < 0.03`.execute(tx);
      previousNames += Number(prev.numAffectedRows ?? 0);
    });
    log(`generated ${hi.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} children`);
  }
  // As a database in use would be after autovacuum: statistics, and the visibility map for index-only scans.
  log('vacuuming and analysing');
  await sql`VACUUM ANALYZE`.execute(db);
  return { nhsNumbers, previousNames };
}
