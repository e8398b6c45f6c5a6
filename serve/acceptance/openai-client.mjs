// zero4j serve, checked by the official `openai` npm client (run by .ci/run against ./zero4j serve).
//   node openai-client.mjs BASE_URL MODEL_ID GENERATE_JSON TEMPLATE_FILE
// GENERATE_JSON is `./zero4j generate --json --logprobs` output for PROBLEM (greedy, 40 tokens);
// TEMPLATE_FILE is the run config defaults whose prompt.template the toy's chat template renders.
import OpenAI from "openai";
import { readFileSync } from "node:fs";
import assert from "node:assert/strict";

const [baseURL, model, generateJson, templateFile] = process.argv.slice(2);
const PROBLEM = "Start with 2. Add 5, add 9, keep the last digit. Do this 3 times";
const expected = JSON.parse(generateJson);
const template = JSON.parse(readFileSync(templateFile, "utf8")).prompt.template;
const client = new OpenAI({ baseURL, apiKey: "not-needed", maxRetries: 0 });
const checks = [];
const check = async (name, body) => {
  await body();
  checks.push(name);
  console.log(`ok  ${name}`);
};

await check("models.list names the served model", async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, [model]);
});

await check("a greedy completion equals ./zero4j generate, with its logprobs", async () => {
  const r = await client.completions.create({ model, prompt: PROBLEM, max_tokens: 40, temperature: 0, logprobs: 2 });
  assert.equal(r.choices[0].text, expected.completion);
  const lp = r.choices[0].logprobs.token_logprobs;
  assert.ok(lp.length > 0);
  lp.forEach((v, i) => assert.ok(Math.abs(v - expected.logprobs[i]) < 1e-4, `token ${i}: ${v} vs ${expected.logprobs[i]}`));
  assert.ok(Object.keys(r.choices[0].logprobs.top_logprobs[0]).length >= 1);
  assert.equal(r.usage.prompt_tokens, expected.prompt_tokens);
});

await check("a chat completion is the completion of the model's chat template", async () => {
  const chat = await client.chat.completions.create({
    model, messages: [{ role: "user", content: PROBLEM }], max_tokens: 60, temperature: 0, logprobs: true, top_logprobs: 1,
  });
  const plain = await client.completions.create({
    model, prompt: template.replace("{problem}", PROBLEM), max_tokens: 60, temperature: 0,
  });
  assert.equal(chat.choices[0].message.role, "assistant");
  assert.equal(chat.choices[0].message.content, plain.choices[0].text);
  assert.ok(chat.choices[0].logprobs.content.length > 0);
});

await check("a streamed completion sends the same text in chunks", async () => {
  const whole = await client.completions.create({ model, prompt: PROBLEM, max_tokens: 40, temperature: 0 });
  const stream = await client.completions.create({ model, prompt: PROBLEM, max_tokens: 40, temperature: 0, stream: true });
  let text = "";
  let chunks = 0;
  let finish = null;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.text ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(text, whole.choices[0].text);
  assert.ok(chunks > 2, `${chunks} chunks`);
  assert.equal(finish, whole.choices[0].finish_reason);
});

await check("a streamed chat completion sends the same content", async () => {
  const messages = [{ role: "user", content: PROBLEM }];
  const whole = await client.chat.completions.create({ model, messages, max_tokens: 40, temperature: 0 });
  const stream = await client.chat.completions.create({ model, messages, max_tokens: 40, temperature: 0, stream: true });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  assert.equal(text, whole.choices[0].message.content);
});

await check("16 concurrent requests each equal their sequential result", async () => {
  const requests = Array.from({ length: 16 }, (_, i) => ({
    model, prompt: `Start with ${i % 10}. Add ${(i * 3) % 10}, keep the last digit. Do this ${1 + (i % 4)} times`,
    max_tokens: 30 + i, temperature: i % 2 ? 0.9 : 0, seed: i, n: 1 + (i % 3),
  }));
  const sequential = [];
  for (const r of requests) sequential.push((await client.completions.create(r)).choices.map((c) => c.text));
  const concurrent = await Promise.all(requests.map((r) => client.completions.create(r)));
  concurrent.forEach((r, i) => assert.deepEqual(r.choices.map((c) => c.text), sequential[i], `request ${i}`));
});

const refused = async (name, status, call) => {
  await check(`${name} is a ${status}`, async () => {
    try {
      await call();
      assert.fail("no error");
    } catch (e) {
      assert.equal(e.status, status, `${name}: ${e}`);
      assert.ok(e.error?.message ?? e.message, "an OpenAI error object");
    }
  });
};
await refused("an unknown model", 404, () => client.completions.create({ model: "gpt-9", prompt: "x" }));
await refused("max_tokens past the context", 400, () => client.completions.create({ model, prompt: "x", max_tokens: 100000 }));
await refused("a negative temperature", 400, () => client.completions.create({ model, prompt: "x", temperature: -1 }));
await refused("an unsupported argument", 400, () => client.completions.create({ model, prompt: "x", presence_penalty: 1 }));
for (const [name, status, body] of [
  ["malformed JSON", 400, "{\"model\": "],
  ["a body past the size limit", 413, JSON.stringify({ model, prompt: "x".repeat(5 << 20) })],
]) {
  await check(`${name} is a ${status}`, async () => {
    const r = await fetch(`${baseURL}/completions`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    assert.equal(r.status, status);
    assert.ok((await r.json()).error.message);
  });
}
await check("the server still serves", async () => {
  const r = await client.completions.create({ model, prompt: PROBLEM, max_tokens: 40, temperature: 0 });
  assert.equal(r.choices[0].text, expected.completion);
});
console.log(`openai client: ${checks.length} checks passed`);
