// Cost of signing one Aster request: V3 (EIP-712 typed-data digest + secp256k1 ECDSA with the API
// wallet's key, @noble) against V1 (HMAC-SHA256 with the API secret, node:crypto), same run, each
// over the parameter string of a typical new order as that scheme sends it. Also what the fake
// server (and the exchange) spends recovering the signer.
import { signPayload } from '../../src/adapters/exchange/aster/sign.ts';
import { recoverV3Signer, signV3 } from '../../src/adapters/exchange/aster/sign-v3.ts';
import { nsPerOp, record, section } from './harness.ts';

const KEY = '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1';
const ORDER =
  'symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.012&newClientOrderId=c3f1a9e2-7b5d-4c1e-9f0a-2b6d8e4c1a7f&newOrderRespType=RESULT';

export async function benchSigning() {
  const s = section('request signing (one new order)');
  const v1Payload = (i: number) => `${ORDER}&recvWindow=5000&timestamp=${1_764_000_000_000 + i}`;
  const v3Payload = (i: number) =>
    `${ORDER}&nonce=${1_764_000_000_000_000 + i}&user=0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e&signer=0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0`;
  const v1 =
    nsPerOp(
      (i) => signPayload('fake-api-secret-0123456789abcdef0123456789abcdef', v1Payload(i)),
      50_000,
    ) / 1000;
  const v3 = nsPerOp((i) => signV3(v3Payload(i), KEY, 1666), 2_000) / 1000;
  record({
    section: s,
    name: 'V3 EIP-712 signature (secp256k1, @noble)',
    value: v3,
    unit: 'µs',
    baseline: { name: 'V1 HMAC-SHA256', value: v1 },
  });
  const signed = signV3(v3Payload(0), KEY, 1666);
  const recover = nsPerOp(() => recoverV3Signer(v3Payload(0), signed, 1666), 1_000) / 1000;
  record({
    section: s,
    name: 'V3 signer recovery (the server side)',
    value: recover,
    unit: 'µs',
    baseline: { name: 'V3 signature', value: v3 },
  });
}
