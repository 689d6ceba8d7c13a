// The benchmarks' HTTP client, in a process of its own (bench/http-client.ts starts it), so that
// the server's CPU and event loop are the server's alone, as with any real client. node:http with
// one kept-alive socket per request in flight: fetch (undici) spent several times the CPU a
// request, taken from the two cores the server and PostgreSQL share with it.
import http from "node:http";

/** One request on `agent`: its status and body. */
function send(agent, url, { method, headers, body }) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

process.on("message", async ({ baseUrl, requests, inFlight }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const { path, method = "GET", token, json, expect } = requests[i];
          const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
          const headers = {
            authorization: `Bearer ${token}`,
            ...(body === undefined
              ? {}
              : { "content-type": "application/json", "content-length": body.length }),
          };
          const started = performance.now();
          const res = await send(agent, baseUrl + path, { method, headers, body });
          if (res.status !== expect) {
            throw new Error(`${method} ${path}: ${res.status} ${res.body.toString().slice(0, 300)}`);
          }
          latencies.push(performance.now() - started);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    process.send({ latencies, seconds, cpuMs: (cpu.user + cpu.system) / 1000 });
  } catch (error) {
    process.send({ error: String(error) });
  } finally {
    agent.destroy();
  }
});
