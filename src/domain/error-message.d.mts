// Types of error-message.mjs (plain JavaScript, shared by the main thread and the writer thread).
/** `e.message` for an Error, `String(e)` otherwise (never a stack). */
export declare const messageOf: (e: unknown) => string;
