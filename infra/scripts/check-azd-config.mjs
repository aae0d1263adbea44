// Checks that azure.yaml and infra/main.parameters.json are well-formed and reference what exists:
// the service project, the infra module, every hook script, every parameter declared by main.bicep
// (read from the compiled template), and every deployment output the hooks read.
// Usage: node infra/scripts/check-azd-config.mjs <repo root> <compiled main.json>
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';

const [root, compiledPath] = process.argv.slice(2);
const errors = [];
const fail = (message) => errors.push(message);

// azure.yaml here uses only block mappings and plain or quoted scalars; anything else is rejected
// rather than guessed at, so the check never passes a file it did not really understand.
function parseYamlMappings(text, file) {
  const rootNode = {};
  const stack = [{ indent: -1, node: rootNode }];
  text.split(/\r?\n/).forEach((raw, index) => {
    const where = `${file}:${index + 1}`;
    if (raw.includes('\t')) throw new Error(`${where}: tab characters are not allowed in YAML indentation`);
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (line.trim() === '') return;
    const indent = line.length - line.trimStart().length;
    const match = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(line.trim());
    if (!match) throw new Error(`${where}: expected "key: value" or "key:" (lists and flow style are not used here)`);
    while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent.childIndent === undefined) parent.childIndent = indent;
    else if (indent !== parent.childIndent) throw new Error(`${where}: inconsistent indentation`);
    const [, key, value] = match;
    if (Object.hasOwn(parent.node, key)) throw new Error(`${where}: duplicate key "${key}"`);
    if (value === undefined || value === '') {
      const child = {};
      parent.node[key] = child;
      stack.push({ indent, node: child });
    } else {
      parent.node[key] = value.replace(/^(['"])(.*)\1$/, '$2');
    }
  });
  return rootNode;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`${path}: not valid JSON (${error.message})`);
    return undefined;
  }
}

const isDirectory = (path) => existsSync(path) && statSync(path).isDirectory();
const isFile = (path) => existsSync(path) && statSync(path).isFile();

// --- azure.yaml ---
let azureYaml = {};
try {
  azureYaml = parseYamlMappings(readFileSync(join(root, 'azure.yaml'), 'utf8'), 'azure.yaml');
} catch (error) {
  fail(error.message);
}
if (!azureYaml.name) fail('azure.yaml: "name" is missing');

const api = azureYaml.services?.api;
if (!api) {
  fail('azure.yaml: services.api is missing');
} else {
  if (api.language !== 'dotnet') fail(`azure.yaml: services.api.language must be dotnet (is ${api.language})`);
  if (api.host !== 'function') fail(`azure.yaml: services.api.host must be function (is ${api.host})`);
  const projectDir = join(root, api.project ?? '');
  if (!api.project || !isDirectory(projectDir)) {
    fail(`azure.yaml: services.api.project "${api.project}" is not a directory`);
  } else if (!readdirSync(projectDir).some((name) => name.endsWith('.csproj'))) {
    fail(`azure.yaml: services.api.project "${api.project}" contains no .csproj`);
  }
}

const infraPath = azureYaml.infra?.path ?? 'infra';
const infraModule = azureYaml.infra?.module ?? 'main';
if ((azureYaml.infra?.provider ?? 'bicep') !== 'bicep') fail('azure.yaml: infra.provider must be bicep');
if (!isFile(join(root, infraPath, `${infraModule}.bicep`))) fail(`azure.yaml: ${infraPath}/${infraModule}.bicep does not exist`);

const knownHooks = new Set(['preprovision', 'postprovision', 'predeploy', 'postdeploy', 'prepackage', 'postpackage',
  'prerestore', 'postrestore', 'preup', 'postup', 'predown', 'postdown']);
const hookScripts = [];
for (const [hookName, hook] of Object.entries(azureYaml.hooks ?? {})) {
  if (!knownHooks.has(hookName)) fail(`azure.yaml: unknown hook "${hookName}"`);
  for (const [platform, expectedShell, extension] of [['posix', 'sh', '.sh'], ['windows', 'pwsh', '.ps1']]) {
    const entry = hook?.[platform];
    if (!entry) { fail(`azure.yaml: hooks.${hookName}.${platform} is missing`); continue; }
    if (entry.shell !== expectedShell) fail(`azure.yaml: hooks.${hookName}.${platform}.shell must be ${expectedShell}`);
    if (!entry.run?.endsWith(extension)) fail(`azure.yaml: hooks.${hookName}.${platform}.run must be a ${extension} file`);
    else if (!isFile(join(root, entry.run))) fail(`azure.yaml: hooks.${hookName}.${platform}.run "${entry.run}" does not exist`);
    else hookScripts.push(normalize(entry.run));
  }
}
for (const required of ['preprovision', 'postprovision']) {
  if (!azureYaml.hooks?.[required]) fail(`azure.yaml: the ${required} hook is missing`);
}

