// Builds the unpacked extension (dist/) and the store zip (sourcer-extension.zip); with
// --tests, bundles the unit tests for node's test runner (test-dist/).
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { deflateRawSync, deflateSync } from "node:zlib";

const root = new URL(".", import.meta.url).pathname;
const dist = join(root, "dist");

if (process.argv.includes("--tests")) {
  rmSync(join(root, "test-dist"), { recursive: true, force: true });
  const tests = readdirSync(join(root, "test")).filter((f) => f.endsWith(".test.ts"));
  await build({
    entryPoints: tests.map((f) => join(root, "test", f)),
    outdir: join(root, "test-dist"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
  });
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
cpSync(join(root, "static"), dist, { recursive: true });
await build({
  entryPoints: ["background", "popup", "options"].map((name) => join(root, "src", `${name}.ts`)),
  outdir: dist,
  bundle: true,
  format: "esm",
  target: "chrome116",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});

// --- Icons: light grey (nothing to source here) and dark with the blue dot (a profile). ---
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) row.set(pixel((x + 0.5) / size, (y + 0.5) / size), 1 + x * 4);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
}
// A rounded square with an "S"-like bar pattern; the active icon adds a blue dot bottom right.
function icon(active) {
  const body = active ? [0x1d, 0x27, 0x33, 255] : [0xc8, 0xcc, 0xd0, 255];
  const mark = active ? [255, 255, 255, 255] : [0xf2, 0xf3, 0xf4, 255];
  return (x, y) => {
    if (active && Math.hypot(x - 0.78, y - 0.78) < 0.2) return [0x0a, 0x84, 0xff, 255];
    const cx = Math.min(Math.max(x, 0.2), 0.8), cy = Math.min(Math.max(y, 0.2), 0.8);
    if (Math.hypot(x - cx, y - cy) > 0.2) return [0, 0, 0, 0];
    const inBar = (y > 0.26 && y < 0.38) || (y > 0.45 && y < 0.56) || (y > 0.63 && y < 0.74);
    const s = (y < 0.45 && x > 0.28 && x < 0.4) || (y > 0.55 && x > 0.6 && x < 0.72);
    return x > 0.28 && x < 0.72 && (inBar || s) ? mark : body;
  };
}
mkdirSync(join(dist, "icons"), { recursive: true });
for (const size of [16, 32, 48, 128]) {
  writeFileSync(join(dist, "icons", `active-${size}.png`), png(size, icon(true)));
  writeFileSync(join(dist, "icons", `inactive-${size}.png`), png(size, icon(false)));
}

// --- The store zip (deflate, no external zip tool needed on a fresh machine). ---
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}
const locals = [];
const centrals = [];
let offset = 0;
for (const path of files(dist).sort()) {
  const name = Buffer.from(relative(dist, path));
  const data = readFileSync(path);
  const packed = deflateRawSync(data, { level: 9 });
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(0x21, 12); // 1980-01-01: reproducible
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(offset, 42);
  locals.push(local, name, packed);
  centrals.push(central, name);
  offset += local.length + name.length + packed.length;
}
const centralSize = centrals.reduce((n, b) => n + b.length, 0);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(centrals.length / 2, 8);
end.writeUInt16LE(centrals.length / 2, 10);
end.writeUInt32LE(centralSize, 12);
end.writeUInt32LE(offset, 16);
const zip = Buffer.concat([...locals, ...centrals, end]);
writeFileSync(join(root, "sourcer-extension.zip"), zip);

// The unpacked build (not the store zip: the store assigns the id) carries a fixed public key,
// so that its id, and with it its origin, is the same on every machine: `make dev` allows that
// origin at the gateway and the local identity provider (docs/extension.md). Only the public
// half exists; it signs nothing.
const manifestPath = join(dist, "manifest.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
manifest.key = readFileSync(join(root, "dev-key.pub"), "utf8").trim();
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
const unpacked = files(dist).reduce((n, f) => n + statSync(f).size, 0);
console.log(`extension: dist/ ${(unpacked / 1024).toFixed(1)} kB, sourcer-extension.zip ${(zip.length / 1024).toFixed(1)} kB`);
