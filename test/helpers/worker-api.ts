// A worker process's HTTP API as integration tests call it: JSON GET and POST with its bearer
// token, and a poll for what the worker does in the background.
/** `get(path)` and `post(path, body)` answering parsed JSON, with `Authorization: Bearer <token>`. */
export function workerApi(url: string, token: string) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const get = async (path: string) => (await fetch(`${url}${path}`, { headers })).json();
  const post = async (path: string, body: object = {}) =>
    (await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json();
  return { get, post };
}

/** Reads until `ok` holds or `tries` reads 100 ms apart were made; answers the last read. */
export async function pollUntil<T>(
  read: () => Promise<T> | T,
  ok: (v: T) => boolean,
  tries: number,
): Promise<T> {
  let v = await read();
  for (let i = 0; i < tries && !ok(v); i++, await Bun.sleep(100)) v = await read();
  return v;
}
