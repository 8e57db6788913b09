import { describe, expect, it } from 'bun:test';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  addressOfPrivateKey,
  checksumAddress,
  recoverV3Signer,
  signV3,
  typedDataDigest,
} from '../../../../src/adapters/exchange/aster/sign-v3.ts';
import { V3_KAT } from './v3-kat.ts';

describe('V3 (EIP-712) signing', () => {
  it('reproduces the known answer of issue 9 (the docs demo key, message and chain 1666)', () => {
    expect(`0x${bytesToHex(typedDataDigest(V3_KAT.msg, V3_KAT.chainId))}`).toBe(V3_KAT.digest);
    expect(signV3(V3_KAT.msg, V3_KAT.privateKey, V3_KAT.chainId)).toBe(V3_KAT.signature);
  });

  it('derives the docs demo signer from its private key (EIP-55 checksummed)', () => {
    expect(addressOfPrivateKey(V3_KAT.privateKey)).toBe(V3_KAT.signer);
    expect(checksumAddress(V3_KAT.signer.toLowerCase())).toBe(V3_KAT.signer);
  });

  it('recovers the signer, and another address for a changed byte or another chain id', () => {
    expect(recoverV3Signer(V3_KAT.msg, V3_KAT.signature, 1666)).toBe(V3_KAT.signer);
    expect(recoverV3Signer(V3_KAT.msg, V3_KAT.signature, 714)).not.toBe(V3_KAT.signer);
    expect(
      recoverV3Signer(V3_KAT.msg.replace('quantity=20', 'quantity=21'), V3_KAT.signature, 1666),
    ).not.toBe(V3_KAT.signer);
    const flipped =
      V3_KAT.signature.slice(0, 10) +
      (V3_KAT.signature[10] === 'a' ? 'b' : 'a') +
      V3_KAT.signature.slice(11);
    expect(recoverV3Signer(V3_KAT.msg, flipped, 1666)).not.toBe(V3_KAT.signer);
  });

  it('answers undefined for signatures that are not 65 bytes of hex or have a bad v', () => {
    expect(recoverV3Signer(V3_KAT.msg, '0x1234', 1666)).toBeUndefined();
    expect(recoverV3Signer(V3_KAT.msg, `${V3_KAT.signature.slice(0, -2)}1f`, 1666)).toBeUndefined();
    expect(recoverV3Signer(V3_KAT.msg, `0x${'0'.repeat(130)}`, 1666)).toBeUndefined();
  });

  it('signs on testnet (chain 714) with a signature that recovers there only', () => {
    const sig = signV3('a=1', V3_KAT.privateKey, 714);
    expect(recoverV3Signer('a=1', sig, 714)).toBe(V3_KAT.signer);
    expect(recoverV3Signer('a=1', sig, 1666)).not.toBe(V3_KAT.signer);
  });
});
