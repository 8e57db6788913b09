// Request signing for Aster's V3 API (API wallet): an EIP-712 signature, by the API wallet
// ("signer") acting for the main wallet ("user"), over the exact parameter string that goes on the
// wire. The typed data is fixed by the V3 docs ("Example of POST /fapi/v3/order"):
//   domain {name: "AsterSignTransaction", version: "1", chainId, verifyingContract: 0x00…00}
//   primaryType Message {msg: string}, message.msg = the url-encoded parameters (nonce, user and
//   signer included, `signature` not).
// Chain ids: 1666 mainnet, 714 testnet (the testnet page's example).
//
// Cryptography comes from @noble/curves (secp256k1 ECDSA, RFC 6979 deterministic nonces,
// recovery) and @noble/hashes (keccak-256). What is written here is glue only: the EIP-712
// struct encoding of this one fixed type (each field is a 32-byte word: keccak of a string, a
// big-endian uint256, a left-padded address) and Ethereum's 65-byte r‖s‖v signature layout.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { InvalidArgumentError } from '../../../domain/errors.ts';

/** Aster mainnet chain id of the V3 typed data (the testnet's is 714: testnet docs, "Example of POST /fapi/v3/order"). */
export const ASTER_MAINNET_CHAIN_ID = 1666;

/** The V3 credentials: the main wallet, the API wallet acting for it, and the API wallet's key. */
export interface AsterWallet {
  /** Main wallet address, 0x + 40 hex (any case). */
  user: string;
  /** API wallet address, 0x + 40 hex (any case); must be what `privateKey` derives to. */
  signer: string;
  /** The API wallet's private key, 0x + 64 hex. A secret. */
  privateKey: string;
  /** 1666 mainnet, 714 testnet. */
  chainId: number;
}

const keccak = (...parts: Uint8Array[]) => keccak_256(concatBytes(...parts));
const DOMAIN_TYPE_HASH = keccak(
  utf8ToBytes('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
);
const MESSAGE_TYPE_HASH = keccak(utf8ToBytes('Message(string msg)'));
const NAME_HASH = keccak(utf8ToBytes('AsterSignTransaction'));
const VERSION_HASH = keccak(utf8ToBytes('1'));
/** verifyingContract 0x000…0 as its 32-byte word. */
const ZERO_ADDRESS_WORD = new Uint8Array(32);

function uint256(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new InvalidArgumentError(`chain id ${n} is not a non-negative integer`);
  return hexToBytes(n.toString(16).padStart(64, '0'));
}

const separators = new Map<number, Uint8Array>();
/** EIP-712 domain separator for a chain id (cached: two chain ids in practice). */
function domainSeparator(chainId: number): Uint8Array {
  let s = separators.get(chainId);
  if (!s) {
    s = keccak(DOMAIN_TYPE_HASH, NAME_HASH, VERSION_HASH, uint256(chainId), ZERO_ADDRESS_WORD);
    separators.set(chainId, s);
  }
  return s;
}

/** The 32-byte EIP-712 digest of `msg` under the Aster domain on `chainId`. */
export function typedDataDigest(msg: string, chainId: number): Uint8Array {
  const structHash = keccak(MESSAGE_TYPE_HASH, keccak(utf8ToBytes(msg)));
  return keccak(new Uint8Array([0x19, 0x01]), domainSeparator(chainId), structHash);
}

const strip0x = (h: string) => (h.startsWith('0x') || h.startsWith('0X') ? h.slice(2) : h);

/** Ethereum address (EIP-55 checksummed) of an uncompressed or compressed secp256k1 public key. */
function addressOfPublicKey(publicKey: Uint8Array): string {
  const uncompressed =
    publicKey.length === 65 ? publicKey : secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return checksumAddress(bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12)));
}

/** EIP-55 mixed-case checksum of a 20-byte hex address (with or without 0x). */
export function checksumAddress(address: string): string {
  const lower = strip0x(address).toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++)
    out += Number.parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i];
  return out;
}

/** The address a private key (0x + 64 hex) signs as. Throws on a key outside the curve's range. */
export function addressOfPrivateKey(privateKey: string): string {
  return addressOfPublicKey(secp256k1.getPublicKey(hexToBytes(strip0x(privateKey)), false));
}

/**
 * Signs `msg` (the exact parameter string sent, without `signature`) with the API wallet's key.
 * Returns 0x + 130 hex: r (32 bytes) ‖ s (32 bytes, low-s) ‖ v (27 or 28), as eth_account's
 * `Account.sign_message(...).signature.hex()` in the docs' Python example.
 */
export function signV3(msg: string, privateKey: string | Uint8Array, chainId: number): string {
  const key = typeof privateKey === 'string' ? hexToBytes(strip0x(privateKey)) : privateKey;
  // 'recovered' = recovery byte ‖ r ‖ s; prehash false because the digest is already keccak-256.
  const sig = secp256k1.sign(typedDataDigest(msg, chainId), key, {
    prehash: false,
    format: 'recovered',
  });
  return `0x${bytesToHex(sig.subarray(1))}${(27 + sig[0]!).toString(16)}`;
}

/**
 * The address that signed `msg` on `chainId` with `signature` (0x + 130 hex, v 27/28 or 0/1), or
 * undefined when the signature is malformed or recovers no point. What the exchange (and the fake
 * server) compares with the registered signer: a wrong chain id or a changed byte recovers
 * another address.
 */
export function recoverV3Signer(
  msg: string,
  signature: string,
  chainId: number,
): string | undefined {
  const hex = strip0x(signature);
  if (!/^[0-9a-fA-F]{130}$/.test(hex)) return undefined;
  const v = Number.parseInt(hex.slice(128), 16);
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) return undefined;
  try {
    const recovered = concatBytes(new Uint8Array([recovery]), hexToBytes(hex.slice(0, 128)));
    const publicKey = secp256k1.recoverPublicKey(recovered, typedDataDigest(msg, chainId), {
      prehash: false,
    });
    return addressOfPublicKey(publicKey);
  } catch {
    return undefined;
  }
}
