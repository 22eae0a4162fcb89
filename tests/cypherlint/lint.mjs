// Lint Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support, lintCypherQuery).
//
// stdin: JSON, either [{"name": ..., "query": ...}, ...]
//        or {"schema": {"labels": [...], "relationshipTypes": [...]}, "queries": [...]}.
// With a schema, labels and types outside it are reported; without one, they are not.
// Built-in Neo4j 5 functions are always checked (so engine-specific functions such as FalkorDB's
// toJSON are reported). "Parameter $x is not defined" is ignored: queries declare their own.
//
// stdout: JSON [{"name": ..., "diagnostics": [{"severity", "message", "line", "column"}]}]
//         or, with --text, one "name:line:column: severity: message" line per diagnostic.
// Exit status: 0 if no query has diagnostics, 1 if some do, 2 on bad input.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

// The package's ESM build uses extensionless imports that Node cannot resolve; its CJS build works.
const require = createRequire(import.meta.url);
const { lintCypherQuery, testData } = require('@neo4j-cypher/language-support');

const CYPHER_VERSION = 'CYPHER 5';
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const IGNORED = [/^Parameter \$.+ is not defined\.?$/];

function builtInFunctions() {
  // The package ships the Neo4j function registry only with its test data; keep the built-ins
  // (no APOC, which neither FalkorDB nor a plain Neo4j has).
  const all = testData?.mockSchema?.functions?.[CYPHER_VERSION];
  if (!all) return undefined;
  const builtIn = Object.entries(all).filter(([, fn]) => fn.isBuiltIn);
  return { [CYPHER_VERSION]: Object.fromEntries(builtIn) };
}

function readInput() {
  let input;
  try {
    input = JSON.parse(readFileSync(0, 'utf8'));
  } catch (error) {
    process.stderr.write(`lint.mjs: stdin is not JSON: ${error.message}\n`);
    process.exit(2);
  }
  const queries = Array.isArray(input) ? input : input?.queries;
  if (!Array.isArray(queries) || !queries.every((q) => typeof q?.name === 'string' && typeof q?.query === 'string')) {
    process.stderr.write('lint.mjs: expected [{"name": ..., "query": ...}] or {"schema": ..., "queries": [...]}\n');
    process.exit(2);
  }
  return { queries, schema: Array.isArray(input) ? {} : input.schema ?? {} };
}

const { queries, schema } = readInput();
const dbSchema = { defaultLanguage: CYPHER_VERSION, functions: builtInFunctions() };
if (schema.labels && schema.relationshipTypes) {
  dbSchema.labels = schema.labels;
  dbSchema.relationshipTypes = schema.relationshipTypes;
}

const results = queries.map(({ name, query }) => ({
  name,
  diagnostics: lintCypherQuery(query, dbSchema)
    .filter((d) => !IGNORED.some((pattern) => pattern.test(d.message)))
    .map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    })),
}));

if (process.argv.includes('--text')) {
  for (const { name, diagnostics } of results) {
    for (const d of diagnostics) {
      process.stdout.write(`${name}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
    }
  }
} else {
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}
process.exit(results.some((r) => r.diagnostics.length > 0) ? 1 : 0);
