import net from 'node:net';

export interface TcpProxy {
  port: number;
  /**
   * Like a network partition or a host that stopped answering: open connections stay open but
   * nothing passes any more (bytes wait, as TCP retransmits them), and new connections are
   * accepted but never reach the server. No connection is closed or refused.
   */
  partition(): void;
  /** The partition heals: waiting bytes flow on, new connections reach the server again. */
  heal(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of `target`, which a test can cut off without closing anything. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let partitioned = false;
  const pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>();
  const server = net.createServer((client) => {
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    pairs.add(pair);
    client.on('error', () => client.destroy());
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (partitioned) {
      client.pause(); // accepted, never forwarded
      return;
    }
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    partition: () => {
      partitioned = true;
      for (const { client, upstream } of pairs) {
        client.pause();
        upstream?.pause();
      }
    },
    heal: () => {
      partitioned = false;
      for (const { client, upstream } of pairs) {
        // Connections accepted during the partition were given up by their clients long ago.
        if (!upstream) client.destroy();
        else {
          client.resume();
          upstream.resume();
        }
      }
    },
    close: async () => {
      for (const { client } of pairs) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
