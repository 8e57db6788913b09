// The Aster credentials: V1 (API key and secret) or V3 (an API wallet whose private key must derive
// to its signer address), never both, and the ones AIS_EXCHANGE=aster requires.
import { addressOfPrivateKey } from '../adapters/exchange/aster/sign-v3.ts';
import { ConfigError } from './config-error.ts';
import type { ParsedEnv } from './schema.ts';

/** V3: main wallet, API wallet, its private key (0x + 64 hex), chain id (1666 mainnet, 714 testnet). */
export interface AsterWallet {
  user: string;
  signer: string;
  privateKey: string;
  chainId: number;
}

const V3_VARIABLES = ['ASTER_USER', 'ASTER_SIGNER', 'ASTER_SIGNER_PRIVATE_KEY'] as const;

/**
 * The V3 wallet when any of its variables is set: all three must be, and the private key must
 * derive to ASTER_SIGNER (a key of another wallet would only ever get -1022 from the exchange).
 * Undefined when none is set.
 */
export function asterWallet(e: ParsedEnv): AsterWallet | undefined {
  if (V3_VARIABLES.every((name) => e[name] === undefined)) return undefined;
  const given = V3_VARIABLES.find((name) => e[name] !== undefined)!;
  const missing = V3_VARIABLES.find((name) => e[name] === undefined);
  if (missing)
    throw new ConfigError(`config: ${missing} is required with ${given} (V3 API wallet)`);
  const user = e.ASTER_USER!;
  const signer = e.ASTER_SIGNER!;
  const privateKey = e.ASTER_SIGNER_PRIVATE_KEY!;
  let derived: string;
  try {
    derived = addressOfPrivateKey(privateKey);
  } catch {
    // No cause on purpose: the library's message may quote the key it refused.
    throw new ConfigError(
      'config: ASTER_SIGNER_PRIVATE_KEY is not a valid secp256k1 private key (value hidden)',
    );
  }
  if (derived.toLowerCase() !== signer.toLowerCase()) {
    throw new ConfigError(
      `config: ASTER_SIGNER_PRIVATE_KEY does not derive to ASTER_SIGNER ${signer} (it is the key of ${derived})`,
    );
  }
  return { user, signer, privateKey, chainId: e.ASTER_CHAIN_ID };
}

/** The wallet (V3) when set; on AIS_EXCHANGE=aster, throws unless exactly one scheme is complete. */
export function asterCredentials(e: ParsedEnv): AsterWallet | undefined {
  const wallet = asterWallet(e);
  if (e.AIS_EXCHANGE !== 'aster') return wallet;
  const v1 = e.ASTER_API_KEY !== undefined || e.ASTER_API_SECRET !== undefined;
  if (v1 && wallet)
    throw new ConfigError(
      'config: ASTER_API_KEY/ASTER_API_SECRET (V1) and ASTER_USER/ASTER_SIGNER/ASTER_SIGNER_PRIVATE_KEY (V3) are both set: keep one scheme',
    );
  if (!v1 && !wallet) {
    throw new ConfigError(
      'config: ASTER_USER, ASTER_SIGNER and ASTER_SIGNER_PRIVATE_KEY (V3 API wallet; or ASTER_API_KEY and ASTER_API_SECRET for V1) are required when AIS_EXCHANGE=aster',
    );
  }
  const required = v1
    ? (['ASTER_API_KEY', 'ASTER_API_SECRET', 'AIS_RISK_HMAC_SECRET'] as const)
    : (['AIS_RISK_HMAC_SECRET'] as const);
  for (const name of required) {
    if (!e[name]) throw new ConfigError(`config: ${name} is required when AIS_EXCHANGE=aster`);
  }
  return wallet;
}
