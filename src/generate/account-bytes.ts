import { csvField } from "./file-sink.js";
import type { Account, Organisation, World } from "./world.js";

/**
 * What the transaction lines say of each account, encoded once into flat byte arrays. Every line
 * names two accounts drawn from the whole world: as an object per account with its own byte
 * arrays, each lookup was several cache misses, the writer's largest single cost. Here an
 * account's `bank,number` sits in one fixed-size record (one cache line), and plain typed arrays
 * cross into the writer's thread without a copy (transferred).
 */
export interface AccountBytes {
  /**
   * Per account, `recordBytes` bytes: the lengths of `bank,number`, of its bank id and of its
   * foreign country (0 for a domestic account), then `bank,number` and the country.
   */
  records: Uint8Array;
  /** A power of two: in a page-aligned pool (as large arrays are), no record straddles two cache lines. */
  recordBytes: number;
  /** The accounts' names as card merchants (CSV-quoted), end to end: read only for card payees. */
  merchants: Uint8Array;
  /** Per account, where its merchant name starts in `merchants` and ends (the next account's start). */
  merchantStart: Int32Array;
}

/** Bytes before `bank,number` in a record. */
export const RECORD_HEADER = 3;

/** The texts of one account's bytes. */
interface AccountText {
  bankNumber: string;
  bank: string;
  merchant: string;
  country: string;
}

function textOf(world: World, a: Account): AccountText {
  const bank = a.bank >= 0 ? (world.banks[a.bank] as { id: string }).id : (a.key.split(":")[0] as string);
  return {
    bankNumber: `${bank},${a.number}`,
    bank,
    merchant:
      a.holder.kind === "organisation"
        ? csvField((world.orgs[a.holder.index] as Organisation).truth.name)
        : "",
    country: a.bank < 0 ? a.country : "",
  };
}

export function accountBytes(world: World): AccountBytes {
  const texts = world.accounts.map((a) => textOf(world, a));
  let longest = 0;
  let merchantBytes = 0;
  for (const t of texts) {
    const bankNumber = Buffer.byteLength(t.bankNumber);
    const country = Buffer.byteLength(t.country);
    if (bankNumber > 255 || country > 255) throw new Error(`account ${t.bankNumber} has too long a name`);
    longest = Math.max(longest, RECORD_HEADER + bankNumber + country);
    merchantBytes += Buffer.byteLength(t.merchant);
  }
  let recordBytes = 16;
  while (recordBytes < longest) recordBytes *= 2;
  const records = new Uint8Array(texts.length * recordBytes);
  const recordWriter = Buffer.from(records.buffer, records.byteOffset, records.length);
  const merchants = new Uint8Array(merchantBytes);
  const merchantWriter = Buffer.from(merchants.buffer, merchants.byteOffset, merchants.length);
  const merchantStart = new Int32Array(texts.length + 1);
  let at = 0;
  texts.forEach((t, k) => {
    const record = k * recordBytes;
    const bankNumber = recordWriter.write(t.bankNumber, record + RECORD_HEADER);
    records[record] = bankNumber;
    records[record + 1] = Buffer.byteLength(t.bank);
    records[record + 2] = t.country ? recordWriter.write(t.country, record + RECORD_HEADER + bankNumber) : 0;
    merchantStart[k] = at;
    if (t.merchant) at += merchantWriter.write(t.merchant, at);
  });
  merchantStart[texts.length] = at;
  return { records, recordBytes, merchants, merchantStart };
}
