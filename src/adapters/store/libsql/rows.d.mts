// Types of rows.mjs (plain JavaScript, shared by the main thread and the writer thread).
/** A decoded row: [timeMs, type, stream, payloadJson, schemaVersion]. */
export type EncodedRow = [number, string, string, string, number];
export declare const COLUMNS: readonly string[];
export declare function encodeRow(
  timeMs: number,
  type: string,
  stream: string,
  payloadJson: string,
  schemaVersion: number,
): string;
export declare function decodeRows(text: string): EncodedRow[];
export declare function insertStatements(rows: readonly EncodedRow[]): {
  sqls: string[];
  args: unknown[][];
};
