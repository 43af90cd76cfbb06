import dns2 from 'dns2';

/**
 * A real DNS server on loopback (UDP) for tests that verify domains: answers TXT queries from a
 * table the test edits while it runs; any other name gets an empty answer (NOERROR, no records).
 */
export async function startDnsServer() {
  const txt = new Map<string, string[]>();
  const asked = new Map<string, number>();
  const server = dns2.createUDPServer((request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request);
      for (const question of request.questions) {
        const name = question.name.toLowerCase();
        asked.set(name, (asked.get(name) ?? 0) + 1);
        for (const data of txt.get(name) ?? []) {
          response.answers.push(dns2.Packet.createResourceFromQuestion(question, { type: dns2.Packet.TYPE.TXT, class: dns2.Packet.CLASS.IN, ttl: 1, data }));
        }
      }
      void send(response).catch(() => undefined); // a client that went away needs no answer
  });
  await server.listen(0, '127.0.0.1');
  const { port } = server.address();
  return {
    /** `host:port`, as a DNS_SERVERS entry. */
    address: `127.0.0.1:${port}`,
    /** Sets (or, with no values, removes) the TXT records of a name. */
    setTxt(name: string, ...values: string[]) {
      if (values.length) txt.set(name.toLowerCase(), values);
      else txt.delete(name.toLowerCase());
    },
    /** How many queries named `name` the server has answered. */
    queries: (name: string) => asked.get(name.toLowerCase()) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type DnsServer = Awaited<ReturnType<typeof startDnsServer>>;
