#!/usr/bin/env node
// Renders the chat-template fixture cases of model/src/test/resources/chat/cases.json with
// @huggingface/jinja (the engine transformers.js uses; its Template applies trim_blocks and
// lstrip_blocks, as Python transformers configures Jinja2) and writes <name>.expected.txt.
// The Java ChatTemplate tests compare their output with these files byte for byte.
//
//   npm ci && node render-reference.mjs           write the expected files
//   node render-reference.mjs --check             re-render, exit 1 if any file differs
//
// A case names a tokenizer folder (relative to the repository root), a conversation file in
// conversations/ ({messages, tools?}), add_generation_prompt, and extra variables. The template
// and special tokens are read as ChatTemplate.fromTokenizerFolder reads them, and the variables
// are the ones ChatTemplate.render passes.
import { Template } from "@huggingface/jinja";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = path.join(root, "model/src/test/resources/chat");
const check = process.argv.includes("--check");
const SPECIAL_TOKENS = ["bos_token", "eos_token", "unk_token", "pad_token"];

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function loadTokenizerFolder(dir) {
  const configFile = path.join(dir, "tokenizer_config.json");
  const jinjaFile = path.join(dir, "chat_template.jinja");
  const config = fs.existsSync(configFile) ? readJson(configFile) : {};
  let source = fs.existsSync(jinjaFile) ? fs.readFileSync(jinjaFile, "utf8") : config.chat_template;
  if (Array.isArray(source)) {
    source = source.find((t) => t.name === "default")?.template;
  }
  if (typeof source !== "string") {
    throw new Error(`${dir} has no chat template`);
  }
  const tokens = {};
  for (const name of SPECIAL_TOKENS) {
    const token = config[name];
    const content = token !== null && typeof token === "object" ? token.content : token;
    if (typeof content === "string") {
      tokens[name] = content;
    }
  }
  return { source, tokens };
}

function render(testCase) {
  const { source, tokens } = loadTokenizerFolder(path.join(root, testCase.tokenizer));
  const conversation = readJson(path.join(fixtures, "conversations", testCase.conversation));
  const extra = { ...(conversation.tools ? { tools: conversation.tools } : {}), ...(testCase.variables ?? {}) };
  return new Template(source).render({
    ...tokens,
    messages: conversation.messages,
    tools: null,
    documents: null,
    add_generation_prompt: testCase.add_generation_prompt,
    ...extra,
  });
}

let differing = 0;
const cases = readJson(path.join(fixtures, "cases.json"));
for (const testCase of cases) {
  const file = path.join(fixtures, `${testCase.name}.expected.txt`);
  const text = render(testCase);
  if (!check) {
    fs.writeFileSync(file, text, "utf8");
  } else if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
    differing++;
    console.error(`${path.relative(root, file)} differs from what @huggingface/jinja renders`);
  }
}
if (check && differing > 0) {
  console.error(`${differing} of ${cases.length} chat-template fixtures differ; run node render-reference.mjs`);
  process.exit(1);
}
console.log(`${cases.length} chat-template fixtures ${check ? "match" : "written"}`);
