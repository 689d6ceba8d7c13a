// The benchmarks' HTTP client, in a process of its own (bench/http-client.ts starts it), so that
// the server's CPU and event loop are the server's alone, as with any real client.
process.on("message", async ({ baseUrl, requests, inFlight }) => {
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const { path, method = "GET", token, json, expect } = requests[i];
          const started = performance.now();
          const res = await fetch(baseUrl + path, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(json === undefined ? {} : { "content-type": "application/json" }),
            },
            body: json === undefined ? undefined : JSON.stringify(json),
          });
          const body = await res.arrayBuffer();
          if (res.status !== expect) {
            throw new Error(`${method} ${path}: ${res.status} ${Buffer.from(body).toString().slice(0, 300)}`);
          }
          latencies.push(performance.now() - started);
        }
      }),
    );
    process.send({ latencies, seconds: (performance.now() - t0) / 1000 });
  } catch (error) {
    process.send({ error: String(error) });
  }
});
