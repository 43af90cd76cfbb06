/**
 * deploy/k8s rendered with `kubectl kustomize` (every overlay, and prod with each optional
 * component), every object validated against the Kubernetes or operator schema of its kind, and the
 * invariants docs/deploy.md promises checked against the rendered objects and against the code
 * (service configs, topic declarations, metric names). No cluster is involved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TOPICS, topicName, topicSettings, type TopicKey } from '@hop/events';
import { K8S_DIR, named, ofKind, render, schemaProblems, targetName, type K8sObject, type Target } from './kustomize';
import {
  appContainer,
  configLoaderOf,
  containerEnv,
  developmentDefaults,
  hopWorkloads,
  podSpec,
  secretRefs,
  secretValues,
  serviceNames,
  valueAt,
} from './workloads';

const DEV: Target = { overlay: 'dev' };
const PROD: Target = { overlay: 'prod' };
const PROD_KEDA: Target = { overlay: 'prod-keda' };
const PROD_EXTERNAL_SECRETS: Target = { overlay: 'prod', components: ['external-secrets'] };
const TARGETS = [DEV, PROD, PROD_KEDA, PROD_EXTERNAL_SECRETS];

const renders = new Map<string, K8sObject[]>();
const rendered = (target: Target) => {
  const name = targetName(target);
  if (!renders.has(name)) renders.set(name, render(target));
  return renders.get(name) as K8sObject[];
};

/** Services being added on other branches: their manifests are here, their code not yet. */
const NOT_IN_THIS_CHECKOUT_YET = ['webhook', 'console'];

/** Settings of the redirector's config the route projector (same config, other entry point) never reads. */
const UNUSED_BY = { 'route-projector': ['shortBaseUrl', 'linkUrl', 'captureSecret', 'ipHashSecret', 'clicks.spoolDir'] } as Record<string, string[]>;

/** prod has no Secret objects (they come from the operator or an external manager): the dev overlay's stand in, same names and keys. */
const devSecrets = () => secretValues(rendered(DEV));

const millis = (env: Record<string, string | undefined>, name: string, fallback: number) => Number(env[name] ?? fallback);
const cpu = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
const bytes = (q: string) => {
  const units: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
  const unit = Object.keys(units).find((u) => q.endsWith(u));
  return unit ? Number(q.slice(0, -unit.length)) * units[unit] : Number(q);
};

