/**
 * Numbered, append-only migrations, run at open inside one transaction each. A released migration
 * is never edited: a change to the model adds a new one, and a test keeps the migrated schema in
 * step with the model's column lists (src/model/columns.ts).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "canonical model: sources, transactions, accounts, parties, quarantine, labels",
    sql: `
CREATE TABLE source_files (
  sha256 VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, format VARCHAR NOT NULL, bytes BIGINT NOT NULL,
  rows BIGINT NOT NULL, accepted BIGINT NOT NULL, rejected BIGINT NOT NULL, duplicates BIGINT NOT NULL,
  ingested_at TIMESTAMP NOT NULL, agency VARCHAR, legal_basis VARCHAR, tags VARCHAR[] NOT NULL,
  source_name VARCHAR NOT NULL, fx_version VARCHAR
);
CREATE TABLE transactions (
  id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, from_account VARCHAR, to_account VARCHAR,
  amount VARCHAR NOT NULL, currency VARCHAR NOT NULL, amount_received VARCHAR, currency_received VARCHAR,
  amount_usd DOUBLE NOT NULL, fx_rate DOUBLE NOT NULL, fx_date DATE NOT NULL, channel VARCHAR NOT NULL,
  mcc VARCHAR, merchant VARCHAR, city VARCHAR, region VARCHAR, country VARCHAR, counterparty_country VARCHAR,
  branch VARCHAR, conductor VARCHAR, memo VARCHAR,
  source_file VARCHAR NOT NULL, source_line BIGINT NOT NULL
);
CREATE TABLE truth_labels (
  "transaction" VARCHAR NOT NULL, label VARCHAR NOT NULL, source_file VARCHAR NOT NULL, source_line BIGINT NOT NULL
);
CREATE TABLE accounts (
  key VARCHAR NOT NULL, bank VARCHAR, number VARCHAR NOT NULL, kind VARCHAR, opened DATE,
  home_city VARCHAR, home_region VARCHAR, home_country VARCHAR
);
CREATE TABLE parties (
  id VARCHAR NOT NULL, source_record_id VARCHAR, source_name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
  name VARCHAR, given_name VARCHAR, middle_name VARCHAR, surname VARCHAR,
  birth_date DATE, birth_date_raw VARCHAR, address VARCHAR, city VARCHAR, postcode VARCHAR, region VARCHAR,
  country VARCHAR, phone VARCHAR, email VARCHAR, national_id VARCHAR, tax_id VARCHAR, passport VARCHAR,
  account VARCHAR, source_file VARCHAR NOT NULL, source_line BIGINT NOT NULL
);
CREATE TABLE quarantine (
  file VARCHAR NOT NULL, file_name VARCHAR NOT NULL, line BIGINT NOT NULL, field VARCHAR,
  reason VARCHAR NOT NULL, raw VARCHAR NOT NULL
);`,
  },
  {
    version: 2,
    name: "file fingerprints: re-ingest of an unchanged file without hashing it again",
    sql: `
CREATE TABLE file_fingerprints (
  path VARCHAR NOT NULL, device VARCHAR NOT NULL, inode VARCHAR NOT NULL, bytes BIGINT NOT NULL,
  mtime_ns VARCHAR NOT NULL, ctime_ns VARCHAR NOT NULL, sha256 VARCHAR NOT NULL
);`,
  },
  {
    version: 3,
    name: "transaction rows: derived ids computed, channel as an enum, source file by number",
    // Each text column of 5M rows costs DuckDB about a second to compress and write; three of the
    // transaction's never need storing as text. A derived id is a function of the file and line,
    // the channel is a closed vocabulary, and the file's SHA-256 is the same on every row of it.
    // The view \`transactions\` shows the canonical model (DESIGN §2) over the stored rows.
    sql: `
CREATE TYPE channel AS ENUM ('cash', 'ach', 'wire', 'check', 'card', 'p2p', 'msb', 'crypto', 'prepaid',
  'money_order', 'exchange', 'internal', 'other');
CREATE TABLE file_numbers (file_no INTEGER PRIMARY KEY, sha256 VARCHAR NOT NULL UNIQUE);
INSERT INTO file_numbers
SELECT CAST(row_number() OVER (ORDER BY first_ingested, sha256) AS INTEGER), sha256 FROM (
  SELECT t.source_file AS sha256, min(f.ingested_at) AS first_ingested
  FROM (SELECT DISTINCT source_file FROM transactions) t LEFT JOIN source_files f ON f.sha256 = t.source_file
  GROUP BY t.source_file
);
CREATE TABLE transaction_rows (
  source_id VARCHAR, ts TIMESTAMP NOT NULL, from_account VARCHAR, to_account VARCHAR,
  amount VARCHAR NOT NULL, currency VARCHAR NOT NULL, amount_received VARCHAR, currency_received VARCHAR,
  amount_usd DOUBLE NOT NULL, fx_rate DOUBLE NOT NULL, fx_date DATE NOT NULL, channel channel NOT NULL,
  mcc VARCHAR, merchant VARCHAR, city VARCHAR, region VARCHAR, country VARCHAR, counterparty_country VARCHAR,
  branch VARCHAR, conductor VARCHAR, memo VARCHAR,
  file_no INTEGER NOT NULL, source_line BIGINT NOT NULL
);
INSERT INTO transaction_rows
SELECT CASE WHEN t.id <> left(t.source_file, 12) || ':' || t.source_line THEN t.id END,
  t.ts, t.from_account, t.to_account, t.amount, t.currency, t.amount_received, t.currency_received,
  t.amount_usd, t.fx_rate, t.fx_date, CAST(t.channel AS channel), t.mcc, t.merchant, t.city, t.region,
  t.country, t.counterparty_country, t.branch, t.conductor, t.memo, n.file_no, t.source_line
FROM transactions t JOIN file_numbers n ON n.sha256 = t.source_file;
DROP TABLE transactions;
CREATE VIEW transactions AS
SELECT coalesce(r.source_id, left(n.sha256, 12) || ':' || r.source_line) AS id,
  r.ts, r.from_account, r.to_account, r.amount, r.currency, r.amount_received, r.currency_received,
  r.amount_usd, r.fx_rate, r.fx_date, CAST(r.channel AS VARCHAR) AS channel, r.mcc, r.merchant, r.city,
  r.region, r.country, r.counterparty_country, r.branch, r.conductor, r.memo,
  n.sha256 AS source_file, r.source_line
FROM transaction_rows r JOIN file_numbers n ON n.file_no = r.file_no;`,
  },
  {
    version: 4,
    name: "accounts by number, and a transaction's optional details apart",
    // Account keys were the two costliest text columns of a transaction row, written once per row
    // and joined back to accounts on every graph build. Each account now has a number, assigned
    // once and never changed, and a transaction row holds the two numbers; the view still shows
    // the keys. Keys a row names that were never registered as accounts are registered first.
    // The nine optional details (merchant, place, branch, memo...) move to their own table, which
    // holds a row only for a transaction that has one: DuckDB spends a quarter of a second per
    // five million rows writing even an empty text column, and most sources fill none of them.
    sql: `
INSERT INTO accounts (key, bank, number)
SELECT key,
  CASE WHEN contains(key, ':') THEN split_part(key, ':', 1) END,
  CASE WHEN contains(key, ':') THEN substr(key, strpos(key, ':') + 1) ELSE key END
FROM (SELECT from_account AS key FROM transaction_rows UNION SELECT to_account FROM transaction_rows) k
WHERE key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.key = k.key);
CREATE TABLE accounts_numbered (
  acc_no INTEGER NOT NULL, key VARCHAR NOT NULL, bank VARCHAR, number VARCHAR NOT NULL, kind VARCHAR,
  opened DATE, home_city VARCHAR, home_region VARCHAR, home_country VARCHAR
);
INSERT INTO accounts_numbered
SELECT CAST(row_number() OVER (ORDER BY key) AS INTEGER), key, bank, number, kind, opened, home_city,
  home_region, home_country
FROM accounts;
CREATE TABLE transaction_rows_numbered (
  source_id VARCHAR, ts TIMESTAMP NOT NULL, from_acc INTEGER, to_acc INTEGER,
  amount VARCHAR NOT NULL, currency VARCHAR NOT NULL, amount_received VARCHAR, currency_received VARCHAR,
  amount_usd DOUBLE NOT NULL, fx_rate DOUBLE NOT NULL, fx_date DATE NOT NULL, channel channel NOT NULL,
  file_no INTEGER NOT NULL, source_line BIGINT NOT NULL
);
INSERT INTO transaction_rows_numbered
SELECT r.source_id, r.ts, fa.acc_no, ta.acc_no, r.amount, r.currency, r.amount_received,
  r.currency_received, r.amount_usd, r.fx_rate, r.fx_date, r.channel, r.file_no, r.source_line
FROM transaction_rows r
LEFT JOIN accounts_numbered fa ON fa.key = r.from_account
LEFT JOIN accounts_numbered ta ON ta.key = r.to_account;
CREATE TABLE transaction_details (
  file_no INTEGER NOT NULL, source_line BIGINT NOT NULL,
  mcc VARCHAR, merchant VARCHAR, city VARCHAR, region VARCHAR, country VARCHAR, counterparty_country VARCHAR,
  branch VARCHAR, conductor VARCHAR, memo VARCHAR
);
INSERT INTO transaction_details
SELECT file_no, source_line, mcc, merchant, city, region, country, counterparty_country, branch,
  conductor, memo
FROM transaction_rows
WHERE coalesce(mcc, merchant, city, region, country, counterparty_country, branch, conductor, memo) IS NOT NULL;
DROP VIEW transactions;
DROP TABLE transaction_rows;
DROP TABLE accounts;
ALTER TABLE transaction_rows_numbered RENAME TO transaction_rows;
ALTER TABLE accounts_numbered RENAME TO accounts;
CREATE VIEW transactions AS
SELECT coalesce(r.source_id, left(n.sha256, 12) || ':' || r.source_line) AS id,
  r.ts, fa.key AS from_account, ta.key AS to_account, r.amount, r.currency, r.amount_received,
  r.currency_received, r.amount_usd, r.fx_rate, r.fx_date, CAST(r.channel AS VARCHAR) AS channel, d.mcc,
  d.merchant, d.city, d.region, d.country, d.counterparty_country, d.branch, d.conductor, d.memo,
  n.sha256 AS source_file, r.source_line
FROM transaction_rows r JOIN file_numbers n ON n.file_no = r.file_no
LEFT JOIN accounts fa ON fa.acc_no = r.from_acc
LEFT JOIN accounts ta ON ta.acc_no = r.to_acc
LEFT JOIN transaction_details d ON d.file_no = r.file_no AND d.source_line = r.source_line;`,
  },
  {
    version: 5,
    name: "alerts",
    // An alert is kept as its contract record (DESIGN §4), with the columns that find it again:
    // a later detect run extends the alert about the same typology, account and period.
    sql: `
CREATE TABLE alerts (
  id VARCHAR PRIMARY KEY, typology VARCHAR NOT NULL, score DOUBLE NOT NULL, severity VARCHAR NOT NULL,
  status VARCHAR NOT NULL, primary_account VARCHAR NOT NULL, window_from TIMESTAMP NOT NULL,
  window_to TIMESTAMP NOT NULL, record VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);`,
  },
  {
    version: 6,
    name: "entity resolution: entities, members, scored links, events, overrides, runs",
    // A party belongs to one entity; the links are the candidate pairs the model scored as possible
    // matches, kept so that an incremental run re-clusters only what new parties touch and so that
    // an analyst can review near misses. Why two parties are linked is recomputed from the stored
    // model and their records (`entity explain`), not stored per link. Events and overrides are
    // append-only: they are the history an analyst and a court may ask for.
    sql: `
CREATE TABLE entities (
  id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, display_name VARCHAR NOT NULL, members INTEGER NOT NULL,
  created_run INTEGER NOT NULL, updated_run INTEGER NOT NULL
);
CREATE TABLE entity_members (party_id VARCHAR PRIMARY KEY, entity_id VARCHAR NOT NULL);
CREATE TABLE entity_links (
  party_a VARCHAR NOT NULL, party_b VARCHAR NOT NULL, weight DOUBLE NOT NULL, probability DOUBLE NOT NULL,
  status VARCHAR NOT NULL, note VARCHAR
);
CREATE TABLE resolution_runs (
  run INTEGER PRIMARY KEY, mode VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, parties INTEGER NOT NULL,
  new_parties INTEGER NOT NULL, candidate_pairs BIGINT NOT NULL, entities INTEGER NOT NULL,
  model VARCHAR NOT NULL, stats VARCHAR NOT NULL
);
CREATE TABLE resolution_events (
  run INTEGER NOT NULL, seq INTEGER NOT NULL, kind VARCHAR NOT NULL, entity_id VARCHAR NOT NULL,
  related VARCHAR[] NOT NULL, members INTEGER NOT NULL
);
CREATE TABLE resolution_overrides (
  id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, record VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL
);
CREATE VIEW account_entities AS
SELECT DISTINCT p.account, m.entity_id FROM parties p JOIN entity_members m ON m.party_id = p.id
WHERE p.account IS NOT NULL;`,
  },
  {
    version: 7,
    name: "incremental resolution: blocking keys and link components per resolved party",
    // What an incremental `resolve` needs so that it does not read every party again: each
    // resolved party's blocking keys (rule index and key; the run's stats name the rules' version),
    // which find a new party's candidates and count block sizes in SQL, and the component it lies
    // in (over links at or above the threshold and must-links, named by its smallest party id),
    // which tells what must be re-clustered with it. Written by `resolve` with the entities.
    sql: `
CREATE TABLE resolution_keys (party_id VARCHAR NOT NULL, rule UTINYINT NOT NULL, key VARCHAR NOT NULL);
CREATE TABLE resolution_components (party_id VARCHAR NOT NULL, component VARCHAR NOT NULL);`,
  },
];
