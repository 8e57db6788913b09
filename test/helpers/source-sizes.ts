// Measures the sizes the house rules hold (../../../shared/spec/style.md): lines per file, lines per
// function, fields per option object. TypeScript 7 is native and its JavaScript API (unstable/sync)
// cannot start under Bun, so this reads the source with its own small tokenizer: strings, comments,
// template literals (with nested `${}`) and regular expressions are skipped as whole tokens, and the
// brackets that remain are matched. That is enough to find every function body and type literal in
// Prettier-formatted TypeScript; it does not type-check or resolve anything.

/** One token: its kind, text and the 1-based line it starts on. */
export type Token = {
  kind: 'ident' | 'punct' | 'string' | 'number' | 'regex';
  text: string;
  line: number;
};

// Keywords after which a `/` starts a regular expression rather than a division.
const BEFORE_REGEX = new Set([
  'return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw',
  'instanceof', 'yield', 'await',
]); // prettier-ignore

const isIdentStart = (c: string) => /[A-Za-z_$#@]/.test(c);
const isIdentPart = (c: string) => /[\w$]/.test(c);

/** Splits TypeScript or JavaScript source into tokens, comments and whitespace dropped. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const braces: ('code' | 'template')[] = []; // what each open `{` returns to when it closes
  let i = 0;
  let line = 1;
  const push = (kind: Token['kind'], start: number, startLine: number) =>
    out.push({ kind, text: src.slice(start, i), line: startLine });
  const countLines = (from: number) => {
    for (let k = from; k < i; k++) if (src[k] === '\n') line++;
  };
  // Scans a template literal's text from i (just after ` or the } closing a substitution) to the
  // closing ` or the next `${`; returns true when it stopped at `${`.
  const templateChunk = (): boolean => {
    const start = i;
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\') i += 2;
      else if (c === '`') return (i++, countLines(start), false);
      else if (c === '$' && src[i + 1] === '{') return ((i += 2), countLines(start), true);
      else i++;
    }
    countLines(start);
    return false;
  };
  const regexStartsHere = (): boolean => {
    const prev = out[out.length - 1];
    if (!prev) return true;
    if (prev.kind === 'ident') return BEFORE_REGEX.has(prev.text);
    if (prev.kind !== 'punct') return false;
    return !/^[)\]}]$/.test(prev.text);
  };
  while (i < src.length) {
    const c = src[i]!;
    const start = i;
    const startLine = line;
    if (c === '\n') (line++, i++);
    else if (/\s/.test(c)) i++;
    else if (c === '/' && src[i + 1] === '/') while (i < src.length && src[i] !== '\n') i++;
    else if (c === '/' && src[i + 1] === '*') {
      i = src.indexOf('*/', i + 2) + 2 || src.length;
      countLines(start);
    } else if (c === '"' || c === "'") {
      i++;
      while (i < src.length && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
      i++;
      push('string', start, startLine);
    } else if (c === '`') {
      i++;
      if (templateChunk()) braces.push('template');
      push('string', start, startLine);
    } else if (c === '/' && regexStartsHere()) {
      i++;
      let inClass = false;
      while (i < src.length && (inClass || src[i] !== '/')) {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        i++;
      }
      i++;
      while (i < src.length && isIdentPart(src[i]!)) i++;
      push('regex', start, startLine);
    } else if (isIdentStart(c)) {
      i++;
      while (i < src.length && isIdentPart(src[i]!)) i++;
      push('ident', start, startLine);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      i++;
      while (i < src.length && /[\w.]/.test(src[i]!)) i++;
      push('number', start, startLine);
    } else if (c === '}' && braces[braces.length - 1] === 'template') {
      braces.pop();
      i++;
      if (templateChunk()) braces.push('template');
      push('string', start, startLine);
    } else {
      i += src.startsWith('=>', i) ? 2 : src.startsWith('...', i) ? 3 : 1;
      if (c === '{') braces.push('code');
      if (c === '}') braces.pop();
      push('punct', start, startLine);
    }
  }
  return out;
}

/** For each opening bracket token index, the index of its closing bracket (and back). */
export function matchBrackets(tokens: Token[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((t, k) => {
    if (t.kind !== 'punct') return;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(k);
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      const open = stack.pop();
      if (open === undefined) return;
      pairs.set(open, k);
      pairs.set(k, open);
    }
  });
  return pairs;
}

/** A function found in a file: its name (or how it is used), first and last line. */
export type FunctionSpan = {
  name: string;
  start: number;
  end: number;
  /** Lines of the span not inside a nested function (a factory's own statements). */
  ownLines: number;
  /** Not inside another function. */
  topLevel: boolean;
};

const CONTROL = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'typeof']);
const isPunct = (t: Token | undefined, ...texts: string[]) =>
  t?.kind === 'punct' && texts.includes(t.text);

