// A failure as one short line for a log field or a report: an Error's message, anything else as
// text. Plain JavaScript (types in error-message.d.mts) so that the event store's writer thread,
// which loads no TypeScript, uses the same one.

/** `e.message` for an Error, `String(e)` otherwise (never a stack). @param {unknown} e @returns {string} */
export const messageOf = (e) => (e instanceof Error ? e.message : String(e));