// --- main.parameters.json against the compiled template ---
const template = readJson(compiledPath) ?? {};
const declared = template.parameters ?? {};
const parametersFile = readJson(join(root, infraPath, `${infraModule}.parameters.json`));
const supplied = parametersFile?.parameters ?? {};
if (parametersFile && typeof parametersFile.parameters !== 'object') fail('main.parameters.json: "parameters" is missing');

for (const [name, entry] of Object.entries(supplied)) {
  const declaration = declared[name];
  if (!declaration) { fail(`main.parameters.json: "${name}" is not a parameter of ${infraModule}.bicep`); continue; }
  if (!entry || !Object.hasOwn(entry, 'value')) { fail(`main.parameters.json: "${name}" has no value`); continue; }
  const reference = typeof entry.value === 'string' ? /^\$\{([A-Z][A-Z0-9_]*)(?:=(.*))?\}$/.exec(entry.value) : null;
  if (typeof entry.value === 'string' && entry.value.includes('${') && !reference) {
    fail(`main.parameters.json: "${name}" value "${entry.value}" is not of the form \${VAR} or \${VAR=default}`);
  }
  const fallback = reference?.[2];
  if (fallback !== undefined && fallback !== '') {
    const type = declaration.type?.toLowerCase();
    if (type === 'int' && !/^-?\d+$/.test(fallback)) fail(`main.parameters.json: "${name}" default "${fallback}" is not an int`);
    if (type === 'bool' && !/^(true|false)$/.test(fallback)) fail(`main.parameters.json: "${name}" default "${fallback}" is not a bool`);
    const allowed = declaration.allowedValues;
    if (allowed && !allowed.map(String).includes(fallback)) fail(`main.parameters.json: "${name}" default "${fallback}" is not allowed`);
  }
}
for (const [name, declaration] of Object.entries(declared)) {
  if (!Object.hasOwn(declaration, 'defaultValue') && !Object.hasOwn(supplied, name)) {
    fail(`main.parameters.json: required parameter "${name}" is not supplied`);
  }
}
for (const [name, variable] of [['environmentName', 'AZURE_ENV_NAME'], ['location', 'AZURE_LOCATION'], ['principalId', 'AZURE_PRINCIPAL_ID']]) {
  if (!String(supplied[name]?.value ?? '').startsWith(`\${${variable}`)) fail(`main.parameters.json: "${name}" must map \${${variable}}`);
}

// --- outputs: UPPER_SNAKE_CASE, and every AZURE_* value the hooks read exists ---
const outputs = Object.keys(template.outputs ?? {});
for (const name of outputs) {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) fail(`${infraModule}.bicep: output "${name}" is not UPPER_SNAKE_CASE`);
}
// Set by azd itself rather than by the template.
const azdProvided = new Set(['AZURE_ENV_NAME', 'AZURE_LOCATION', 'AZURE_SUBSCRIPTION_ID', 'AZURE_PRINCIPAL_ID', 'AZURE_PRINCIPAL_TYPE']);
const scripts = new Set(hookScripts);
for (const dir of [join(infraPath, 'hooks')]) {
  if (isDirectory(join(root, dir))) readdirSync(join(root, dir)).forEach((name) => scripts.add(normalize(join(dir, name))));
}
for (const script of scripts) {
  const text = readFileSync(join(root, script), 'utf8');
  const used = new Set([...text.matchAll(/\b(AZURE_[A-Z0-9_]+|SERVICE_API_[A-Z0-9_]+|MEM0_BASE_URL)\b/g)].map((m) => m[1]));
  for (const name of used) {
    if (!azdProvided.has(name) && !outputs.includes(name)) fail(`${script}: reads ${name}, which ${infraModule}.bicep does not output`);
  }
}

if (errors.length > 0) {
  for (const message of errors) console.error(`error: ${message}`);
  process.exit(1);
}
console.log(`azd configuration ok: services.api -> ${api?.project}, ${Object.keys(azureYaml.hooks ?? {}).length} hooks, ` +
  `${Object.keys(supplied).length} parameters mapped, ${outputs.length} outputs`);
