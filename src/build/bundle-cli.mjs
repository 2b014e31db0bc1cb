// Bundles the two commands (dist/cli.js, dist/trace-role-bin.js) so start-up loads a couple of
// files instead of ~65: `rolechain --help` spent most of its time in ESM module loading of yargs's
// many small files. Runs after `tsc -p .`, which type-checks and emits the rest of dist/; this
// overwrites only the two entry points and writes the code they load into dist/chunks/.
//
// - yargs and its dependencies are bundled; every other package (the AWS SDK, zod, cli-table3)
//   stays an ordinary import from node_modules, and the commands' dynamic import()s become
//   separate chunks, so each is still loaded only when a command needs it (a local trace never
//   loads the AWS SDK: test/cli/startup-modules.test.ts).
// - string-width (yargs's help layout) builds an Intl.Segmenter and a \p{RGI_Emoji} regex when
//   it loads, ~30 ms together; here they are built on first use, and its printable-ASCII fast
//   path, which skips both, serves cliui and wrap-ansi too (see stringWidthPatches).
// - yargs finds its locale files and rolechain's package.json (for --version) relative to its own
//   file; bundled, that file is a chunk, so both paths are pointed at what ships in dist/.
import { build } from "esbuild";
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dist = path.join(root, "dist");
const chunksDir = "chunks";
const localesDir = "yargs-locales";
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

// Everything rolechain depends on stays external except yargs, which is what start-up loads.
const bundled = new Set(["yargs"]);
const external = Object.keys(pkg.dependencies).filter((name) => !bundled.has(name)).flatMap((name) => [name, `${name}/*`]);

const yargsDir = path.dirname(createRequire(path.join(root, "package.json")).resolve("yargs/package.json"));
const yargsRequire = createRequire(path.join(yargsDir, "package.json"));
// yargs's own string-width (8.x, which has the ASCII fast path); cliui and wrap-ansi get it too.
const stringWidthFile = yargsRequire.resolve("string-width");

/** Replaces `from` (which must occur exactly once) in a dependency's source, or fails the build. */
function patch(source, file, from, to) {
  const at = source.indexOf(from);
  if (at === -1 || source.indexOf(from, at + from.length) !== -1) {
    throw new Error(`bundle-cli: expected exactly one ${JSON.stringify(from)} in ${file}; the dependency changed, so revisit this patch`);
  }
  return source.slice(0, at) + to + source.slice(at + from.length);
}

// – — ‘ ’ “ ” • …
const narrowPunctuation = "\\u2013\\u2014\\u2018\\u2019\\u201C\\u201D\\u2022\\u2026";

const stringWidthPatches = [
  ["const segmenter = new Intl.Segmenter();",
    "let segmenterInstance;\nconst segmenter = {segment: (text) => (segmenterInstance ??= new Intl.Segmenter()).segment(text)};"],
  ["const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;",
    "let rgiEmojiRegexInstance;\nconst rgiEmojiRegex = {test: (text) => (rgiEmojiRegexInstance ??= /^\\p{RGI_Emoji}$/v).test(text)};"],
  // The fast path takes the few typographic characters help text uses, such as the "…" in
  // --source's description (without it, `trace-role --help` builds both of the above). Each of
  // them is a grapheme of its own, no emoji, and East Asian Width Ambiguous or Narrow, so one
  // column wide unless the caller asks for ambiguous characters to be wide: checked below.
  ["if (/^[\\u0020-\\u007E]*$/.test(string)) {",
    `if (/^[\\u0020-\\u007E]*$/.test(string) || (ambiguousIsNarrow && /^[\\u0020-\\u007E${narrowPunctuation}]*$/.test(string))) {`],
];

