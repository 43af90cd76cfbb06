'use strict';
/**
 * What sits in front of a service's instances in a deployment, reduced to its contract:
 * round-robin over the instances in rotation; a refused connection goes to the next instance;
 * nothing else is retried. `drain(instance)` takes an instance out of rotation (what a
 * Kubernetes endpoint removal plus the preStop pause does before SIGTERM); connections already
 * open stay where they are.
 *
 * `pick(tryOne)` serves the load client (HTTP requests it makes itself); `listen()` serves the
 * services' calls to each other: a TCP proxy on a port of its own, like a cluster Service.
 */
const net = require('node:net');

class Balancer {
  /** `instances`: objects with a `port`, in a fixed order; the array may be filled later. */
  constructor(name, instances) {
    this.name = name;
    this.instances = instances;
    this.draining = new Set();
    this.next = 0;
    this.refused = 0;
  }

  drain(instance) {
    this.draining.add(instance);
  }

  restore(instance) {
    this.draining.delete(instance);
  }

  /** The instances in rotation, starting with the next one in turn. */
  rotation() {
    const live = this.instances.filter((i) => !this.draining.has(i));
    const start = this.next++ % Math.max(1, live.length);
    return [...live.slice(start), ...live.slice(0, start)];
  }

  /**
   * Calls `tryOne(instance)` on the instances in turn until one does not fail with ECONNREFUSED;
   * that outcome (or the last refusal) is returned or thrown.
   */
  async pick(tryOne) {
    let lastRefusal;
    for (const instance of this.rotation()) {
      try {
        return await tryOne(instance);
      } catch (err) {
        if (refusedConnection(err)) {
          this.refused++;
          lastRefusal = err;
          continue;
        }
        throw err;
      }
    }
    throw lastRefusal ?? new Error(`${this.name}: no instance in rotation`);
  }

  /** Starts the TCP proxy; resolves with its URL. */
  listen() {
    this.server = net.createServer((client) => {
      client.pause();
      client.on('error', () => undefined);
      const candidates = this.rotation();
      const connect = () => {
        const instance = candidates.shift();
        if (!instance) return void client.destroy();
        const upstream = net.connect({ host: '127.0.0.1', port: instance.port });
        upstream.once('error', (err) => {
          if (!connected && refusedConnection(err)) {
            this.refused++;
            return connect();
          }
          client.destroy();
        });
        let connected = false;
        upstream.once('connect', () => {
          connected = true;
          upstream.on('error', () => client.destroy());
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
          client.once('close', () => upstream.destroy());
          upstream.once('close', () => client.destroy());
        });
      };
      connect();
    });
    return new Promise((resolve) => {
      this.server.listen(0, '127.0.0.1', () => {
        this.url = `http://127.0.0.1:${this.server.address().port}`;
        resolve(this.url);
      });
    });
  }

  close() {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const refusedConnection = (err) => err?.code === 'ECONNREFUSED' || err?.cause?.code === 'ECONNREFUSED';

module.exports = { Balancer, refusedConnection };