// After a parameter list's `)`, the index of the body's `{`, skipping a return type; undefined when
// the parameter list belongs to a call, a signature without body or a function type.
function bodyAfterParams(tokens: Token[], pairs: Map<number, number>, close: number) {
  let k = close + 1;
  if (isPunct(tokens[k], '{')) return k;
  if (!isPunct(tokens[k], ':')) return undefined;
  let angle = 0;
  for (k++; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[') k = pairs.get(k) ?? k;
    else if (t.text === '<') angle++;
    else if (t.text === '>') angle--;
    else if (t.text === '{') {
      const prev = tokens[k - 1]!;
      const typeEnded = prev.kind !== 'punct' || isPunct(prev, ')', ']', '}', '>');
      if (angle === 0 && typeEnded) return k;
      k = pairs.get(k) ?? k;
    } else if (angle === 0 && [';', ',', '=', ')', ']', '}'].includes(t.text)) return undefined;
  }
  return undefined;
}

// The last token of an arrow's expression body that starts at `from`.
function expressionEnd(tokens: Token[], pairs: Map<number, number>, from: number) {
  let k = from;
  for (; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(', '[', '{')) k = pairs.get(k) ?? k;
    else if (isPunct(t, ',', ';', ')', ']', '}')) break;
  }
  return k - 1;
}

// What an arrow function is called: the const, property or parameter it is assigned to.
function arrowName(tokens: Token[], start: number): string {
  let k = start - 1;
  if (tokens[k]?.text === 'async') k--;
  const t = tokens[k];
  if (isPunct(t, ':') && tokens[k - 1]?.kind === 'ident') return tokens[k - 1]!.text;
  if (isPunct(t, '=')) {
    for (let j = k - 1; j >= Math.max(0, k - 12); j--)
      if (/^(const|let|var)$/.test(tokens[j]!.text)) return tokens[j + 1]!.text;
    if (tokens[k - 1]?.kind === 'ident') return tokens[k - 1]!.text;
  }
  if (isPunct(t, '(', ',')) {
    let open = k;
    while (open > 0 && !isPunct(tokens[open], '(')) open--;
    const callee = tokens[open - 1];
    return `(callback of ${callee?.kind === 'ident' ? callee.text : '?'})`;
  }
  return '(arrow)';
}

type RawSpan = { name: string; start: number; end: number; params?: number; body?: number };

function arrowSpan(tokens: Token[], pairs: Map<number, number>, a: number): RawSpan {
  const prev = tokens[a - 1]!;
  const startIdx = isPunct(prev, ')') ? (pairs.get(a - 1) ?? a - 1) : a - 1;
  const bodyEnd = isPunct(tokens[a + 1], '{')
    ? (pairs.get(a + 1) ?? a + 1)
    : expressionEnd(tokens, pairs, a + 1);
  return {
    params: isPunct(prev, ')') ? startIdx : undefined,
    name: arrowName(tokens, startIdx),
    start: tokens[startIdx]!.line,
    end: tokens[bodyEnd]!.line,
  };
}

// A `(` that opens the parameters of a function declaration, function expression or method.
function namedSpan(tokens: Token[], pairs: Map<number, number>, p: number): RawSpan | undefined {
  const prev = tokens[p - 1];
  if (!prev) return undefined;
  const named = prev.kind === 'ident' && !CONTROL.has(prev.text);
  if (!named && !isPunct(prev, ']', '>', '*')) return undefined;
  const close = pairs.get(p);
  if (close === undefined) return undefined;
  const body = bodyAfterParams(tokens, pairs, close);
  if (body === undefined) return undefined;
  let head = p - 1;
  if (isPunct(prev, ']')) head = pairs.get(p - 1) ?? head;
  if (isPunct(prev, '>')) while (head > 0 && !isPunct(tokens[head], '<')) head--;
  if (isPunct(prev, '*')) head--;
  const before = tokens[head - 1];
  if (before?.text === 'function') head--;
  const name = isPunct(prev, '>')
    ? (tokens[head - 1]?.text ?? '?')
    : named && prev.text !== 'function'
      ? prev.text
      : `(function)`;
  const end = tokens[pairs.get(body) ?? body]!.line;
  return { name, params: p, body, start: tokens[head]!.line, end };
}

function rawSpans(tokens: Token[], pairs: Map<number, number>): RawSpan[] {
  const raw: RawSpan[] = [];
  let returnTypeEnd = -1; // an arrow inside a return type (`(): () => void {`) is a type
  tokens.forEach((t, k) => {
    if (isPunct(t, '=>') && k > returnTypeEnd) raw.push(arrowSpan(tokens, pairs, k));
    else if (isPunct(t, '(')) {
      const span = namedSpan(tokens, pairs, k);
      if (span) raw.push(span);
      if (span?.body) returnTypeEnd = Math.max(returnTypeEnd, span.body);
    }
  });
  return raw;
}

/** Every function, arrow function and method in the source, with its line span. */
export function functionSpans(src: string): FunctionSpan[] {
  const tokens = tokenize(src);
  const raw = rawSpans(tokens, matchBrackets(tokens));
  return raw.map(({ name, start, end }) => {
    const f = { name, start, end };
    const nested = new Set<number>();
    for (const g of raw)
      if (g !== f && g.start >= f.start && g.end <= f.end && (g.start > f.start || g.end < f.end))
        for (let l = g.start; l <= g.end; l++) nested.add(l);
    const outer = raw.some((g) => g.start <= start && g.end >= end && spanLines(g) > spanLines(f));
    return { ...f, topLevel: !outer, ownLines: f.end - f.start + 1 - nested.size };
  });
}

/** Lines a function spans, header to closing brace. */
export const spanLines = (f: { start: number; end: number }) => f.end - f.start + 1;

/** An object type: its name (or the function whose single parameter it types) and field count. */
export type ObjectType = { name: string; fields: number; line: number };

// Fields of the type literal between tokens open and its closing brace: members at depth 0.
function countFields(tokens: Token[], pairs: Map<number, number>, open: number): number {
  const close = pairs.get(open) ?? open;
  let fields = 0;
  let angle = 0;
  let pending = false;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(', '[', '{')) {
      k = pairs.get(k) ?? k;
      pending = true;
    } else if (isPunct(t, '<')) angle++;
    else if (isPunct(t, '>')) angle--;
    else if (angle === 0 && isPunct(t, ';', ',')) {
      if (pending) fields++;
      pending = false;
    } else pending = true;
  }
  return fields + (pending ? 1 : 0);
}

const OPTION_NAMES = /^(o|opts|options|deps|params|input|args)$/;

// The type literal of a function's single parameter, or the name of its type when that is a name.
function singleParamType(tokens: Token[], pairs: Map<number, number>, p: number) {
  const close = pairs.get(p)!;
  let colon: number | undefined;
  for (let k = p + 1; k < close; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(', '[', '{', '<')) k = isPunct(t, '<') ? k : (pairs.get(k) ?? k);
    else if (isPunct(t, ',') && k < close - 1) return undefined;
    else if (isPunct(t, ':') && colon === undefined) colon = k;
  }
  if (colon === undefined) return undefined;
  const first = tokens[colon + 1]!;
  if (isPunct(first, '{')) return { literal: colon + 1 };
  const end = isPunct(tokens[close - 1], ',') ? close - 1 : close;
  // A named type counts as an options bag when the parameter is destructured or named as one.
  const bag = isPunct(tokens[p + 1], '{') || OPTION_NAMES.test(tokens[p + 1]!.text);
  if (first.kind === 'ident' && colon + 2 === end && bag) return { name: first.text };
  return undefined;
}

/**
 * Object types in the source: every interface and `type X = {…}` (named), every inline type literal
 * of a function's single parameter (named after the function), and the names of the types that a
 * function's single parameter refers to (`referenced`), so a caller can look those up by name.
 */
export function objectTypes(src: string): { declared: ObjectType[]; referenced: string[] } {
  const tokens = tokenize(src);
  const pairs = matchBrackets(tokens);
  const declared: ObjectType[] = [];
  tokens.forEach((t, k) => {
    const name = tokens[k + 1];
    if (t.kind !== 'ident' || name?.kind !== 'ident') return;
    if (t.text !== 'interface' && t.text !== 'type') return;
    let j = k + 2;
    if (isPunct(tokens[j], '<')) while (j < tokens.length && !isPunct(tokens[j], '>')) j++;
    if (t.text === 'interface') while (j < tokens.length && !isPunct(tokens[j], '{')) j++;
    else if (isPunct(tokens[j], '=') || isPunct(tokens[j], '>'))
      j += isPunct(tokens[j], '>') ? 2 : 1;
    if (!isPunct(tokens[j], '{')) return;
    declared.push({ name: name.text, fields: countFields(tokens, pairs, j), line: t.line });
  });
  const referenced: string[] = [];
  for (const f of rawSpans(tokens, pairs)) {
    if (f.params === undefined) continue;
    const param = singleParamType(tokens, pairs, f.params);
    if (param?.literal !== undefined)
      declared.push({
        name: `${f.name}'s parameter`,
        fields: countFields(tokens, pairs, param.literal),
        line: tokens[param.literal]!.line,
      });
    if (param?.name) referenced.push(param.name);
  }
  return { declared, referenced };
}

/** Lines in a file as an editor counts them (a final newline does not start a line). */
export const fileLines = (src: string) => src.replace(/\n$/, '').split('\n').length;
