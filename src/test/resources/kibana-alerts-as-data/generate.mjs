// Builds the component templates and the index template that Kibana's alerting framework installs
// for the Security app's alerts index, from the field maps in field-maps/ (transcribed from Kibana's
// source, see README.md) and the ECS field list of the @elastic/ecs package Kibana depends on.
//
//   npm pack @elastic/ecs@8.11.5 && tar xzf elastic-ecs-8.11.5.tgz   (then the same for 9.3.0)
//   node generate.mjs 8.19 /path/to/ecs-8.11.5/package
//   node generate.mjs 9.x  /path/to/ecs-9.3.0/package
//
// Output: <set>/<template name without its leading dot>.json, each the body of the PUT request
// that installs the template.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const SETS = {
  '8.19': {
    kibanaVersion: '8.19.0',
    ecsVersion: '8.11.5',
    security: ['8.0.0-alerts', '8.4.0', '8.13.0', '8.16.0', '8.18.0'],
  },
  '9.x': {
    kibanaVersion: '9.6.0',
    ecsVersion: '9.3.0',
    security: ['8.0.0-alerts', '8.4.0', '8.13.0', '8.16.0', '8.18.0', '9.3.1'],
  },
};

// Kibana's ecs_field_map.ts leaves these out: types that conflict between component templates,
// and fields of ECS RFCs still at stage 2.
const EXCLUDED_TYPES = ['constant_keyword', 'nested', 'flattened'];
const EXPERIMENTAL_FIELDS = [
  'faas.trigger',
  'faas.trigger.request_id',
  'faas.trigger.type',
  'host.cpu.system.norm.pct',
  'host.cpu.user.norm.pct',
  'host.fsstats.total_size.total',
  'host.fsstats.total_size.used',
  'host.fsstats.total_size.used.pct',
  'host.load.norm.1',
  'host.load.norm.5',
  'host.load.norm.15',
  'host.memory.actual.used.bytes',
  'host.memory.actual.used.pct',
  'host.memory.total',
  'process.io.bytes',
];

// The alerting framework's TOTAL_FIELDS_LIMIT (alerts_service.ts).
const INDEX_TOTAL_FIELDS_LIMIT = 2500;

function fieldMapFile(name) {
  return JSON.parse(readFileSync(join(here, 'field-maps', `${name}.json`), 'utf8')).fields;
}

function ecsFieldMap(ecsPackage) {
  const { EcsFlat, EcsVersion } = createRequire(import.meta.url)(ecsPackage);
  const excludedParents = Object.entries(EcsFlat)
    .filter(([, spec]) => EXCLUDED_TYPES.includes(spec.type))
    .map(([name]) => `${name}.`);
  const map = {};
  for (const [name, spec] of Object.entries(EcsFlat)) {
    if (
      EXCLUDED_TYPES.includes(spec.type) ||
      EXPERIMENTAL_FIELDS.includes(name) ||
      excludedParents.some((parent) => name.startsWith(parent))
    ) {
      continue;
    }
    map[name] = {
      type: spec.type,
      array: spec.normalize.includes('array'),
      required: !!spec.required,
      ...(spec.scaling_factor ? { scaling_factor: spec.scaling_factor } : {}),
      ...(spec.ignore_above ? { ignore_above: spec.ignore_above } : {}),
      ...(spec.multi_fields ? { multi_fields: spec.multi_fields } : {}),
    };
  }
  return { map, ecsVersion: EcsVersion };
}

// Places value at the dotted path, each level under "properties", replacing what was there (as
// lodash's set does in Kibana's mappingFromFieldMap: parents precede their children in every map).
function setAtPath(properties, dotted, value) {
  const parts = dotted.split('.');
  let node = properties;
  for (let i = 0; i < parts.length - 1; i++) {
    const child = (node[parts[i]] ??= {});
    node = child.properties ??= {};
  }
  node[parts[parts.length - 1]] = value;
}

