// Validates Kubernetes objects against the JSON schemas of the kubernetes-models packages (the
// Kubernetes API's OpenAPI schemas and the operators' CRD schemas, compiled with ajv). Those
// packages are ES modules, so the jest tests run this script in a child process:
//   node validate-schemas.mjs < objects.json   →   [{ "object": "Kind/name", "error": "…" }, …]
// An object whose apiVersion has no schema here is reported too: nothing passes unchecked.
//
// Strict, like kubeconform's -strict: these schemas accept fields they do not know (as the API
// server's OpenAPI does), so a misspelt field would pass. Each field of a valid object is therefore
// probed: set to a value of another type (1.5, then true), the object must stop validating. A field
// no probe breaks is not in the schema and is reported, except under the maps the CRDs declare
// free-form (FREE_FORM).

/** API group → the package holding its schemas (the core group "" is kubernetes-models/v1). */
const PACKAGES = {
  '': 'kubernetes-models',
  apps: 'kubernetes-models',
  autoscaling: 'kubernetes-models',
  policy: 'kubernetes-models',
  batch: 'kubernetes-models',
  'networking.k8s.io': 'kubernetes-models',
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'external-secrets.io': '@kubernetes-models/external-secrets',
};

/** Maps whose keys and values the operator passes through unchecked (Kafka broker and topic configs). */
const FREE_FORM = {
  'kafka.strimzi.io/Kafka': ['spec.kafka.config'],
  'kafka.strimzi.io/KafkaTopic': ['spec.config'],
};

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = PACKAGES[group];
  if (!pkg) return undefined;
  const module = await import(group ? `${pkg}/${group}/${version}` : `${pkg}/${version}`).catch(() => undefined);
  return module?.[kind];
}

const input = await new Promise((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => (text += chunk));
  process.stdin.on('end', () => resolve(text));
});

const problems = [];
for (const object of JSON.parse(input)) {
  const id = `${object.apiVersion}/${object.kind}/${object.metadata?.name}`;
  const Model = await modelOf(String(object.apiVersion), String(object.kind));
  if (!Model) {
    problems.push({ object: id, error: 'no schema known for this apiVersion and kind' });
    continue;
  }
  const error = validationError(Model, object);
  if (error) {
    problems.push({ object: id, error });
    continue;
  }
  const freeForm = FREE_FORM[`${String(object.apiVersion).split('/')[0]}/${object.kind}`] ?? [];
  for (const field of unknownFields(Model, object, freeForm)) problems.push({ object: id, error: `unknown field ${field}` });
}
process.stdout.write(JSON.stringify(problems));

function validationError(Model, object) {
  try {
    new Model(object).validate();
    return undefined;
  } catch (err) {
    return err.message;
  }
}

/** Paths (dotted, [i] for array items) of the fields no schema constrains, top-most only. */
function unknownFields(Model, object, freeForm) {
  const found = [];
  const visit = (value, path) => {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) {
      const at = [...path, key];
      const name = at.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1);
      if (freeForm.some((f) => name.startsWith(`${f}.`))) continue;
      if (typeof key === 'string' && !constrained(Model, object, at)) {
        found.push(name);
        continue;
      }
      if (child && typeof child === 'object') visit(child, at);
    }
  };
  visit(object, []);
  return found;
}

function constrained(Model, object, path) {
  return [1.5, true].some((probe) => {
    const copy = structuredClone(object);
    const parent = path.slice(0, -1).reduce((v, k) => v[k], copy);
    parent[path[path.length - 1]] = probe;
    return validationError(Model, copy) !== undefined;
  });
}
