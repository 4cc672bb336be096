// German and English carry the same messages, and every message key the code asks for exists.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { ACTIONS } from "../src/lib/problems.js";
import { EXTENSION } from "./paths.js";

function messages(language: string): Record<string, { message: string }> {
  return JSON.parse(readFileSync(join(EXTENSION, "static/_locales", language, "messages.json"), "utf8"));
}
const en = messages("en");
const de = messages("de");

test("de and en have the same keys, none empty", () => {
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
  for (const [key, value] of [...Object.entries(en), ...Object.entries(de)]) assert.ok(value.message.trim(), key);
});

test("the German texts the recruiter's help page names", () => {
  assert.equal(de.talentExists.message, "Dieses Talent existiert bereits!");
  assert.equal(de.sendToSourcer.message, "An Sourcer senden");
  assert.equal(de.updateTalent.message, "Talent aktualisieren");
  assert.equal(en.talentExists.message, "This talent already exists!");
});

test("every action has its title and sentence", () => {
  for (const action of new Set(Object.values(ACTIONS))) {
    assert.ok(`action_${action}` in en, action);
    assert.ok(`title_${action}` in en, action);
  }
});

test("every literal message key used in the sources exists", () => {
  const sources = ["popup.ts", "background.ts", "options.ts"].map((f) => readFileSync(join(EXTENSION, "src", f), "utf8"));
  const html = readdirSync(join(EXTENSION, "static")).filter((f) => f.endsWith(".html")).map((f) => readFileSync(join(EXTENSION, "static", f), "utf8"));
  const keys = new Set<string>();
  for (const text of sources) for (const m of text.matchAll(/\bt\("([A-Za-z0-9_]+)"/g)) keys.add(m[1]);
  for (const text of sources) for (const m of text.matchAll(/getMessage\(enabled \? "(\w+)" : "(\w+)"\)/g)) keys.add(m[1]).add(m[2]);
  for (const text of html) for (const m of text.matchAll(/data-i18n="(\w+)"/g)) keys.add(m[1]);
  const manifest = readFileSync(join(EXTENSION, "static/manifest.json"), "utf8");
  for (const m of manifest.matchAll(/__MSG_(\w+)__/g)) keys.add(m[1]);
  const missing = [...keys].filter((key) => !(key in en));
  assert.deepEqual(missing, []);
  assert.ok(keys.size > 40);
});
