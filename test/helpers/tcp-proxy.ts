import net from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of another server, that a test can take down and bring back:
 * what a database server that goes away looks like to its clients, without touching the server
 * itself (other suites share it).
 */
export interface TcpProxy {
  /** The port clients connect to; the same before and after an outage. */
  port: number;
  /** Connections open right now (client side). */
  open(): number;
  /**
   * Go down: stop listening (new connections are refused) and reset every open connection, as a
   * crashed or unreachable server would leave them.
   */
  cut(): Promise<void>;
  /** Come back on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const clients = new Set<net.Socket>();
  const track = (s: net.Socket, set = sockets) => {
    set.add(s);
    s.once('close', () => set.delete(s));
  };
  const createServer = () =>
    net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      track(client);
      track(client, clients);
      track(upstream);
      // Either side failing takes the pair down, the way a broken path would.
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  const listen = (server: net.Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  let server: net.Server | undefined = createServer();
  const port = await listen(server, 0);

  const cut = async () => {
    const s = server;
    server = undefined;
    const closed = s ? new Promise<void>((resolve) => s.close(() => resolve())) : Promise.resolve();
    for (const socket of sockets) socket.resetAndDestroy();
    await closed;
  };
  return {
    port,
    open: () => clients.size,
    cut,
    async restore() {
      if (server) return;
      const s = createServer();
      await listen(s, port);
      server = s;
    },
    close: cut,
  };
}
