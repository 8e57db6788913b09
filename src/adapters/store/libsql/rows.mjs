// How appended rows travel from the main thread to the writer thread, and the INSERTs they become.
// One string per flush, not arrays of values: a worker message clones every array element on its
// own (32 rows of 5 values cost about 13 µs of main-thread time per message on Bun, one string of
// the same rows about 1 µs). Plain JavaScript: the writer thread loads it as it is.
//
// A row is one line: `timeMs \t type \t stream \t schemaVersion \t payloadJson`. JSON text
// (JSON.stringify's output) holds no raw tab or newline, so neither separator can occur in it; a
// stream (a symbol, a breaker's name: plain in practice) is written as JSON when it holds a tab, a
// newline or starts with a quote, and read back as JSON when it starts with a quote.

/** The events table's columns in the order of a row (the Drizzle schema's names, src/adapters/store/libsql/schema.ts). */
export const COLUMNS = ['time_ms', 'type', 'stream', 'payload', 'schema_version'];

/** Rows per INSERT statement: 5 bound values each stays far below SQLite's 32,766-variable limit. */
const ROWS_PER_STATEMENT = 1_000;

/**
 * @param {number} timeMs @param {string} type @param {string} stream @param {string} payloadJson @param {number} schemaVersion
 * @returns {string} the row's line, newline included
 */
export function encodeRow(timeMs, type, stream, payloadJson, schemaVersion) {
  const plain = !/[\t\n]/.test(stream) && stream[0] !== '"';
  return `${timeMs}\t${type}\t${plain ? stream : JSON.stringify(stream)}\t${schemaVersion}\t${payloadJson}\n`;
}

/** @param {string} text lines of encodeRow @returns {[number, string, string, string, number][]} */
export function decodeRows(text) {
  const rows = [];
  for (let start = 0; start < text.length;) {
    // Four tabs, then the payload up to the newline (found by index: no split, no per-field arrays).
    const t1 = text.indexOf('\t', start);
    const t2 = text.indexOf('\t', t1 + 1);
    const t3 = text.indexOf('\t', t2 + 1);
    const t4 = text.indexOf('\t', t3 + 1);
    const end = text.indexOf('\n', t4 + 1);
    const stream = text.slice(t2 + 1, t3);
    rows.push([
      Number(text.slice(start, t1)),
      text.slice(t1 + 1, t2),
      stream[0] === '"' ? JSON.parse(stream) : stream,
      text.slice(t4 + 1, end),
      Number(text.slice(t3 + 1, t4)),
    ]);
    start = end + 1;
  }
  return rows;
}

const sqlByCount = new Map();
function insertSql(count) {
  let sql = sqlByCount.get(count);
  if (!sql) {
    const tuple = `(${COLUMNS.map(() => '?').join(',')})`;
    sql = `INSERT INTO "events" (${COLUMNS.map((c) => `"${c}"`).join(',')}) VALUES ${Array(count).fill(tuple).join(',')} RETURNING "id"`;
    if (sqlByCount.size < 64) sqlByCount.set(count, sql);
  }
  return sql;
}

/** The INSERTs of decoded rows (one per 1,000), each returning the new ids in row order. @returns {{ sqls: string[], args: unknown[][] }} */
export function insertStatements(rows) {
  const sqls = [];
  const args = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
    sqls.push(insertSql(chunk.length));
    args.push(chunk.flat());
  }
  return { sqls, args };
}
