// Prints the V3 known answer as this runtime computes it, as one JSON line: the EIP-712 digest,
// the signature and the signer the key derives to. Run by kat-v3-runtimes.test.ts under Bun, Deno
// and Node (tsx), so the signing code and @noble are proved on all three.
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  addressOfPrivateKey,
  recoverV3Signer,
  signV3,
  typedDataDigest,
} from '../../../../src/adapters/exchange/aster/sign-v3.ts';
import { V3_KAT } from './v3-kat.ts';

const signature = signV3(V3_KAT.msg, V3_KAT.privateKey, V3_KAT.chainId);
console.log(
  JSON.stringify({
    digest: `0x${bytesToHex(typedDataDigest(V3_KAT.msg, V3_KAT.chainId))}`,
    signature,
    signer: addressOfPrivateKey(V3_KAT.privateKey),
    recovered: recoverV3Signer(V3_KAT.msg, signature, V3_KAT.chainId),
  }),
);