// In yargs's platform shim, `__dirname` is its own file path, and both paths below hang off it.
// Its two assertions need node:assert (which brings stderr and colour detection) only when they
// fail, so it is loaded then.
const yargsShimPatches = [
  ["import { notStrictEqual, strictEqual } from 'assert'\n", ""],
  ["  assert: {\n    notStrictEqual,\n    strictEqual\n  },",
    "  assert: {\n"
    + "    notStrictEqual: (actual, expected, message) => { if (Object.is(actual, expected)) require('node:assert').notStrictEqual(actual, expected, message) },\n"
    + "    strictEqual: (actual, expected, message) => { if (!Object.is(actual, expected)) require('node:assert').strictEqual(actual, expected, message) },\n"
    + "  },"],
  ["directory: resolve(__dirname, '../../../locales'),",
    `directory: fileURLToPath(new URL(${JSON.stringify(`../${localesDir}`)}, import.meta.url)),`],
  ["mainFilename: mainFilename || process.cwd(),",
    "mainFilename: fileURLToPath(new URL('../../', import.meta.url)),"],
];

/** @type {import("esbuild").Plugin} */
const startupPlugin = {
  name: "rolechain-startup",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer.includes(`${path.sep}node_modules${path.sep}`) ? { path: stringWidthFile } : undefined));
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      if (args.path !== stringWidthFile) throw new Error(`bundle-cli: a second string-width (${args.path}) reached the bundle`);
      let source = readFileSync(args.path, "utf8");
      for (const [from, to] of stringWidthPatches) source = patch(source, args.path, from, to);
      return { contents: source, loader: "js" };
    });
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, (args) => {
      let source = readFileSync(args.path, "utf8");
      for (const [from, to] of yargsShimPatches) source = patch(source, args.path, from, to);
      return { contents: source, loader: "js", resolveDir: path.dirname(args.path) };
    });
  },
};

rmSync(path.join(dist, chunksDir), { recursive: true, force: true });
rmSync(path.join(dist, localesDir), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/cli.ts", "src/trace-role-bin.ts"],
  outdir: "dist",
  outbase: "src",
  entryNames: "[name]",
  chunkNames: `${chunksDir}/[name]-[hash]`,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  external,
  plugins: [startupPlugin],
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
});

cpSync(path.join(yargsDir, "locales"), path.join(dist, localesDir), { recursive: true });

// The widened fast path must agree with string-width itself.
const { default: stringWidth } = await import(pathToFileURL(stringWidthFile).href);
for (const character of JSON.parse(`"${narrowPunctuation}"`)) {
  for (const text of [character, `a${character}b`, `${character}${character} x`]) {
    if (stringWidth(text) !== text.length) throw new Error(`bundle-cli: string-width gives ${JSON.stringify(text)} width ${stringWidth(text)}, not ${text.length}; drop it from narrowPunctuation`);
  }
}

// Paths written relative to a source file (new URL("…", import.meta.url)) must still reach the same
// file from the chunk that file landed in; anything else built on import.meta needs a look here.
for (const [output, { inputs }] of Object.entries(result.metafile.outputs)) {
  for (const input of Object.keys(inputs)) {
    if (!input.startsWith("src/")) continue;
    const source = readFileSync(path.join(root, input), "utf8");
    if (!source.includes("import.meta")) continue;
    const uses = source.match(/import\.meta(\.\w+)?/g) ?? [];
    const relative = [...source.matchAll(/new URL\(\s*(["'])([^"']+)\1\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[2]);
    if (uses.length !== relative.length) {
      throw new Error(`bundle-cli: ${input} uses import.meta other than new URL("<literal>", import.meta.url); check it still works from ${output}`);
    }
    for (const target of relative) {
      const fromSource = fileURLToPath(new URL(target, pathToFileURL(path.join(root, "dist", path.relative("src", input)))));
      const fromBundle = fileURLToPath(new URL(target, pathToFileURL(path.join(root, output))));
      if (fromSource !== fromBundle || !existsSync(fromBundle)) {
        throw new Error(`bundle-cli: ${input} refers to "${target}" relative to itself, which from ${output} is ${fromBundle}, not ${fromSource}`);
      }
    }
  }
}

// The two paths patched into yargs's shim are relative to the chunk it landed in.
const shimOutput = Object.entries(result.metafile.outputs)
  .find(([, { inputs }]) => Object.keys(inputs).some((input) => /yargs\/lib\/platform-shims\/esm\.mjs$/.test(input)))?.[0];
if (!shimOutput || path.dirname(shimOutput) !== `dist/${chunksDir}`) {
  throw new Error(`bundle-cli: yargs's shim is in ${shimOutput}, not in dist/${chunksDir}/, so its locale and package.json paths are wrong`);
}
