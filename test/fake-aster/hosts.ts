// Aster's real hosts on a fake: a fetch and a WebSocket that send what is addressed to
// fapi.asterdex(-testnet).com and fstream.asterdex(-testnet).com to the loopback fake instead, so
// the code under test is configured with the real URLs (and judges their network) while nothing
// leaves the machine. Any other host is refused, so a stray URL cannot reach the internet.
import type { FakeAster } from './server.ts';

export interface MappedTransport {
  fetch: typeof fetch;
  WebSocket: typeof WebSocket;
  /** Every host asked, in order (REST and WebSocket). */
  asked: string[];
}

export function asterHostsOn(fake: FakeAster): MappedTransport {
  const asked: string[] = [];
  const rest = new Map([
    ['fapi.asterdex-testnet.com', fake.url],
    ['fapi.asterdex.com', fake.url],
  ]);
  const streams = new Map([
    ['fstream.asterdex-testnet.com', fake.stream.url],
    ['fstream.asterdex.com', fake.stream.url],
  ]);
  const mapped = (url: string, table: Map<string, string>) => {
    const u = new URL(url);
    const to = table.get(u.hostname);
    if (!to) throw new Error(`no fake behind ${u.host}`);
    asked.push(u.hostname);
    return `${to}${u.pathname}${u.search}`;
  };
  const fetchMapped = ((input: string | URL | Request, init?: RequestInit) =>
    fetch(
      mapped(String(input instanceof Request ? input.url : input), rest),
      init,
    )) as typeof fetch;
  class MappedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(mapped(String(url), streams), protocols);
    }
  }
  return { fetch: fetchMapped, WebSocket: MappedWebSocket as typeof WebSocket, asked };
}
