import { describe, expect, it } from 'bun:test';
import fc from 'fast-check';
import {
  decodeRows,
  encodeRow,
  insertStatements,
} from '../../../../src/adapters/store/libsql/rows.mjs';

const row = fc.tuple(
  fc.integer({ min: 0, max: 2 ** 52 }),
  fc.constantFrom('risk_decision', 'signal', 'decision'),
  fc.string(),
  fc.jsonValue(),
  fc.integer({ min: 1, max: 9 }),
);

describe('rows.mjs', () => {
  it('reads back every row it wrote, whatever the stream and the payload hold', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const text = rows
          .map(([t, type, stream, payload, v]) =>
            encodeRow(t, type, stream, JSON.stringify(payload), v),
          )
          .join('');
        expect(decodeRows(text)).toEqual(
          rows.map(([t, type, stream, payload, v]) => [
            t,
            type,
            stream,
            JSON.stringify(payload),
            v,
          ]),
        );
      }),
    );
  });

  it('reads streams with tabs, newlines and leading quotes', () => {
    for (const stream of ['', 'BTCUSDT', 'a\tb', 'a\nb', '"quoted"', '"', 'tab\t"']) {
      expect(decodeRows(encodeRow(1, 'signal', stream, '{}', 1))).toEqual([
        [1, 'signal', stream, '{}', 1],
      ]);
    }
  });

  it('splits large batches into INSERTs of at most 1,000 rows, values in row order', () => {
    const rows = Array.from(
      { length: 2_500 },
      (_, i) => [i, 'signal', 's', '{}', 1] as [number, string, string, string, number],
    );
    const { sqls, args } = insertStatements(rows);
    expect(args.map((a) => a.length / 5)).toEqual([1_000, 1_000, 500]);
    expect(sqls[0]).toStartWith(
      'INSERT INTO "events" ("time_ms","type","stream","payload","schema_version") VALUES (?,?,?,?,?),',
    );
    expect(args[2]!.slice(0, 5)).toEqual([2_000, 'signal', 's', '{}', 1]);
  });
});
