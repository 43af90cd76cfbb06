// Validates Kubernetes objects against the JSON schemas of the kubernetes-models packages (the
// Kubernetes API's OpenAPI schemas and the operators' CRD schemas, compiled with ajv). Those
// packages are ES modules, so the jest tests run this script in a child process:
//   node validate-schemas.mjs < objects.json   →   [{ "object": "Kind/name", "error": "…" }, …]
// An object whose apiVersion has no schema here is reported too: nothing passes unchecked.

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
  try {
    new Model(object).validate();
  } catch (err) {
    problems.push({ object: id, error: err.message });
  }
}
process.stdout.write(JSON.stringify(problems));
