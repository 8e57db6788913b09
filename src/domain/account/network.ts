// Which Aster network a URL or a chain id belongs to, and the check that the REST URL, the stream
// URL and the V3 chain id all name the same one. A worker whose REST calls go to the testnet while
// its user-data stream listens on mainnet (ASTER_WS_URL left at its default) sees no fill from the
// stream while /health says ok; a V3 signature made for one chain id never verifies on the other.
// Hosts and chain ids from the API docs: mainnet fapi.asterdex.com, fstream.asterdex.com, chain
// 1666 (aster-finance-futures-api-v3.md); testnet fapi.asterdex-testnet.com,
// fstream.asterdex-testnet.com, chain 714 (aster-finance-futures-api-testnet.md).
import type { PreflightCheck } from './preflight-checks.ts';

export type AsterNetwork = 'mainnet' | 'testnet';

/** Chain id of each network's EIP-712 typed data (V3). */
export const CHAIN_ID_OF: Readonly<Record<AsterNetwork, number>> = { mainnet: 1666, testnet: 714 };

/** The URLs that belong to each network, as the guide gives them (docs/going-live.md). */
export const ASTER_URLS: Readonly<Record<AsterNetwork, { rest: string; ws: string }>> = {
  mainnet: { rest: 'https://fapi.asterdex.com', ws: 'wss://fstream.asterdex.com' },
  testnet: { rest: 'https://fapi.asterdex-testnet.com', ws: 'wss://fstream.asterdex-testnet.com' },
};

const isUnder = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** The network of an Aster URL by its host; undefined for any other host (a proxy, a test server). */
export function networkOfUrl(url: string): AsterNetwork | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (isUnder(host, 'asterdex-testnet.com')) return 'testnet';
  if (isUnder(host, 'asterdex.com')) return 'mainnet';
  return undefined;
}

/** The network of a V3 chain id; undefined for any other. */
export const networkOfChainId = (chainId: number): AsterNetwork | undefined =>
  chainId === CHAIN_ID_OF.testnet
    ? 'testnet'
    : chainId === CHAIN_ID_OF.mainnet
      ? 'mainnet'
      : undefined;

/** What the worker is configured with: the two URLs and, under V3, the chain id. */
export interface NetworkSettings {
  baseUrl: string;
  wsUrl: string;
  /** V3 only (V1 signatures carry no chain id). */
  chainId?: number;
}

/**
 * One row: `ok` when every setting names the same network, `fail` (naming the variable to change
 * and its value) when two disagree, `warn` when a URL is not an Aster host so its network cannot be told.
 */
export function checkNetwork(s: NetworkSettings): PreflightCheck {
  const named = [
    { variable: 'ASTER_BASE_URL', value: s.baseUrl, network: networkOfUrl(s.baseUrl) },
    { variable: 'ASTER_WS_URL', value: s.wsUrl, network: networkOfUrl(s.wsUrl) },
    ...(s.chainId === undefined
      ? []
      : [
          {
            variable: 'ASTER_CHAIN_ID',
            value: String(s.chainId),
            network: networkOfChainId(s.chainId),
          },
        ]),
  ];
  const rest = named[0]!;
  const known = named.filter((n) => n.network !== undefined);
  // The REST URL decides the network when it is an Aster host; otherwise the first known setting.
  const reference = rest.network ? rest : known[0];
  const wrong = reference ? known.filter((n) => n.network !== reference.network) : [];
  if (reference && wrong.length > 0) {
    const net = reference.network!;
    const fixes = wrong.map((w) => `${w.variable}=${fixFor(w.variable, net)}`).join(' ');
    const said = wrong.map((w) => `${w.variable} ${w.value} is ${w.network}`).join(', ');
    return {
      check: 'network',
      status: 'fail',
      detail: `${said} but ${reference.variable} ${reference.value} is ${net}: set ${fixes}`,
    };
  }
  const unknown = named.filter((n) => n.network === undefined);
  if (unknown.length > 0)
    return {
      check: 'network',
      status: 'warn',
      detail: `${unknown.map((u) => `${u.variable} ${u.value}`).join(', ')}: not an Aster host or chain id, the network cannot be told (${known.map((k) => `${k.variable} ${k.network}`).join(', ') || 'nothing else known'})`,
    };
  return {
    check: 'network',
    status: 'ok',
    detail: `${reference!.network}: REST ${s.baseUrl}, stream ${s.wsUrl}${s.chainId === undefined ? '' : `, chain ${s.chainId}`}`,
  };
}

const fixFor = (variable: string, net: AsterNetwork) =>
  variable === 'ASTER_CHAIN_ID'
    ? String(CHAIN_ID_OF[net])
    : variable === 'ASTER_WS_URL'
      ? ASTER_URLS[net].ws
      : ASTER_URLS[net].rest;