describe.each(TARGETS.map((t) => [targetName(t), t] as const))('deploy/k8s %s', (_name, target) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = rendered(target);
  });

  it('renders, and every object validates against the schema of its kind, with no field the schema does not know', () => {
    expect(objects.length).toBeGreaterThan(40);
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('puts everything in the hop namespace', () => {
    const outside = objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== 'hop').map((o) => `${o.kind}/${o.metadata.name}`);
    expect(outside).toEqual([]);
  });

  it('runs every service of the repository, and the route projector, each with a Service on its http port', () => {
    const names = hopWorkloads(objects).map((w) => w.metadata.name);
    expect(names).toEqual(expect.arrayContaining([...serviceNames(), 'route-projector']));
    for (const name of names) expect([...serviceNames(), 'route-projector', ...NOT_IN_THIS_CHECKOUT_YET]).toContain(name);
    for (const workload of hopWorkloads(objects)) {
      const name = workload.metadata.name;
      const service = named(objects, 'Service', name);
      expect({ name, selector: service.spec.selector, target: service.spec.ports[0].targetPort }).toEqual({
        name,
        selector: { 'app.kubernetes.io/name': name },
        target: 'http',
      });
    }
  });

  it('probes every service: started and alive on /healthz, ready on /readyz, on the port it listens on', () => {
    for (const workload of hopWorkloads(objects)) {
      const c = appContainer(workload);
      const port = c.ports.find((p: { name: string }) => p.name === 'http');
      expect({ workload: workload.metadata.name, port: port?.name }).toEqual({ workload: workload.metadata.name, port: 'http' });
      expect([c.startupProbe?.httpGet, c.readinessProbe?.httpGet, c.livenessProbe?.httpGet]).toEqual([
        { path: '/healthz', port: 'http' },
        { path: '/readyz', port: 'http' },
        { path: '/healthz', port: 'http' },
      ]);
      // Liveness never gives up sooner than a readiness blip: dependency outages must not restart pods.
      expect(c.livenessProbe.periodSeconds * c.livenessProbe.failureThreshold).toBeGreaterThan(c.readinessProbe.periodSeconds * c.readinessProbe.failureThreshold);
    }
  });

  it('gives every container CPU and memory requests and limits, requests within limits', () => {
    const pods = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
    for (const pod of pods) {
      for (const c of podSpec(pod).containers) {
        const r = c.resources ?? {};
        const where = `${pod.metadata.name}/${c.name}`;
        expect({ where, cpu: typeof r.requests?.cpu, memory: typeof r.requests?.memory, cpuLimit: typeof r.limits?.cpu, memoryLimit: typeof r.limits?.memory }).toEqual({
          where,
          cpu: 'string',
          memory: 'string',
          cpuLimit: 'string',
          memoryLimit: 'string',
        });
        expect(cpu(r.requests.cpu)).toBeLessThanOrEqual(cpu(r.limits.cpu));
        expect(bytes(r.requests.memory)).toBeLessThanOrEqual(bytes(r.limits.memory));
      }
    }
  });

  it('runs every pod as a non-root user, read-only root filesystem, no capabilities, a writable /tmp for services', () => {
    for (const pod of objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
      const spec = podSpec(pod);
      expect({ pod: pod.metadata.name, runAsNonRoot: spec.securityContext?.runAsNonRoot, seccomp: spec.securityContext?.seccompProfile?.type }).toEqual({
        pod: pod.metadata.name,
        runAsNonRoot: true,
        seccomp: 'RuntimeDefault',
      });
      // Numeric: the kubelet cannot check runAsNonRoot against a user name in the image.
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      for (const c of spec.containers) {
        expect({ container: `${pod.metadata.name}/${c.name}`, ...c.securityContext }).toEqual({
          container: `${pod.metadata.name}/${c.name}`,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
      }
    }
    for (const workload of hopWorkloads(objects)) {
      const tmp = appContainer(workload).volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
      const volume = podSpec(workload).volumes.find((v: { name: string }) => v.name === tmp?.name);
      expect({ workload: workload.metadata.name, tmp: volume?.emptyDir !== undefined }).toEqual({ workload: workload.metadata.name, tmp: true });
    }
  });

  it('pauses before SIGTERM, then leaves SHUTDOWN_TIMEOUT_MS (and the click flush) inside the grace period', () => {
    const secret = devSecrets();
    for (const workload of hopWorkloads(objects)) {
      const env = containerEnv(workload, objects, secret);
      const pause = appContainer(workload).lifecycle?.preStop?.sleep?.seconds;
      expect({ workload: workload.metadata.name, pause: pause >= 3 }).toEqual({ workload: workload.metadata.name, pause: true });
      const flush = workload.metadata.name === 'redirector' ? millis(env, 'CLICK_FLUSH_TIMEOUT_MS', 5_000) : 0;
      const needed = pause + (millis(env, 'SHUTDOWN_TIMEOUT_MS', 10_000) + flush) / 1000;
      const grace = podSpec(workload).terminationGracePeriodSeconds;
      // Enough to finish, with a few seconds to close connections; not so much that a stuck pod lingers.
      expect({ workload: workload.metadata.name, grace }).toEqual({ workload: workload.metadata.name, grace: expect.any(Number) });
      expect(grace).toBeGreaterThanOrEqual(needed + 2);
      expect(grace).toBeLessThanOrEqual(needed + 10);
    }
  });

  it('sets every variable a service needs in a cluster: its config loads, and nothing points at loopback, a home directory or a development secret', () => {
    const secret = devSecrets();
    for (const workload of hopWorkloads(objects)) {
      const name = workload.metadata.name;
      const load = configLoaderOf(name);
      if (!load) {
        expect(NOT_IN_THIS_CHECKOUT_YET).toContain(name);
        continue;
      }
      const env = containerEnv(workload, objects, secret);
      const config = load(env) as { server: { port: number } };
      const unused = UNUSED_BY[name] ?? [];
      const leftAtDevelopmentDefault = [...developmentDefaults(load({}))]
        .filter(([at, fallback]) => !unused.includes(at) && valueAt(config, at) === fallback)
        .map(([at, fallback]) => `${name}: ${at} = ${String(fallback)}`);
      expect(leftAtDevelopmentDefault).toEqual([]);
      const listening = name === 'route-projector' ? Number(env.PROJECTOR_PORT) : config.server.port;
      expect({ name, port: appContainer(workload).ports[0].containerPort }).toEqual({ name, port: listening });
    }
  });

  it('lets each internal service accept only the gateway and the services configured to call it; only the ingress controller reaches the edge', () => {
    const secret = devSecrets();
    const workloads = hopWorkloads(objects);
    const names = new Set(workloads.map((w) => w.metadata.name));
    const callers = new Map<string, Set<string>>();
    for (const w of workloads) {
      for (const value of Object.values(containerEnv(w, objects, secret))) {
        const host = /^https?:\/\/([a-z0-9-]+)(?::\d+)?\/?$/.exec(value ?? '')?.[1];
        if (host && names.has(host)) callers.set(host, (callers.get(host) ?? new Set()).add(w.metadata.name));
      }
    }
    const policies = ofKind(objects, 'NetworkPolicy');
    const allowedInto = (target: string) =>
      policies
        .filter((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === target)
        .flatMap((p) => p.spec.ingress ?? [])
        .flatMap((rule: any) => rule.from ?? [])
        .map((peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? `namespace:${peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']}`)
        .sort();
    expect(named(objects, 'NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    for (const edge of ['gateway', 'redirector']) expect(allowedInto(edge)).toEqual(['namespace:ingress-nginx']);
    // The gateway's upstreams are its proxy routes; every other caller comes from a service's *_URL.
    for (const [service, from] of callers) {
      if (service === 'gateway' || service === 'redirector') continue;
      expect({ service, from: allowedInto(service) }).toEqual({ service, from: [...from].sort() });
    }
    expect(allowedInto('route-projector')).toEqual([]);
  });

  it('lets into Redis and PostgreSQL exactly the services whose config uses them', () => {
    const secret = devSecrets();
    const peersOf = (policy: string) =>
      named(objects, 'NetworkPolicy', policy)
        .spec.ingress.flatMap((rule: any) => rule.from)
        .map((peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'])
        .filter(Boolean)
        .sort();
    const users = { redis: [] as string[], postgres: [] as string[] };
    const unknown: string[] = [];
    for (const workload of hopWorkloads(objects)) {
      const load = configLoaderOf(workload.metadata.name);
      if (!load) {
        unknown.push(workload.metadata.name);
        continue;
      }
      const config = load(containerEnv(workload, objects, secret)) as { redis: { url?: string }; postgres: { url?: string } };
      if (config.redis.url) users.redis.push(workload.metadata.name);
      if (config.postgres.url) users.postgres.push(workload.metadata.name);
    }
    // Services whose code is not in this checkout are left out of the comparison.
    const known = (peers: string[]) => peers.filter((p) => !unknown.includes(p));
    expect(known(peersOf('redis-ingress'))).toEqual(users.redis.sort());
    expect(known(peersOf('postgres-ingress'))).toEqual(users.postgres.sort());
  });

  it('declares every topic of the code with its partitions, cleanup policy and retention', () => {
    const prefix = named(objects, 'ConfigMap', 'hop-config').data.KAFKA_TOPIC_PREFIX ?? '';
    const topics = ofKind(objects, 'KafkaTopic');
    const declared = topics.map((t) => ({
      topicName: t.spec.topicName,
      partitions: t.spec.partitions,
      'cleanup.policy': t.spec.config['cleanup.policy'],
      'retention.ms': t.spec.config['retention.ms'] === undefined ? undefined : String(t.spec.config['retention.ms']),
    }));
    const expected = (Object.keys(TOPICS) as TopicKey[]).map((key) => {
      const settings = topicSettings(key);
      return {
        topicName: topicName(key, prefix),
        partitions: settings.partitions,
        'cleanup.policy': settings.config['cleanup.policy'],
        'retention.ms': settings.config['retention.ms'],
      };
    });
    expect(declared.sort((a, b) => a.topicName.localeCompare(b.topicName))).toEqual(expected.sort((a, b) => a.topicName.localeCompare(b.topicName)));
    const kafka = ofKind(objects, 'Kafka')[0];
    for (const t of topics) {
      expect(t.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
      // A topic needs at least min.insync.replicas in-sync copies to take the producers' acks=all writes.
      expect(t.spec.replicas).toBeGreaterThanOrEqual(Number(t.spec.config['min.insync.replicas'] ?? kafka.spec.kafka.config['min.insync.replicas']));
    }
    expect(kafka.spec.kafka.config['auto.create.topics.enable']).toBe(false);
    expect(kafka.metadata.annotations).toMatchObject({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' });
  });

  it("gives each service with a database its own CloudNativePG database, owned by the login its DATABASE_URL uses, password from the same Secret", () => {
    const cluster = ofKind(objects, 'Cluster')[0];
    const roles = new Map(cluster.spec.managed.roles.map((r: any) => [r.name, r.passwordSecret.name]));
    const databases = new Map(ofKind(objects, 'Database').map((d) => [d.spec.name, d.spec]));
    const secret = devSecrets();
    for (const workload of hopWorkloads(objects)) {
      const env = containerEnv(workload, objects, secret);
      if (!env.DATABASE_URL) continue;
      const url = new URL(env.DATABASE_URL);
      const db = url.pathname.slice(1);
      const passwordSecret = appContainer(workload).env.find((e: any) => e.name === 'DB_PASSWORD')?.valueFrom.secretKeyRef.name;
      expect({ workload: workload.metadata.name, host: url.hostname, database: databases.get(db), role: roles.get(url.username) }).toEqual({
        workload: workload.metadata.name,
        host: `${cluster.metadata.name}-rw`,
        database: { cluster: { name: cluster.metadata.name }, name: db, owner: url.username },
        role: passwordSecret,
      });
      expect(decodeURIComponent(url.password)).toBe(secret(passwordSecret, 'password'));
      expect(secret(passwordSecret, 'username')).toBe(url.username);
    }
  });

  it('routes the API host to the gateway and the short-link hosts to the redirector; SHORT_BASE_URL is one of them', () => {
    const backends = (ingress: K8sObject) =>
      new Set(ingress.spec.rules.flatMap((r: any) => r.http.paths.filter((p: any) => p.path === '/').map((p: any) => p.backend.service.name)));
    expect([...backends(named(objects, 'Ingress', 'hop-api'))]).toEqual(['gateway']);
    const shortLinks = named(objects, 'Ingress', 'hop-short-links');
    expect([...backends(shortLinks)]).toEqual(['redirector']);
    const shortHost = new URL(named(objects, 'ConfigMap', 'hop-config').data.SHORT_BASE_URL).hostname;
    expect(shortLinks.spec.rules.map((r: any) => r.host)).toContain(shortHost);
    // Metrics and readiness are not for the internet.
    for (const ingress of ofKind(objects, 'Ingress')) {
      for (const rule of ingress.spec.rules) {
        const hidden = rule.http.paths.filter((p: any) => p.backend.service.name === 'internal-only').map((p: any) => p.path);
        expect(hidden.sort()).toEqual(['/metrics', '/readyz']);
      }
    }
    expect(named(objects, 'Service', 'internal-only').spec.selector).toBeUndefined();
  });
});

describe('deploy/k8s prod', () => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = rendered(PROD);
  });

  it('runs the redirector as its own StatefulSet, autoscaled on CPU from at least 2 replicas, spread over nodes, with a disruption budget', () => {
    const redirector = named(objects, 'StatefulSet', 'redirector');
    const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === 'redirector');
    expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'redirector' });
    expect(hpa?.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa?.spec.metrics.map((m: any) => m.resource?.name)).toEqual(['cpu']);
    // The HPA owns the count: a replicas field would reset it at every apply.
    expect(redirector.spec.replicas).toBeUndefined();
    expect(podSpec(redirector).topologySpreadConstraints).toContainEqual(
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 }),
    );
    expect(appContainer(redirector).resources.requests.cpu).toBeDefined();
    const pdb = ofKind(objects, 'PodDisruptionBudget').find((p) => p.spec.selector.matchLabels['app.kubernetes.io/name'] === 'redirector');
    expect(pdb?.spec.maxUnavailable).toBe(1);
  });

  it("keeps each redirector replica's click spool on its own volume claim, kept when the HPA scales down", () => {
    const redirector = named(objects, 'StatefulSet', 'redirector');
    const env = containerEnv(redirector, objects, devSecrets());
    const mount = appContainer(redirector).volumeMounts.find((m: any) => m.mountPath === env.CLICK_SPOOL_DIR);
    expect(redirector.spec.volumeClaimTemplates.map((v: any) => v.metadata.name)).toContain(mount?.name);
    expect(redirector.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenScaled: 'Retain', whenDeleted: 'Retain' });
    // One spool per replica: the instance id is the pod's (stable) name.
    expect(appContainer(redirector).env.find((e: any) => e.name === 'INSTANCE_ID').valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
  });

  it('runs at least two replicas of every service (or an autoscaler from two), each with a disruption budget and spread over nodes', () => {
    const hpaMin = new Map(ofKind(objects, 'HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas]));
    const budgets = new Set(ofKind(objects, 'PodDisruptionBudget').map((p) => p.spec.selector.matchLabels['app.kubernetes.io/name']));
    for (const w of hopWorkloads(objects)) {
      const name = w.metadata.name;
      expect({ name, replicas: w.spec.replicas ?? hpaMin.get(name), budget: budgets.has(name) }).toEqual({ name, replicas: expect.any(Number), budget: true });
      expect(w.spec.replicas ?? hpaMin.get(name)).toBeGreaterThanOrEqual(2);
      const keys = podSpec(w).topologySpreadConstraints.map((t: any) => t.topologyKey);
      expect(keys).toEqual(expect.arrayContaining(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']));
    }
  });

  it('runs three Kafka controllers and three brokers, three PostgreSQL instances, topics replicated three times', () => {
    const pools = ofKind(objects, 'KafkaNodePool').map((p) => ({ roles: p.spec.roles, replicas: p.spec.replicas }));
    expect(pools).toEqual(expect.arrayContaining([{ roles: ['controller'], replicas: 3 }, { roles: ['broker'], replicas: 3 }]));
    expect(pools).toHaveLength(2);
    expect(ofKind(objects, 'Cluster')[0].spec.instances).toBe(3);
    for (const t of ofKind(objects, 'KafkaTopic')) expect(t.spec.replicas).toBe(3);
  });

  it('alerts only on metrics the code exposes (or Prometheus, kube-state-metrics and the Kafka exporter provide)', () => {
    const registered = metricNamesInCode();
    const rules = ofKind(objects, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules));
    expect(rules.length).toBeGreaterThan(10);
    const external = /^(up|kube_[a-z_]+|kafka_consumergroup_lag|nodejs_eventloop_lag_p99_seconds)$/;
    const unknown = rules.flatMap((rule: any) =>
      metricsIn(String(rule.expr))
        .map((metric) => metric.replace(/_(bucket|count|sum)$/, ''))
        .filter((metric) => !registered.has(metric) && !external.test(metric))
        .map((metric) => `${rule.alert}: ${metric}`),
    );
    expect(unknown).toEqual([]);
    // Every Hop metric is watched by at least one rule, or listed here as informational.
    const informational = new Set([
      'hop_events_published_total',
      'hop_events_consumed_total',
      'hop_redirector_clicks_published_total',
      'hop_redirector_domain_lookups_total',
      'hop_webhook_attempts_total',
      'hop_webhook_released_total',
      'hop_redirector_clicks_recorded_total',
      'hop_analytics_clicks_ingested_total',
      'hop_analytics_duplicate_clicks_total',
      'hop_analytics_conversions_applied_total',
      'hop_conversions_tracked_total',
      'hop_conversion_click_lookups_total',
      'hop_gateway_rate_limited_total',
    ]);
    const watched = rules.map((r: any) => String(r.expr)).join('\n');
    const unwatched = [...registered].filter((m) => !watched.includes(m) && !informational.has(m));
    expect(unwatched).toEqual([]);
  });
});

describe('deploy/k8s prod-keda', () => {
  it("scales analytics on its clicks.v1 consumer group's lag, never beyond one consumer per partition", () => {
    const objects = rendered(PROD_KEDA);
    const scaled = named(objects, 'ScaledObject', 'analytics');
    const analytics = named(objects, 'Deployment', 'analytics');
    const env = containerEnv(analytics, objects, devSecrets());
    const config = configLoaderOf('analytics')?.(env) as { analytics: { clicksGroup: string; clickConsumers: number }; kafka: { topicPrefix: string } };
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('kafka');
    expect(trigger.metadata.consumerGroup).toBe(config.analytics.clicksGroup);
    expect(trigger.metadata.topic).toBe(topicName('clicks', config.kafka.topicPrefix));
    expect(trigger.metadata.allowIdleConsumers).toBe('false');
    const partitions = named(objects, 'KafkaTopic', 'clicks-v1').spec.partitions;
    expect(scaled.spec.maxReplicaCount * config.analytics.clickConsumers).toBeLessThanOrEqual(partitions);
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    // KEDA's autoscaler owns the count.
    expect(analytics.spec.replicas).toBeUndefined();
  });
});

describe('deploy/k8s prod + external-secrets', () => {
  it('fills every Secret the workloads and the database roles read, with the keys the dev overlay generates', () => {
    const objects = rendered(PROD_EXTERNAL_SECRETS);
    const provided = new Set(
      ofKind(objects, 'ExternalSecret').flatMap((e) => {
        const keys = [...(e.spec.data ?? []).map((d: any) => d.secretKey), ...Object.keys(e.spec.target.template?.data ?? {})];
        return keys.map((k: string) => `${e.spec.target.name}/${k}`);
      }),
    );
    const read = new Set(hopWorkloads(objects).flatMap(secretRefs));
    for (const role of ofKind(objects, 'Cluster')[0].spec.managed.roles) {
      read.add(`${role.passwordSecret.name}/username`);
      read.add(`${role.passwordSecret.name}/password`);
    }
    expect([...read].filter((ref) => !provided.has(ref))).toEqual([]);
    const devSecret = secretValues(rendered(DEV));
    for (const ref of provided) {
      const [name, key] = ref.split('/');
      expect(() => devSecret(name, key)).not.toThrow();
    }
  });
});

/** The metric names a PromQL expression reads: label matchers, grouping labels, functions and operators left out. */
function metricsIn(expr: string): string[] {
  const bare = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()/g)].map((m) => m[0]).filter((word) => !/^(and|or|unless|bool)$/.test(word));
}

/** Every metric name registered in libs/ and services/ (prom-client through @hop/telemetry). */
function metricNamesInCode(): Set<string> {
  const root = path.resolve(K8S_DIR, '..', '..');
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist' && entry.name !== 'test') visit(full);
      } else if (/\.(ts|js)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/(?:metrics\.(?:counter|gauge|histogram)|countersOf)\(\s*'(hop_[a-z0-9_]+)'/g)) names.add(m[1]);
      }
    }
  };
  for (const top of ['libs', 'services']) visit(path.join(root, top));
  return names;
}
