/**
 * Hand-written post-login Action with 4 independent lookup(s), Auth0-guide style: one
 * `await` after another, an AbortController timeout and a try/catch around each call. The
 * same behaviour as the spec bench/lib/projects.js writes for K = 4 (checked by
 * tests/bench/baseline-equivalence.test.ts); compared with it in the latency benchmark.
 */
async function getJson(url, apiKey) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 2000);
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/json', authorization: `Bearer ${apiKey}` },
      signal: controller.signal,
    });
    if (!res.ok) throw new Error(`status ${res.status}`);
    return await res.json();
  } finally {
    clearTimeout(timer);
  }
}

exports.onExecutePostLogin = async (event, api) => {
  const id = encodeURIComponent(event.user.user_id);
  const key = event.secrets.SVC_API_KEY;

  try {
    const r1 = await getJson(`https://svc1.bench.example/profiles/${id}`, key);
    if (r1 && r1.value != null) api.user.setAppMetadata('r1', r1.value);
  } catch (err) {
    console.log(`svc1 lookup failed: ${err.name}`);
  }

  try {
    const r2 = await getJson(`https://svc2.bench.example/profiles/${id}`, key);
    if (r2 && r2.value != null) api.user.setAppMetadata('r2', r2.value);
  } catch (err) {
    console.log(`svc2 lookup failed: ${err.name}`);
  }

  try {
    const r3 = await getJson(`https://svc3.bench.example/profiles/${id}`, key);
    if (r3 && r3.value != null) api.user.setAppMetadata('r3', r3.value);
  } catch (err) {
    console.log(`svc3 lookup failed: ${err.name}`);
  }

  try {
    const r4 = await getJson(`https://svc4.bench.example/profiles/${id}`, key);
    if (r4 && r4.value != null) api.user.setAppMetadata('r4', r4.value);
  } catch (err) {
    console.log(`svc4 lookup failed: ${err.name}`);
  }
};
