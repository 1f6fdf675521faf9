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
];
