// Renders every ```mermaid block of markdown files with Mermaid's own code (mermaid.render) in
// Debian's headless Chromium, in GitHub's light and dark themes, and fails on a block that does
// not parse or render. With --out DIR it saves each rendering as a PNG to look at.
//
//   node render.mjs [--out DIR] [--chromium PATH] FILE.md...
//
// One line per block and theme: "ok FILE#N THEME: DIAGRAM, colours C1 C2 ..." (the fills and
// strokes of an xychart's plots, so a caller can see that the palette took), or
// "FAILED FILE#N THEME: ERROR" (a parse or render error, or a palette the init directive asked
// for that Mermaid ignored, as it does a directive whose JSON is malformed). Exit 0 when every block rendered in both themes, 1 when one
// failed, 2 on a usage error or a browser that would not start.
//
// Lives under bench/ rather than docs/ so that its node_modules stays out of the MkDocs tree.

import { existsSync, readFileSync, mkdirSync } from "node:fs";
import { basename, join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = dirname(fileURLToPath(import.meta.url));
const MERMAID = join(HERE, "node_modules", "mermaid", "dist", "mermaid.min.js");
// GitHub renders a block with Mermaid's default theme on its light background and the dark
// theme on its dark one (#0d1117).
const THEMES = [
  { name: "light", mermaid: "default", background: "#ffffff" },
  { name: "dark", mermaid: "dark", background: "#0d1117" },
];
// Flags that start Debian's Chromium in a container with no GPU and no network to phone home
// to; Playwright adds --headless and a fresh, temporary --user-data-dir of its own.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function usage(message) {
  console.error(`${message}\nusage: node render.mjs [--out DIR] [--chromium PATH] FILE.md...`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { out: null, chromium: "/usr/bin/chromium", files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out" || argv[i] === "--chromium") {
      if (i + 1 >= argv.length) usage(`${argv[i]} needs a value`);
      options[argv[i].slice(2)] = argv[++i];
    } else if (argv[i].startsWith("--")) {
      usage(`unknown option ${argv[i]}`);
    } else {
      options.files.push(argv[i]);
    }
  }
  if (!options.files.length) usage("no markdown file given");
  const absent = options.files.filter((file) => !existsSync(file));
  if (absent.length) usage(`no such file: ${absent.join(", ")}`);
  return options;
}

// Every fenced block whose info string is "mermaid", with the line it starts on.
function mermaidBlocks(text) {
  const blocks = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)(`{3,}|~{3,})\s*mermaid\s*$/);
    if (!open) continue;
    const fence = open[2];
    const body = [];
    let j = i + 1;
    while (j < lines.length && !lines[j].trim().startsWith(fence)) body.push(lines[j++]);
    blocks.push({ line: i + 1, code: body.join("\n") });
    i = j;
  }
  return blocks;
}

// The colours an init directive asks an xychart to draw with, lower case; none when it asks none.
function paletteOf(code) {
  const found = code.match(/"plotColorPalette"\s*:\s*"([^"]*)"/);
  return found ? found[1].split(",").map((colour) => colour.trim().toLowerCase()) : [];
}

// Runs in the page: renders one block with the theme, returns what was drawn or the error.
async function renderInPage({ code, theme, id }) {
  const mermaid = globalThis.mermaid;
  mermaid.initialize({ startOnLoad: false, theme, securityLevel: "strict" });
  const host = document.getElementById("host");
  host.innerHTML = "";
  try {
    await mermaid.parse(code);
    const { svg } = await mermaid.render(id, code);
    host.innerHTML = svg;
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
  const root = host.querySelector("svg");
  const text = root.textContent || "";
  if (/Syntax error|Parse error/i.test(text)) return { error: text.slice(0, 300) };
  const diagram = root.getAttribute("aria-roledescription") || "diagram";
  const colours = new Set();
  for (const node of root.querySelectorAll(".plot rect, .plot path")) {
    const colour = node.getAttribute("fill") !== "none" && node.getAttribute("fill");
    const stroke = node.getAttribute("stroke");
    if (node.tagName === "rect" && colour) colours.add(colour);
    if (node.tagName === "path" && stroke) colours.add(stroke);
  }
  const box = root.getBoundingClientRect();
  if (!box.width || !box.height) return { error: "the diagram rendered empty (zero size)" };
  return { diagram, colours: [...colours] };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  let browser;
  try {
    browser = await chromium.launch({ executablePath: options.chromium, args: FLAGS });
  } catch (error) {
    console.error(`cannot start Chromium at ${options.chromium}: ${error.message}`);
    process.exit(2);
  }
  let failures = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    if (options.out) mkdirSync(options.out, { recursive: true });
    for (const file of options.files) {
      const blocks = mermaidBlocks(readFileSync(file, "utf8"));
      if (!blocks.length) console.log(`none ${file}: no mermaid block`);
      for (const [index, block] of blocks.entries()) {
        for (const theme of THEMES) {
          const where = `${file}#${index + 1} (line ${block.line}) ${theme.name}`;
          // A fresh page and Mermaid for each rendering: nothing one block's directive sets
          // carries over to the next.
          await page.setContent(
            `<!doctype html><html><body style="margin: 16px; background: ${theme.background}">` +
              '<div id="host"></div></body></html>',
          );
          await page.addScriptTag({ path: MERMAID });
          const id = `block${index + 1}${theme.name}`;
          const drawn = await page.evaluate(renderInPage, { code: block.code, theme: theme.mermaid, id });
          if (drawn.error) {
            failures++;
            console.log(`FAILED ${where}: ${drawn.error.replace(/\s+/g, " ")}`);
            continue;
          }
          const palette = paletteOf(block.code);
          const stray = drawn.colours.filter((colour) => !palette.includes(colour.toLowerCase()));
          if (palette.length && stray.length) {
            failures++;
            console.log(
              `FAILED ${where}: the plotColorPalette of its init directive did not take ` +
                `(drawn ${drawn.colours.join(" ")}; asked ${palette.join(" ")}): check the ` +
                "directive's JSON",
            );
            continue;
          }
          let saved = "";
          if (options.out) {
            const png = resolve(options.out, `${basename(file, ".md")}-${index + 1}-${theme.name}.png`);
            const element = await page.$("#host");
            await element.screenshot({ path: png });
            saved = `; ${png}`;
          }
          const colours = drawn.colours.length ? `, colours ${drawn.colours.join(" ")}` : "";
          console.log(`ok ${where}: ${drawn.diagram}${colours}${saved}`);
        }
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(failures ? 1 : 0);
}

await main();
