#!/usr/bin/env node
// The two strategies alloctop is weighed against (bench/peers.mjs runs this as its own process,
// so its CPU and memory are its own), each keeping the namespace's allocation list decoded in
// memory as a console showing it must:
//   poll     GET the list every 2 s (wander's way with its one job, here the whole namespace)
//   relist   follow the event stream and GET the whole list again on every event (damon's way);
//            an event that comes while a list is in flight sets off one more list after it
// Prints "ready" once it holds the first list.
//   node bench/peerClient.mjs poll|relist http://127.0.0.1:4646
const [mode, address] = process.argv.slice(2);
if (!['poll', 'relist'].includes(mode) || !address) {
  process.stderr.write('usage: node bench/peerClient.mjs poll|relist <address>\n');
  process.exit(2);
}
const LIST = `${address}/v1/allocations?namespace=default`;
let held = [];
let index = 0;

/** One whole read of the list, decompressed (fetch asks for gzip) and decoded. */
async function list() {
  const res = await fetch(LIST);
  if (!res.ok) throw new Error(`list: ${res.status}`);
  held = await res.json();
  index = Number(res.headers.get('x-nomad-index') ?? index);
}

await list();
process.stdout.write(`ready ${held.length}\n`);

if (mode === 'poll') {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await list();
  }
} else {
  let inFlight = false;
  let again = false;
  const relist = async () => {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      do {
        again = false;
        await list();
      } while (again);
    } finally {
      inFlight = false;
    }
  };
  const res = await fetch(`${address}/v1/event/stream?topic=Allocation&namespace=default&index=${index}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (!line || line === '{}') continue;
      JSON.parse(line);
      void relist();
    }
  }
}