function mappingFromFieldMap(fieldMap, dynamic) {
  const properties = {};
  for (const [name, spec] of Object.entries(fieldMap)) {
    const { required, array, multi_fields: multiFields, ...rest } = spec;
    const mapped = multiFields
      ? { ...rest, fields: Object.fromEntries(multiFields.map((m) => [m.name, { type: m.type }])) }
      : rest;
    setAtPath(properties, name, mapped);
    if (name === '@timestamp') {
      properties['@timestamp'].ignore_malformed = false;
    }
  }
  return { dynamic, properties };
}

function componentTemplate(fieldMap, { dynamic = 'strict', includeSettings = false } = {}) {
  const settings = includeSettings
    ? {
        number_of_shards: 1,
        'index.mapping.total_fields.ignore_dynamic_beyond_limit': true,
        'index.mapping.total_fields.limit': Math.ceil(Object.keys(fieldMap).length / 1000) * 1000 + 500,
      }
    : {};
  return {
    _meta: { managed: true },
    template: { settings, mappings: mappingFromFieldMap(fieldMap, dynamic) },
  };
}

function indexTemplate(kibanaVersion, composedOf) {
  const namespace = 'default';
  const alias = `.alerts-security.alerts-${namespace}`;
  const meta = { kibana: { version: kibanaVersion }, managed: true, namespace };
  return {
    index_patterns: [
      `.internal.alerts-security.alerts-${namespace}-*`,
      `.reindexed-v8-internal.alerts-security.alerts-${namespace}-*`,
    ],
    composed_of: composedOf,
    template: {
      settings: {
        auto_expand_replicas: '0-1',
        hidden: true,
        'index.lifecycle': { name: '.alerts-ilm-policy', rollover_alias: alias },
        'index.mapping.ignore_malformed': true,
        'index.mapping.total_fields.limit': INDEX_TOTAL_FIELDS_LIMIT,
      },
      mappings: { dynamic: false, _meta: meta },
      aliases: { [`.siem-signals-${namespace}`]: { is_write_index: false } },
    },
    _meta: meta,
    priority: namespace.length,
  };
}

// Files are named after the template without its leading dot, so that they are not hidden.
function write(dir, name, body) {
  writeFileSync(join(dir, `${name.replace(/^\./, '')}.json`), `${JSON.stringify(body, null, 2)}\n`);
}

const [setName, ecsPackage] = process.argv.slice(2);
const set = SETS[setName];
if (!set || !ecsPackage) {
  console.error(`usage: node generate.mjs <${Object.keys(SETS).join('|')}> <@elastic/ecs package dir>`);
  process.exit(2);
}
const ecs = ecsFieldMap(ecsPackage);
if (ecs.ecsVersion.split('.').slice(0, 2).join('.') !== set.ecsVersion.split('.').slice(0, 2).join('.')) {
  console.error(`set ${setName} needs @elastic/ecs ${set.ecsVersion}, the package is ECS ${ecs.ecsVersion}`);
  process.exit(2);
}
const security = Object.assign(
  {},
  ...set.security.map((delta) => fieldMapFile(`security-${delta}`)),
  fieldMapFile('security-8.0.0-rules')
);
const out = join(here, setName);
mkdirSync(out, { recursive: true });
write(out, '.alerts-ecs-mappings', componentTemplate(ecs.map, { includeSettings: true }));
write(out, '.alerts-security.alerts-mappings', componentTemplate(security, { dynamic: false }));
write(out, '.alerts-legacy-alert-mappings', componentTemplate(fieldMapFile('legacy-alert'), { includeSettings: true }));
write(out, '.alerts-framework-mappings', componentTemplate(fieldMapFile('framework'), { includeSettings: true }));
// Later entries win where two map the same field: ECS, then the context, then legacy, then framework.
write(
  out,
  '.alerts-security.alerts-default-index-template',
  indexTemplate(set.kibanaVersion, [
    '.alerts-ecs-mappings',
    '.alerts-security.alerts-mappings',
    '.alerts-legacy-alert-mappings',
    '.alerts-framework-mappings',
  ])
);
console.log(
  `${setName}: ECS ${ecs.ecsVersion} (${Object.keys(ecs.map).length} fields), security ${Object.keys(security).length} fields -> ${out}`
);
