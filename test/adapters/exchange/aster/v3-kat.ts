// The V3 known-answer vector of issue 9: the API docs' demo key and addresses ("Example of POST
// /fapi/v3/order"), digest and signature derived independently with two libraries (Aster
// publishes no vector). Shared by the Bun test and the cross-runtime script (kat-v3-script.ts).
export const V3_KAT = {
  privateKey: '0x4fd0a42218f3eae43a6ce26d22544e986139a01e5b34a62db53757ffca81bae1',
  user: '0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e',
  signer: '0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0',
  chainId: 1666,
  msg: 'symbol=ASTERUSDT&type=LIMIT&side=BUY&timeInForce=GTC&quantity=20&price=0.5&nonce=1748310859508867&user=0x63DD5aCC6b1aa0f563956C0e534DD30B6dcF7C4e&signer=0x21cF8Ae13Bb72632562c6Fff438652Ba1a151bb0',
  digest: '0x214122039b686e20a15baab91d368d354cf8c88067cb8b0e96e9018d8b08a625',
  signature:
    '0x0a56c5923ebf3524475c5f631940ec4c0e41dbd300ad28198d1915d8f3ca49ce26fd1aeb8b0c3079133595da0de38322ae7e860e0c76d032c4a491d27c1430b01c',
} as const;
