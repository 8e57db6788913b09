// The value parsers the environment schema is made of: text, URLs, bounded numbers, per-symbol
// settings. Each error message names what was expected; config.ts adds the variable's name.
import { z } from 'zod';
import type { MarginType, PerSymbol } from '../domain/account/setup.ts';

export const text = z.string().trim().min(1);
export const optionalText = text.optional();
export const url = (protocols: RegExp, hint: string) =>
  text.refine((v) => protocols.test(v) && URL.canParse(v.replace(/^file:/, 'file:///x/')), {
    message: hint,
  });
/** A positive decimal up to max (risk limits, balances). */
export const positive = (max: number) => {
  const error = `expected a number above 0 and at most ${max}`;
  return z.coerce.number({ error }).gt(0, { error }).max(max, { error });
};
export const int = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/**
 * A setting for every traded symbol and/or per symbol, e.g. `10`, `BTCUSDT:5,ETHUSDT:3` or
 * `10,BTCUSDT:5`. Comma-separated entries: a bare value (at most one) applies to every traded symbol, `SYMBOL:value`
 * to one symbol (each named once). `value` parses one value or returns undefined.
 */
export const perSymbol = <T>(
  value: (v: string) => T | undefined,
  expected: string,
  example: string,
) => {
  const hint = `expected ${expected} for all symbols and/or SYMBOL:value, comma-separated (e.g. ${example})`;
  return text.transform((raw, ctx): PerSymbol<T> => {
    const out: { all?: T; bySymbol: Record<string, T> } = { bySymbol: {} };
    const bad = (why: string) => {
      ctx.addIssue({ code: 'custom', message: why });
      return z.NEVER;
    };
    for (const entry of raw.split(',').map((e) => e.trim())) {
      const m = /^(?:([A-Z0-9]{2,20}):)?(.+)$/.exec(entry);
      const v = m ? value(m[2]!) : undefined;
      if (!m || v === undefined) return bad(`${hint}; "${entry}" is not`);
      if (m[1] === undefined) {
        if (out.all !== undefined) return bad('has more than one value for every symbol');
        out.all = v;
      } else {
        if (Object.hasOwn(out.bySymbol, m[1])) return bad(`names ${m[1]} twice`);
        out.bySymbol[m[1]] = v;
      }
    }
    return out;
  });
};
/** Change Initial Leverage takes an integer from 1 to 125 (v3.md). */
export const leverageValue = (v: string) =>
  /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 125 ? Number(v) : undefined;
export const marginTypeValue = (v: string): MarginType | undefined =>
  v === 'CROSSED' || v === 'ISOLATED' ? v : undefined;
