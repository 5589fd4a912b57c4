#!/bin/sh
# Rebuild the YASGUI files the /sparql page ships in site/static/yasgui/.
#
#   site/build-yasgui.sh            # the pinned version below
#   YASGUI_VERSION=4.6.2 site/build-yasgui.sh
#
# Installs @zazuko/yasgui from the npm registry into a temporary directory
# (no install scripts run) and copies its prebuilt browser bundle:
#
#   yasgui.min.js    the UMD bundle (defines window.Yasgui); its sourceMappingURL
#                    comment is removed because the map is not shipped
#   yasgui.min.css   the stylesheet (no web fonts, no url() references)
#   LICENSE          YASGUI's MIT licence and the licences of the packages bundled in it
#   VERSION          package, version, npm integrity and SHA-256 of the two files
#
# The bundle is prebuilt by the YASGUI project, so the shipped JavaScript and CSS
# depend only on YASGUI_VERSION. The script refuses a bundle that refers to a CDN or
# web-font host. Runtime fetches the bundle *can* make (prefix.cc, Linked Open
# Vocabularies autocompletion) are switched off by site/static/sparql-editor.js.
# Files in site/static/yasgui/ that this script does not write are left alone.
set -eu

YASGUI_VERSION="${YASGUI_VERSION:-4.6.2}"
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/static/yasgui"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM

command -v npm >/dev/null || { echo "npm is needed (Node.js 18 or later)" >&2; exit 1; }

cd "$work"
printf '{"name": "yasgui-build", "version": "0.0.0", "private": true}\n' > package.json
npm install --no-audit --no-fund --ignore-scripts --save-exact --loglevel=error \
    "@zazuko/yasgui@$YASGUI_VERSION" >/dev/null
pkg="$work/node_modules/@zazuko/yasgui"
installed="$(node -p "require('$pkg/package.json').version")"
[ "$installed" = "$YASGUI_VERSION" ] || { echo "expected $YASGUI_VERSION, got $installed" >&2; exit 1; }

# No CDN or web-font hosts in what we ship (the page must work offline and leak nothing).
if grep -Eiq '(cdn\.jsdelivr|unpkg\.com|cdnjs\.|fonts\.googleapis|fonts\.gstatic|googleapis\.com/ajax|code\.jquery\.com|use\.fontawesome)' \
        "$pkg/build/yasgui.min.js" "$pkg/build/yasgui.min.css"; then
    echo "the bundle refers to a CDN or font host; patch it before shipping" >&2
    exit 1
fi
if grep -Eq 'url\(|@import' "$pkg/build/yasgui.min.css"; then
    echo "yasgui.min.css loads other files (url() or @import); check them" >&2
    exit 1
fi

mkdir -p "$out"
sed '/^\/\/# sourceMappingURL=/d' "$pkg/build/yasgui.min.js" > "$out/yasgui.min.js"
sed '/^\/\*# sourceMappingURL=.*\*\/$/d' "$pkg/build/yasgui.min.css" > "$out/yasgui.min.css"

# LICENSE: the npm package has no licence file, only "license": "MIT" in package.json.
node - "$work" "$YASGUI_VERSION" > "$out/LICENSE" <<'EOF'
const fs = require("fs");
const path = require("path");
const { execSync } = require("child_process");
const [work, version] = process.argv.slice(2);
const meta = JSON.parse(fs.readFileSync(path.join(work, "node_modules/@zazuko/yasgui/package.json"), "utf8"));
const mit = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;
const contributors = (meta.contributors || []).map((c) => (typeof c === "string" ? c : c.name)).join(", ");
const out = [];
out.push(`YASGUI (Yet Another SPARQL GUI), ${meta.name} ${version}
${meta.homepage || ""}

yasgui.min.js and yasgui.min.css are the unmodified build of the npm package
${meta.name}@${version} (only the sourceMappingURL comment is removed).
The package declares the ${meta.license} License; its authors are ${meta.author}
and the contributors ${contributors || "listed in the project's repository"}.

MIT License

Copyright (c) the YASGUI authors: ${meta.author}${contributors ? ", " + contributors : ""}

${mit}
`);
// The bundle includes YASGUI's runtime dependencies; reproduce their notices.
const seen = new Set();
const lines = execSync("npm ls --all --omit=dev --parseable", { cwd: work, encoding: "utf8" }).trim().split("\n");
const deps = [];
for (const dir of lines) {
  if (!dir.includes("node_modules")) continue;
  const pj = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const key = `${pj.name}@${pj.version}`;
  if (pj.name === meta.name || seen.has(key)) continue;
  seen.add(key);
  const files = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying|notice)/i.test(f)).sort();
  deps.push({ key, license: typeof pj.license === "string" ? pj.license : JSON.stringify(pj.license || "see package"), dir, files });
}
deps.sort((a, b) => a.key.localeCompare(b.key));
out.push("=".repeat(78));
out.push("Third-party packages bundled in yasgui.min.js / yasgui.min.css");
out.push("(the runtime dependency tree of " + meta.name + "@" + version + " as installed by npm)");
out.push("=".repeat(78));
for (const d of deps) out.push(`  ${d.key}  (${d.license})`);
for (const d of deps) {
  out.push("");
  out.push("-".repeat(78));
  out.push(`${d.key}  (${d.license})`);
  out.push("-".repeat(78));
  if (!d.files.length) {
    out.push(d.key.startsWith("@zazuko/") ? "Part of YASGUI; the MIT License above applies."
                                          : `No licence file in the package; package.json declares: ${d.license}.`);
    continue;
  }
  for (const f of d.files) out.push(fs.readFileSync(path.join(d.dir, f), "utf8").trim());
}
process.stdout.write(out.join("\n") + "\n");
EOF

integrity="$(node -p "require('$work/package-lock.json').packages['node_modules/@zazuko/yasgui'].integrity")"
{
    echo "@zazuko/yasgui $YASGUI_VERSION"
    echo "npm integrity: $integrity"
    (cd "$out" && sha256sum yasgui.min.js yasgui.min.css)
} > "$out/VERSION"

echo "Wrote $out:"
ls -l "$out/yasgui.min.js" "$out/yasgui.min.css" "$out/LICENSE" "$out/VERSION"
