// A failure as one short line for a log field or a report: an Error's message, anything else as text.

/** `e.message` for an Error, `String(e)` otherwise (never a stack). */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
